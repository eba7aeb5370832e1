"""An activity's enrolled people: enrol by typing part of a name, document or phone; change a
person's start (alta) and leaving (baixa) dates; those who left stay listed, greyed."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.people import EnrolmentDTO
from app.errors import ValidationError
from app.i18n import _
from app.services.container import Services
from ui.events import DataBus
from ui.models.programmes import RosterModel
from ui.prompts import Prompts
from ui.widgets.form_fields import DateField, FieldErrors
from ui.widgets.person_picker import PersonPicker
from ui.widgets.tables import proxy_for, sorted_view
from ui.workers import run_op


class RosterPanel(QGroupBox):
    #: The number of people active in the activity today, after every change.
    counted = Signal(int)

    def __init__(
        self, services: Services, bus: DataBus, prompts: Prompts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services, self.bus, self.prompts = services, bus, prompts
        self.activity_id: str | None = None
        self.activity_name = ""
        self.setFlat(True)
        self.picker = PersonPicker(services.people)
        self.enrol_from = DateField()
        self.enrol_from_label = QLabel()
        self.model = RosterModel(self)
        self.table = sorted_view(proxy_for(self.model, self))
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(RosterModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.leave_button, self.unenrol_button = QPushButton(), QPushButton()
        self.count = QLabel()
        # The selected person's enrolment dates.
        self.errors = FieldErrors()
        self.edit_start, self.edit_end = DateField(), DateField()
        self.edit_start_label, self.edit_end_label = QLabel(), QLabel()
        self.edit_start_label.setBuddy(self.edit_start)
        self.edit_end_label.setBuddy(self.edit_end)
        self.save_dates_button = QPushButton()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.picker, 1)
        top.addWidget(self.enrol_from_label)
        top.addWidget(self.enrol_from)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        dates = QHBoxLayout()
        dates.addWidget(self.edit_start_label)
        dates.addWidget(self.errors.wrap("start", self.edit_start))
        dates.addWidget(self.edit_end_label)
        dates.addWidget(self.errors.wrap("end", self.edit_end))
        dates.addStretch(1)
        layout.addLayout(dates)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_dates_button)
        buttons.addWidget(self.leave_button)
        buttons.addWidget(self.unenrol_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.picker.chosen.connect(self.enrol)
        self.leave_button.clicked.connect(self.mark_leaving)
        self.unenrol_button.clicked.connect(self.unenrol)
        self.save_dates_button.clicked.connect(self.save_dates)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_dates())
        chain = (
            self.picker.search,
            self.enrol_from,
            self.table,
            self.edit_start,
            self.edit_end,
            self.save_dates_button,
            self.leave_button,
            self.unenrol_button,
        )
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)  # the order the roster is read in
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.enrol_from_label.setText(_("from"))
        self.enrol_from.setToolTip(_("Start date of new enrolments (empty: today)"))
        self.edit_start_label.setText(_("Start:"))
        self.edit_end_label.setText(_("Leaving:"))
        self.edit_end.setToolTip(_("The day the person left the activity (empty: still enrolled)"))
        self.save_dates_button.setText(_("Save dates"))
        self.leave_button.setText(_("Leaving today"))
        self.leave_button.setToolTip(_("The selected person leaves the activity today"))
        self.unenrol_button.setText(_("Remove from list"))
        self.unenrol_button.setToolTip(
            _("Remove an enrolment made by mistake (to record that someone left, use Leaving)")
        )
        self.picker.retranslate_ui()
        self.model.retranslate()
        self._count()

    def set_activity(self, activity_id: str | None, name: str = "") -> None:
        self.activity_id, self.activity_name = activity_id, name
        self.load()

    def load(self) -> None:
        """Reload the roster, keeping the person selected."""
        rows = self.services.people.roster(self.activity_id) if self.activity_id else []
        keep = self._current_id()
        self.model.today = dt.date.today()
        self.model.set_rows(rows)
        self.picker.exclude = {r.participant_id for r in rows}
        if keep:
            self.select_person(keep)
        self._show_dates()
        self._count()

    def _count(self) -> None:
        total, active = self.model.total(), self.model.active_count()
        if total == active:
            text = _("Enrolled: {count}").format(count=total)
        else:
            text = _("Enrolled: {count} · no longer (or not yet) active: {other}").format(
                count=active, other=total - active
            )
        self.count.setText(text)
        self.counted.emit(active)

    def select_person(self, person_id: str) -> None:
        for row, e in enumerate(self.model.rows()):
            if e.participant_id == person_id:
                proxy = self.table.model()
                index = self.model.index(row, 0)
                self.table.setCurrentIndex(proxy.mapFromSource(index))  # type: ignore[attr-defined]
                return

    def _current_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        source = self.table.model().mapToSource(index)  # type: ignore[attr-defined]
        return self.model.row(source.row()).participant_id

    def selected(self) -> EnrolmentDTO | None:
        pid = self._current_id()
        return next((r for r in self.model.rows() if r.participant_id == pid), None)

    def _show_dates(self) -> None:
        row = self.selected()
        self.errors.clear()
        self.edit_start.set_value(row.start if row else None)
        self.edit_end.set_value(row.end if row else None)
        for w in (
            self.edit_start,
            self.edit_end,
            self.save_dates_button,
            self.leave_button,
            self.unenrol_button,
        ):
            w.setEnabled(row is not None)

    # --- changes --------------------------------------------------------------------------
    def _write(self, person_id: str, start: dt.date | None, end: dt.date | None) -> bool:
        """Enrol or change the dates; the messages go under the date fields."""
        activity_id = self.activity_id
        if activity_id is None:
            return False

        def invalid(exc: ValidationError) -> None:
            for message in self.errors.show(exc.errors):
                self.prompts.error(self, _("Enrolment"), message)

        return run_op(
            self,
            lambda: self.services.people.enrol(activity_id, person_id, start, end),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Enrolment"),
            on_invalid=invalid,
            on_success=lambda _r: self.load(),
        )

    def enrol(self, person_id: str) -> None:
        if self._write(person_id, self.enrol_from.value() or dt.date.today(), None):
            self.select_person(person_id)

    def save_dates(self) -> None:
        """Save the selected person's start and leaving dates."""
        row = self.selected()
        if row is not None:
            self._write(row.participant_id, self.edit_start.value(), self.edit_end.value())

    def mark_leaving(self) -> None:
        row = self.selected()
        if row is not None:
            self._write(row.participant_id, row.start, dt.date.today())

    def unenrol(self) -> None:
        row = self.selected()
        if row is None or self.activity_id is None:
            return
        text = _(
            "Remove {name} from the list of {activity}? Attendance already recorded stays. "
            "If the person has left, set a leaving date instead."
        ).format(name=row.person_name, activity=self.activity_name)
        if not self.prompts.confirm(self, _("Remove from list"), text):
            return
        activity_id = self.activity_id
        run_op(
            self,
            lambda: self.services.people.unenrol(activity_id, row.participant_id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Remove from list"),
            on_success=lambda _r: self.load(),
        )
