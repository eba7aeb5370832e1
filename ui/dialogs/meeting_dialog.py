"""Preparing or editing a network meeting: date, times, place, status, attendees, agenda,
minutes, agreements, the follow-up of the space's earlier agreements and the programmes it serves.

A new meeting dated from today on starts planned, an earlier one held; entering who attended or
the minutes marks a planned meeting held (the status stays as the user last chose it otherwise).

Everything is written in one go on Save (nothing half-saved); problems show next to their part.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTime
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.networks import (
    AGREEMENT_STATUSES,
    ATTENDEE_STATUSES,
    MEETING_STATUSES,
    AgreementDTO,
    MeetingDTO,
    status_for_date,
)
from app.errors import ValidationError
from app.i18n import _
from app.services.container import Services
from ui.events import DataBus
from ui.prompts import Prompts
from ui.stale import on_stale, shown
from ui.widgets.form_bits import (
    date_edit,
    error_label,
    from_qdate,
    select_data,
    show_error,
    to_qdate,
)
from ui.widgets.meeting_editors import (
    AgendaEditor,
    AgreementsEditor,
    AttendeesEditor,
    FollowUpEditor,
)
from ui.workers import run_op


def _qtime(value: dt.time | None, default: int) -> QTime:
    return QTime(value.hour, value.minute) if value else QTime(default, 0)


class MeetingDialog(QDialog):
    def __init__(
        self,
        services: Services,
        bus: DataBus,
        prompts: Prompts,
        space_id: str,
        meeting_id: str | None = None,
        parent: QWidget | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.services, self.bus, self.prompts = services, bus, prompts
        self.networks = services.networks
        self.space = self.networks.space(space_id)
        self.meeting_id = meeting_id
        self.today = today
        self.saved: MeetingDTO | None = None
        #: Whether the user (or what they entered) has set the status; until then a new
        #: meeting's status follows its date.
        self._status_chosen = meeting_id is not None
        self.setMinimumSize(820, 560)

        self.date = date_edit()
        self.start = QTimeEdit()
        self.end = QTimeEdit()
        for t in (self.start, self.end):
            t.setDisplayFormat("HH:mm")
        self.place = QLineEdit()
        self.online = QCheckBox()
        self.status = QComboBox()
        for code in MEETING_STATUSES:
            self.status.addItem("", code)
        self.reason = QLineEdit()
        self.attendees = AttendeesEditor()
        self.agenda = AgendaEditor()
        self.minutes = QPlainTextEdit()
        self.agreements = AgreementsEditor()
        self.follow_up = FollowUpEditor()
        self.programmes = QListWidget()
        self.errors = {
            k: error_label()
            for k in (
                "date",
                "end_time",
                "status",
                "cancellation_reason",
                "attendees",
                "agreements",
                "closures",
                "programme_ids",
                "space_id",
            )
        }

        form = QFormLayout()
        name = self.space.name
        if self.space.parent_id:
            name = f"{name} · {self.networks.space(self.space.parent_id).name}"
        self.space_label = QLabel(name)
        self.space_label.setStyleSheet("font-weight: bold;")
        self.l_space, self.l_date, self.l_time, self.l_place = (
            QLabel(),
            QLabel(),
            QLabel(),
            QLabel(),
        )
        self.l_status = QLabel()
        form.addRow(self.l_space, self.space_label)
        form.addRow(self.l_date, self._with_error(self.date, "date"))
        times = QHBoxLayout()
        times.addWidget(self.start)
        self.l_to = QLabel()
        times.addWidget(self.l_to)
        times.addWidget(self.end)
        times.addWidget(self.errors["end_time"])
        times.addStretch(1)
        form.addRow(self.l_time, times)
        where = QHBoxLayout()
        where.addWidget(self.place, 1)
        where.addWidget(self.online)
        form.addRow(self.l_place, where)
        state = QHBoxLayout()
        state.addWidget(self.status)
        state.addWidget(self.reason, 1)
        state.addWidget(self.errors["status"])
        state.addWidget(self.errors["cancellation_reason"])
        form.addRow(self.l_status, state)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._page(self.attendees, "attendees"), "")
        agenda_page = QWidget()
        agenda_layout = QVBoxLayout(agenda_page)
        self.l_agenda, self.l_minutes = QLabel(), QLabel()
        agenda_layout.addWidget(self.l_agenda)
        agenda_layout.addWidget(self.agenda, 1)
        agenda_layout.addWidget(self.l_minutes)
        agenda_layout.addWidget(self.minutes, 2)
        self.tabs.addTab(agenda_page, "")
        self.tabs.addTab(self._page(self.agreements, "agreements"), "")
        self.tabs.addTab(self._page(self.follow_up, "closures"), "")
        self.tabs.addTab(self._page(self.programmes, "programme_ids"), "")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors["space_id"])
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

        self._load(today())
        self.date.dateChanged.connect(self._refresh_follow_up)
        self.date.dateChanged.connect(self._status_from_date)
        self.follow_up.changed.connect(self._update_follow_up_title)
        self.status.activated.connect(self._status_picked)
        self.attendees.edited.connect(self._recorded)
        self.minutes.textChanged.connect(self._minutes_edited)
        self.retranslate_ui()

    def _with_error(self, widget: QWidget, key: str) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(widget)
        row.addWidget(self.errors[key])
        row.addStretch(1)
        return box

    def _page(self, widget: QWidget, key: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(widget, 1)
        layout.addWidget(self.errors[key])
        return page

    # ---- loading ---------------------------------------------------------------------------

    def _load(self, today: dt.date) -> None:
        profile = self.services.profile.get()
        self.attendees.entity_name = profile.name if profile else ""
        staff = self.services.profile.staff()
        orgs = self.networks.organisations()
        self.attendees.set_choices(staff, orgs)
        self.agreements.set_choices(staff, orgs)
        self._names = {x.id: x.name for x in staff} | {o.id: o.name for o in orgs if o.id}
        self._programme_names = {
            p.id: f"{p.code} · {p.name}" for p in self.networks.programme_choices()
        }
        m = self.networks.meeting(self.meeting_id) if self.meeting_id else self._prepared(today)
        self._fill(m, today)

    def _fill(self, m: MeetingDTO, today: dt.date) -> None:
        #: The meeting as read (its version goes back with a save); None for a new one.
        self.opened = m if m.id else None
        self.date.setDate(to_qdate(m.date))
        self.start.setTime(_qtime(m.start_time, 10))
        self.end.setTime(_qtime(m.end_time, 12))
        self.place.setText(m.place)
        self.online.setChecked(m.online)
        select_data(self.status, m.status or status_for_date(m.date, today))
        self.reason.setText(m.cancellation_reason)
        self._show_reason()
        self.attendees.set_value(m.attendees)
        self.agenda.set_value(m.agenda)
        self.minutes.setPlainText(m.minutes)
        self.agreements.set_value(m.agreements)
        self.programmes.clear()
        for p in self.networks.programme_choices():
            item = QListWidgetItem(f"{p.code} · {p.name}")
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = p.id in m.programme_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.programmes.addItem(item)
        self._closures = dict(m.closures)
        self.follow_up.set_items([], {})
        self._refresh_follow_up()

    def _prepared(self, today: dt.date) -> MeetingDTO:
        """A new meeting starts from the space's last one: same times, place, programmes and our
        team members; the follow-up lists what is still open."""
        last = next(iter(self.networks.meetings(self.space.id)), None)
        if last is None:
            return MeetingDTO(None, self.space.id or "", today)
        prev = self.networks.meeting(last.id)
        ours = tuple(a for a in prev.attendees if a.staff_id)
        return MeetingDTO(
            None,
            prev.space_id,
            max(today, prev.date),
            prev.start_time,
            prev.end_time,
            prev.place,
            prev.online,
            programme_ids=prev.programme_ids,
            attendees=tuple(
                type(a)(staff_id=a.staff_id, organisation_id=a.organisation_id) for a in ours
            ),
        )

    # ---- status ----------------------------------------------------------------------------

    def _show_reason(self) -> None:
        self.reason.setVisible(self.status.currentData() == "cancelled")

    def _status_picked(self) -> None:
        self._status_chosen = True
        self._show_reason()
        if self.reason.isVisible():
            self.reason.setFocus()

    def _status_from_date(self) -> None:
        """A new meeting nobody has marked follows its date: planned from today on."""
        day = from_qdate(self.date.date())
        if not self._status_chosen and day is not None:
            select_data(self.status, status_for_date(day, self.today()))
            self._show_reason()

    def _recorded(self) -> None:
        """Someone's attendance or the minutes were entered: a planned meeting was held."""
        if self.status.currentData() == "planned":
            select_data(self.status, "held")
            self._status_chosen = True
            self._show_reason()

    def _minutes_edited(self) -> None:
        if self.minutes.toPlainText().strip():
            self._recorded()

    def _refresh_follow_up(self) -> None:
        day = from_qdate(self.date.date()) or dt.date.today()
        items: list[AgreementDTO] = self.networks.open_agreements_for_space(
            self.space.id or "", day
        )
        if self.meeting_id:
            items = self.networks.closed_in_meeting(self.meeting_id) + items
        current = self._closures if self.follow_up.is_empty() else self.follow_up.closures()
        self.follow_up.set_items(items, current)
        self._update_follow_up_title()

    def _update_follow_up_title(self) -> None:
        count = self.follow_up.count()
        self.tabs.setTabText(3, _("Follow-up: {count}").format(count=count))

    # ---- language --------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Edit meeting") if self.meeting_id else _("New meeting"))
        self.l_space.setText(_("Space"))
        self.l_date.setText(_("Date"))
        self.l_time.setText(_("Time"))
        self.l_to.setText(_("to"))
        self.l_place.setText(_("Place"))
        self.place.setPlaceholderText(_("e.g. Casal de Barri"))
        self.online.setText(_("Online"))
        self.l_status.setText(_("Status"))
        for i, label in enumerate(MEETING_STATUSES.values()):
            self.status.setItemText(i, _(label))
        self.status.setToolTip(
            _(
                "Only held meetings count in the figures. A planned meeting becomes held when "
                "you choose so, or enter who attended or the minutes."
            )
        )
        self.reason.setPlaceholderText(_("Why was it cancelled?"))
        self.l_agenda.setText(_("Agenda"))
        self.l_minutes.setText(_("Minutes: discussion summary"))
        self.tabs.setTabText(0, _("Attendees"))
        self.tabs.setTabText(1, _("Agenda and minutes"))
        self.tabs.setTabText(2, _("Agreements"))
        self._update_follow_up_title()
        self.tabs.setTabText(4, _("Programmes"))
        for editor in (self.attendees, self.agenda, self.agreements, self.follow_up):
            editor.retranslate_ui()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # ---- saving ----------------------------------------------------------------------------

    def value(self) -> MeetingDTO:
        start, end = self.start.time(), self.end.time()
        status = self.status.currentData()
        checked = (self.programmes.item(i) for i in range(self.programmes.count()))
        return MeetingDTO(
            id=self.meeting_id,
            space_id=self.space.id or "",
            date=from_qdate(self.date.date()) or dt.date.today(),
            start_time=dt.time(start.hour(), start.minute()),
            end_time=dt.time(end.hour(), end.minute()),
            place=self.place.text(),
            online=self.online.isChecked(),
            agenda=self.agenda.value(),
            minutes=self.minutes.toPlainText(),
            programme_ids=tuple(
                i.data(Qt.ItemDataRole.UserRole)
                for i in checked
                if i.checkState() == Qt.CheckState.Checked
            ),
            attendees=self.attendees.value(),
            agreements=self.agreements.value(),
            closures=tuple(self.follow_up.closures().items()),
            status=status,
            cancellation_reason=self.reason.text() if status == "cancelled" else "",
            version=self.opened.version if self.opened else None,
        )

    def compared_fields(self) -> list[tuple[str, str]]:
        """The fields a stale save compares (ui/stale.py), labelled as in the dialog."""
        return [
            ("date", _("Date")),
            ("start_time", _("Start time")),
            ("end_time", _("End time")),
            ("place", _("Place")),
            ("online", _("Online")),
            ("status", _("Status")),
            ("cancellation_reason", _("Why it was cancelled")),
            ("attendees", _("Attendees")),
            ("agenda", _("Agenda")),
            ("minutes", _("Minutes")),
            ("agreements", _("Agreements")),
            ("closures", _("Follow-up")),
            ("programme_ids", _("Programmes")),
        ]

    def shown(self, key: str, value: Any) -> str:
        """A field's value as the dialog shows it (people, organisations and codes by name)."""
        names = self._names
        if key == "status":
            return _(MEETING_STATUSES.get(str(value), str(value)))
        if key == "attendees":
            return "\n".join(
                " · ".join(
                    part
                    for part in (
                        names.get(a.staff_id or "", "") or a.person_name,
                        names.get(a.organisation_id or "", ""),
                        _(ATTENDEE_STATUSES.get(a.status, a.status)),
                    )
                    if part
                )
                for a in value
            )
        if key == "agreements":
            return "\n".join(
                f"{number}. {a.text.strip()}"
                + (f" ({shown(a.due_date)})" if a.due_date else "")
                for number, a in enumerate(value, start=1)
            )
        if key == "closures":
            return "\n".join(
                f"{self.follow_up.text_of(aid)}: {_(AGREEMENT_STATUSES.get(st, st))}"
                for aid, st in sorted(value)
            )
        if key == "programme_ids":
            return "\n".join(
                sorted(self._programme_names.get(p, p) for p in value)
            )
        return shown(value)

    def reload(self, current: MeetingDTO) -> None:
        """Show the meeting as it is now (someone else's save), discarding what was typed."""
        for label in self.errors.values():
            show_error(label, None)
        self._fill(current, self.today())

    def save(self, chosen: MeetingDTO | None = None) -> None:
        """Save the dialog (or ``chosen``: the values chosen after someone else saved the
        meeting meanwhile)."""
        for label in self.errors.values():
            show_error(label, None)
        value = chosen or self.value()

        def invalid(exc: ValidationError) -> None:
            tabs = {"attendees": 0, "agreements": 2, "closures": 3, "programme_ids": 4}
            for key, message in exc.errors.items():
                show_error(self.errors.get(key, self.errors["space_id"]), message)
            if "cancellation_reason" in exc.errors:
                self.reason.setFocus()
            first = next((tabs[k] for k in exc.errors if k in tabs), None)
            if first is not None:
                self.tabs.setCurrentIndex(first)

        def saved(meeting: MeetingDTO) -> None:
            self.saved = meeting
            self.meeting_id = meeting.id
            self.accept()

        stale = on_stale(
            self,
            self.prompts,
            _("Cannot save the meeting"),
            value,
            self.opened,
            self.compared_fields(),
            retry=self.save,
            reload=self.reload,
            show=self.shown,
        )
        run_op(
            self,
            lambda: self.networks.save_meeting(value),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Cannot save the meeting"),
            on_invalid=invalid,
            on_success=saved,
            on_failure=stale,
        )
