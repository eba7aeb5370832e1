"""Home: today's and this week's sessions, past sessions still without attendance (and, beside
them, past network meetings still planned), people missing a consent, and this year's figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Area, Changes
from app.domain.figures import Figures
from app.domain.networks import MeetingSummaryDTO
from app.domain.sessions import SessionDTO, SessionFilter
from app.home_snapshot import FIELDS
from app.i18n import _, format_date, format_number, ngettext
from app.services.container import Services
from ui.events import DataBus
from ui.models.dto_table import Column, DtoTableModel
from ui.models.people import PeopleModel
from ui.models.rows import ID_ROLE
from ui.models.sessions import SessionsModel
from ui.pages.base import Page
from ui.prompts import Prompts
from ui.safeguarding import certificate_label
from ui.widgets.home_snapshot import figures_text, home_titles
from ui.widgets.tables import proxy_for, sorted_view, stretch_column
from ui.workers import LatestOnly

#: The kinds of data the year's figures count: a change to another (a place, a backup, the
#: team) leaves the figures shown as they are.
FIGURE_AREAS = (
    Area.PROGRAMMES,
    Area.ACTIVITIES,
    Area.SESSIONS,
    Area.ATTENDANCE,
    Area.PEOPLE,
    Area.NETWORKS,
    Area.ORGANISATIONS,
    Area.CATEGORIES,
)


def not_taken(row: SessionDTO, today: dt.date) -> bool:
    """A session that took place (or takes place today) with no attendance recorded yet."""
    return (
        row.date <= today and row.status != "cancelled" and not row.recorded and not row.attendances
    )


class DeskModel(SessionsModel):
    """Sessions as the day's desk shows them: attendance still to take stands out."""

    def text(self, row: SessionDTO, column: int) -> str:
        if column == self.COL_RECORDED and not_taken(row, dt.date.today()):
            return _("Not taken yet")
        if column == self.COL_RECORDED and row.date <= dt.date.today():
            return _("{count} came").format(count=format_number(row.attendances))
        return super().text(row, column)

    def extra(self, row: SessionDTO, column: int, role: int) -> Any:
        if column == self.COL_RECORDED and not_taken(row, dt.date.today()):
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor("#fde3c0"))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("#6a3000"))
            if role == Qt.ItemDataRole.FontRole:
                bold = QFont()
                bold.setBold(True)
                return bold
        return super().extra(row, column, role)


