"""People: search as you type over name, document and phone; the record with its consents,
enrolments and attendance history; duplicates shown before creating; merge; erasure."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Area
from app.domain.people import (
    CONSENT_KINDS,
    CONSENT_LABELS,
    SIGNED_BY,
    SIGNED_BY_LABELS,
    ConsentDTO,
    PersonDTO,
)
from app.errors import UserError, ValidationError
from app.i18n import _
from app.services.container import Services
from ui.dialogs.merge_dialog import MergeDialog
from ui.dialogs.quick_person_dialog import confirm_not_duplicate
from ui.dialogs.referral_dialog import ReferralsWidget
from ui.events import DataBus
from ui.models.people import ConsentsModel, EnrolmentsModel, HistoryModel, PeopleModel
from ui.models.rows import ID_ROLE, SORT_ROLE
from ui.pages.base import Page
from ui.prompts import Prompts
from ui.stale import on_stale
from ui.widgets.export_button import ExportButton
from ui.widgets.form_fields import DateField, FieldErrors
from ui.widgets.person_form import PersonForm
from ui.widgets.tables import proxy_for, sorted_view, stretch_column
from ui.workers import LatestOnly, run_op

#: Rows (besides those in sight) the list's columns are fitted to.
FITTED_ROWS = 100


class PeoplePage(Page):
    # Sessions too: a moved or deleted session changes a person's attendance history.
    areas = (Area.PEOPLE, Area.ATTENDANCE, Area.ACTIVITIES, Area.SESSIONS)

    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__(services, bus, prompts)
        self.person_id: str | None = None
        self.dialog: QDialog | None = None
        self._background = LatestOnly(self)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.count = QLabel()
        self.model = PeopleModel(self)
        self.proxy = proxy_for(self.model, self)
        # Whole names first (what people look for); the other columns scroll when narrow.
        self.list = sorted_view(self.proxy)
        self.list.setSortingEnabled(False)  # kept in name order by the search
        # Columns fitted to the rows in sight and the next ones, not to the first thousand: on
        # 50 000 people that measuring was most of the window's work before the list showed.
        self.list.horizontalHeader().setResizeContentsPrecision(FITTED_ROWS)
        self.export_button = ExportButton(
            self.proxy,
            prompts,
            lambda: _("People"),
            exchange=services.exchange,
            value_role=SORT_ROLE,
            view=self.list,
        )
        self.new_button = QPushButton()
        self.heading = QLabel()
        self.heading.setWordWrap(True)  # a long name wraps instead of widening the window
        self.heading.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.form = PersonForm()
        self.save_button, self.merge_button, self.erase_button = (
            QPushButton(),
            QPushButton(),
            QPushButton(),
        )
        # Consents.
        self.consents_model = ConsentsModel(self)
        self.consents = sorted_view(proxy_for(self.consents_model, self))
        self.consent_errors = FieldErrors()
        self.consent_kind, self.consent_signed_by = QComboBox(), QComboBox()
        for kind in CONSENT_KINDS:
            self.consent_kind.addItem("", kind)
        for who in SIGNED_BY:
            self.consent_signed_by.addItem("", who)
        self.consent_granted = QCheckBox()
        self.consent_granted.setChecked(True)
        self.consent_date = DateField(optional=False)
        self.consent_save, self.consent_revoke = QPushButton(), QPushButton()
        #: This person's consent form to sign on paper (a blank one is in the File menu).
        self.consent_form_button = QPushButton()
        consents_tab = QWidget()
        ct = QVBoxLayout(consents_tab)
        ct.addWidget(self.consents, 1)
        # Two rows, so long Catalan and Spanish labels fit a 1024-pixel screen.
        row = QHBoxLayout()
        for widget in (
            self.consent_kind,
            self.consent_granted,
            self.consent_errors.wrap("date", self.consent_date),
        ):
            row.addWidget(widget)
        row.addStretch(1)
        ct.addLayout(row)
        row = QHBoxLayout()
        signed_by = self.consent_errors.wrap("signed_by", self.consent_signed_by)
        for widget in (signed_by, self.consent_save, self.consent_revoke):
            # Top-aligned: a message under "signed by" does not push the buttons down.
            row.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)
        row.addStretch(1)
        ct.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.consent_form_button)
        row.addStretch(1)
        ct.addLayout(row)
        # Enrolments and history.
        self.enrolments_model, self.history_model = EnrolmentsModel(self), HistoryModel(self)
        history_tab = QWidget()
        ht = QVBoxLayout(history_tab)
        self.enrolments_label, self.history_label = QLabel(), QLabel()
        ht.addWidget(self.enrolments_label)
        ht.addWidget(
            stretch_column(
                sorted_view(proxy_for(self.enrolments_model, self)), EnrolmentsModel.COL_ACTIVITY
            ),
            1,
        )
        ht.addWidget(self.history_label)
        ht.addWidget(
            stretch_column(
                sorted_view(proxy_for(self.history_model, self)), HistoryModel.COL_ACTIVITY
            ),
            2,
        )
        details_tab = QWidget()
        dt_layout = QVBoxLayout(details_tab)
        dt_layout.addWidget(self.form)
        dt_layout.addStretch(1)
        self.tabs = QTabWidget()
        self.tabs.addTab(details_tab, "")
        self.tabs.addTab(consents_tab, "")
        self.tabs.addTab(history_tab, "")
        self.referrals = ReferralsWidget(services, bus, prompts)
        self.tabs.addTab(self.referrals, "")
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        # The search gets a row of its own, so its hint is read whole at 1024 px.
        ll.addWidget(self.search)
        top = QHBoxLayout()
        top.addWidget(self.new_button)
        top.addWidget(self.export_button)
        top.addStretch(1)
        ll.addLayout(top)
        ll.addWidget(self.list, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        ll.addLayout(bottom)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.heading)
        rl.addWidget(self.tabs, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.erase_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        rl.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([380, 620])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

        self.search.textChanged.connect(self.run_search)
        self.search.returnPressed.connect(self.list.setFocus)
        self.list.selectionModel().currentRowChanged.connect(self._on_selected)
        self.new_button.clicked.connect(self.new_person)
        self.save_button.clicked.connect(lambda: self.save_person())
        self.merge_button.clicked.connect(self.merge_person)
        self.erase_button.clicked.connect(self.erase_person)
        self.consent_save.clicked.connect(self.save_consent)
        self.consent_revoke.clicked.connect(self.revoke_consent)
        self.consent_form_button.clicked.connect(self.print_consent_form)
        for keys, slot in (
            ("Ctrl+N", self.new_person),
            ("Ctrl+S", self.save_person),
            ("Ctrl+F", self.focus_search),
        ):
            # Also when the focus is on the navigation (a hidden page's shortcuts are off).
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        self.retranslate_ui()
        self._enable()
        #: The form as last loaded or saved (to tell unsaved changes).
        self._clean = self.form.value()

    def title(self) -> str:
        return _("People")

    def retranslate_ui(self) -> None:
        self.search.setPlaceholderText(_("Search by name, document or phone (Ctrl+F)"))
        self.new_button.setText(_("New person"))
        self.save_button.setText(_("Save"))
        self.save_button.setToolTip(_("Save the person (Ctrl+S)"))
        self.new_button.setToolTip(_("New person (Ctrl+N)"))
        self.merge_button.setText(_("Merge with…"))
        self.erase_button.setText(_("Erase (block)…"))
        self.tabs.setTabText(0, _("Details"))
        self.tabs.setTabText(1, _("Consents"))
        self.tabs.setTabText(2, _("Enrolments and attendance"))
        self.tabs.setTabText(3, _("Referrals"))
        for i, kind in enumerate(CONSENT_KINDS):
            self.consent_kind.setItemText(i, _(CONSENT_LABELS[kind]))
        for i, who in enumerate(SIGNED_BY):
            self.consent_signed_by.setItemText(i, _(SIGNED_BY_LABELS[who]))
        self.consent_granted.setText(_("Granted"))
        self.consent_save.setText(_("Save consent"))
        self.consent_revoke.setText(_("Revoke"))
        self.consent_form_button.setText(_("Consent form to sign…"))
        self.consent_form_button.setToolTip(
            _(
                "A PDF with this person's consent form, to print and sign (the guardian signs "
                "for a minor)"
            )
        )
        self.enrolments_label.setText(_("Enrolments"))
        self.history_label.setText(_("Attendance history"))
        self.form.retranslate_ui()
        for model in (self.model, self.consents_model, self.enrolments_model, self.history_model):
            model.retranslate()
        self._heading()
        self._count()

    def print_consent_form(self) -> None:
        """Save this person's consent form (the guardian signs for a minor) as a PDF."""
        from ui.consent_forms import save_consent_form

        person = self.form.person
        if person is None or person.id is None:
            return
        save_consent_form(self, self.services, self.prompts, person.id, person.full_name)

    def _enable(self) -> None:
        p = self.form.person
        existing = p is not None and p.id is not None
        blocked = bool(p and p.blocked)
        for w in (self.merge_button, self.erase_button):
            w.setEnabled(existing and not blocked)
        self.save_button.setEnabled(not blocked)
        self.tabs.setTabEnabled(1, existing)
        self.tabs.setTabEnabled(2, existing)
        self.tabs.setTabEnabled(3, existing and not blocked)

    def _heading(self) -> None:
        p = self.form.person
        if p is None:
            self.heading.setText(_("New person"))
        elif p.blocked:
            self.heading.setText(_("{name} (blocked: data erased)").format(name=p.full_name))
        else:
            self.heading.setText(p.full_name)

    def _count(self) -> None:
        self.count.setText(_("People found: {count}").format(count=self.model.total()))

    def refresh(self) -> None:
        if not self.services.people.ready():
            # Building the search index reads every person: off the window's thread.
            self.count.setText(_("Loading people…"))
            people = self.services.people
            self._background.run(lambda: people.count(), lambda _n: self.refresh())
            return
        self.run_search(self.search.text())
        if self.person_id:
            # The form keeps what is typed; the lists beside it follow the data.
            try:
                self.services.people.get(self.person_id)
            except UserError:
                self._show(None)
                return
            self._load_side()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def loading(self) -> bool:
        return self._background.busy

    def run_search(self, text: str) -> None:
        """Runs on every keystroke: the index is in memory (see the benchmark)."""
        if not self.services.people.ready():
            return  # the first load is under way; it searches the text typed when done
        self.model.set_rows(self.services.people.search(text, limit=None))
        self._count()
        if self.person_id:
            self._select_row(self.person_id)

    def _select_row(self, person_id: str) -> None:
        self.list.selectionModel().blockSignals(True)
        self.list.selectionModel().clear()  # the current row too: a click on it must count
        for row in range(min(self.proxy.rowCount(), 2000)):
            index = self.proxy.index(row, 0)
            if index.data(ID_ROLE) == person_id:
                self.list.selectionModel().setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                break
        self.list.selectionModel().blockSignals(False)

    def _on_selected(self, current: object, _previous: object) -> None:
        index = self.proxy.mapToSource(current)  # type: ignore[arg-type]
        if not index.isValid():
            return
        target = self.model.row(index.row()).id
        if target == self.person_id:
            return
        if not self.leave_ok():
            self._select_row(self.person_id or "")
            return
        self._show(target)
        self._select_row(target)  # saving may have moved the list

    def has_unsaved_changes(self) -> bool:
        return self.form.value() != self._clean

    def leave_ok(self) -> bool:
        """Before showing another person: what was typed is saved or dropped, as the user
        says. False when saving failed (the messages are under the fields)."""
        if not self.has_unsaved_changes():
            return True
        name = self.form.value().full_name or _("New person")
        text = _("Save the changes to {name}? If not, they are discarded.").format(name=name)
        if not self.prompts.confirm(self, _("Unsaved changes"), text):
            return True
        return self.save_person()

    def _show(self, person_id: str | None) -> None:
        self.person_id = person_id
        self.form.set_person(self.services.people.get(person_id) if person_id else None)
        self._clean = self.form.value()
        self._load_side()
        self.consent_signed_by.setCurrentIndex(1 if self._is_minor() else 0)
        self._heading()
        self._enable()

    def _load_side(self) -> None:
        pid, people = self.person_id, self.services.people
        self.consents_model.set_rows(people.consents(pid) if pid else [])
        self.enrolments_model.set_rows(people.enrolments(pid) if pid else [])
        self.history_model.set_rows(people.history(pid) if pid else [])
        self.referrals.set_participant(pid)

    def _is_minor(self) -> bool:
        p = self.form.person
        age = p.age(dt.date.today()) if p else None
        return age is not None and age < 18

    # --- actions --------------------------------------------------------------------------
    def new_person(self) -> None:
        if not self.leave_ok():
            return
        self._select_row("")
        self._show(None)
        self.tabs.setCurrentIndex(0)
        self.form.given_name.setFocus()

    def save_person(self, dto: PersonDTO | None = None) -> bool:
        """Save the form (or ``dto``: the values chosen after someone else saved the person
        meanwhile)."""
        mine = self.form.value()
        dto = dto or mine
        if dto.id is None and not confirm_not_duplicate(self.services, self.prompts, self, dto):
            return False
        done: list[bool] = []

        def invalid(exc: ValidationError) -> None:
            self.tabs.setCurrentIndex(0)  # the messages are under the fields
            for message in self.form.errors.show(exc.errors):
                self.prompts.error(self, _("Person"), message)

        def saved(person: PersonDTO) -> None:
            self.person_id = person.id
            self._clean = self.form.value()
            self.run_search(self.search.text())
            self._show(person.id)

        def reload(current: PersonDTO) -> None:
            self._show(current.id)

        stale = on_stale(
            self,
            self.prompts,
            _("Person"),
            dto,
            self.form.person,
            self.form.compared_fields(),
            retry=lambda chosen: done.append(self.save_person(chosen)),
            reload=reload,
            show=self.form.shown,
        )
        ok = run_op(
            self,
            lambda: self.services.people.save(dto),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Person"),
            on_invalid=invalid,
            on_success=saved,
            on_failure=stale,
        )
        return ok or any(done)

    def save_consent(self) -> None:
        person_id = self.person_id
        if person_id is None:
            return
        c = ConsentDTO(
            kind=self.consent_kind.currentData(),
            granted=self.consent_granted.isChecked(),
            date=self.consent_date.value(),
            signed_by=self.consent_signed_by.currentData(),
        )

        def invalid(exc: ValidationError) -> None:
            for message in self.consent_errors.show(exc.errors):
                self.prompts.error(self, _("Consents"), message)

        def saved(_result: None) -> None:
            self.consent_errors.clear()
            self.refresh()  # the consents beside the form and the list

        run_op(
            self,
            lambda: self.services.people.save_consent(person_id, c),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Consents"),
            on_invalid=invalid,
            on_success=saved,
        )

    def revoke_consent(self) -> None:
        index = self.consents.currentIndex()
        person_id = self.person_id
        if person_id is None or not index.isValid():
            return
        source = self.consents.model().mapToSource(index)  # type: ignore[attr-defined]
        c = self.consents_model.row(source.row())
        run_op(
            self,
            lambda: self.services.people.save_consent(
                person_id, replace(c, revoked_at=dt.date.today())
            ),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Consents"),
            on_success=lambda _r: self.refresh(),
        )

    def merge_person(self) -> None:
        if self.person_id is None:
            return
        dialog = MergeDialog(self.services, self.prompts, self.person_id, self, bus=self.bus)
        self.dialog = dialog
        dialog.accepted.connect(self._merged)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _merged(self) -> None:
        self.run_search(self.search.text())
        self._show(self.person_id)

    def erase_person(self) -> None:
        p = self.form.person
        if p is None or p.id is None:
            return
        person_id = p.id
        text = _(
            "Erase {name}'s data? The record is blocked: hidden from lists and new "
            "documents, and frozen. Figures already reported do not change."
        ).format(name=p.full_name)
        if not self.prompts.confirm(self, _("Erase (block)"), text):
            return

        def erased(_result: None) -> None:
            self.person_id = None
            self.run_search(self.search.text())
            self._show(None)

        run_op(
            self,
            lambda: self.services.people.erase(person_id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Erase (block)"),
            on_success=erased,
        )
