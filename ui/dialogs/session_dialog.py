"""Create or edit one session: activity, date, times, place, facilitators, status and notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.programmes import ActivityDTO
from app.domain.sessions import SESSION_STATUS_LABELS, SESSION_STATUSES, SessionDTO
from app.errors import ValidationError
from app.i18n import _, ngettext
from app.services.container import Services
from ui.events import DataBus
from ui.prompts import Prompts
from ui.safeguarding import certificate_label, show_uncertified
from ui.stale import on_stale, shown
from ui.widgets.form_fields import CheckList, DateField, FieldErrors, TimeField, shrinkable
from ui.workers import run_op


def fill_activities(combo: QComboBox, activities: list[ActivityDTO], empty: str | None) -> None:
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    if empty is not None:
        combo.addItem(empty, None)
    for a in activities:
        combo.addItem(a.label(), a.id)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.blockSignals(False)


def searchable(combo: QComboBox) -> QComboBox:
    """Typing any part of an item's text finds it ("cuina" finds "JOV · Taller de cuina"):
    the items start with the programme code, so matching from the start finds nothing."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = QCompleter(combo.model(), combo)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    combo.setCompleter(completer)
    line = combo.lineEdit()
    assert line is not None  # editable
    # Text that names no item goes back to the chosen item's.
    line.editingFinished.connect(
        lambda: combo.setEditText(combo.itemText(combo.currentIndex()))
        if combo.findText(combo.currentText()) < 0
        else combo.setCurrentIndex(combo.findText(combo.currentText()))
    )
    return combo


#: The activity of the last session saved in this run: a new session starts there.
_last_activity_id: str | None = None


