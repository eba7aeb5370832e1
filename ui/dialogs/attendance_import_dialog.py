"""Import an attendance list (names or ID documents) into a session, or into an activity with a
date column. Shows who was found and who was not before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
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

from app.domain.imports import AttendancePlan, AttendanceSummary
from app.i18n import _, format_date
from app.services.attendance_import import AttendanceImportService
from ui.events import DataBus
from ui.models.import_plan_model import ERROR_COLOUR
from ui.prompts import Prompts
from ui.workers import LatestOnly, run_op


class AttendanceImportDialog(QDialog):
    """Give ``session_id`` (everyone attended it) or ``activity_id`` (a date column says when),
    or ``activities`` ((id, label) pairs) to let the person choose the activity here."""

    def __init__(
        self,
        importer: AttendanceImportService,
        prompts: Prompts,
        *,
        session_id: str | None = None,
        activity_id: str | None = None,
        activities: Sequence[tuple[str, str]] = (),
        parent: QWidget | None = None,
        bus: DataBus | None = None,
    ) -> None:
        super().__init__(parent)
        self.importer = importer
        self.prompts = prompts
        self.bus = bus
        self.session_id, self.activity_id = session_id, activity_id
        self.plan: AttendancePlan | None = None
        self._background = LatestOnly(self)

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.activity_label = QLabel()
        self.activity_combo = QComboBox()
        for value, label in activities:
            self.activity_combo.addItem(label, value)
        self.activity_label.setBuddy(self.activity_combo)
        choose_activity = session_id is None and activity_id is None and bool(activities)
        if choose_activity:
            self.activity_id = activities[0][0]
        self.activity_combo.currentIndexChanged.connect(self._activity_changed)
        activity_row = QHBoxLayout()
        activity_row.addWidget(self.activity_label)
        activity_row.addWidget(self.activity_combo, 1)
        self.activity_label.setVisible(choose_activity)
        self.activity_combo.setVisible(choose_activity)
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.choose_button = QPushButton()
        self.choose_button.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(activity_row)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 480)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Import an attendance list"))
        if self.activity_id:
            self.intro.setText(
                _(
                    "Choose a spreadsheet with one row per person and attendance: a name or ID "
                    "document and the session date. Missing sessions are created."
                )
            )
        else:
            self.intro.setText(
                _(
                    "Choose a spreadsheet listing the people who attended this session, by name "
                    "or ID document."
                )
            )
        self.activity_label.setText(_("&Activity:"))
        self.choose_button.setText(_("&Choose file…"))
        self.table.setHorizontalHeaderLabels([_("Row"), _("Name"), _("Date"), _("Check")])
        self.import_button.setText(_("Import"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self._show_plan()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _activity_changed(self, _index: int) -> None:
        self.activity_id = self.activity_combo.currentData()
        if self.path_edit.text():  # check the same file against the other activity
            self.load(Path(self.path_edit.text()))

    def choose(self) -> None:
        chosen = self.prompts.open_file(
            self,
            _("Import an attendance list"),
            _("Spreadsheets") + " (*.xlsx *.csv *.txt);;" + _("All files") + " (*)",
        )
        if chosen:
            self.load(Path(chosen))

    def load(self, path: Path) -> None:
        self.path_edit.setText(str(path))
        self.plan = None
        self.status.setText(_("Reading the file…"))
        self._show_plan()
        session_id, activity_id = self.session_id, self.activity_id
        self._background.run(
            lambda: self.importer.plan(path, session_id=session_id, activity_id=activity_id),
            self._planned,
            self.status.setText,
        )

    def _planned(self, plan: AttendancePlan) -> None:
        self.plan = plan
        self._show_plan()

    def _show_plan(self) -> None:
        plan = self.plan
        rows = plan.rows if plan else ()
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            check = r.error or _("Found ({how}).").format(how=r.matched_by)
            date = format_date(r.session_date, None, "short") if r.session_date else ""
            for col, text in enumerate((str(r.row), r.name, date, check)):
                item = QTableWidgetItem(text)
                if r.error:
                    item.setForeground(QBrush(ERROR_COLOUR))
                self.table.setItem(i, col, item)
        self.table.resizeColumnsToContents()
        self.import_button.setEnabled(bool(plan and plan.matched))
        if plan:
            self.status.setText(
                _("Rows matching a person: {matched}; without a match: {unmatched}.").format(
                    matched=len(plan.matched), unmatched=len(plan.unmatched)
                )
            )

    def accept(self) -> None:
        if self.plan is None:
            return
        plan = self.plan

        def imported(summary: AttendanceSummary) -> None:
            self.prompts.info(self, _("Import an attendance list"), summary.describe())
            super(AttendanceImportDialog, self).accept()

        run_op(
            self,
            lambda: self.importer.execute(plan),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Import an attendance list"),
            on_success=imported,
        )

    def done(self, result: int) -> None:
        self._background.wait()
        super().done(result)

    def wait_for_job(self) -> None:
        self._background.wait()
