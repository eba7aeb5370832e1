"""The activities of a programme: their defaults (place, times, facilitators) and, in a tab
beside them, the people enrolled (``RosterPanel``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.programmes import ACTIVITY_KIND_LABELS, ACTIVITY_KINDS, ActivityDTO
from app.domain.texts import Translations
from app.errors import ValidationError
from app.i18n import _
from app.services.container import Services
from ui.events import DataBus
from ui.models.programmes import ActivitiesModel
from ui.prompts import Prompts
from ui.stale import on_stale, shown
from ui.widgets.coproduction_panel import CoproductionPanel
from ui.widgets.form_fields import CheckList, FieldErrors, TimeField, shrinkable
from ui.widgets.roster_panel import RosterPanel
from ui.widgets.tables import proxy_for, sorted_view, stretch_column
from ui.widgets.text_pair import TextPair
from ui.workers import run_op


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
        #: The activity as read when shown (its version goes back with a save).
        self.opened: ActivityDTO | None = None
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
        self.name_pair = TextPair(self.name)
        self.description_pair = TextPair(self.description)
        self.pairs = {"name": self.name_pair, "description": self.description_pair}
        self.save_button = QPushButton()
        self.register_button = QPushButton()
        self.print_button = QPushButton()
        self.form_box = QGroupBox()
        form = QFormLayout(self.form_box)
        self._labels = {k: QLabel() for k in ("name", "kind", "place", "times", "staff", "desc")}
        times = QHBoxLayout()
        times.addWidget(self.start_time)
        times.addWidget(self.errors.wrap("end_time", self.end_time))
        form.addRow(self._labels["name"], self.errors.wrap("name", self.name_pair))
        form.addRow(self._labels["kind"], self.kind)
        form.addRow(self._labels["place"], self.place)
        form.addRow(self._labels["times"], times)
        form.addRow(self._labels["staff"], self.facilitators)
        form.addRow(self._labels["desc"], self.description_pair)
        buttons = QHBoxLayout()
        for b in (self.register_button, self.print_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        form.addRow(buttons)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        form.addRow(save_row)
        # The people enrolled.
        self.roster = RosterPanel(services, bus, prompts)
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
        self.sections.addTab(self.roster, "")
        self.sections.addTab(self.form_box, "")
        self.coproduction = CoproductionPanel(services, bus, prompts)
        self.sections.addTab(self.coproduction, "")
        self.form_box.setFlat(True)
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
        self.save_button.clicked.connect(lambda: self.save_activity())
        self.roster.counted.connect(
            lambda n: self.sections.setTabText(0, _("Enrolled people ({count})").format(count=n))
        )
        self.register_button.clicked.connect(
            lambda: self.activity_id and self.register_requested.emit(self.activity_id)
        )
        self.print_button.clicked.connect(
            lambda: self.activity_id and self.print_sheet_requested.emit(self.activity_id)
        )
        self.retranslate_ui()
        self._enable()

    def retranslate_ui(self) -> None:
        for pair in self.pairs.values():
            pair.retranslate_ui()
        self.new_button.setText(_("New activity"))
        self.delete_button.setText(_("Delete"))
        self.delete_button.setToolTip(_("Delete the selected activity"))
        self.new_button.setToolTip(_("New activity of this programme"))
        self.sections.setTabText(1, _("Activity details"))
        self.sections.setTabText(2, _("Coproduction"))
        self.coproduction.retranslate_ui()
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
        if self.place.count():  # the "no place" choice; the others are names
            self.place.setItemText(0, _("(none)"))
        self.save_button.setText(_("Save activity"))
        self.save_button.setToolTip(_("Save the activity (Ctrl+S)"))
        self.register_button.setText(_("Register grid…"))
        self.print_button.setText(_("Print sheet…"))
        self.empty_hint.setText(
            _(
                "This programme has no activities yet. Press New activity, fill in its name, "
                "kind and usual times, and save it; then enrol people."
            )
        )
        self.roster.retranslate_ui()
        self.model.retranslate()

    def _enable(self) -> None:
        has_programme = self.programme_id is not None
        has = self.activity_id is not None
        self.new_button.setEnabled(has_programme)
        self.form_box.setEnabled(has_programme)
        for w in (self.delete_button, self.register_button, self.print_button, self.roster):
            w.setEnabled(has)
        was = self.sections.isTabEnabled(0)
        self.sections.setTabEnabled(0, has)
        self.sections.setTabEnabled(2, has)
        if not has:
            self.sections.setCurrentWidget(self.form_box)
        elif not was:  # an activity chosen again: back to its people
            self.sections.setCurrentWidget(self.roster)
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
        self.opened = a
        self.name.setText(a.name if a else "")
        self.kind.setCurrentIndex(max(self.kind.findData(a.kind if a else "workshop"), 0))
        self.place.setCurrentIndex(max(self.place.findData(a.place_id if a else None), 0))
        self.start_time.set_value(a.start_time if a else None)
        self.end_time.set_value(a.end_time if a else None)
        self.facilitators.set_checked(a.facilitator_ids if a else ())
        self.description.setPlainText(a.description if a else "")
        self.coproduction.set_activity(self.activity_id, self.programme_id)
        for name, pair in self.pairs.items():
            pair.show_version(a.translations if a else None, name)
        self._load_roster()
        self._enable()

    def _versions(self, opened: ActivityDTO | None) -> Translations:
        translations = opened.translations if opened and opened.id == self.activity_id else None
        for name, pair in self.pairs.items():
            translations = pair.versions(translations, name)
        return translations or ()

    def set_languages(self, main: str, other: str) -> None:
        """The entity's language and the other one the paired fields hold."""
        for pair in self.pairs.values():
            pair.set_languages(main, other)

    def _load_roster(self) -> None:
        self.roster.set_activity(self.activity_id, self.name.text())

    def new_activity(self) -> None:
        self.list.clearSelection()
        self._show_activity(None)
        self.sections.setCurrentWidget(self.form_box)
        self.name.setFocus()

    def save_activity(self, chosen: ActivityDTO | None = None) -> None:
        """Save the form (or ``chosen``: the values chosen after someone else saved the
        activity meanwhile)."""
        if self.programme_id is None:
            return
        opened = self.opened
        dto = chosen or ActivityDTO(
            id=self.activity_id,
            programme_id=self.programme_id,
            name=self.name.text(),
            kind=self.kind.currentData(),
            description=self.description.toPlainText(),
            place_id=self.place.currentData(),
            start_time=self.start_time.value(),
            end_time=self.end_time.value(),
            facilitator_ids=self.facilitators.checked_ids(),
            version=opened.version if opened and opened.id == self.activity_id else None,
            translations=self._versions(opened),
        )

        def invalid(exc: ValidationError) -> None:
            for message in self.errors.show(exc.errors):
                self.prompts.error(self, _("Activity"), message)

        def show(key: str, value: Any) -> str:
            if key in ("kind", "place_id"):
                combo = self.kind if key == "kind" else self.place
                index = combo.findData(value) if value else -1
                return combo.itemText(index) if index >= 0 else ""
            if key == "facilitator_ids":
                return self.facilitators.names(value)
            return shown(value)

        fields = [
            ("name", _("Name")),
            ("kind", _("Kind")),
            ("place_id", _("Place")),
            ("start_time", _("Start time")),
            ("end_time", _("End time")),
            ("facilitator_ids", _("Facilitators")),
            ("description", _("Description")),
        ]
        stale = on_stale(
            self,
            self.prompts,
            _("Activity"),
            dto,
            opened,
            fields,
            retry=self.save_activity,
            reload=self._show_activity,
            show=show,
        )

        def saved(activity: ActivityDTO) -> None:
            self.errors.clear()
            self.activity_id = activity.id
            self.reload()
            self._show_activity(activity)
            if dto.id is None:  # a new activity: on to enrolling its people
                self.sections.setCurrentWidget(self.roster)
                self.roster.picker.search.setFocus()

        run_op(
            self,
            lambda: self.services.programmes.save_activity(dto),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Activity"),
            on_invalid=invalid,
            on_success=saved,
            on_failure=stale,
        )

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
        activity_id = self.activity_id

        def deleted(_result: None) -> None:
            self.activity_id = None
            self.reload()
            self._show_activity(None)

        run_op(
            self,
            lambda: self.services.programmes.delete_activity(activity_id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Delete activity"),
            on_success=deleted,
        )
