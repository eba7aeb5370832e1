"""The activities of a programme: their defaults (place, times, facilitators) and the enrolment
roster, where people are added by typing part of a name, document or phone."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.people import EnrolmentDTO
from app.domain.programmes import ACTIVITY_KIND_LABELS, ACTIVITY_KINDS, ActivityDTO
from app.errors import UserError, ValidationError
from app.i18n import _
from app.services.container import Services
from ui.dialogs.prompts import Prompts
from ui.events import DataBus
from ui.models.programmes import ActivitiesModel, RosterModel
from ui.widgets.form_fields import CheckList, DateField, FieldErrors, TimeField, shrinkable
from ui.widgets.person_picker import PersonPicker
from ui.widgets.tables import proxy_for, sorted_view, stretch_column


class ActivityPanel(QWidget):
    #: Hooks other areas connect to: the register grid and printing a sheet (activity id).
    register_requested = Signal(str)
    print_sheet_requested = Signal(str)

    def __init__(
        self, services: Services, bus: DataBus, prompts: Prompts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services, self.bus, self.prompts = services, bus, prompts
        self.programme_id: str | None = None
        self.activity_id: str | None = None
        self.errors = FieldErrors()
        self.model = ActivitiesModel(self)
        self.proxy = proxy_for(self.model, self)
        self.list = stretch_column(sorted_view(self.proxy), ActivitiesModel.COL_NAME)
        self.new_button, self.delete_button = QPushButton(), QPushButton()
        self.empty_hint = QLabel()
        self.empty_hint.setWordWrap(True)
        # Form.
        self.name = QLineEdit()
        self.kind = shrinkable(QComboBox(), 10)
        for kind in ACTIVITY_KINDS:
            self.kind.addItem("", kind)
        self.place = shrinkable(QComboBox(), 10)
        self.start_time, self.end_time = TimeField(), TimeField()
        self.facilitators = CheckList()
        self.facilitators.setMaximumHeight(80)
        self.description = QPlainTextEdit()
        self.description.setMaximumHeight(60)
        self.save_button = QPushButton()
        self.register_button = QPushButton()
        self.print_button = QPushButton()
        self.form_box = QGroupBox()
        form = QFormLayout(self.form_box)
        self._labels = {k: QLabel() for k in ("name", "kind", "place", "times", "staff", "desc")}
        times = QHBoxLayout()
        times.addWidget(self.start_time)
        times.addWidget(self.errors.wrap("end_time", self.end_time))
        form.addRow(self._labels["name"], self.errors.wrap("name", self.name))
        form.addRow(self._labels["kind"], self.kind)
        form.addRow(self._labels["place"], self.place)
        form.addRow(self._labels["times"], times)
        form.addRow(self._labels["staff"], self.facilitators)
        form.addRow(self._labels["desc"], self.description)
        buttons = QHBoxLayout()
        for b in (self.register_button, self.print_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        form.addRow(buttons)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        form.addRow(save_row)
        # Roster.
        self.roster_box = QGroupBox()
        self.picker = PersonPicker(services.people)
        self.enrol_from = DateField()
        self.enrol_from_label = QLabel()
        self.roster_model = RosterModel(self)
        self.roster = sorted_view(proxy_for(self.roster_model, self))
        roster_header = self.roster.horizontalHeader()
        roster_header.setStretchLastSection(False)
        roster_header.setSectionResizeMode(RosterModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.leave_button, self.unenrol_button = QPushButton(), QPushButton()
        self.roster_count = QLabel()
        # The selected person's enrolment dates: start and leaving ("baixa").
        self.enrol_errors = FieldErrors()
        self.edit_start, self.edit_end = DateField(), DateField()
        self.edit_start_label, self.edit_end_label = QLabel(), QLabel()
        self.edit_start_label.setBuddy(self.edit_start)
        self.edit_end_label.setBuddy(self.edit_end)
        self.save_dates_button = QPushButton()
        r = QVBoxLayout(self.roster_box)
        top = QHBoxLayout()
        top.addWidget(self.picker, 1)
        top.addWidget(self.enrol_from_label)
        top.addWidget(self.enrol_from)
        r.addLayout(top)
        r.addWidget(self.roster, 1)
        r.addWidget(self.roster_count)
        dates = QHBoxLayout()
        dates.addWidget(self.edit_start_label)
        dates.addWidget(self.enrol_errors.wrap("start", self.edit_start))
        dates.addWidget(self.edit_end_label)
        dates.addWidget(self.enrol_errors.wrap("end", self.edit_end))
        dates.addStretch(1)
        r.addLayout(dates)
        rb = QHBoxLayout()
        rb.addWidget(self.save_dates_button)
        rb.addWidget(self.leave_button)
        rb.addWidget(self.unenrol_button)
        rb.addStretch(1)
        r.addLayout(rb)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        lb = QHBoxLayout()
        lb.addWidget(self.new_button)
        lb.addWidget(self.delete_button)
        lb.addStretch(1)
        ll.addLayout(lb)
        ll.addWidget(self.list, 1)
        ll.addWidget(self.empty_hint)
        # The activity's defaults and its roster side by side would not fit a 1024 x 700
        # screen: two tabs, the roster first (enrolling is the daily task).
        self.sections = QTabWidget()
        self.sections.addTab(self.roster_box, "")
        self.sections.addTab(self.form_box, "")
        self.form_box.setFlat(True)
        self.roster_box.setFlat(True)
        right = self.sections
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        split.setSizes([200, 520])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

        self.list.selectionModel().currentRowChanged.connect(self._on_selected)
        self.new_button.clicked.connect(self.new_activity)
        self.delete_button.clicked.connect(self.delete_activity)
        self.save_button.clicked.connect(self.save_activity)
        self.picker.chosen.connect(self.enrol)
        self.leave_button.clicked.connect(self.mark_leaving)
        self.unenrol_button.clicked.connect(self.unenrol)
        self.save_dates_button.clicked.connect(self.save_dates)
        self.roster.selectionModel().currentRowChanged.connect(lambda *_a: self._show_dates())
        self.register_button.clicked.connect(
            lambda: self.activity_id and self.register_requested.emit(self.activity_id)
        )
        self.print_button.clicked.connect(
            lambda: self.activity_id and self.print_sheet_requested.emit(self.activity_id)
        )
        chain = (
            self.picker.search,
            self.enrol_from,
            self.roster,
            self.edit_start,
            self.edit_end,
            self.save_dates_button,
            self.leave_button,
            self.unenrol_button,
        )
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)  # the order the roster is read in
        self.retranslate_ui()
        self._enable()

    def retranslate_ui(self) -> None:
        self.new_button.setText(_("New activity"))
        self.delete_button.setText(_("Delete"))
        self.delete_button.setToolTip(_("Delete the selected activity"))
        self.new_button.setToolTip(_("New activity of this programme"))
        self.sections.setTabText(1, _("Activity details"))
        for key, text in (
            ("name", _("Name")),
            ("kind", _("Kind")),
            ("place", _("Usual place")),
            ("times", _("Usual times")),
            ("staff", _("Facilitators")),
            ("desc", _("Description")),
        ):
            self._labels[key].setText(text)
        for i, kind in enumerate(ACTIVITY_KINDS):
            self.kind.setItemText(i, _(ACTIVITY_KIND_LABELS[kind]))
        self.save_button.setText(_("Save activity"))
        self.register_button.setText(_("Register grid…"))
        self.print_button.setText(_("Print sheet…"))
        self.empty_hint.setText(
            _(
                "This programme has no activities yet. Press New activity, fill in its name, "
                "kind and usual times, and save it; then enrol people."
            )
        )
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
        self.roster_model.retranslate()
        self._count()

    def _count(self) -> None:
        total, active = self.roster_model.total(), self.roster_model.active_count()
        if total == active:
            text = _("Enrolled: {count}").format(count=total)
        else:
            text = _("Enrolled: {count} · no longer (or not yet) active: {other}").format(
                count=active, other=total - active
            )
        self.roster_count.setText(text)
        self.sections.setTabText(
            0, _("Enrolled people ({count})").format(count=self.roster_model.active_count())
        )

    def _enable(self) -> None:
        has_programme = self.programme_id is not None
        has = self.activity_id is not None
        self.new_button.setEnabled(has_programme)
        self.form_box.setEnabled(has_programme)
        for w in (self.delete_button, self.register_button, self.print_button, self.roster_box):
            w.setEnabled(has)
        was = self.sections.isTabEnabled(0)
        self.sections.setTabEnabled(0, has)
        if not has:
            self.sections.setCurrentWidget(self.form_box)
        elif not was:  # an activity chosen again: back to its people
            self.sections.setCurrentWidget(self.roster_box)
        self.empty_hint.setVisible(has_programme and self.model.total() == 0)

    def set_programme(self, programme_id: str | None) -> None:
        """Show another programme's activities (the first one selected)."""
        self.programme_id = programme_id
        self.activity_id = None
        self._load_choices()
        self.reload()
        if self.model.total():
            self.list.selectRow(0)
        else:
            self._show_activity(None)

    def _load_choices(self) -> None:
        place, checked = self.place.currentData(), self.facilitators.checked_ids()
        self.place.clear()
        self.place.addItem(_("(none)"), None)
        for p in self.services.profile.places():
            self.place.addItem(p.name, p.id)
        self.place.setCurrentIndex(max(self.place.findData(place), 0))
        staff = self.services.profile.staff()
        self.facilitators.set_items(((s.id, s.name) for s in staff), checked)

    def reload(self) -> None:
        """Reload the list (counts), keeping the selected activity and what its form holds."""
        keep = self.activity_id
        rows = self.services.programmes.activities(self.programme_id) if self.programme_id else []
        self.model.set_rows(rows)
        self.proxy.sort(ActivitiesModel.COL_NAME)
        if keep:
            selection = self.list.selectionModel()
            selection.blockSignals(True)
            self.select(keep)
            selection.blockSignals(False)
        self._load_roster()
        self._enable()

    def refresh(self) -> None:
        """Other data changed (places, staff, enrolments): keep the form as typed."""
        self._load_choices()
        self.reload()

    def select(self, activity_id: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if self.model.row(self.proxy.mapToSource(index).row()).id == activity_id:
                self.list.selectionModel().setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                return

    def _on_selected(self, current: object, _previous: object) -> None:
        index = self.proxy.mapToSource(current)  # type: ignore[arg-type]
        self._show_activity(self.model.row(index.row()) if index.isValid() else None)

    def _show_activity(self, a: ActivityDTO | None) -> None:
        self.errors.clear()
        self.activity_id = a.id if a else None
        self.name.setText(a.name if a else "")
        self.kind.setCurrentIndex(max(self.kind.findData(a.kind if a else "workshop"), 0))
        self.place.setCurrentIndex(max(self.place.findData(a.place_id if a else None), 0))
        self.start_time.set_value(a.start_time if a else None)
        self.end_time.set_value(a.end_time if a else None)
        self.facilitators.set_checked(a.facilitator_ids if a else ())
        self.description.setPlainText(a.description if a else "")
        self._load_roster()
        self._enable()

    def _load_roster(self) -> None:
        rows = self.services.people.roster(self.activity_id) if self.activity_id else []
        keep = self._current_enrolment()
        self.roster_model.today = dt.date.today()
        self.roster_model.set_rows(rows)
        self.picker.exclude = {r.participant_id for r in rows}
        if keep:
            self._select_person(keep)
        self._show_dates()
        self._count()

    def _selected_row(self) -> EnrolmentDTO | None:
        pid = self._current_enrolment()
        return next((r for r in self.roster_model.rows() if r.participant_id == pid), None)

    def _show_dates(self) -> None:
        row = self._selected_row()
        self.enrol_errors.clear()
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

    def save_dates(self) -> None:
        """Save the selected person's start and leaving dates."""
        row = self._selected_row()
        if row is None or self.activity_id is None:
            return
        try:
            changes = self.services.people.enrol(
                self.activity_id, row.participant_id, self.edit_start.value(), self.edit_end.value()
            )
        except ValidationError as exc:
            for message in self.enrol_errors.show(exc.errors):
                self.prompts.error(self, _("Enrolment"), message)
            return
        except UserError as exc:
            self.prompts.error(self, _("Enrolment"), exc.message)
            return
        self._load_roster()
        self.bus.emit_changes(changes)

    def new_activity(self) -> None:
        self.list.clearSelection()
        self._show_activity(None)
        self.sections.setCurrentWidget(self.form_box)
        self.name.setFocus()

    def save_activity(self) -> None:
        if self.programme_id is None:
            return
        dto = ActivityDTO(
            id=self.activity_id,
            programme_id=self.programme_id,
            name=self.name.text(),
            kind=self.kind.currentData(),
            description=self.description.toPlainText(),
            place_id=self.place.currentData(),
            start_time=self.start_time.value(),
            end_time=self.end_time.value(),
            facilitator_ids=self.facilitators.checked_ids(),
        )
        try:
            saved, changes = self.services.programmes.save_activity(dto)
        except ValidationError as exc:
            for message in self.errors.show(exc.errors):
                self.prompts.error(self, _("Activity"), message)
            return
        except UserError as exc:
            self.prompts.error(self, _("Activity"), exc.message)
            return
        self.errors.clear()
        self.activity_id = saved.id
        self.reload()
        self._show_activity(saved)
        self.bus.emit_changes(changes)
        if dto.id is None:  # a new activity: on to enrolling its people
            self.sections.setCurrentWidget(self.roster_box)
            self.picker.search.setFocus()

    def delete_activity(self) -> None:
        if self.activity_id is None:
            return
        if not self.prompts.confirm(
            self,
            _("Delete activity"),
            _(
                "Delete the activity {name}? Its sessions and attendance stay in the figures "
                "already reported but will no longer be shown."
            ).format(name=self.name.text()),
        ):
            return
        changes = self.services.programmes.delete_activity(self.activity_id)
        self.activity_id = None
        self.reload()
        self._show_activity(None)
        self.bus.emit_changes(changes)

    def enrol(self, person_id: str) -> None:
        if self.activity_id is None:
            return
        start = self.enrol_from.value() or dt.date.today()
        try:
            changes = self.services.people.enrol(self.activity_id, person_id, start)
        except UserError as exc:
            self.prompts.error(self, _("Enrolment"), exc.message)
            return
        self._load_roster()
        self._select_person(person_id)
        self.bus.emit_changes(changes)

    def _select_person(self, person_id: str) -> None:
        for row, e in enumerate(self.roster_model.rows()):
            if e.participant_id == person_id:
                proxy = self.roster.model()
                index = self.roster_model.index(row, 0)
                self.roster.setCurrentIndex(proxy.mapFromSource(index))  # type: ignore[attr-defined]
                return

    def _current_enrolment(self) -> str | None:
        index = self.roster.currentIndex()
        if not index.isValid():
            return None
        source = self.roster.model().mapToSource(index)  # type: ignore[attr-defined]
        return self.roster_model.row(source.row()).participant_id

    def mark_leaving(self) -> None:
        pid = self._current_enrolment()
        if pid is None or self.activity_id is None:
            return
        row = next(r for r in self.roster_model.rows() if r.participant_id == pid)
        try:
            changes = self.services.people.enrol(self.activity_id, pid, row.start, dt.date.today())
        except ValidationError as exc:
            for message in exc.errors.values():
                self.prompts.error(self, _("Enrolment"), message)
            return
        except UserError as exc:
            self.prompts.error(self, _("Enrolment"), exc.message)
            return
        self._load_roster()
        self.bus.emit_changes(changes)

    def unenrol(self) -> None:
        row = self._selected_row()
        if row is None or self.activity_id is None:
            return
        text = _(
            "Remove {name} from the list of {activity}? Attendance already recorded stays. "
            "If the person has left, set a leaving date instead."
        ).format(name=row.person_name, activity=self.name.text())
        if not self.prompts.confirm(self, _("Remove from list"), text):
            return
        changes = self.services.people.unenrol(self.activity_id, row.participant_id)
        self._load_roster()
        self.bus.emit_changes(changes)
