"""The groups and associations the entity accompanies (Networks > Groups): the register, a
group's contact people, its dated stages, and its meetings with minutes and agreements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.community import (
    GROUP_KINDS,
    GROUP_STAGES,
    GroupContactDTO,
    GroupDTO,
    GroupMeetingDTO,
)
from app.domain.networks import MEETING_STATUSES
from app.errors import ValidationError
from app.i18n import _, format_date
from app.services.container import Services
from ui.events import DataBus
from ui.i18n_qt import add_document_languages, name_languages
from ui.models.dto_table import Column, DtoTableModel
from ui.prompts import Prompts
from ui.widgets.community_bits import PersonPicker, delete_key, lines, save_key, table
from ui.widgets.form_bits import (
    date_edit,
    error_label,
    from_qdate,
    list_beside_form,
    select_data,
    show_error,
    show_errors,
    to_qdate,
)
from ui.workers import run_op


def _stage(code: str) -> str:
    return _(GROUP_STAGES[code]) if code in GROUP_STAGES else ""


class GroupsPanel(QWidget):
    def __init__(
        self,
        services: Services,
        bus: DataBus,
        prompts: Prompts,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__()
        self.services, self.bus, self.prompts, self.today = services, bus, prompts, today
        self.current: GroupDTO | None = None
        self.contacts: list[GroupContactDTO] = []
        self.meetings: list[GroupMeetingDTO] = []
        self.meeting_id: str | None = None

        self.model: DtoTableModel[GroupDTO] = DtoTableModel(
            [
                Column(lambda: _("Name"), lambda g: g.name),
                Column(lambda: _("Neighbourhood"), lambda g: g.neighbourhood),
                Column(lambda: _("Stage"), lambda g: _stage(g.stage)),
                Column(
                    lambda: _("Since"),
                    lambda g: format_date(g.stage_date, fmt="short") if g.stage_date else "",
                    lambda g: g.stage_date or dt.date.min,
                ),
            ]
        )
        self.table = table(self.model, stretch=3)
        self.new_button = QPushButton()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.new_button)

        # The group.
        self.name, self.neighbourhood = QLineEdit(), QLineEdit()
        self.kind, self.staff, self.programme = QComboBox(), QComboBox(), QComboBox()
        for code in GROUP_KINDS:
            self.kind.addItem("", code)
        self.first_stage = QComboBox()
        for code in GROUP_STAGES:
            self.first_stage.addItem("", code)
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(60)
        self.errors = {k: error_label() for k in ("name", "kind", "stage", "contacts")}
        self.labels = {
            k: QLabel() for k in ("name", "kind", "hood", "staff", "prog", "first", "notes")
        }
        form = QFormLayout()
        form.addRow(self.labels["name"], self.name)
        form.addRow("", self.errors["name"])
        form.addRow(self.labels["kind"], self.kind)
        form.addRow(self.labels["hood"], self.neighbourhood)
        form.addRow(self.labels["staff"], self.staff)
        form.addRow(self.labels["prog"], self.programme)
        form.addRow(self.labels["first"], self.first_stage)
        form.addRow(self.labels["notes"], self.notes)
        self.save_button, self.delete_button = QPushButton(), QPushButton()
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.delete_button)
        row.addWidget(self.save_button)
        self.form_box = QGroupBox()
        box = QVBoxLayout(self.form_box)
        box.addLayout(form)
        box.addLayout(row)

        # Contact people: someone already in Teixit, or a name and phone.
        self.contact_list = QListWidget()
        self.contact_list.setMaximumHeight(80)
        self.picker = PersonPicker(services)
        self.contact_name, self.contact_phone, self.contact_role = (
            QLineEdit(),
            QLineEdit(),
            QLineEdit(),
        )
        self.add_contact, self.remove_contact = QPushButton(), QPushButton()
        self.contacts_box = QGroupBox()
        c = QVBoxLayout(self.contacts_box)
        c.addWidget(self.contact_list)
        c.addWidget(self.picker)
        free = QHBoxLayout()
        for w in (self.contact_name, self.contact_phone, self.contact_role):
            free.addWidget(w)
        c.addLayout(free)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_contact)
        buttons.addWidget(self.remove_contact)
        buttons.addStretch(1)
        c.addLayout(buttons)
        c.addWidget(self.errors["contacts"])

        # Stages.
        self.history = QListWidget()
        self.history.setMaximumHeight(100)
        self.new_stage = QComboBox()
        for code in GROUP_STAGES:
            self.new_stage.addItem("", code)
        self.stage_date = date_edit()
        self.stage_notes = QLineEdit()
        self.stage_button = QPushButton()
        self.stage_error = error_label()
        self.stages_box = QGroupBox()
        st = QVBoxLayout(self.stages_box)
        st.addWidget(self.history)
        change = QHBoxLayout()
        change.addWidget(self.new_stage, 1)
        change.addWidget(self.stage_date)
        st.addLayout(change)
        notes_row = QHBoxLayout()
        notes_row.addWidget(self.stage_notes, 1)
        notes_row.addWidget(self.stage_button)
        st.addLayout(notes_row)
        st.addWidget(self.stage_error)

        # Meetings: the same meetings, minutes and agreements as a network's.
        self.meeting_list = QListWidget()
        self.meeting_list.setMaximumHeight(90)
        self.meeting_date = date_edit()
        self.meeting_place = QLineEdit()
        self.meeting_status = QComboBox()
        for code in MEETING_STATUSES:
            self.meeting_status.addItem("", code)
        self.minutes = QPlainTextEdit()
        self.minutes.setMaximumHeight(70)
        self.agreements = QPlainTextEdit()
        self.agreements.setMaximumHeight(60)
        self.new_meeting_button, self.save_meeting_button = QPushButton(), QPushButton()
        self.meeting_labels = [QLabel() for _i in range(5)]
        self.meetings_box = QGroupBox()
        mt = QVBoxLayout(self.meetings_box)
        mt.addWidget(self.meeting_list)
        mform = QFormLayout()
        for label, widget in zip(
            self.meeting_labels,
            (
                self.meeting_date,
                self.meeting_place,
                self.meeting_status,
                self.minutes,
                self.agreements,
            ),
            strict=True,
        ):
            mform.addRow(label, widget)
        mt.addLayout(mform)
        mb = QHBoxLayout()
        mb.addStretch(1)
        mb.addWidget(self.new_meeting_button)
        mb.addWidget(self.save_meeting_button)
        mt.addLayout(mb)
        # The minutes print as a network meeting's, naming the group.
        self.minutes_lang = QComboBox()
        add_document_languages(self.minutes_lang)
        self.minutes_button = QPushButton()
        printing = QHBoxLayout()
        printing.addStretch(1)
        printing.addWidget(self.minutes_lang)
        printing.addWidget(self.minutes_button)
        mt.addLayout(printing)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        for box_widget in (self.form_box, self.contacts_box, self.stages_box, self.meetings_box):
            right_layout.addWidget(box_widget)
        right_layout.addStretch(1)
        list_beside_form(self, left, right, [560, 680])

        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.new_button.clicked.connect(self.new)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        self.add_contact.clicked.connect(self._add_contact)
        self.remove_contact.clicked.connect(self._remove_contact)
        self.stage_button.clicked.connect(self.change_stage)
        self.meeting_list.currentRowChanged.connect(self._meeting_selected)
        self.new_meeting_button.clicked.connect(self.new_meeting)
        self.save_meeting_button.clicked.connect(self.save_meeting)
        self.minutes_button.clicked.connect(self.print_minutes)
        save_key(self, self.save)
        delete_key(self.table, self.delete)
        self.retranslate_ui()
        self.show_group(None)

    # ---- texts --------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.new_button.setText(_("New group"))
        self.new_button.setToolTip(_("A residents' community, neighbourhood group or association"))
        for key, text in (
            ("name", _("Name")),
            ("kind", _("Kind")),
            ("hood", _("Neighbourhood")),
            ("staff", _("Accompanied by")),
            ("prog", _("Programme")),
            ("first", _("Stage when the accompaniment began")),
            ("notes", _("Notes")),
        ):
            self.labels[key].setText(text)
        for i, kind in enumerate(GROUP_KINDS.values()):
            self.kind.setItemText(i, _(kind))
        for combo in (self.first_stage, self.new_stage):
            for i, stage in enumerate(GROUP_STAGES.values()):
                combo.setItemText(i, _(stage))
        for i, status in enumerate(MEETING_STATUSES.values()):
            self.meeting_status.setItemText(i, _(status))
        self.save_button.setText(_("Save"))
        self.delete_button.setText(_("Delete"))
        self.contacts_box.setTitle(_("Contact people"))
        self.contact_name.setPlaceholderText(_("…or a name"))
        self.contact_phone.setPlaceholderText(_("Phone"))
        self.contact_role.setPlaceholderText(_("Role in the group"))
        self.add_contact.setText(_("Add contact"))
        self.remove_contact.setText(_("Remove contact"))
        self.picker.retranslate_ui()
        self.stages_box.setTitle(_("Stages of the accompaniment"))
        self.stage_notes.setPlaceholderText(_("Notes on the change"))
        self.stage_button.setText(_("Record stage change"))
        self.meetings_box.setTitle(_("Meetings of the group"))
        for meeting_label, text in zip(
            self.meeting_labels,
            (_("Date"), _("Place"), _("Status"), _("Minutes"), _("Agreements (one per line)")),
            strict=True,
        ):
            meeting_label.setText(text)
        self.new_meeting_button.setText(_("New meeting"))
        self.save_meeting_button.setText(_("Save meeting"))
        self.minutes_button.setText(_("Minutes PDF…"))
        self.minutes_button.setToolTip(
            _("Print the minutes of the selected meeting, once it has been held")
        )
        self.minutes_lang.setToolTip(_("Language of the minutes"))
        name_languages(self.minutes_lang)
        self._title()
        self.model.retranslate()
        if self.current is not None:
            self._fill_lists()

    def _title(self) -> None:
        self.form_box.setTitle(_("Group") if self.current else _("New group"))

    # ---- data ---------------------------------------------------------------------------

    def refresh(self) -> None:
        groups = self.services.community.groups()
        self.model.set_rows(groups)
        self._fill_choices()
        year = self.today().year
        figures = self.services.community.figures(dt.date(year, 1, 1), dt.date(year, 12, 31))
        self.summary.setText(
            _(
                "This year — groups accompanied: {accompanied}; became autonomous: "
                "{autonomous}; meetings held: {meetings}."
            ).format(
                accompanied=figures.groups_accompanied,
                autonomous=figures.groups_autonomous_in_period,
                meetings=figures.group_meetings,
            )
        )
        if self.current is not None and self.current.id:
            fresh = next((g for g in groups if g.id == self.current.id), None)
            if fresh is None:
                self.show_group(None)
            else:
                for row, g in enumerate(groups):
                    if g.id == fresh.id:
                        self.table.selectRow(row)
                self.show_group(fresh)

    def _fill_choices(self) -> None:
        staff, programme = self.staff.currentData(), self.programme.currentData()
        self.staff.clear()
        self.staff.addItem("—", None)
        for st in self.services.profile.staff(active_only=True):
            self.staff.addItem(st.name, st.id)
        self.programme.clear()
        self.programme.addItem("—", None)
        for p in self.services.programmes.all():
            self.programme.addItem(f"{p.code} · {p.name}", p.id)
        select_data(self.staff, staff)
        select_data(self.programme, programme)

    def _selected(self) -> None:
        index = self.table.currentIndex()
        group = self.model.row_at(index.row()) if index.isValid() else None
        if group is not None and (self.current is None or group.id != self.current.id):
            self.show_group(group)

    def show_group(self, group: GroupDTO | None) -> None:
        self.current = group
        self.name.setText(group.name if group else "")
        select_data(self.kind, group.kind if group else "residents_community")
        self.neighbourhood.setText(group.neighbourhood if group else "")
        select_data(self.staff, group.staff_id if group else None)
        select_data(self.programme, group.programme_id if group else None)
        self.notes.setPlainText(group.notes if group else "")
        self.first_stage.setEnabled(group is None)
        self.contacts = list(group.contacts) if group else []
        self.meetings = self.services.community.meetings(group.id) if group and group.id else []
        for label in (*self.errors.values(), self.stage_error):
            show_error(label, None)
        for box in (self.stages_box, self.meetings_box):
            box.setEnabled(group is not None)
        self.delete_button.setEnabled(group is not None)
        self.stage_date.setDate(to_qdate(self.today()))
        self._fill_lists()
        self.new_meeting()
        self._title()

    def _fill_lists(self) -> None:
        self.contact_list.clear()
        for c in self.contacts:
            text = " · ".join(x for x in (c.name or c.person_name, c.role, c.phone) if x)
            self.contact_list.addItem(text)
        self.history.clear()
        for h in self.current.history if self.current else ():
            text = f"{format_date(h.date, fmt='short')} · {_stage(h.stage)}"
            self.history.addItem(text + (f" — {h.notes}" if h.notes else ""))
        self.meeting_list.clear()
        for m in self.meetings:
            status = _(MEETING_STATUSES.get(m.status, m.status))
            item = QListWidgetItem(
                _("{date} · {status} · agreements: {count}").format(
                    date=format_date(m.date, fmt="short"), status=status, count=len(m.agreements)
                )
            )
            self.meeting_list.addItem(item)

    def new(self) -> None:
        self.table.clearSelection()
        self.show_group(None)
        self.name.setFocus()

    def _add_contact(self) -> None:
        person = self.picker.chosen()
        name = self.contact_name.text().strip()
        if name:
            contact = GroupContactDTO(
                person_name=name,
                phone=self.contact_phone.text().strip(),
                role=self.contact_role.text().strip(),
                name=name,
            )
        elif person is not None:
            contact = GroupContactDTO(
                participant_id=person[0], role=self.contact_role.text().strip(), name=person[1]
            )
        else:
            show_error(self.errors["contacts"], _("Search a person or write a name."))
            return
        show_error(self.errors["contacts"], None)
        self.contacts.append(contact)
        for w in (self.contact_name, self.contact_phone, self.contact_role):
            w.clear()
        self.picker.clear()
        self._fill_lists()

    def _remove_contact(self) -> None:
        row = self.contact_list.currentRow()
        if 0 <= row < len(self.contacts):
            del self.contacts[row]
            self._fill_lists()

    def save(self) -> None:
        for label in self.errors.values():
            show_error(label, None)
        value = GroupDTO(
            id=self.current.id if self.current else None,
            name=self.name.text(),
            kind=self.kind.currentData(),
            neighbourhood=self.neighbourhood.text(),
            staff_id=self.staff.currentData(),
            programme_id=self.programme.currentData(),
            notes=self.notes.toPlainText(),
            contacts=tuple(self.contacts),
        )
        first = self.first_stage.currentData()
        since = self.today()

        def invalid(exc: ValidationError) -> None:
            show_errors(self.errors, exc.errors, "name")

        def saved(group: GroupDTO) -> None:
            self.current = group
            self.refresh()

        run_op(
            self,
            lambda: self.services.community.save_group(value, first, since),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Cannot save the group"),
            on_invalid=invalid,
            on_success=saved,
        )

    def delete(self) -> None:
        group = self.current
        if (
            group is None
            or not group.id
            or not self.prompts.confirm(
                self,
                _("Delete group"),
                _("Delete “{name}” and its record of accompaniment?").format(name=group.name),
            )
        ):
            return
        group_id = group.id

        def deleted(_result: None) -> None:
            self.show_group(None)
            self.refresh()

        run_op(
            self,
            lambda: self.services.community.delete_group(group_id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Delete group"),
            on_success=deleted,
        )

    def change_stage(self) -> None:
        if self.current is None or not self.current.id:
            return
        group_id, stage = self.current.id, self.new_stage.currentData()
        day = from_qdate(self.stage_date.date()) or self.today()
        notes = self.stage_notes.text()
        show_error(self.stage_error, None)

        def invalid(exc: ValidationError) -> None:
            show_error(self.stage_error, " ".join(exc.errors.values()))

        def saved(group: GroupDTO) -> None:
            self.stage_notes.clear()
            self.current = group
            self.refresh()

        run_op(
            self,
            lambda: self.services.community.change_stage(group_id, stage, day, notes),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Cannot record the stage change"),
            on_invalid=invalid,
            on_success=saved,
        )

    # ---- meetings -----------------------------------------------------------------------

    def new_meeting(self) -> None:
        self.meeting_id = None
        self.meeting_list.setCurrentRow(-1)
        self.meeting_date.setDate(to_qdate(self.today()))
        self.meeting_place.clear()
        select_data(self.meeting_status, "held")
        self.minutes.clear()
        self.agreements.clear()
        self.minutes_button.setEnabled(False)

    def _meeting_selected(self, row: int) -> None:
        if not 0 <= row < len(self.meetings):
            return
        m = self.meetings[row]
        self.meeting_id = m.id
        self.meeting_date.setDate(to_qdate(m.date))
        self.meeting_place.setText(m.place)
        select_data(self.meeting_status, m.status)
        self.minutes.setPlainText(m.minutes)
        self.agreements.setPlainText("\n".join(m.agreements))
        self.minutes_button.setEnabled(m.status == "held")

    def save_meeting(self) -> None:
        if self.current is None or not self.current.id:
            return
        value = GroupMeetingDTO(
            self.meeting_id,
            self.current.id,
            from_qdate(self.meeting_date.date()) or self.today(),
            self.meeting_place.text(),
            self.minutes.toPlainText(),
            self.meeting_status.currentData(),
            lines(self.agreements.toPlainText()),
        )

        def saved(meeting: GroupMeetingDTO) -> None:
            self.refresh()
            ids = [m.id for m in self.meetings]
            if meeting.id in ids:
                self.meeting_list.setCurrentRow(ids.index(meeting.id))

        run_op(
            self,
            lambda: self.services.community.save_meeting(value),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Cannot save the meeting"),
            on_success=saved,
        )

    def print_minutes(self) -> None:
        """The selected meeting's minutes as a PDF, in the language chosen beside the button."""
        meeting = next((m for m in self.meetings if m.id and m.id == self.meeting_id), None)
        if meeting is None or not meeting.id:
            return
        from ui.minutes import save_minutes

        lang = self.minutes_lang.currentData()
        save_minutes(self, self.services, self.prompts, meeting.id, meeting.date, lang)