class SessionDialog(QDialog):
    def __init__(
        self,
        services: Services,
        prompts: Prompts,
        session: SessionDTO | None,
        activity_id: str | None = None,
        day: dt.date | None = None,
        parent: QWidget | None = None,
        *,
        bus: DataBus | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.prompts, self.bus = services, prompts, bus
        self.session = session
        self.saved: SessionDTO | None = None
        self.errors = FieldErrors()
        self.activity = searchable(shrinkable(QComboBox(), 16))
        fill_activities(self.activity, services.programmes.activities(), None)
        self.date = DateField(optional=False)
        self.start_time, self.end_time = TimeField(), TimeField()
        self.place = QComboBox()
        self.place.addItem("", None)
        for place in services.profile.places():
            self.place.addItem(place.name, place.id)
        self.facilitators = CheckList()
        self.facilitators.setMaximumHeight(90)
        self.facilitators.set_items((s.id, s.name) for s in services.profile.staff())
        self.status = QComboBox()
        for status in SESSION_STATUSES:
            self.status.addItem("", status)
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(80)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self._labels = [QLabel() for _i in range(7)]
        times = QHBoxLayout()
        times.addWidget(self.start_time)
        times.addWidget(self.errors.wrap("end_time", self.end_time))
        form = QFormLayout()
        for label, widget in zip(
            self._labels,
            (
                self.errors.wrap("activity_id", self.activity),
                self.date,
                times,
                self.place,
                self.facilitators,
                self.status,
                self.notes,
            ),
            strict=True,
        ):
            form.addRow(label, widget)
        #: "Signed sheet: N pages" when scans of its signed sheet are kept with the session.
        self.evidence = QLabel()
        self._evidence_pages = (
            services.scans.evidence_pages(session.id) if session and session.id else 0
        )
        self.evidence.setVisible(self._evidence_pages > 0)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.evidence)
        #: Staff scheduled in a session with minors without a valid certificate of the
        #: sexual-offences register, named before saving (ui/safeguarding.py).
        self.certificate_warning = certificate_label()
        layout.addWidget(self.certificate_warning)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.activity.currentIndexChanged.connect(self._defaults)
        if session is None:
            activity_id = activity_id or _last_activity_id
            if activity_id:
                self.activity.setCurrentIndex(max(self.activity.findData(activity_id), 0))
            self.date.set_value(day or dt.date.today())
            self._defaults()
        else:
            self._load(session)
        for signal in (
            self.facilitators.itemChanged,
            self.date.dateChanged,
            self.activity.currentIndexChanged,
        ):
            signal.connect(lambda *_args: self._check_certificates())
        self.retranslate_ui()

    def _check_certificates(self) -> None:
        show_uncertified(
            self.certificate_warning,
            self.services,
            self.session.id if self.session else None,
            self.activity.currentData(),
            self.date.value(),
            self.facilitators.checked_ids(),
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("New session") if self.session is None else _("Edit session"))
        for label, text in zip(
            self._labels,
            (
                _("Activity"),
                _("Date"),
                _("Start and end time"),
                _("Place"),
                _("Facilitators"),
                _("Status"),
                _("Notes"),
            ),
            strict=True,
        ):
            label.setText(text)
        for i, status in enumerate(SESSION_STATUSES):
            self.status.setItemText(i, _(SESSION_STATUS_LABELS[status]))
        self.place.setItemText(0, _("(none)"))
        self._check_certificates()
        self.evidence.setText(
            ngettext(
                "Signed sheet: {count} page kept.",
                "Signed sheet: {count} pages kept.",
                self._evidence_pages,
            ).format(count=self._evidence_pages)
        )

    def _load(self, s: SessionDTO) -> None:
        self.activity.setCurrentIndex(max(self.activity.findData(s.activity_id), 0))
        self.activity.setEnabled(False)
        self.date.set_value(s.date)
        self.start_time.set_value(s.start_time)
        self.end_time.set_value(s.end_time)
        self.place.setCurrentIndex(max(self.place.findData(s.place_id), 0))
        self.facilitators.set_checked(s.facilitator_ids)
        self.status.setCurrentIndex(max(self.status.findData(s.status), 0))
        self.notes.setPlainText(s.notes)

    def _defaults(self) -> None:
        """A new session takes its activity's usual place, times and facilitators."""
        activity_id = self.activity.currentData()
        if self.session is not None or not activity_id:
            return
        d = self.services.sessions.defaults_for(activity_id, self.date.value() or dt.date.today())
        self.start_time.set_value(d.start_time)
        self.end_time.set_value(d.end_time)
        self.place.setCurrentIndex(max(self.place.findData(d.place_id), 0))
        self.facilitators.set_checked(d.facilitator_ids)

    def value(self) -> SessionDTO:
        return SessionDTO(
            id=self.session.id if self.session else None,
            activity_id=self.activity.currentData() or "",
            date=self.date.value() or dt.date.today(),
            start_time=self.start_time.value(),
            end_time=self.end_time.value(),
            place_id=self.place.currentData(),
            status=self.status.currentData(),
            notes=self.notes.toPlainText(),
            facilitator_ids=self.facilitators.checked_ids(),
            version=self.session.version if self.session else None,
        )

    def compared_fields(self) -> list[tuple[str, str]]:
        """The fields a stale save compares (ui/stale.py), labelled as on the form."""
        return [
            ("date", _("Date")),
            ("start_time", _("Start time")),
            ("end_time", _("End time")),
            ("place_id", _("Place")),
            ("facilitator_ids", _("Facilitators")),
            ("status", _("Status")),
            ("notes", _("Notes")),
        ]

    def shown(self, key: str, value: Any) -> str:
        """A field's value as the form shows it (places, people and statuses by name)."""
        if key == "place_id":
            index = self.place.findData(value) if value else -1
            return self.place.itemText(index) if index > 0 else ""
        if key == "facilitator_ids":
            return self.facilitators.names(value)
        if key == "status":
            return _(SESSION_STATUS_LABELS.get(str(value), str(value)))
        return shown(value)

    def reload(self, current: SessionDTO) -> None:
        """Show the session as it is now (someone else's save), discarding what was typed."""
        self.session = current
        self.errors.clear()
        self._load(current)

    def save(self, dto: SessionDTO | None = None) -> None:
        """Save the form (or ``dto``: the values chosen after someone else saved the session
        meanwhile)."""
        dto = dto or self.value()

        def invalid(exc: ValidationError) -> None:
            for message in self.errors.show(exc.errors):
                self.prompts.error(self, _("Session"), message)

        def saved(session: SessionDTO) -> None:
            global _last_activity_id
            _last_activity_id = session.activity_id
            self.saved = session
            self.accept()

        stale = on_stale(
            self,
            self.prompts,
            _("Session"),
            dto,
            self.session,
            self.compared_fields(),
            retry=self.save,
            reload=self.reload,
            show=self.shown,
        )
        run_op(
            self,
            lambda: self.services.sessions.save(dto),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Session"),
            on_invalid=invalid,
            on_success=saved,
            on_failure=stale,
        )
