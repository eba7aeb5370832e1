"""The editable parts of a meeting: attendees, agenda, agreements and the follow-up of earlier
agreements. Each holds plain DTOs (``value()`` / ``set_value()``) and knows no database."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.networks import (
    AGREEMENT_STATUSES,
    ATTENDEE_STATUSES,
    AgreementDTO,
    AttendeeDTO,
    OrganisationDTO,
)
from app.domain.profile import StaffDTO
from app.i18n import _, format_date
from ui.widgets.form_bits import date_edit, from_qdate, select_data, to_qdate

ID_ROLE = Qt.ItemDataRole.UserRole


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    return row


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(False)
    return table


class _RowsEditor(QWidget):
    """A table rebuilt from a list of values, so add/remove/move are list operations."""

    def __init__(self, columns: int) -> None:
        super().__init__()
        self.table = _table(columns)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addWidget(self.table)

    def current_row(self) -> int:
        return self.table.currentRow()

    def _select(self, row: int) -> None:
        if 0 <= row < self.table.rowCount():
            self.table.selectRow(row)


class AttendeesEditor(_RowsEditor):
    COL_PERSON, COL_ORG, COL_STATUS = range(3)
    #: The user added or changed an attendee (not ``set_value``).
    edited = Signal()

    def __init__(self) -> None:
        super().__init__(3)
        self._staff: list[StaffDTO] = []
        self._orgs: list[OrganisationDTO] = []
        #: What a team member represents (shown, not stored).
        self.entity_name = ""
        self.add_staff_button = QPushButton()
        self.add_person_button = QPushButton()
        self.remove_button = QPushButton()
        self.layout_.addLayout(
            _buttons(self.add_staff_button, self.add_person_button, self.remove_button)
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.COL_PERSON, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.COL_ORG, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(self.COL_STATUS, 130)
        self.add_staff_button.clicked.connect(self.add_staff)
        self.add_person_button.clicked.connect(self.add_person)
        self.remove_button.clicked.connect(self.remove_current)
        self.retranslate_ui()

    def set_choices(self, staff: list[StaffDTO], orgs: list[OrganisationDTO]) -> None:
        self._staff, self._orgs = staff, orgs
        self.add_staff_button.setEnabled(bool(staff))

    def retranslate_ui(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [_("Person"), _("Entity or service represented"), _("Attendance")]
        )
        self.add_staff_button.setText(_("Add team member"))
        self.add_person_button.setText(_("Add person of another organisation"))
        self.remove_button.setText(_("Remove"))
        for row in range(self.table.rowCount()):
            status = self.table.cellWidget(row, self.COL_STATUS)
            assert isinstance(status, QComboBox)
            for i, code in enumerate(ATTENDEE_STATUSES):
                status.setItemText(i, _(ATTENDEE_STATUSES[code]))

    def _add_row(self, a: AttendeeDTO) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        if a.staff_id is not None:
            who = QComboBox()
            for s in self._staff:
                who.addItem(s.name, s.id)
            select_data(who, a.staff_id)
            self.table.setCellWidget(row, self.COL_PERSON, who)
        else:
            name = QLineEdit(a.person_name)
            name.setPlaceholderText(_("Name and surname"))
            self.table.setCellWidget(row, self.COL_PERSON, name)
        org = QComboBox()
        if a.staff_id is not None:
            org.addItem(self.entity_name or "—", None)
            org.setEnabled(False)
        else:
            org.addItem("—", None)
            for o in self._orgs:
                org.addItem(o.name, o.id)
            select_data(org, a.organisation_id)
        self.table.setCellWidget(row, self.COL_ORG, org)
        status = QComboBox()
        for code, label in ATTENDEE_STATUSES.items():
            status.addItem(_(label), code)
        select_data(status, a.status)
        self.table.setCellWidget(row, self.COL_STATUS, status)
        status.activated.connect(lambda _i: self.edited.emit())
        person = self.table.cellWidget(row, self.COL_PERSON)
        if isinstance(person, QLineEdit):
            person.textEdited.connect(lambda _t: self.edited.emit())
        else:
            assert isinstance(person, QComboBox)
            person.activated.connect(lambda _i: self.edited.emit())
        return row

    def set_value(self, attendees: tuple[AttendeeDTO, ...]) -> None:
        self.table.setRowCount(0)
        for a in attendees:
            self._add_row(a)

    def value(self) -> tuple[AttendeeDTO, ...]:
        out = []
        for row in range(self.table.rowCount()):
            who = self.table.cellWidget(row, self.COL_PERSON)
            org = self.table.cellWidget(row, self.COL_ORG)
            status = self.table.cellWidget(row, self.COL_STATUS)
            assert isinstance(org, QComboBox) and isinstance(status, QComboBox)
            if isinstance(who, QComboBox):
                a = AttendeeDTO(staff_id=who.currentData(), organisation_id=org.currentData())
            else:
                assert isinstance(who, QLineEdit)
                a = AttendeeDTO(person_name=who.text(), organisation_id=org.currentData())
            out.append(AttendeeDTO(**{**a.__dict__, "status": status.currentData()}))
        return tuple(out)

    def add_staff(self) -> None:
        taken = {a.staff_id for a in self.value()}
        free = next((s.id for s in self._staff if s.id not in taken), None)
        if self._staff:
            self._select(self._add_row(AttendeeDTO(staff_id=free or self._staff[0].id)))
            self.edited.emit()

    def add_person(self) -> None:
        row = self._add_row(AttendeeDTO())
        self._select(row)
        self.table.cellWidget(row, self.COL_PERSON).setFocus()
        self.edited.emit()

    def remove_current(self) -> None:
        if self.current_row() >= 0:
            self.table.removeRow(self.current_row())


class AgendaEditor(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.list = QListWidget()
        self.new_item = QLineEdit()
        self.add_button, self.remove_button = QPushButton(), QPushButton()
        self.up_button, self.down_button = QPushButton(), QPushButton()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        entry = QHBoxLayout()
        entry.addWidget(self.new_item, 1)
        entry.addWidget(self.add_button)
        layout.addLayout(entry)
        layout.addLayout(_buttons(self.up_button, self.down_button, self.remove_button))
        self.new_item.returnPressed.connect(self.add_current_text)
        self.add_button.clicked.connect(self.add_current_text)
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.new_item.setPlaceholderText(_("New agenda item"))
        self.add_button.setText(_("Add"))
        self.remove_button.setText(_("Remove"))
        self.up_button.setText(_("Move up"))
        self.down_button.setText(_("Move down"))

    def _item(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    def add_current_text(self) -> None:
        text = self.new_item.text().strip()
        if text:
            self.list.addItem(self._item(text))
            self.new_item.clear()

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)

    def move_current(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)

    def set_value(self, items: tuple[str, ...]) -> None:
        self.list.clear()
        for text in items:
            self.list.addItem(self._item(text))

    def value(self) -> tuple[str, ...]:
        texts = (self.list.item(i).text().strip() for i in range(self.list.count()))
        return tuple(t for t in texts if t)


class AgreementsEditor(_RowsEditor):
    COL_NUMBER, COL_TEXT, COL_OWNER, COL_DUE, COL_STATUS = range(5)

    def __init__(self) -> None:
        super().__init__(5)
        self._staff: list[StaffDTO] = []
        self._orgs: list[OrganisationDTO] = []
        self.add_button, self.remove_button = QPushButton(), QPushButton()
        self.up_button, self.down_button = QPushButton(), QPushButton()
        self.layout_.addLayout(
            _buttons(self.add_button, self.up_button, self.down_button, self.remove_button)
        )
        self.table.horizontalHeader().setSectionResizeMode(
            self.COL_TEXT, QHeaderView.ResizeMode.Stretch
        )
        for col, width in ((self.COL_OWNER, 200), (self.COL_DUE, 120), (self.COL_STATUS, 120)):
            self.table.setColumnWidth(col, width)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.retranslate_ui()

    def set_choices(self, staff: list[StaffDTO], orgs: list[OrganisationDTO]) -> None:
        self._staff, self._orgs = staff, orgs

    def retranslate_ui(self) -> None:
        self.table.setHorizontalHeaderLabels(
            ["#", _("Agreement"), _("Owner"), _("Due date"), _("Status")]
        )
        self.add_button.setText(_("Add agreement"))
        self.remove_button.setText(_("Remove"))
        self.up_button.setText(_("Move up"))
        self.down_button.setText(_("Move down"))
        for row in range(self.table.rowCount()):
            status = self.table.cellWidget(row, self.COL_STATUS)
            assert isinstance(status, QComboBox)
            for i, code in enumerate(AGREEMENT_STATUSES):
                status.setItemText(i, _(AGREEMENT_STATUSES[code]))

    def _add_row(self, a: AgreementDTO) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        number = QTableWidgetItem(f"{row + 1}.")
        number.setData(ID_ROLE, a.id)
        number.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        self.table.setItem(row, self.COL_NUMBER, number)
        text = QLineEdit(a.text)
        self.table.setCellWidget(row, self.COL_TEXT, text)
        owner = QComboBox()
        owner.addItem("—", None)
        for s in self._staff:
            owner.addItem(s.name, f"staff:{s.id}")
        for o in self._orgs:
            owner.addItem(o.name, f"org:{o.id}")
        key = (
            f"staff:{a.owner_staff_id}"
            if a.owner_staff_id
            else f"org:{a.owner_organisation_id}"
            if a.owner_organisation_id
            else None
        )
        select_data(owner, key)
        self.table.setCellWidget(row, self.COL_OWNER, owner)
        due = date_edit(optional=True)
        due.setDate(to_qdate(a.due_date))
        self.table.setCellWidget(row, self.COL_DUE, due)
        status = QComboBox()
        for code, label in AGREEMENT_STATUSES.items():
            status.addItem(_(label), code)
        select_data(status, a.status)
        self.table.setCellWidget(row, self.COL_STATUS, status)
        return row

    def set_value(self, agreements: tuple[AgreementDTO, ...]) -> None:
        self.table.setRowCount(0)
        for a in agreements:
            self._add_row(a)
        self.table.resizeColumnToContents(self.COL_NUMBER)

    def value(self) -> tuple[AgreementDTO, ...]:
        out = []
        for row in range(self.table.rowCount()):
            text, owner = (
                cast(QLineEdit, self.table.cellWidget(row, self.COL_TEXT)),
                cast(QComboBox, self.table.cellWidget(row, self.COL_OWNER)),
            )
            due, status = (
                cast(QDateEdit, self.table.cellWidget(row, self.COL_DUE)),
                cast(QComboBox, self.table.cellWidget(row, self.COL_STATUS)),
            )
            number = cast(QTableWidgetItem, self.table.item(row, self.COL_NUMBER))
            key = owner.currentData() or ""
            out.append(
                AgreementDTO(
                    id=number.data(ID_ROLE),
                    text=text.text(),
                    owner_staff_id=key[6:] if key.startswith("staff:") else None,
                    owner_organisation_id=key[4:] if key.startswith("org:") else None,
                    due_date=from_qdate(due.date()),
                    status=status.currentData(),
                )
            )
        return tuple(out)

    def add(self) -> None:
        row = self._add_row(AgreementDTO(None, ""))
        self._select(row)
        self.table.cellWidget(row, self.COL_TEXT).setFocus()

    def remove_current(self) -> None:
        row = self.current_row()
        if row >= 0:
            values = list(self.value())
            del values[row]
            self.set_value(tuple(values))
            self._select(min(row, len(values) - 1))

    def move_current(self, step: int) -> None:
        row, values = self.current_row(), list(self.value())
        target = row + step
        if row < 0 or not 0 <= target < len(values):
            return
        values[row], values[target] = values[target], values[row]
        self.set_value(tuple(values))
        self._select(target)


class FollowUpEditor(_RowsEditor):
    """Earlier open agreements of the space; marking one closes it in *this* meeting on saving."""

    COL_ADOPTED, COL_TEXT, COL_OWNER, COL_DUE, COL_HERE = range(5)
    changed = Signal()

    def __init__(self) -> None:
        super().__init__(5)
        self._items: list[AgreementDTO] = []
        self._closures: dict[str, str] = {}
        self.done_button, self.dropped_button = QPushButton(), QPushButton()
        self.open_button = QPushButton()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(
            self.COL_TEXT, QHeaderView.ResizeMode.Stretch
        )
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.layout_.addWidget(self.empty)
        self.layout_.addLayout(_buttons(self.done_button, self.dropped_button, self.open_button))
        self.done_button.clicked.connect(lambda: self.mark("done"))
        self.dropped_button.clicked.connect(lambda: self.mark("dropped"))
        self.open_button.clicked.connect(lambda: self.mark(None))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [_("Adopted"), _("Agreement"), _("Owner"), _("Due date"), _("In this meeting")]
        )
        self.done_button.setText(_("Mark done"))
        self.dropped_button.setText(_("Mark dropped"))
        self.open_button.setText(_("Keep open"))
        self.empty.setText(
            _(
                "No open agreements from earlier meetings of this space. Agreements adopted "
                "here will be followed up in the next meetings."
            )
        )
        self._fill()

    def set_items(self, items: list[AgreementDTO], closures: dict[str, str]) -> None:
        self._items = items
        self._closures = {k: v for k, v in closures.items() if any(a.id == k for a in items)}
        self._fill()

    def _fill(self) -> None:
        row_before = self.current_row()
        self.table.setRowCount(len(self._items))
        for row, a in enumerate(self._items):
            here = self._closures.get(a.id or "")
            values = [
                f"{format_date(a.meeting_date, fmt='short')} · {a.number}."
                if a.meeting_date
                else "",
                a.text,
                a.owner_name,
                format_date(a.due_date, fmt="short") if a.due_date else "",
                _(AGREEMENT_STATUSES[here]) if here else _("Still open"),
            ]
            for col, text in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(text))
        for col in (self.COL_ADOPTED, self.COL_OWNER, self.COL_DUE, self.COL_HERE):
            self.table.resizeColumnToContents(col)
        self.empty.setVisible(not self._items)
        for button in (self.done_button, self.dropped_button, self.open_button):
            button.setEnabled(bool(self._items))
        self._select(row_before)

    def mark(self, status: str | None) -> None:
        row = self.current_row()
        if not 0 <= row < len(self._items):
            return
        aid = self._items[row].id or ""
        if status:
            self._closures[aid] = status
        else:
            self._closures.pop(aid, None)
        self._fill()
        self.changed.emit()

    def count(self) -> int:
        return len(self._items)

    def is_empty(self) -> bool:
        return not self._items

    def text_of(self, agreement_id: str) -> str:
        """An earlier agreement of the list by its text (an unknown one: empty)."""
        return next((a.text for a in self._items if a.id == agreement_id), "")

    def closures(self) -> dict[str, str]:
        return dict(self._closures)
