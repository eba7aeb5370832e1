"""Backups: the list (date, kind, size), back up now or to a folder, restore with confirmation.

Restoring replaces the database file, so the dialog is given two callables by the window:
``close_database`` (dispose of the engine) before, and ``reopen_database`` after, whatever
happened. ``offer_recovery`` is the start-up offer when the database cannot be opened.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.backups import BackupInfo
from app.errors import UserError
from app.i18n import N_, _, format_date, format_number
from app.services.backups import BackupService
from ui.prompts import Prompts

KIND_LABELS = {
    "auto": N_("Automatic"),
    "manual": N_("Made by hand"),
    "before-restore": N_("Before a restore"),
    "before-migration": N_("Before an update"),
}


def describe_size(size: int) -> str:
    if size >= 1024 * 1024:
        return _("{size} MB").format(size=format_number(size / 1024 / 1024, decimals=1))
    return _("{size} KB").format(size=format_number(max(1, round(size / 1024))))


def describe_when(info: BackupInfo) -> str:
    return f"{format_date(info.created.date(), None, 'short')} {info.created:%H:%M}"


def offer_recovery(
    prompts: Prompts, service: BackupService, problem: str, parent: QWidget | None = None
) -> bool:
    """After the database failed to open: offer the newest good backup. True when restored
    (the caller opens the database again). The file that failed is kept aside, never lost."""
    latest = service.latest_good_backup()
    title = _("Teixit cannot open the data")
    if latest is None:
        advice = _(
            "There is no backup to restore. If you keep a copy of your data elsewhere (a USB "
            "stick, the office computer), put it in the place of this file and start Teixit "
            "again."
        )
        prompts.error(parent, title, problem + "\n\n" + advice)
        return False
    question = "\n\n".join(
        (
            problem,
            _(
                "Restore the backup of {when}? The current file will be kept aside in the "
                "backups folder."
            ).format(when=describe_when(latest)),
        )
    )
    if not prompts.confirm(parent, title, question):
        return False
    try:
        service.restore(latest.path)
    except UserError as exc:
        prompts.error(parent, title, exc.message)
        return False
    return True


class BackupsDialog(QDialog):
    def __init__(
        self,
        service: BackupService,
        prompts: Prompts,
        close_database: Callable[[], None],
        reopen_database: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.prompts = prompts
        self._close_database = close_database
        self._reopen_database = reopen_database
        self.backups: list[BackupInfo] = []

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.backup_button = QPushButton()
        self.backup_button.clicked.connect(self.back_up_now)
        self.folder_button = QPushButton()
        self.folder_button.clicked.connect(self.back_up_to_folder)
        self.restore_button = QPushButton()
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton()
        self.restore_file_button.clicked.connect(self.restore_from_file)
        buttons = QHBoxLayout()
        for b in (self.backup_button, self.folder_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.restore_button, self.restore_file_button):
            buttons.addWidget(b)
        self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addWidget(self.close_box)
        self.resize(720, 440)
        self.retranslate_ui()
        self.refresh()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Backups"))
        self.intro.setText(
            _(
                "Teixit makes a checked copy of the data when it opens (once a day) and when it "
                "closes, and keeps the last 7 days, 4 weeks and 12 months. Keep a copy away from "
                "this computer too: back up to a USB stick now and then."
            )
        )
        self.table.setHorizontalHeaderLabels([_("Date"), _("Kind"), _("Size")])
        self.empty.setText(
            _(
                "No backups yet. Teixit makes the first one a few seconds after it opens; "
                "“Back up now” makes one at once."
            )
        )
        self.backup_button.setText(_("Back up now"))
        self.folder_button.setText(_("Back up to folder…"))
        self.restore_button.setText(_("Restore…"))
        self.restore_file_button.setText(_("Restore from file…"))
        self.close_box.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def refresh(self) -> None:
        self.backups = self.service.list_backups()
        self.table.setRowCount(len(self.backups))
        for row, info in enumerate(self.backups):
            cells = (describe_when(info), _(KIND_LABELS[info.kind]), describe_size(info.size))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(info.path))
                if col == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        self.empty.setVisible(not self.backups)
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def _run(self, action: Callable[[], str], text: str) -> None:
        """``action`` runs off the window's thread behind a progress dialog (a check of a large
        database takes a while); its message is then shown."""
        from ui.workers import run_with_progress

        try:
            message = run_with_progress(self, _("Backups"), text, action)
        except UserError as exc:
            self.prompts.error(self, _("Backups"), exc.message)
        else:
            self.prompts.info(self, _("Backups"), message)
        finally:
            self.refresh()

    def back_up_now(self) -> None:
        self._run(lambda: self._done(self.service.backup_now("manual")), _("Backing up…"))

    def back_up_to_folder(self) -> None:
        folder = self.prompts.choose_folder(self, _("Back up to folder"))
        if folder:
            self._run(
                lambda: self._done(self.service.backup_now("manual", to_dir=Path(folder))),
                _("Backing up…"),
            )

    @staticmethod
    def _done(info: BackupInfo) -> str:
        return _("Backup written and checked: {path} ({size}).").format(
            path=info.path, size=describe_size(info.size)
        )

    def restore_selected(self) -> None:
        info = self.selected()
        if info is not None:
            self._restore(info.path, describe_when(info))

    def restore_from_file(self) -> None:
        chosen = self.prompts.open_file(
            self,
            _("Restore from file"),
            _("Teixit databases") + " (*.db);;" + _("All files") + " (*)",
        )
        if chosen:
            self._restore(Path(chosen), Path(chosen).name)

    def _restore(self, path: Path, label: str) -> None:
        question = _(
            "Replace all the current data with the backup {backup}? Changes made since then "
            "will no longer be shown; the current data is first kept aside in the backups "
            "folder."
        ).format(backup=label)
        if not self.prompts.confirm(self, _("Restore"), question):
            return

        def restore() -> str:
            aside = self.service.restore(path)
            text = _("Restored {path}.").format(path=path.name)
            if aside is not None:
                text += "\n" + _("The previous database was kept as {path}.").format(
                    path=aside.path
                )
            return text

        # The database is closed and reopened on the window's thread; only the copy runs aside.
        self._close_database()
        try:
            self._run(restore, _("Restoring…"))
        finally:
            self._reopen_database()
