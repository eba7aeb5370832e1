"""Sync → Sync settings: this device in the team. The team's key (created on the first device,
its pairing code shown once) or pairing with that code, the sync folder, joining the team (a
new device's first full copy, with progress and Cancel) and the team's devices, each of which
can be retired (a lost laptop: its data is wiped at its next start)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.i18n import _
from ui.dialogs.sync_conflicts_dialog import when_text
from ui.workers import run_cancellable, run_op

if TYPE_CHECKING:
    from app.domain.sync import DeviceView
    from app.services.sync import SyncService
    from ui.events import DataBus
    from ui.prompts import Prompts


class SyncSettingsDialog(QDialog):
    def __init__(
        self,
        service: SyncService,
        prompts: Prompts,
        parent: QWidget | None = None,
        bus: DataBus | None = None,
    ) -> None:
        super().__init__(parent)
        self.service, self.prompts, self.bus = service, prompts, bus
        self.setWindowTitle(_("Sync settings"))
        self.resize(720, 560)

        # -- this device and the key ------------------------------------------------------
        self.device_name = QLineEdit()
        self.device_name.setPlaceholderText(_("e.g. Office PC, Laptop of the community centre"))
        self.key_state = QLabel()
        self.key_state.setWordWrap(True)
        self.create_key = QPushButton(_("&Create the team's key…"))
        self.create_key.clicked.connect(self.make_key)
        self.code = QLineEdit()
        self.code.setPlaceholderText(_("The pairing code shown on the first device"))
        self.pair_button = QPushButton(_("&Pair"))
        self.pair_button.clicked.connect(self.pair)
        self.code.returnPressed.connect(self.pair)
        key_box = QGroupBox(_("This device and the team's key"))
        form = QFormLayout(key_box)
        form.addRow(_("This device's &name:"), self.device_name)
        form.addRow(self.key_state)
        form.addRow(self.create_key)
        pairing = QHBoxLayout()
        pairing.addWidget(self.code, 1)
        pairing.addWidget(self.pair_button)
        code_label = QLabel(_("Pairing &code:"))
        code_label.setBuddy(self.code)
        form.addRow(code_label, pairing)

        # -- the folder and joining -------------------------------------------------------
        self.folder = QLabel()
        self.folder.setWordWrap(True)
        self.choose_folder = QPushButton(_("Choose the sync &folder…"))
        self.choose_folder.clicked.connect(self.pick_folder)
        self.join_button = QPushButton(_("&Join the team (a first full copy of the data)"))
        self.join_button.clicked.connect(self.join)
        folder_box = QGroupBox(_("Sync folder"))
        folder_layout = QVBoxLayout(folder_box)
        folder_hint = QLabel(
            _(
                "A shared drive, a folder a cloud service copies between the computers, or a "
                "USB stick. Each device writes only its own files there, encrypted with the "
                "team's key."
            )
        )
        folder_hint.setWordWrap(True)
        folder_layout.addWidget(folder_hint)
        folder_layout.addWidget(self.folder)
        folder_buttons = QHBoxLayout()
        folder_buttons.addWidget(self.choose_folder)
        folder_buttons.addWidget(self.join_button)
        folder_buttons.addStretch(1)
        folder_layout.addLayout(folder_buttons)

        # -- devices ----------------------------------------------------------------------
        self.devices = QTableWidget(0, 3)
        self.devices.setHorizontalHeaderLabels([_("Device"), _("Changes applied here"), ""])
        self.devices.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.devices.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.devices.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.devices.verticalHeader().setVisible(False)
        header = self.devices.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.devices.itemSelectionChanged.connect(self._device_selected)
        self.retire_button = QPushButton(_("&Retire…"))
        self.retire_button.clicked.connect(self.retire)
        devices_box = QGroupBox(_("The team's devices"))
        devices_layout = QVBoxLayout(devices_box)
        devices_layout.addWidget(self.devices)
        retire_row = QHBoxLayout()
        retire_hint = QLabel(
            _(
                "A lost or stolen laptop: retire it, and its data is wiped the next time it "
                "starts Teixit with the sync folder. What it synced stays on the other devices."
            )
        )
        retire_hint.setWordWrap(True)
        retire_row.addWidget(retire_hint, 1)
        retire_row.addWidget(self.retire_button)
        devices_layout.addLayout(retire_row)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(key_box)
        layout.addWidget(folder_box)
        layout.addWidget(devices_box, 1)
        layout.addWidget(buttons)
        self.known: list[DeviceView] = []
        self.reload()

    # -- state --------------------------------------------------------------------------------
    def reload(self) -> None:
        status = self.service.status()
        if status.enabled and not self.device_name.text():
            self.device_name.setText(status.device_name)
        # The name is given when the device joins the team (the others know it by it).
        self.device_name.setReadOnly(status.enabled)
        if status.has_key:
            self.key_state.setText(
                _("This device has the team's key: it can sync with the others.")
            )
        else:
            self.key_state.setText(
                _(
                    "On the team's first device, create the key; on every other device, type "
                    "the pairing code the first one showed."
                )
            )
        self.create_key.setVisible(not status.has_key)
        self.code.setEnabled(not status.has_key)
        self.pair_button.setEnabled(not status.has_key)
        self.folder.setText(
            _("Folder: {folder}").format(folder=status.folder)
            if status.folder
            else _("No sync folder chosen yet.")
        )
        self.join_button.setEnabled(
            status.has_key and bool(status.folder) and self.service.can_join()
        )
        self.known = [d for d in self.service.devices() if not d.is_self]
        self.devices.setRowCount(len(self.known))
        for r, d in enumerate(self.known):
            name = d.name or d.id[:8]
            retired = (
                _("retired on {date}").format(date=when_text(d.retired_at)) if d.retired_at else ""
            )
            for c, text in enumerate([name, str(d.applied), retired]):
                self.devices.setItem(r, c, QTableWidgetItem(text))
        self._device_selected()

    def _device_selected(self) -> None:
        d = self.current_device()
        self.retire_button.setEnabled(d is not None and d.retired_at is None)

    def current_device(self) -> DeviceView | None:
        row = self.devices.currentRow()
        return self.known[row] if 0 <= row < len(self.known) else None

    def _name(self) -> str:
        return self.device_name.text().strip()

    # -- actions ------------------------------------------------------------------------------
    def make_key(self) -> None:
        title = _("Create the team's key")
        if not self.prompts.confirm(
            self,
            title,
            _(
                "Create the team's sync key on this device? Do it only on the team's first "
                "device: the others pair with the code it shows."
            ),
        ):
            return
        try:
            code = self.service.create_key(self._name())
        except UserError as exc:
            self.prompts.error(self, title, exc.message)
            return
        self.prompts.info(
            self,
            title,
            _(
                "The team's pairing code:\n\n{code}\n\nType it on each other device (Sync > "
                "Sync settings > Pairing code). It is shown only now: whoever has it can read "
                "the team's sync files, so keep it as private as the data itself, and never "
                "send it by e-mail."
            ).format(code=code),
        )
        self.reload()

    def pair(self) -> None:
        title = _("Pair with the team")
        try:
            self.service.pair(self.code.text(), self._name())
        except UserError as exc:
            self.prompts.error(self, title, exc.message)
            return
        self.code.clear()
        self.prompts.info(self, title, _("This device has the team's sync key."))
        self.reload()

    def pick_folder(self) -> None:
        title = _("Choose the sync folder")
        chosen = self.prompts.choose_folder(self, title)
        if not chosen:
            return
        try:
            self.service.set_folder(Path(chosen))
        except UserError as exc:
            self.prompts.error(self, title, exc.message)
            return
        self.reload()

    def join(self) -> None:
        from app.domain.changes import EVERYTHING
        from app.sync.joining import JoinCancelled

        title = _("Join the team")
        service = self.service
        outcome, value = run_cancellable(
            self,
            title,
            _("Receiving the team's data…"),
            lambda progress, cancelled: service.join(progress, cancelled),
            (JoinCancelled,),
        )
        if outcome == "cancelled":
            self.prompts.info(
                self, title, _("Joining was cancelled: the data is as it was before.")
            )
        elif outcome == "failed":
            self.prompts.error(self, title, str(value))
        else:
            result, _changes = value
            self.prompts.info(self, title, result.describe())
            # The team's data, announced through the operation runner.
            run_op(self, lambda: EVERYTHING, bus=self.bus, prompts=self.prompts, title=title)
        self.reload()

    def retire(self) -> None:
        d = self.current_device()
        if d is None:
            return
        title = _("Retire a device")
        name = d.name or d.id[:8]
        if not self.prompts.confirm(
            self,
            title,
            _(
                "Retire “{device}”? The next time it starts Teixit and reaches the sync "
                "folder, its data is wiped. Its changes synced so far stay on the other "
                "devices. Do this for a lost or stolen laptop, or one given away."
            ).format(device=name),
        ):
            return
        try:
            self.service.retire(d.id)
        except UserError as exc:
            self.prompts.error(self, title, exc.message)
            return
        self.reload()
