"""Volunteers: who volunteers, where and since when, their commitment agreement (printed to sign)
and insurance, the hours they give by session or by month; and the certificates of the
sexual-offences register of everyone who works with minors (docs/volunteers.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Area
from app.domain.volunteers import (
    CERTIFICATE_RESULT_LABELS,
    CERTIFICATE_RESULTS,
    CertificateDTO,
    CertificateHolder,
    VolunteerDTO,
    VolunteerHoursDTO,
)
from app.errors import UserError, ValidationError
from app.i18n import _, format_date
from app.services.container import Services
from ui import file_names
from ui.events import DataBus
from ui.models.dto_table import Column, DtoTableModel
from ui.models.rows import ID_ROLE
from ui.pages.base import Page
from ui.prompts import Prompts
from ui.safeguarding import confirm_scheduling
from ui.widgets.form_bits import labels_above_when_narrow
from ui.widgets.form_fields import CheckList, DateField, FieldErrors, shrinkable
from ui.widgets.person_picker import PersonPicker
from ui.widgets.tables import proxy_for, sorted_view, stretch_column
from ui.workers import run_op


def _day(value: dt.date | None) -> str:
    return format_date(value, fmt="short") if value else ""


def _hours(value: float) -> str:
    return f"{value:g}"


class VolunteersPage(Page):
    areas = (Area.PEOPLE, Area.PROGRAMMES, Area.ACTIVITIES, Area.SESSIONS, Area.STAFF)

    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__(services, bus, prompts)
        self.volunteer: VolunteerDTO | None = None
        self.person_id: str | None = None
        self._staff: list[tuple[str, str]] = []
        self._sessions: list[tuple[str, dt.date, str]] = []
        today = dt.date.today

        # -- the list ---------------------------------------------------------------------
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.new_button = QPushButton()
        self.model: DtoTableModel[VolunteerDTO] = DtoTableModel(
            [
                Column(lambda: _("Name"), lambda v: v.name),
                Column(lambda: _("Programmes"), lambda v: ", ".join(v.programme_codes)),
                Column(lambda: _("Since"), lambda v: _day(v.start), lambda v: v.start),
                Column(lambda: _("Hours"), lambda v: _hours(v.hours), lambda v: v.hours, True),
                Column(
                    lambda: _("Agreement"),
                    lambda v: _day(v.agreement_signed_on) or _("not signed"),
                ),
                Column(
                    lambda: _("Certificate"),
                    lambda v: _("valid") if v.certificate_valid else _("not valid"),
                ),
            ],
            muted=lambda v: not v.active(today()),
        )
        self.proxy = proxy_for(self.model, self)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.list = stretch_column(sorted_view(self.proxy), 0)
        header = self.list.horizontalHeader()
        for column in range(1, 6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # The start and the agreement's dates are on the form: the list keeps the name in sight.
        self.list.setColumnHidden(2, True)
        self.list.setColumnHidden(4, True)
        self.count = QLabel()

        # -- the volunteer: details ---------------------------------------------------------
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.errors = FieldErrors()
        self.picker = PersonPicker(services.people)
        self.picked = QLabel()
        self.start, self.end = DateField(optional=False), DateField()
        self.programmes, self.activities = CheckList(), CheckList()
        for checks in (self.programmes, self.activities):
            checks.setMaximumHeight(92)
        self.tasks, self.schedule, self.training = QLineEdit(), QLineEdit(), QLineEdit()
        self.training_hours = QDoubleSpinBox()
        self.training_hours.setRange(0, 999)
        self.training_hours.setDecimals(1)
        self.agreement = DateField()
        self.insurer, self.policy = QLineEdit(), QLineEdit()
        self.insurance_from, self.insurance_to = DateField(), DateField()
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(60)
        self.save_button, self.print_button, self.remove_button = (
            QPushButton(),
            QPushButton(),
            QPushButton(),
        )
        self._labels = [QLabel() for _i in range(14)]
        details = QWidget()
        form = QFormLayout(details)
        insurance = QHBoxLayout()
        insurance.addWidget(self.insurer, 2)
        insurance.addWidget(self.errors.wrap("policy_number", self.policy), 1)
        insured = QHBoxLayout()
        insured.addWidget(self.insurance_from)
        insured.addWidget(self.errors.wrap("insurance_to", self.insurance_to))
        insured.addStretch(1)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(self.errors.wrap("end", self.end))
        dates.addStretch(1)
        person = QVBoxLayout()
        person.addWidget(self.picked)
        person.addWidget(self.errors.wrap("participant_id", self.picker))
        training = QHBoxLayout()
        training.addWidget(self.training, 3)
        training.addWidget(self.errors.wrap("training_hours", self.training_hours), 1)
        for label, widget in zip(
            self._labels,
            (
                person,
                dates,
                self.programmes,
                self.activities,
                self.tasks,
                self.schedule,
                training,
                self.agreement,
                insurance,
                insured,
                self.notes,
            ),
            strict=False,
        ):
            form.addRow(label, widget)

        # -- the volunteer: hours ---------------------------------------------------------------
        self.hours_model: DtoTableModel[VolunteerHoursDTO] = DtoTableModel(
            [
                Column(lambda: _("Date"), lambda h: _day(h.date), lambda h: h.date),
                Column(
                    lambda: _("Session or month"),
                    lambda h: (
                        h.activity_name
                        or _("Month ({month})").format(month=h.date.strftime("%m/%Y"))
                    ),
                ),
                Column(lambda: _("Programmes"), lambda h: ", ".join(h.programme_codes)),
                Column(lambda: _("Hours"), lambda h: _hours(h.hours), lambda h: h.hours, True),
            ]
        )
        self.hours_view = stretch_column(sorted_view(proxy_for(self.hours_model, self)), 1)
        self.by_session, self.by_month = QRadioButton(), QRadioButton()
        self.by_session.setChecked(True)
        self.session_choice = shrinkable(QComboBox(), 24)
        self.month = DateField(optional=False)
        self.month.setDisplayFormat("MM/yyyy")
        self.month_programme = shrinkable(QComboBox(), 10)
        self.hours_value = QDoubleSpinBox()
        self.hours_value.setRange(0, 744)
        self.hours_value.setDecimals(2)
        self.hours_value.setValue(2)
        self.add_hours, self.delete_hours = QPushButton(), QPushButton()
        self.hours_errors = FieldErrors()
        hours_tab = QWidget()
        ht = QVBoxLayout(hours_tab)
        ht.addWidget(self.hours_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.by_session)
        row.addWidget(self.session_choice, 1)
        ht.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.by_month)
        row.addWidget(self.month)
        row.addWidget(self.hours_errors.wrap("programme_id", self.month_programme), 1)
        ht.addLayout(row)
        row = QHBoxLayout()
        self.hours_label = QLabel()
        row.addWidget(self.hours_label)
        row.addWidget(self.hours_errors.wrap("hours", self.hours_value))
        row.addWidget(self.add_hours)
        row.addStretch(1)
        row.addWidget(self.delete_hours)
        ht.addLayout(row)

        # The details scroll on a small screen (a 1024 x 700 window holds the page).
        details_scroll = QScrollArea()
        details_scroll.setWidgetResizable(True)
        details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        details_scroll.setWidget(details)
        # Beside the list at 1024 pixels the labels go above their fields: the list keeps the
        # names readable, the fields their width.
        labels_above_when_narrow(form, details_scroll)
        self.inner = QTabWidget()
        self.inner.addTab(details_scroll, "")
        self.inner.addTab(hours_tab, "")
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.filter)
        top = QHBoxLayout()
        top.addWidget(self.new_button)
        top.addStretch(1)
        ll.addLayout(top)
        ll.addWidget(self.list, 1)
        ll.addWidget(self.count)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.heading)
        rl.addWidget(self.inner, 1)
        # Two rows of buttons: in one, their long labels (Spanish above all) would make the form
        # half the page at 1024 pixels and leave the list's names cut.
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        rl.addLayout(buttons)
        removing = QHBoxLayout()
        removing.addWidget(self.remove_button)
        removing.addStretch(1)
        rl.addLayout(removing)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([560, 460])  # the list first: the form wraps its labels when narrow
        volunteers_tab = QWidget()
        QVBoxLayout(volunteers_tab).addWidget(split)

        # -- certificates ---------------------------------------------------------------------
        self.certificates_intro = QLabel()
        self.certificates_intro.setWordWrap(True)
        self.holders_model: DtoTableModel[CertificateHolder] = DtoTableModel(
            [
                Column(lambda: _("Name"), lambda h: h.name),
                Column(
                    lambda: _("Works as"),
                    lambda h: _("Staff") if h.kind == "staff" else _("Volunteer"),
                ),
                Column(
                    lambda: _("Issued on"), lambda h: _day(h.issue_date), lambda h: h.issue_date
                ),
                Column(
                    lambda: _("Result"),
                    lambda h: _(CERTIFICATE_RESULT_LABELS[h.result]) if h.result else "",
                ),
                Column(
                    lambda: _("Status"),
                    lambda h: _("valid") if h.valid else _("missing or out of date"),
                ),
            ],
            warn=lambda h: not h.valid,
        )
        self.holders_proxy = proxy_for(self.holders_model, self)
        self.holders_view = stretch_column(sorted_view(self.holders_proxy), 0)
        self.holder = shrinkable(QComboBox(), 20)
        self.issue_date = DateField(optional=False)
        self.result = QComboBox()
        for result in CERTIFICATE_RESULTS:
            self.result.addItem("", result)
        self.record_certificate = QPushButton()
        self.renewal_note = QLabel()
        self.renewal_note.setWordWrap(True)
        self.renewal_note.setStyleSheet("color: #555555;")
        certificates_tab = QWidget()
        cl = QVBoxLayout(certificates_tab)
        cl.addWidget(self.certificates_intro)
        cl.addWidget(self.holders_view, 1)
        row = QHBoxLayout()
        self.holder_label, self.issue_label = QLabel(), QLabel()
        row.addWidget(self.holder_label)
        row.addWidget(self.holder, 1)
        cl.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.issue_label)
        row.addWidget(self.issue_date)
        row.addWidget(self.result)
        row.addWidget(self.record_certificate)
        row.addStretch(1)
        cl.addLayout(row)
        cl.addWidget(self.renewal_note)

        self.tabs = QTabWidget()
        self.tabs.addTab(volunteers_tab, "")
        self.tabs.addTab(certificates_tab, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

        self.filter.textChanged.connect(self._filter)
        self.list.selectionModel().currentRowChanged.connect(self._on_selected)
        self.picker.chosen.connect(self._picked)
        self.new_button.clicked.connect(self.new_volunteer)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_agreement)
        self.remove_button.clicked.connect(self.remove)
        self.add_hours.clicked.connect(self.record_hours)
        self.delete_hours.clicked.connect(self.remove_hours)
        self.record_certificate.clicked.connect(self.save_certificate)
        self.by_session.toggled.connect(self._hours_mode)
        self.holders_view.selectionModel().currentRowChanged.connect(self._holder_selected)
        for keys, slot in (
            ("Ctrl+N", self.new_volunteer),
            ("Ctrl+S", self.save),
            ("Ctrl+P", self.print_agreement),
            ("Ctrl+F", self.focus_filter),
            ("Ctrl+H", self.focus_hours),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        self.retranslate_ui()
        self._show(None)

    def title(self) -> str:
        return _("Volunteering")

    def retranslate_ui(self) -> None:
        self.filter.setPlaceholderText(_("Filter by name (Ctrl+F)"))
        self.new_button.setText(_("New volunteer"))
        self.new_button.setToolTip(_("New volunteer (Ctrl+N)"))
        self.save_button.setText(_("Save"))
        self.save_button.setToolTip(_("Save the volunteer (Ctrl+S)"))
        self.print_button.setText(_("Commitment agreement to sign…"))
        self.print_button.setToolTip(
            _("A PDF of the volunteer's commitment agreement, to print and sign (Ctrl+P)")
        )
        self.remove_button.setText(_("Remove from volunteers…"))
        for label, text in zip(
            self._labels,
            (
                _("Person"),
                _("From and until"),
                _("Programmes"),
                _("Activities"),
                _("Tasks"),
                _("Schedule"),
                _("Training and hours"),
                _("Agreement signed on"),
                _("Insurer and policy"),
                _("Insured from and until"),
                _("Notes"),
            ),
            strict=False,
        ):
            label.setText(text)
        self.tasks.setPlaceholderText(_("What the volunteer does (printed on the agreement)"))
        self.schedule.setPlaceholderText(_("e.g. Fridays from 11.00 to 12.30"))
        self.training.setPlaceholderText(_("Training received"))
        self.inner.setTabText(0, _("Details and agreement"))
        self.inner.setTabText(1, _("Hours"))
        self.by_session.setText(_("In the session"))
        self.by_month.setText(_("In the month"))
        self.hours_label.setText(_("Hours"))
        self.add_hours.setText(_("Record hours"))
        self.add_hours.setToolTip(_("Record the hours given (Ctrl+H goes here)"))
        self.delete_hours.setText(_("Delete"))
        self.tabs.setTabText(0, _("Volunteers"))
        self.tabs.setTabText(1, _("Sexual-offences register certificates"))
        self.certificates_intro.setText(
            _(
                "Everyone in habitual contact with minors (LO 1/1996 art. 13.5; LOPIVI art. 57) "
                "needs a negative certificate of the sexual-offences register: the staff who "
                "facilitate, and the volunteers who help in, activities with minors. Only the "
                "issue date and the result are kept, never the certificate itself."
            )
        )
        self.holder_label.setText(_("Person"))
        self.issue_label.setText(_("Issued on"))
        for i, result in enumerate(CERTIFICATE_RESULTS):
            self.result.setItemText(i, _(CERTIFICATE_RESULT_LABELS[result]))
        self.record_certificate.setText(_("Record certificate"))
        self.picker.retranslate_ui()
        for model in (self.model, self.hours_model, self.holders_model):
            model.retranslate()
        self._fill_holders()
        for i in range(self.session_choice.count()):
            _sid, day, activity = self._sessions[i]
            self.session_choice.setItemText(i, f"{_day(day)} · {activity}")
        self._heading()
        self._count()
        self._renewal_note()

    # -- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        rows = self.services.volunteers.all()
        self.model.set_rows(rows)
        self._filter(self.filter.text())
        self.programmes.set_items(
            ((p.id or "", f"{p.code} · {p.name}") for p in self.services.programmes.all()),
            self.programmes.checked_ids(),
        )
        self.activities.set_items(
            (
                (a.id or "", f"{a.programme_code} · {a.name}")
                for a in self.services.programmes.activities()
            ),
            self.activities.checked_ids(),
        )
        self.month_programme.clear()
        for p in self.services.programmes.all():
            self.month_programme.addItem(p.code, p.id)
        self._load_holders()
        if self.volunteer is not None and self.volunteer.id:
            match = next((v for v in rows if v.id == self.volunteer.id), None)
            if match is None:
                self._show(None)
            else:
                self.volunteer = match
                self._load_hours()
        self._count()
        self._renewal_note()

    def _load_holders(self) -> None:
        self.holders_model.set_rows(self.services.volunteers.holders())
        self._staff = [(st.id, st.name) for st in self.services.profile.staff(active_only=True)]
        self._fill_holders()

    def _fill_holders(self) -> None:
        """The people a certificate can be recorded for, labelled in the current language."""
        current = self.holder.currentData()
        self.holder.clear()
        for staff_id, name in self._staff:
            self.holder.addItem(_("{name} (staff)").format(name=name), ("staff", staff_id))
        for v in self.model.rows():
            self.holder.addItem(
                _("{name} (volunteer)").format(name=v.name), ("volunteer", v.participant_id)
            )
        if current is not None:
            self.holder.setCurrentIndex(max(self.holder.findData(current), 0))

    def _load_hours(self) -> None:
        v = self.volunteer
        self.session_choice.clear()
        self._sessions = []
        if v is None or not v.id:
            self.hours_model.set_rows([])
            return
        self.hours_model.set_rows(self.services.volunteers.hours(v.id))
        self._sessions = self.services.volunteers.sessions_to_help(v.id)
        for session_id, day, activity in self._sessions:
            self.session_choice.addItem(f"{_day(day)} · {activity}", session_id)
        if v.programme_ids:
            self.month_programme.setCurrentIndex(
                max(self.month_programme.findData(v.programme_ids[0]), 0)
            )

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._count()

    def _count(self) -> None:
        today = dt.date.today()
        active = sum(1 for v in self.model.rows() if v.active(today))
        self.count.setText(
            _("Volunteers: {count} ({active} active today)").format(
                count=self.model.total(), active=active
            )
        )

    def _renewal_note(self) -> None:
        months = self.services.volunteers.renewal_months() if self.services else 12
        self.renewal_note.setText(
            _(
                "A certificate is valid for {months} months from its issue date (the renewal "
                "period is in Settings > Team, places and funders)."
            ).format(months=months)
        )

    def _heading(self) -> None:
        v = self.volunteer
        if v is None and self.person_id is None:
            self.heading.setText(_("New volunteer: choose the person"))
        elif v is None or not v.id:
            self.heading.setText(_("New volunteer"))
        else:
            self.heading.setText(v.name)

    # -- the volunteer ---------------------------------------------------------------------
    def _on_selected(self, current: object, _previous: object = None) -> None:
        index = self.list.currentIndex()
        vid = index.data(ID_ROLE) if index.isValid() else None
        if not vid:
            return
        match = next((v for v in self.model.rows() if v.id == vid), None)
        if match is not None and (self.volunteer is None or self.volunteer.id != vid):
            self._show(match)

    def _show(self, v: VolunteerDTO | None) -> None:
        self.volunteer = v
        self.person_id = v.participant_id if v else None
        self.errors.clear()
        self.picker.setVisible(v is None)
        self.picker.search.clear()
        self.picked.setText(v.name if v else "")
        self.picked.setVisible(v is not None)
        self.start.set_value(v.start if v else dt.date.today())
        self.end.set_value(v.end if v else None)
        self.programmes.set_checked(v.programme_ids if v else ())
        self.activities.set_checked(v.activity_ids if v else ())
        self.tasks.setText(v.tasks if v else "")
        self.schedule.setText(v.schedule if v else "")
        self.training.setText(v.training if v else "")
        self.training_hours.setValue(v.training_hours if v else 0)
        self.agreement.set_value(v.agreement_signed_on if v else None)
        self.insurer.setText(v.insurer if v else "")
        self.policy.setText(v.policy_number if v else "")
        self.insurance_from.set_value(v.insurance_from if v else None)
        self.insurance_to.set_value(v.insurance_to if v else None)
        self.notes.setPlainText(v.notes if v else "")
        for line in (self.tasks, self.schedule, self.training, self.insurer, self.policy):
            line.setCursorPosition(0)  # a long text shows its beginning, not its end
        existing = v is not None and v.id is not None
        for w in (self.print_button, self.remove_button):
            w.setEnabled(existing)
        self.inner.setTabEnabled(1, existing)
        self._load_hours()
        self._heading()

    def _picked(self, participant_id: str) -> None:
        if self.services.volunteers.for_person(participant_id) is not None:
            self.errors.show({"participant_id": _("This person is already a volunteer.")})
            return
        self.person_id = participant_id
        name = self.services.people.get(participant_id).full_name
        self.picked.setText(name)
        self.picked.setVisible(True)
        self.picker.hide()
        self.errors.clear()
        self.heading.setText(_("New volunteer"))
        # A new volunteer is covered by the policy of the others, as a rule.
        others = [v for v in self.model.rows() if v.policy_number]
        if others and not self.policy.text():
            last = others[0]
            self.insurer.setText(last.insurer)
            self.policy.setText(last.policy_number)
            self.insurance_from.set_value(last.insurance_from)
            self.insurance_to.set_value(last.insurance_to)

    def new_volunteer(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.list.clearSelection()
        self._show(None)
        self.picker.search.setFocus()

    def focus_filter(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.filter.setFocus()
        self.filter.selectAll()

    def focus_hours(self) -> None:
        if self.volunteer is None or not self.volunteer.id:
            return
        self.tabs.setCurrentIndex(0)
        self.inner.setCurrentIndex(1)
        self.hours_value.setFocus()

    def value(self) -> VolunteerDTO:
        v = self.volunteer
        return VolunteerDTO(
            id=v.id if v else None,
            participant_id=self.person_id or "",
            start=self.start.value() or dt.date.today(),
            end=self.end.value(),
            programme_ids=self.programmes.checked_ids(),
            activity_ids=self.activities.checked_ids(),
            tasks=self.tasks.text(),
            schedule=self.schedule.text(),
            training=self.training.text(),
            training_hours=self.training_hours.value(),
            agreement_signed_on=self.agreement.value(),
            insurer=self.insurer.text(),
            policy_number=self.policy.text(),
            insurance_from=self.insurance_from.value(),
            insurance_to=self.insurance_to.value(),
            notes=self.notes.toPlainText(),
        )

    def save(self) -> None:
        if self.tabs.currentIndex() != 0:
            return
        dto = self.value()

        def saved(result: VolunteerDTO) -> None:
            self.refresh()
            self._show(result)
            for row in range(self.proxy.rowCount()):
                if self.proxy.index(row, 0).data(ID_ROLE) == result.id:
                    self.list.selectRow(row)
                    break

        run_op(
            self,
            lambda: self.services.volunteers.save(dto),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Volunteer"),
            on_invalid=lambda exc: self._invalid(exc),
            on_success=saved,
        )

    def _invalid(self, exc: ValidationError) -> None:
        for message in self.errors.show(exc.errors):
            self.prompts.error(self, _("Volunteer"), message)

    def remove(self) -> None:
        v = self.volunteer
        if v is None or not v.id:
            return
        if not self.prompts.confirm(
            self,
            _("Volunteer"),
            _(
                "Remove {name} from the volunteers? The hours already given stay counted in "
                "the reports made. To record that they stopped, set the date until instead."
            ).format(name=v.name),
        ):
            return
        vid = v.id
        run_op(
            self,
            lambda: self.services.volunteers.remove(vid),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Volunteer"),
            on_success=self._removed,
        )

    def _removed(self, _result: object) -> None:
        self._show(None)
        self.refresh()

    def print_agreement(self) -> None:
        from ui.workers import run_with_progress

        v = self.volunteer
        if v is None or not v.id:
            return
        # TRANSLATORS: start of a saved agreement's file name, e.g.
        # "volunteer-agreement-2026-12-03-aya-el-amrani.pdf".
        suggested = file_names.suggest(_("volunteer-agreement"), dt.date.today(), v.name)
        path = self.prompts.save_file(
            self, _("Save the commitment agreement"), suggested, "PDF (*.pdf)"
        )
        if not path:
            return
        file_names.remember_folder(path)
        vid, service = v.id, self.services.volunteers
        try:
            run_with_progress(
                self,
                _("Commitment agreement"),
                _("Writing the commitment agreement…"),
                lambda: service.write_agreement(Path(path), vid),
            )
        except UserError as exc:
            self.prompts.error(self, _("Commitment agreement"), exc.message)
            return
        self.prompts.info(self, _("Commitment agreement"), _("Saved in {path}").format(path=path))

    # -- hours -----------------------------------------------------------------------------
    def _hours_mode(self) -> None:
        session = self.by_session.isChecked()
        self.session_choice.setEnabled(session)
        self.month.setEnabled(not session)
        self.month_programme.setEnabled(not session)

    def record_hours(self) -> None:
        v = self.volunteer
        if v is None or not v.id:
            return
        session_id = self.session_choice.currentData() if self.by_session.isChecked() else None
        if self.by_session.isChecked() and not session_id:
            self.hours_errors.show({"programme_id": _("Choose the session.")})
            return
        day = self.month.value() or dt.date.today()
        if session_id:
            # Helping in a session with minors needs a valid certificate: said before.
            names = self._uncertified_in(session_id, v)
            if not confirm_scheduling(self, self.prompts, names):
                return
        dto = VolunteerHoursDTO(
            volunteer_id=v.id,
            date=day,
            hours=self.hours_value.value(),
            session_id=session_id,
            programme_id=None if session_id else self.month_programme.currentData(),
        )
        run_op(
            self,
            lambda: self.services.volunteers.save_hours(dto),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Volunteer hours"),
            on_invalid=self._hours_invalid,
            on_success=self._hours_saved,
        )

    def _hours_invalid(self, exc: ValidationError) -> None:
        for message in self.hours_errors.show(exc.errors):
            self.prompts.error(self, _("Volunteer hours"), message)

    def _hours_saved(self, _result: object) -> None:
        self.hours_errors.clear()
        self.refresh()

    def _uncertified_in(self, session_id: str, v: VolunteerDTO) -> list[str]:
        """The volunteer's name when the session has minors and their certificate is not
        valid on its day."""
        volunteers = self.services.volunteers
        if not volunteers.session_has_minors(session_id):
            return []
        return [] if v.certificate_valid else [v.name]

    def remove_hours(self) -> None:
        index = self.hours_view.currentIndex()
        hours_id = index.data(ID_ROLE) if index.isValid() else None
        if not hours_id:
            return
        run_op(
            self,
            lambda: self.services.volunteers.delete_hours(hours_id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Volunteer hours"),
            on_success=lambda _r: self.refresh(),
        )

    # -- certificates ----------------------------------------------------------------------
    def _holder_selected(self, current: object, _previous: object = None) -> None:
        index = self.holders_view.currentIndex()
        holder = self.holders_model.row_at(self.holders_proxy.mapToSource(index).row())
        if holder is None:
            return
        key = (
            ("staff", holder.staff_id)
            if holder.kind == "staff"
            else (
                "volunteer",
                holder.participant_id,
            )
        )
        self.holder.setCurrentIndex(max(self.holder.findData(key), 0))

    def save_certificate(self) -> None:
        data = self.holder.currentData()
        if not data:
            return
        kind, holder_id = data
        dto = CertificateDTO(
            issue_date=self.issue_date.value() or dt.date.today(),
            result=self.result.currentData(),
            staff_id=holder_id if kind == "staff" else None,
            participant_id=holder_id if kind == "volunteer" else None,
        )
        run_op(
            self,
            lambda: self.services.volunteers.save_certificate(dto),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Sexual-offences register certificates"),
            on_success=lambda _r: self.refresh(),
        )