class HomePage(Page):
    areas = (
        Area.SESSIONS,
        Area.ATTENDANCE,
        Area.PEOPLE,
        Area.PROGRAMMES,
        Area.ACTIVITIES,
        Area.NETWORKS,
        Area.PLACES,  # the session lists name the place
        Area.BACKUPS,  # a failed backup is said here until one succeeds
    )

    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__(services, bus, prompts)
        self.dialog: QDialog | None = None
        self.figures: Figures | None = None
        #: The year's figures kept at the last clean close (app/home_snapshot.py), shown until
        #: they are computed again from the data.
        self.cached_figures: dict[str, float] | None = None
        #: True while the year's figures are being computed (those shown are not yet true).
        self._computing = False
        #: The year the figures shown were computed for, while no change they count has come
        #: since (None: to compute). Home refreshes for other reasons too (a dialog closed, a
        #: place renamed): the year's figures are computed again only when they may differ.
        self._figures_year: int | None = None
        self._background = LatestOnly(self)
        self.today_model, self.week_model = DeskModel(self), DeskModel(self)
        self.pending_model, self.consent_model = SessionsModel(self), PeopleModel(self)
        self.today_view = sorted_view(proxy_for(self.today_model, self))
        self.week_view = sorted_view(proxy_for(self.week_model, self))
        self.pending_view = sorted_view(proxy_for(self.pending_model, self))
        self.consent_view = sorted_view(proxy_for(self.consent_model, self))
        #: Past network meetings nobody has marked held yet (they do not count until then).
        self.meetings_model: DtoTableModel[MeetingSummaryDTO] = DtoTableModel(
            [
                Column(
                    lambda: _("Date"), lambda m: format_date(m.date, fmt="short"), lambda m: m.date
                ),
                Column(lambda: _("Network space"), lambda m: m.space_name),
            ]
        )
        self.meetings_view = sorted_view(proxy_for(self.meetings_model, self))
        stretch_column(self.meetings_view, 1)
        self.meetings_label = QLabel()
        self.meetings_label.setWordWrap(True)
        # Half a window each: when, what and where; long names elided, no side scrolling.
        m = SessionsModel
        for view in (self.today_view, self.week_view, self.pending_view):
            stretch_column(view, m.COL_ACTIVITY)
            view.horizontalHeader().setSectionResizeMode(
                m.COL_PLACE, QHeaderView.ResizeMode.Stretch
            )
            for column in (m.COL_PROGRAMME, m.COL_STATUS, m.COL_RECORDED):
                view.setColumnHidden(column, True)
        # Today: what, where, its status and whether attendance is taken; the week: when and
        # whether attendance is taken (a cancelled session is grey, as the legend says).
        self.today_view.setColumnHidden(m.COL_DATE, True)
        for column in (m.COL_STATUS, m.COL_RECORDED):
            self.today_view.setColumnHidden(column, False)
        self.week_view.setColumnHidden(m.COL_RECORDED, False)
        self.week_view.setColumnHidden(m.COL_PLACE, True)
        #: No session today: said, with the next day that has some and a way to plan one.
        self.no_sessions = QLabel()
        self.no_sessions.setWordWrap(True)
        self.no_sessions.setStyleSheet("font-size: 11pt;")
        self.new_session_button = QPushButton()
        self.new_session_button.clicked.connect(self.new_session)
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        empty_layout.addWidget(self.no_sessions)
        empty_layout.addWidget(self.new_session_button, 0, Qt.AlignmentFlag.AlignLeft)
        empty_layout.addStretch(1)
        self.today_stack = QStackedWidget()
        self.today_stack.addWidget(self.today_view)
        self.today_stack.addWidget(empty)
        self.week_legend = QLabel()
        self.week_legend.setWordWrap(True)
        self.week_legend.setStyleSheet("color: #555555;")
        week_box = QWidget()
        week_layout = QVBoxLayout(week_box)
        week_layout.setContentsMargins(0, 0, 0, 0)
        week_layout.addWidget(self.week_view, 1)
        week_layout.addWidget(self.week_legend)
        self.consent_view.setColumnHidden(PeopleModel.COL_BIRTH, True)
        stretch_column(self.consent_view, PeopleModel.COL_NAME)
        self.boxes = [QGroupBox() for _i in range(5)]
        #: A new entity: what to do first.
        self.start_hint = QLabel()
        self.start_hint.setWordWrap(True)
        self.start_hint.setStyleSheet(
            "background: #fff8dc; border: 1px solid #e0c060; padding: 8px; color: #202020;"
        )
        #: The last backup failed: said until a backup succeeds.
        self.backup_warning = QLabel()
        self.backup_warning.setWordWrap(True)
        self.backup_warning.setStyleSheet(
            "background: #fde8e8; border: 1px solid #c04040; padding: 8px; color: #5a0000;"
        )
        self.backup_warning.hide()
        #: Staff and volunteers working with minors without a valid certificate of the
        #: sexual-offences register (ui/safeguarding.py).
        self.certificate_warning = certificate_label()
        self.figures_label = QLabel()
        self.figures_label.setWordWrap(True)
        for box, content in zip(
            self.boxes,
            (
                self.today_stack,
                week_box,
                self.pending_view,
                self.consent_view,
                self.figures_label,
            ),
            strict=True,
        ):
            QVBoxLayout(box).addWidget(content)
        pending = self.boxes[2].layout()
        assert isinstance(pending, QVBoxLayout)
        pending.addWidget(self.meetings_label)
        pending.addWidget(self.meetings_view)
        grid = QGridLayout(self)
        warnings = QVBoxLayout()
        warnings.addWidget(self.backup_warning)
        warnings.addWidget(self.certificate_warning)
        grid.addLayout(warnings, 0, 0, 1, 2)
        grid.addWidget(self.start_hint, 1, 0, 1, 2)
        grid.addWidget(self.boxes[0], 2, 0)
        grid.addWidget(self.boxes[1], 2, 1)
        grid.addWidget(self.boxes[2], 3, 0)
        grid.addWidget(self.boxes[3], 3, 1)
        grid.addWidget(self.boxes[4], 4, 0, 1, 2)
        for view in (self.today_view, self.week_view, self.pending_view):
            # Enter or a double-click.
            view.activated.connect(lambda index: self.open_attendance(index.data(ID_ROLE)))
        self.meetings_view.activated.connect(lambda index: self.open_meeting(index.data(ID_ROLE)))
        # Today's sessions are the desk: one click opens the attendance.
        self.today_view.clicked.connect(lambda index: self.open_attendance(index.data(ID_ROLE)))
        self.next_day: dt.date | None = None
        self.retranslate_ui()

    def title(self) -> str:
        return _("Home")

    def retranslate_ui(self) -> None:
        titles = home_titles(dt.date.today())
        for box, title in zip(self.boxes, titles, strict=True):
            box.setTitle(title)
        self.start_hint.setText(
            _(
                "Welcome. To start, go to Programmes (Ctrl+2) and create your first programme "
                "and its activities; enrol people there or in People (Ctrl+4). Then plan "
                "sessions in Sessions (Ctrl+3): each one appears here on its day, ready for "
                "taking attendance."
            )
        )
        self.meetings_label.setText(
            _(
                "Past network meetings still planned: mark them held (or cancelled) so they "
                "count in the figures."
            )
        )
        self.new_session_button.setText(_("New session"))
        self.week_legend.setText(
            _(
                "Grey rows: cancelled sessions. “Not taken yet”: the session has taken place "
                "and its attendance is still to be recorded."
            )
        )
        self._show_empty_today()
        for model in (self.today_model, self.week_model, self.pending_model, self.consent_model):
            model.retranslate()
        self.meetings_model.retranslate()
        self._show_figures(self.figures)
        self._show_backup_failure()
        self._show_certificates()

    def _show_certificates(self) -> None:
        missing = getattr(self, "_missing", [])
        self.certificate_warning.setVisible(bool(missing))
        if missing:
            self.certificate_warning.setText(
                ngettext(
                    "{count} person who works with minors has no valid certificate of the "
                    "sexual-offences register: {names}. See Volunteering (Ctrl+9).",
                    "{count} people who work with minors have no valid certificate of the "
                    "sexual-offences register: {names}. See Volunteering (Ctrl+9).",
                    len(missing),
                ).format(count=len(missing), names=", ".join(h.name for h in missing))
            )

    def refresh(self) -> None:
        today = dt.date.today()
        monday = today - dt.timedelta(days=today.weekday())
        sessions = self.services.sessions
        self.today_model.set_rows(sessions.find(SessionFilter(date_from=today, date_to=today)))
        # From Monday (what is past still counts) to a week ahead: on a Sunday too, the days
        # to come are in sight.
        week = sessions.find(SessionFilter(date_from=monday, date_to=today + dt.timedelta(days=7)))
        self.week_model.set_rows(week)
        self.week_view.sortByColumn(SessionsModel.COL_DATE, Qt.SortOrder.AscendingOrder)
        self.next_day = None
        if not self.today_model.total():
            ahead = sessions.find(
                SessionFilter(
                    date_from=today + dt.timedelta(days=1), date_to=today + dt.timedelta(days=366)
                )
            )
            days = [s.date for s in ahead if s.status != "cancelled"]
            self.next_day = min(days) if days else None
        self._show_empty_today()
        self.pending_model.set_rows(sessions.unrecorded(today))
        unheld = self.services.networks.unheld_meetings(today)
        self.meetings_model.set_rows(unheld)
        self.meetings_label.setVisible(bool(unheld))
        self.meetings_view.setVisible(bool(unheld))
        self.start_hint.setVisible(not self.services.programmes.all())
        reads_people = self.services.office.reads_people
        # A viewer reads no person: no names, no attendance window (the figures stay).
        self.boxes[3].setVisible(reads_people)
        if reads_people:
            self.consent_model.set_rows(self.services.people.missing_consent())
        # Nor the people who work with minors without a valid certificate.
        self._missing = (
            self.services.volunteers.missing_certificates(today) if reads_people else []
        )
        self._show_certificates()
        self._show_backup_failure()
        if self._figures_year == today.year and not self.services.shared:
            return  # still true: nothing they count has changed since
        year = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
        figures = self.services.figures
        self._figures_year = today.year
        self._computing = True
        self._background.run(
            lambda: figures.compute(None, *year), self._show_figures, self._figures_failed
        )

    def _figures_failed(self, _message: str) -> None:
        self._computing = False
        self._figures_year = None  # tried again at the next refresh

    def _on_changed(self, changes: Changes, initiator: object = None) -> None:
        # Before the refresh it may cause; whoever made the change (this page's own dialogs
        # too), visible or not.
        if changes.touches(*FIGURE_AREAS):
            self._figures_year = None
        super()._on_changed(changes, initiator)

    def _show_backup_failure(self) -> None:
        failure = self.services.backups.last_failure()
        self.backup_warning.setVisible(failure is not None)
        if failure is not None:
            self.backup_warning.setText(
                _(
                    "The last backup failed ({when}): {reason} Until a backup succeeds your data "
                    "has no fresh copy: open File > Backups (Ctrl+B) and choose “Back up now”."
                ).format(
                    when=f"{format_date(failure.when.date(), None, 'short')} "
                    f"{failure.when:%H:%M}",
                    reason=failure.reason,
                )
            )

    def show_cached_figures(self, figures: dict[str, float]) -> None:
        """Until the year's figures are computed: those kept at the last clean close."""
        self.cached_figures = figures
        if self.figures is None:
            self._show_figures(None)

    def _show_figures(self, figures: Figures | None) -> None:
        self.figures = figures
        if figures is not None:
            self._computing = False
        if figures is None:
            cached = self.cached_figures
            self.figures_label.setText(figures_text(cached) if cached else _("Computing…"))
            return
        self.figures_label.setText(figures_text({name: getattr(figures, name) for name in FIELDS}))

    def current_figures(self) -> dict[str, float] | None:
        """The year's figures shown, when they are still true (nothing they count has changed
        since they were computed): what a clean close keeps for the next start."""
        today = dt.date.today()
        if self.figures is None or self._computing or self._figures_year != today.year:
            return None
        if self.figures.date_from.year != today.year:
            return None
        return {name: getattr(self.figures, name) for name in FIELDS}

    def open_meeting(self, meeting_id: str | None) -> None:
        """The meeting's dialog, to mark it held (or cancelled) and record it."""
        meeting = next((m for m in self.meetings_model.rows() if m.id == meeting_id), None)
        if meeting is None:
            return
        from ui.dialogs.meeting_dialog import MeetingDialog

        dialog = MeetingDialog(
            self.services, self.bus, self.prompts, meeting.space_id, meeting.id, self
        )
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _show_empty_today(self) -> None:
        empty = not self.today_model.total()
        self.today_stack.setCurrentIndex(1 if empty else 0)
        text = _("No sessions today.")
        if self.next_day is not None:
            text += " " + _("The next ones are on {date}.").format(
                date=format_date(self.next_day, fmt="full")
            )
        self.no_sessions.setText(text)

    def new_session(self) -> None:
        """Plan a session for today (Sessions has the series and the calendar)."""
        if not self.services.programmes.activities():
            self.prompts.info(
                self,
                _("New session"),
                _(
                    "There are no activities yet. Create a programme and its activities in "
                    "Programmes (Ctrl+2); then plan their sessions here."
                ),
            )
            return
        from ui.dialogs.session_dialog import SessionDialog

        dialog = SessionDialog(
            self.services, self.prompts, None, day=dt.date.today(), parent=self, bus=self.bus
        )
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def open_attendance(self, session_id: str | None) -> None:
        if not session_id or not self.services.office.reads_people:
            return
        if self.dialog is not None and self.dialog.isVisible():
            return  # a double-click is one click too: one window
        from ui.dialogs.attendance_dialog import AttendanceDialog

        dialog = AttendanceDialog(self.services, self.bus, self.prompts, session_id, self)
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
