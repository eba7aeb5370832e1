"""Settings → Team, places and funders, on an office database: the daily backup (folder, time,
copies kept), set by a coordinator, and the last backup taken, in red when older than two
days (app/services/office_backups.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTime
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Area
from app.domain.office_backups import DEFAULT_KEEP, DEFAULT_TIME, OfficeBackupSchedule
from app.errors import ValidationError
from app.i18n import _, format_date
from ui.widgets.form_bits import error_label, show_error
from ui.workers import run_op

if TYPE_CHECKING:
    from app.services.container import Services
    from ui.events import DataBus
    from ui.prompts import Prompts

#: The last backup's line when it is older than two days (or there is none).
STALE_STYLE = "color: #b00020; font-weight: 600;"


class OfficeBackupBox(QGroupBox):
    def __init__(
        self, services: Services, bus: DataBus, prompts: Prompts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services, self.bus, self.prompts = services, bus, prompts
        self.folder = QLineEdit()
        self.choose_button = QPushButton()
        self.time = QTimeEdit()
        self.time.setDisplayFormat("HH:mm")
        self.keep = QSpinBox()
        self.keep.setRange(1, 365)
        self.keep.setValue(DEFAULT_KEEP)
        self.save_button = QPushButton()
        self.stop_button = QPushButton()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.errors = {"folder": error_label(), "keep": error_label()}
        self.hint = QLabel()
        self.hint.setWordWrap(True)

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose_button)
        self.form = QFormLayout()
        self.labels = [QLabel() for _ in range(3)]
        self.form.addRow(self.labels[0], folder_row)
        self.form.addRow("", self.errors["folder"])
        self.form.addRow(self.labels[1], self.time)
        self.form.addRow(self.labels[2], self.keep)
        self.form.addRow("", self.errors["keep"])
        for label, field in zip(self.labels, (self.folder, self.time, self.keep), strict=True):
            label.setBuddy(field)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.hint)
        layout.addLayout(self.form)
        layout.addLayout(buttons)

        self.choose_button.clicked.connect(self.choose_folder)
        self.save_button.clicked.connect(self.save)
        self.stop_button.clicked.connect(self.stop_backups)
        bus.changed.connect(lambda c: self.refresh() if c.touches(Area.PROFILE) else None)
        self.retranslate_ui()
        self.refresh()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Daily backup of the office database"))
        for label, text in zip(
            self.labels, (_("&Folder:"), _("&Time of day:"), _("Copies &kept:")), strict=True
        ):
            label.setText(text)
        self.choose_button.setText(_("Choose…"))
        self.save_button.setText(_("Save the backup settings"))
        self.stop_button.setText(_("Stop the daily backup"))
        self.hint.setText(
            _(
                "A coordinator's Teixit that is open takes the backup once a day, after this "
                "time (or when it next opens, if the computer was off), into this folder of "
                "that computer (or a shared drive), keeping the newest copies."
            )
        )
        self.refresh_status()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def refresh(self) -> None:
        schedule = self.services.office_backups.schedule()
        if schedule is not None:
            self.folder.setText(schedule.folder)
            self.time.setTime(QTime(schedule.time.hour, schedule.time.minute))
            self.keep.setValue(schedule.keep)
        else:
            self.time.setTime(QTime(DEFAULT_TIME.hour, DEFAULT_TIME.minute))
        self.stop_button.setEnabled(schedule is not None)
        self.refresh_status()

    def refresh_status(self) -> None:
        status = self.services.office_backups.status()
        if status.schedule is None:
            text = _("No daily backup of the office database is set up.")
        elif status.last_at is None:
            text = _("No daily backup has been taken yet.")
        else:
            when = (
                f"{format_date(status.last_at.date(), None, 'medium')} "
                f"{status.last_at:%H:%M}"
            )
            text = _("Last backup: {when}, {file} (by {login}).").format(
                when=when, file=status.last_file, login=status.last_by
            )
            if status.stale:
                days = (self.services.office_backups.now() - status.last_at).days
                text = _(
                    "The last backup is {days} days old ({when}, {file}): check that a "
                    "coordinator's Teixit is open on a computer that reaches the folder."
                ).format(days=days, when=when, file=status.last_file)
        if status.stale and status.schedule is not None and status.last_at is None:
            text = _(
                "No daily backup has been taken yet: check that a coordinator's Teixit is open "
                "on a computer that reaches the folder."
            )
        self.status_label.setText(text)
        self.status_label.setStyleSheet(STALE_STYLE if status.stale else "")

    def choose_folder(self) -> None:
        chosen = self.prompts.choose_folder(self, _("Folder of the office backups"))
        if chosen:
            self.folder.setText(chosen)

    def _schedule(self) -> OfficeBackupSchedule:
        t = self.time.time()
        return OfficeBackupSchedule(
            folder=self.folder.text(),
            time=dt.time(t.hour(), t.minute()),
            keep=self.keep.value(),
        )

    def _invalid(self, exc: ValidationError) -> None:
        for key, label in self.errors.items():
            show_error(label, exc.errors.get(key))

    def save(self) -> None:
        for label in self.errors.values():
            show_error(label, None)
        schedule = self._schedule()
        run_op(
            self,
            lambda: self.services.office_backups.save_schedule(schedule),
            bus=self.bus,
            prompts=self.prompts,
            title=self.title(),
            on_invalid=self._invalid,
        )

    def stop_backups(self) -> None:
        if not self.prompts.confirm(
            self,
            self.title(),
            _("Stop the daily backup of the office database? The copies made are kept."),
        ):
            return
        run_op(
            self,
            lambda: self.services.office_backups.save_schedule(None),
            bus=self.bus,
            prompts=self.prompts,
            title=self.title(),
            on_success=lambda _r: self.folder.clear(),
        )
