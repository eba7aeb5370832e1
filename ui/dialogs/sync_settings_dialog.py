"""Sync → Sync settings: this device in the team. How it syncs (through the sync folder or with
the office database: its address, the login and password, and the minutes between automatic
syncs). The team's key (created on the first device,
its pairing code shown once) or pairing with that code, the sync folder, joining the team (a
new device's first full copy, with progress and Cancel) and the team's devices, each of which
can be retired (a lost laptop: its data is wiped at its next start)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.sync import OFFICE
from app.errors import UserError, ValidationError
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
        self.resize(760, 940)

        # -- how this device syncs --------------------------------------------------------
        self.via_folder = QRadioButton(_("T&hrough a sync folder"))
        self.via_office = QRadioButton(_("With the &office database"))
        self.via = QButtonGroup(self)
        self.via.addButton(self.via_folder)
        self.via.addButton(self.via_office)
        self.via_folder.toggled.connect(self._via_chosen)
        via_box = QGroupBox(_("How this computer syncs"))
        via_layout = QHBoxLayout(via_box)
        via_layout.addWidget(self.via_folder)
        via_layout.addWidget(self.via_office)
        via_layout.addStretch(1)

        # -- the office database ------------------------------------------------------------
        self.server = QLineEdit()
        self.server.setPlaceholderText(_("for example oficina-server or 192.168.1.10"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("teixit")
        self.login = QLineEdit()
        self.login.setPlaceholderText(_("for example anna.puig"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(_("Remember the password on this computer"))
        self.remember.setToolTip(
            _("Kept in the computer's own password store (its keyring), never in a file.")
        )
        self.interval = QSpinBox()
        self.interval.setRange(0, 24 * 60)
        self.interval.setSuffix(_(" min"))
        self.interval.setSpecialValueText(_("never"))
        self.interval.setToolTip(
            _("The window syncs by itself at its start and then every so many minutes.")
        )
        self.interval.editingFinished.connect(self._interval_changed)
        self.office_state = QLabel()
        self.office_state.setWordWrap(True)
        self.use_office = QPushButton(_("&Use this office database"))
        self.use_office.clicked.connect(self.choose_office)
        self.office_box = QGroupBox(_("Office database"))
        office_form = QFormLayout(self.office_box)
        for text, widget in (
            (_("&Server:"), self.server),
            (_("Por&t:"), self.port),
            (_("&Database:"), self.database),
            (_("&Login:"), self.login),
            (_("Pass&word:"), self.password),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            office_form.addRow(label, widget)
        office_form.addRow("", self.remember)
        interval_label = QLabel(_("Automatic sync e&very:"))
        interval_label.setBuddy(self.interval)
        office_form.addRow(interval_label, self.interval)
        office_form.addRow(self.office_state)
        office_form.addRow(self.use_office)

        # -- this device and the key ------------------------------------------------------
        self.device_name = QLineEdit()
        self.device_name.setPlaceholderText(_("e.g. Office PC, Laptop of the community centre"))
        self.rename_button = QPushButton(_("Rena&me"))
        self.rename_button.setToolTip(
            _("The other devices show the new name after their next sync.")
        )
        self.rename_button.clicked.connect(self.rename)
        self.key_state = QLabel()
        self.key_state.setWordWrap(True)
        self.create_key = QPushButton(_("&Create the team's key…"))
        self.create_key.clicked.connect(self.make_key)
        self.change_key = QPushButton(_("New team &key…"))
        self.change_key.setToolTip(
            _(
                "After retiring a device: what this device writes from now on cannot be read "
                "with the old key; the other devices pair again with the new code."
            )
        )
        self.change_key.clicked.connect(self.make_new_key)
        self.code = QLineEdit()
        self.code.setPlaceholderText(_("The pairing code shown on the first device"))
        self.pair_button = QPushButton(_("&Pair"))
        self.pair_button.clicked.connect(self.pair)
        self.code.returnPressed.connect(self.pair)
        key_box = QGroupBox(_("This device and the team's key"))
        form = QFormLayout(key_box)
        naming = QHBoxLayout()
        naming.addWidget(self.device_name, 1)
        naming.addWidget(self.rename_button)
        name_label = QLabel(_("This device's &name:"))
        name_label.setBuddy(self.device_name)
        form.addRow(name_label, naming)
        form.addRow(self.key_state)
        form.addRow(self.create_key)
        form.addRow(self.change_key)
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
        self.folder_box = folder_box = QGroupBox(_("Sync folder"))
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
        # Taller than a 1024×700 screen once every part shows: the parts scroll, the Close
        # button stays in view.
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(via_box)
        layout.addWidget(self.office_box)
        layout.addWidget(key_box)
        layout.addWidget(folder_box)
        join_row = QHBoxLayout()
        join_row.addWidget(self.join_button)
        join_row.addStretch(1)
        layout.addLayout(join_row)
        layout.addWidget(devices_box, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(buttons)
        self.known: list[DeviceView] = []
        self.reload()

    # -- state --------------------------------------------------------------------------------
    def reload(self) -> None:
        status = self.service.status()
        office = status.via == OFFICE
        self.via_office.blockSignals(True)
        self.via_folder.blockSignals(True)
        (self.via_office if office else self.via_folder).setChecked(True)
        self.via_office.blockSignals(False)
        self.via_folder.blockSignals(False)
        self.office_box.setEnabled(office)
        self.folder_box.setEnabled(not office)
        if status.office:
            self.office_state.setText(
                _("This computer syncs with {address}.").format(address=status.office)
                if office
                else _("Office database chosen before: {address}.").format(
                    address=status.office
                )
            )
            if not self.server.text():
                self._fill_office(status.office)
        else:
            self.office_state.setText(_("No office database chosen yet."))
        self.interval.setValue(self.service.office_interval())
        if status.enabled and not self.device_name.text():
            self.device_name.setText(status.device_name)
        # Once the device is in the team, a new name is given with Rename (it travels).
        self.rename_button.setVisible(status.enabled)
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
        self.change_key.setVisible(status.has_key)
        # Pairing again: when the team changed its key, its new code is typed here.
        self.folder.setText(
            _("Folder: {folder}").format(folder=status.folder)
            if status.folder
            else _("No sync folder chosen yet.")
        )
        self.join_button.setEnabled(
            (bool(status.office) if office else status.has_key and bool(status.folder))
            and self.service.can_join()
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

    def _fill_office(self, address: str) -> None:
        from sqlalchemy import make_url

        url = make_url(address)
        self.server.setText(url.host or "")
        self.port.setValue(url.port or 5432)
        self.database.setText(url.database or "")
        self.login.setText(url.username or "")
        self.remember.setChecked(self.service.has_stored_password(address))

    def current_device(self) -> DeviceView | None:
        row = self.devices.currentRow()
        return self.known[row] if 0 <= row < len(self.known) else None

    def _name(self) -> str:
        return self.device_name.text().strip()

    # -- actions ------------------------------------------------------------------------------
    def _via_chosen(self) -> None:
        """Folder chosen: from now on. The office database is chosen by its button (the login
        is tried first)."""
        if self.via_folder.isChecked():
            self.service.use_folder()
            self.reload()
        else:
            self.office_box.setEnabled(True)
            self.folder_box.setEnabled(False)
            (self.password if self.login.text() else self.server).setFocus()

    def choose_office(self) -> None:
        title = _("Office database")
        try:
            self.service.use_office(
                self.server.text(),
                self.port.value(),
                self.database.text(),
                self.login.text(),
                self.password.text(),
                remember=self.remember.isChecked(),
            )
        except ValidationError as exc:
            self.prompts.error(self, title, "\n".join(exc.errors.values()))
            return
        except UserError as exc:
            self.prompts.error(self, title, exc.message)
            return
        self.service.set_office_interval(self.interval.value())
        self.password.clear()
        self.reload()

    def _interval_changed(self) -> None:
        if self.service.status().office:
            self.service.set_office_interval(self.interval.value())

    def rename(self) -> None:
        title = _("Rename this device")
        try:
            self.service.rename(self._name())
        except UserError as exc:
            self.prompts.error(self, title, exc.message)
            return
        self.prompts.info(
            self,
            title,
            _("This device is now called “{name}”; the others show it after a sync.").format(
                name=self._name()
            ),
        )
        self.reload()

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

    def make_new_key(self) -> None:
        title = _("New team key")
        if not self.prompts.confirm(
            self,
            title,
            _(
                "Give the team a new sync key? Do it after retiring a lost device: what this "
                "device writes from now on cannot be read with the old key. Every other device "
                "of the team must then pair again with the new code."
            ),
        ):
            return
        try:
            code = self.service.new_key()
        except UserError as exc:
            self.prompts.error(self, title, exc.message)
            return
        self.prompts.info(
            self,
            title,
            _(
                "The team's new pairing code:\n\n{code}\n\nType it on each other device (Sync "
                "> Sync settings > Pairing code). It is shown only now: keep it as private as "
                "the data itself, and never send it by e-mail."
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
        from app.services.sync import SyncCancelled
        from app.sync.joining import JoinCancelled

        title = _("Join the team")
        service = self.service
        outcome, value = run_cancellable(
            self,
            title,
            _("Receiving the team's data…"),
            lambda progress, cancelled: service.join(progress, cancelled),
            (JoinCancelled, SyncCancelled),
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
