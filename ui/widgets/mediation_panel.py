"""Community mediation cases (Networks > Mediation): need-to-know, so the list holds only the
cases of the staff on them (and every case for coordinators); the database enforces it on an
office database. A case: parties, kind of conflict, team, sessions held, agreements reached,
outcome and closing date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
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

from app.domain.community import CASE_OUTCOMES, CONFLICT_KINDS, CaseDTO, PartyDTO
from app.errors import ValidationError
from app.i18n import _, format_date
from app.services.container import Services
from ui.events import DataBus
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

ID_ROLE = Qt.ItemDataRole.UserRole


def _outcome(case: CaseDTO) -> str:
    if case.outcome is None:
        return _("Open")
    return _(CASE_OUTCOMES.get(case.outcome, case.outcome))


class MediationPanel(QWidget):
    def __init__(
        self,
        services: Services,
        bus: DataBus,
        prompts: Prompts,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__()
        self.services, self.bus, self.prompts, self.today = services, bus, prompts, today
        self.current: CaseDTO | None = None
        self.parties: list[PartyDTO] = []

        self.model: DtoTableModel[CaseDTO] = DtoTableModel(
            [
                Column(lambda: _("Reference"), lambda c: c.reference),
                Column(lambda: _("Conflict"), lambda c: _(CONFLICT_KINDS.get(c.conflict_kind, ""))),
                Column(
                    lambda: _("Opened"),
                    lambda c: format_date(c.opened_on, fmt="short"),
                    lambda c: c.opened_on,
                ),
                Column(lambda: _("Outcome"), _outcome),
                Column(
                    # TRANSLATORS: short heading of the column "Sessions held" (a number).
                    lambda: _("Sess."),
                    lambda c: str(c.sessions_held),
                    lambda c: c.sessions_held,
                    align_right=True,
                    tip=lambda: _("Sessions held"),
                ),
            ]
        )
        # The conflict and the outcome share what the reference, date and count leave: no
        # sideways scroll bar beside the form at 1024 pixels.
        self.table = table(self.model, stretch=(1, 3))
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #555;")
        self.new_button = QPushButton()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.notice)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.new_button)

        self.reference, self.neighbourhood = QLineEdit(), QLineEdit()
        self.kind, self.outcome = QComboBox(), QComboBox()
        for code in CONFLICT_KINDS:
            self.kind.addItem("", code)
        self.outcome.addItem("", None)
        for code in CASE_OUTCOMES:
            self.outcome.addItem("", code)
        self.opened_on, self.closed_on = date_edit(), date_edit(optional=True)
        self.summary = QPlainTextEdit()
        self.summary.setMaximumHeight(60)
        self.team = QListWidget()
        self.team.setMaximumHeight(90)
        self.sessions = QListWidget()
        self.sessions.setMaximumHeight(110)
        self.agreements = QPlainTextEdit()
        self.agreements.setMaximumHeight(60)
        keys = (
            "reference",
            "conflict_kind",
            "neighbourhood",
            "opened_on",
            "closed_on",
            "outcome",
            "staff_ids",
            "parties",
        )
        self.errors = {k: error_label() for k in keys}
        self.labels = [QLabel() for _i in range(10)]
        form = QFormLayout()
        rows = (
            (self.reference, "reference"),
            (self.kind, "conflict_kind"),
            (self.neighbourhood, None),
            (self.opened_on, "opened_on"),
            (self.closed_on, "closed_on"),
            (self.outcome, "outcome"),
            (self.summary, None),
            (self.team, "staff_ids"),
            (self.sessions, None),
            (self.agreements, None),
        )
        for label, (widget, key) in zip(self.labels, rows, strict=True):
            form.addRow(label, widget)
            if key:
                form.addRow("", self.errors[key])
        self.save_button, self.delete_button = QPushButton(), QPushButton()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        self.form_box = QGroupBox()
        box = QVBoxLayout(self.form_box)
        box.addLayout(form)

        # Parties: a person, a group accompanied, or a description.
        self.party_list = QListWidget()
        self.party_list.setMaximumHeight(80)
        self.picker = PersonPicker(services)
        self.party_group = QComboBox()
        self.party_name = QLineEdit()
        self.add_party, self.remove_party = QPushButton(), QPushButton()
        self.parties_box = QGroupBox()
        pl = QVBoxLayout(self.parties_box)
        pl.addWidget(self.party_list)
        pl.addWidget(self.picker)
        other = QHBoxLayout()
        other.addWidget(self.party_group, 1)
        other.addWidget(self.party_name, 1)
        pl.addLayout(other)
        pb = QHBoxLayout()
        pb.addWidget(self.add_party)
        pb.addWidget(self.remove_party)
        pb.addStretch(1)
        pl.addLayout(pb)
        pl.addWidget(self.errors["parties"])

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.form_box)
        right_layout.addWidget(self.parties_box)
        right_layout.addLayout(buttons)
        right_layout.addStretch(1)
        list_beside_form(self, left, right, [540, 700])

        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.new_button.clicked.connect(self.new)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        self.add_party.clicked.connect(self._add_party)
        self.remove_party.clicked.connect(self._remove_party)
        save_key(self, self.save)
        delete_key(self.table, self.delete)
        self.retranslate_ui()
        self.show_case(None)

    def retranslate_ui(self) -> None:
        self.notice.setText(
            _(
                "Need-to-know: only the staff on a case and coordinators see it. Write the "
                "minimum needed; the reference carries no names."
            )
        )
        self.new_button.setText(_("New case"))
        for label, text in zip(
            self.labels,
            (
                _("Reference"),
                _("Kind of conflict"),
                _("Neighbourhood"),
                _("Opened on"),
                _("Closed on"),
                _("Outcome"),
                _("Summary"),
                _("Staff on the case"),
                _("Sessions held"),
                _("Agreements reached (one per line)"),
            ),
            strict=True,
        ):
            label.setText(text)
        for i, text in enumerate(CONFLICT_KINDS.values()):
            self.kind.setItemText(i, _(text))
        self.outcome.setItemText(0, _("Open (no outcome yet)"))
        for i, text in enumerate(CASE_OUTCOMES.values(), start=1):
            self.outcome.setItemText(i, _(text))
        self.parties_box.setTitle(_("Parties"))
        self.party_name.setPlaceholderText(_("…or a description (no names needed)"))
        self.add_party.setText(_("Add party"))
        self.remove_party.setText(_("Remove party"))
        self.picker.retranslate_ui()
        if self.party_group.count():
            self.party_group.setItemText(0, _("A group accompanied…"))
        self.save_button.setText(_("Save"))
        self.delete_button.setText(_("Delete"))
        self.form_box.setTitle(_("Case") if self.current else _("New case"))
        self.model.retranslate()

    def refresh(self) -> None:
        cases = self.services.mediation.cases()
        self.model.set_rows(cases)
        self._fill_choices()
        if self.current is not None and self.current.id:
            fresh = next((c for c in cases if c.id == self.current.id), None)
            for row, c in enumerate(cases):
                if fresh is not None and c.id == fresh.id:
                    self.table.selectRow(row)
            self.show_case(fresh)

    def _fill_choices(self) -> None:
        self.team.clear()
        for st in self.services.profile.staff(active_only=True):
            item = QListWidgetItem(st.name)
            item.setData(ID_ROLE, st.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.team.addItem(item)
        self.sessions.clear()
        for session_id, day, activity in self.services.mediation.session_choices(self.today()):
            item = QListWidgetItem(f"{format_date(day, fmt='short')} · {activity}")
            item.setData(ID_ROLE, session_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.sessions.addItem(item)
        self.party_group.clear()
        self.party_group.addItem(_("A group accompanied…"), None)
        for g in self.services.community.groups():
            self.party_group.addItem(g.name, g.id)

    @staticmethod
    def _check(widget: QListWidget, ids: tuple[str, ...]) -> None:
        for i in range(widget.count()):
            item = widget.item(i)
            wanted = item.data(ID_ROLE) in ids
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    @staticmethod
    def _checked_first(widget: QListWidget) -> None:
        """The sessions of the case at the top of the list."""
        checked = [
            widget.takeItem(i)
            for i in reversed(range(widget.count()))
            if widget.item(i).checkState() == Qt.CheckState.Checked
        ]
        for item in checked:
            widget.insertItem(0, item)
        widget.scrollToTop()

    @staticmethod
    def _checked(widget: QListWidget) -> tuple[str, ...]:
        return tuple(
            widget.item(i).data(ID_ROLE)
            for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked
        )

    def _selected(self) -> None:
        index = self.table.currentIndex()
        case = self.model.row_at(index.row()) if index.isValid() else None
        if case is not None and (self.current is None or case.id != self.current.id):
            self.show_case(case)

    def show_case(self, case: CaseDTO | None) -> None:
        self.current = case
        self.reference.setText(case.reference if case else "")
        select_data(self.kind, case.conflict_kind if case else "neighbours")
        self.neighbourhood.setText(case.neighbourhood if case else "")
        self.opened_on.setDate(to_qdate(case.opened_on if case else self.today()))
        self.closed_on.setDate(to_qdate(case.closed_on if case else None))
        select_data(self.outcome, case.outcome if case else None)
        self.summary.setPlainText(case.summary if case else "")
        self._check(self.team, case.staff_ids if case else ())
        self._check(self.sessions, case.session_ids if case else ())
        self._checked_first(self.sessions)
        self.agreements.setPlainText("\n".join(case.agreements) if case else "")
        self.parties = list(case.parties) if case else []
        self._fill_parties()
        for label in self.errors.values():
            show_error(label, None)
        self.delete_button.setEnabled(case is not None)
        self.form_box.setTitle(_("Case") if case else _("New case"))

    def _fill_parties(self) -> None:
        self.party_list.clear()
        for p in self.parties:
            self.party_list.addItem(p.label or p.name)

    def new(self) -> None:
        self.table.clearSelection()
        self.show_case(None)
        self.reference.setFocus()

    def _add_party(self) -> None:
        person = self.picker.chosen()
        name = self.party_name.text().strip()
        if name:
            party = PartyDTO(name=name, label=name)
        elif self.party_group.currentData():
            party = PartyDTO(
                group_id=self.party_group.currentData(), label=self.party_group.currentText()
            )
        elif person is not None:
            party = PartyDTO(participant_id=person[0], label=person[1])
        else:
            show_error(
                self.errors["parties"], _("Search a person, choose a group or describe the party.")
            )
            return
        show_error(self.errors["parties"], None)
        self.parties.append(party)
        self.party_name.clear()
        self.party_group.setCurrentIndex(0)
        self.picker.clear()
        self._fill_parties()

    def _remove_party(self) -> None:
        row = self.party_list.currentRow()
        if 0 <= row < len(self.parties):
            del self.parties[row]
            self._fill_parties()

    def save(self) -> None:
        for label in self.errors.values():
            show_error(label, None)
        value = CaseDTO(
            id=self.current.id if self.current else None,
            reference=self.reference.text(),
            opened_on=from_qdate(self.opened_on.date()) or self.today(),
            conflict_kind=self.kind.currentData(),
            neighbourhood=self.neighbourhood.text(),
            closed_on=from_qdate(self.closed_on.date()),
            outcome=self.outcome.currentData(),
            summary=self.summary.toPlainText(),
            staff_ids=self._checked(self.team),
            parties=tuple(self.parties),
            session_ids=self._checked(self.sessions),
            agreements=lines(self.agreements.toPlainText()),
        )

        def invalid(exc: ValidationError) -> None:
            show_errors(self.errors, exc.errors, "reference")

        def saved(case: CaseDTO) -> None:
            self.current = case
            self.refresh()

        run_op(
            self,
            lambda: self.services.mediation.save(value),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Cannot save the case"),
            on_invalid=invalid,
            on_success=saved,
        )

    def delete(self) -> None:
        case = self.current
        if (
            case is None
            or not case.id
            or not self.prompts.confirm(
                self,
                _("Delete case"),
                _("Delete the case {reference}?").format(reference=case.reference),
            )
        ):
            return
        case_id = case.id

        def deleted(_result: None) -> None:
            self.show_case(None)
            self.refresh()

        run_op(
            self,
            lambda: self.services.mediation.delete(case_id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Delete case"),
            on_success=deleted,
        )
