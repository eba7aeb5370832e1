"""The selected network space: its data form, its figures for a period and its meetings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.networks import MEETING_STATUSES, SPACE_ROLES, MeetingSummaryDTO, SpaceDTO
from app.errors import ValidationError
from app.i18n import _, format_date, format_number
from app.services.container import Services
from ui.events import DataBus
from ui.i18n_qt import add_document_languages, name_languages
from ui.models.dto_table import Column, DtoTableModel
from ui.widgets.form_bits import (
    date_edit,
    error_label,
    from_qdate,
    select_data,
    show_error,
    to_qdate,
)
from ui.workers import run_op


def school_year(today: dt.date) -> tuple[dt.date, dt.date]:
    """The activity year (curs) around ``today``: 1 September to 31 August."""
    start = today.year if today.month >= 9 else today.year - 1
    return dt.date(start, 9, 1), dt.date(start + 1, 8, 31)


def _times(m: MeetingSummaryDTO) -> str:
    if m.start_time and m.end_time:
        return f"{m.start_time:%H:%M}–{m.end_time:%H:%M}"
    return ""


def meeting_status_text(m: MeetingSummaryDTO) -> str:
    """Planned, Held, or Cancelled with its reason."""
    if m.status == "cancelled" and m.cancellation_reason:
        return _("Cancelled: {reason}").format(reason=m.cancellation_reason)
    return _(MEETING_STATUSES.get(m.status, m.status))


class SpacePanel(QWidget):
    saved = Signal(object)  # SpaceDTO

    def __init__(
        self,
        services: Services,
        today: Callable[[], dt.date] = dt.date.today,
        *,
        bus: DataBus | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self.bus = bus
        self.today = today
        self.space: SpaceDTO | None = None
        self.parent_id: str | None = None

        self.form_box = QGroupBox()
        self.name, self.territory = QLineEdit(), QLineEdit()
        self.parent_label = QLabel()
        self.role, self.representative = QComboBox(), QComboBox()
        for code in SPACE_ROLES:
            self.role.addItem("", code)
        self.active = QCheckBox()
        self.save_button = QPushButton()
        self.errors = {
            k: error_label() for k in ("name", "role", "parent_id", "representative_staff_id")
        }
        self.labels = {k: QLabel() for k in ("name", "parent", "territory", "role", "rep")}
        form = QFormLayout()
        self.form = form
        form.addRow(self.labels["name"], self.name)
        form.addRow("", self.errors["name"])
        form.addRow(self.labels["parent"], self.parent_label)
        form.addRow("", self.errors["parent_id"])
        form.addRow(self.labels["territory"], self.territory)
        form.addRow(self.labels["role"], self.role)
        form.addRow("", self.errors["role"])
        form.addRow(self.labels["rep"], self.representative)
        form.addRow("", self.errors["representative_staff_id"])
        row = QHBoxLayout()
        row.addWidget(self.active)
        row.addStretch(1)
        row.addWidget(self.save_button)
        form_layout = QVBoxLayout(self.form_box)
        form_layout.addLayout(form)
        form_layout.addLayout(row)

        self.figures_box = QGroupBox()
        self.date_from, self.date_to = date_edit(), date_edit()
        self.l_from, self.l_to = QLabel(), QLabel()
        self.figure_labels = {k: QLabel() for k in ("meetings", "hours", "adopted", "done")}
        self.figure_values = {k: QLabel("0") for k in self.figure_labels}
        grid = QGridLayout(self.figures_box)
        period = QHBoxLayout()
        for w in (self.l_from, self.date_from, self.l_to, self.date_to):
            period.addWidget(w)
        period.addStretch(1)
        grid.addLayout(period, 0, 0, 1, 8)
        for col, key in enumerate(self.figure_labels):
            grid.addWidget(self.figure_labels[key], 1, col * 2)
            self.figure_values[key].setStyleSheet("font-weight: bold;")
            grid.addWidget(self.figure_values[key], 1, col * 2 + 1)
        start, end = school_year(today())
        self.date_from.setDate(to_qdate(start))
        self.date_to.setDate(to_qdate(end))

        self.meetings_box = QGroupBox()
        self.meetings_model: DtoTableModel[MeetingSummaryDTO] = DtoTableModel(
            [
                Column(
                    lambda: _("Date"), lambda m: format_date(m.date, fmt="short"), lambda m: m.date
                ),
                Column(lambda: _("Time"), _times),
                Column(
                    lambda: _("Place"),
                    lambda m: _("Online") if m.online and not m.place else m.place,
                ),
                Column(
                    lambda: _("Attendees"), lambda m: str(m.attended), lambda m: m.attended, True
                ),
                Column(
                    lambda: _("Agreements"),
                    lambda m: str(m.agreements),
                    lambda m: m.agreements,
                    True,
                ),
                Column(lambda: _("Status"), meeting_status_text),
            ],
            # A past meeting nobody has marked held yet needs a look; planned and cancelled
            # ones do not count in the figures.
            warn=lambda m: m.status == "planned" and m.date < self.today(),
            muted=lambda m: m.status != "held",
        )
        self.meetings = QTableView()
        self.meetings.setModel(self.meetings_model)
        self.meetings.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.meetings.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.meetings.verticalHeader().hide()
        self.meetings.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.new_meeting_button, self.edit_meeting_button = QPushButton(), QPushButton()
        self.delete_meeting_button, self.minutes_button = QPushButton(), QPushButton()
        self.held_button = QPushButton()
        self.sheet_button = QPushButton()
        self.minutes_lang = QComboBox()
        add_document_languages(self.minutes_lang)
        # Two rows (editing; printing) so the page fits a 1024-pixel screen in both languages.
        buttons = QHBoxLayout()
        for b in (
            self.new_meeting_button,
            self.edit_meeting_button,
            self.delete_meeting_button,
            self.held_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        printing = QHBoxLayout()
        printing.addStretch(1)
        printing.addWidget(self.sheet_button)
        printing.addWidget(self.minutes_lang)
        printing.addWidget(self.minutes_button)
        meetings_layout = QVBoxLayout(self.meetings_box)
        meetings_layout.addWidget(self.meetings, 1)
        meetings_layout.addLayout(buttons)
        meetings_layout.addLayout(printing)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form_box)
        layout.addWidget(self.figures_box)
        layout.addWidget(self.meetings_box, 1)

        self.save_button.clicked.connect(self.save)
        self.name.returnPressed.connect(self.save)
        self.meetings.selectionModel().selectionChanged.connect(self._update_meeting_buttons)
        self.meetings_model.modelReset.connect(self._update_meeting_buttons)
        self.date_from.dateChanged.connect(self.refresh_figures)
        self.date_to.dateChanged.connect(self.refresh_figures)
        self.retranslate_ui()
        self.show_space(None)

    def retranslate_ui(self) -> None:
        self.labels["name"].setText(_("Name"))
        self.labels["parent"].setText(_("Commission of"))
        self.labels["territory"].setText(_("Territory"))
        self.labels["role"].setText(_("Our role"))
        self.labels["rep"].setText(_("Our representative"))
        self.territory.setPlaceholderText(_("e.g. Sants-Badal"))
        for i, label in enumerate(SPACE_ROLES.values()):
            self.role.setItemText(i, _(label))
        self.active.setText(_("Active"))
        self.save_button.setText(_("Save"))
        self.figures_box.setTitle(_("Figures"))
        self.l_from.setText(_("From"))
        self.l_to.setText(_("to"))
        for key, text in (
            ("meetings", _("Meetings")),
            ("hours", _("Hours")),
            ("adopted", _("Agreements adopted")),
            ("done", _("Agreements done")),
        ):
            self.figure_labels[key].setText(text)
        self.figures_box.setToolTip(_("Meetings of the space and its commissions in the period."))
        self.meetings_box.setTitle(_("Meetings"))
        self.new_meeting_button.setText(_("New meeting"))
        self.new_meeting_button.setToolTip(_("Prepare the next meeting") + " (Ctrl+N)")
        self.edit_meeting_button.setText(_("Edit"))
        self.delete_meeting_button.setText(_("Delete"))
        self.held_button.setText(_("Mark as held"))
        self.held_button.setToolTip(
            _("The selected planned meeting took place: it counts in the figures from now on.")
        )
        self.minutes_button.setText(_("Minutes PDF…"))
        self.sheet_button.setText(_("Attendance sheet…"))
        self.minutes_lang.setToolTip(_("Language of the minutes"))
        self.sheet_button.setToolTip(_("The sheet the attendees sign at the meeting"))
        self.minutes_button.setToolTip(
            _("Print the minutes of the selected meeting, once it has been held") + " (Ctrl+P)"
        )
        name_languages(self.minutes_lang)
        self._update_title()
        self.meetings_model.retranslate()

    def _update_title(self) -> None:
        if self.space and self.space.id:
            title = _("Commission") if self.space.parent_id else _("Space")
        else:
            title = _("New commission") if self.parent_id else _("New space")
        self.form_box.setTitle(title)

    def _fill_staff(self, current: str | None) -> None:
        self.representative.clear()
        self.representative.addItem("—", None)
        for s in self.services.profile.staff():
            self.representative.addItem(s.name, s.id)
        select_data(self.representative, current)

    def show_space(self, space: SpaceDTO | None, parent: SpaceDTO | None = None) -> None:
        """Shows a saved space, or an empty form for a new one (under ``parent``)."""
        self.space = space
        self.parent_id = space.parent_id if space else (parent.id if parent else None)
        parent_name = parent.name if parent else ""
        if space and space.parent_id:
            parent_name = self.services.networks.space(space.parent_id).name
        self.parent_label.setText(parent_name)
        self.form.setRowVisible(self.parent_label, bool(parent_name))
        self.name.setText(space.name if space else "")
        self.territory.setText(space.territory if space else (parent.territory if parent else ""))
        select_data(self.role, space.role if space else "member")
        self._fill_staff(space.representative_staff_id if space else None)
        self.active.setChecked(space.active if space else True)
        for label in self.errors.values():
            show_error(label, None)
        has = space is not None and space.id is not None
        self.figures_box.setEnabled(has)
        self.meetings_box.setEnabled(has)
        self._update_title()
        self.refresh_meetings()
        self.refresh_figures()

    def refresh_meetings(self) -> None:
        rows = (
            self.services.networks.meetings(self.space.id) if self.space and self.space.id else []
        )
        selected = self.selected_meeting()
        self.meetings_model.set_rows(rows)
        # The meeting in hand stays selected when the list is read again (after its status
        # changed, or another page saved something).
        for row, m in enumerate(rows):
            if selected is not None and m.id == selected.id:
                self.meetings.selectRow(row)

    def refresh_figures(self) -> None:
        if not (self.space and self.space.id):
            for v in self.figure_values.values():
                v.setText("—")
            return
        start = from_qdate(self.date_from.date()) or dt.date.min
        end = from_qdate(self.date_to.date()) or dt.date.max
        f = self.services.networks.space_figures(self.space.id, start, end)
        self.figure_values["meetings"].setText(format_number(f.meetings))
        self.figure_values["hours"].setText(format_number(round(f.hours, 2)))
        self.figure_values["adopted"].setText(format_number(f.agreements_adopted))
        self.figure_values["done"].setText(format_number(f.agreements_done))

    def _update_meeting_buttons(self) -> None:
        m = self.selected_meeting()
        selected = m is not None
        self.edit_meeting_button.setEnabled(selected)
        self.delete_meeting_button.setEnabled(selected)
        # The sheet is printed before the meeting (or after it); the minutes once it is held.
        self.sheet_button.setEnabled(m is not None and m.status != "cancelled")
        self.minutes_button.setEnabled(m is not None and m.status == "held")
        self.held_button.setEnabled(m is not None and m.status == "planned")

    def selected_meeting(self) -> MeetingSummaryDTO | None:
        rows = self.meetings.selectionModel().selectedRows()
        return self.meetings_model.row_at(rows[0].row()) if rows else None

    def save(self) -> SpaceDTO | None:
        for label in self.errors.values():
            show_error(label, None)
        value = SpaceDTO(
            id=self.space.id if self.space else None,
            name=self.name.text(),
            parent_id=self.parent_id,
            territory=self.territory.text(),
            role=self.role.currentData(),
            representative_staff_id=self.representative.currentData(),
            active=self.active.isChecked(),
        )

        def invalid(exc: ValidationError) -> None:
            for key, message in exc.errors.items():
                show_error(self.errors.get(key, self.errors["name"]), message)

        def saved(space: SpaceDTO) -> None:
            self.space = space
            self._update_title()
            self.saved.emit(space)

        done = run_op(
            self,
            lambda: self.services.networks.save_space(value),
            bus=self.bus,
            prompts=None,  # the messages are under the fields
            title=_("Space"),
            on_invalid=invalid,
            on_failure=lambda exc: show_error(self.errors["name"], exc.message),
            on_success=saved,
        )
        return self.space if done else None
