"""Home: today's and this week's sessions, past sessions still without attendance (and, beside
them, past network meetings still planned), people missing a consent, and this year's figures."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QVBoxLayout,
)

from app.domain.changes import Area
from app.domain.figures import Figures
from app.domain.networks import MeetingSummaryDTO
from app.domain.sessions import SessionFilter
from app.i18n import _, format_date, format_number
from app.services.container import Services
from ui.events import DataBus
from ui.models.dto_table import Column, DtoTableModel
from ui.models.people import PeopleModel
from ui.models.rows import ID_ROLE
from ui.models.sessions import SessionsModel
from ui.pages.base import Page
from ui.prompts import Prompts
from ui.widgets.tables import proxy_for, sorted_view, stretch_column
from ui.workers import LatestOnly


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
        self._background = LatestOnly(self)
        self.today_model, self.week_model = SessionsModel(self), SessionsModel(self)
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
        self.today_view.setColumnHidden(m.COL_DATE, True)
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
        self.figures_label = QLabel()
        self.figures_label.setWordWrap(True)
        for box, content in zip(
            self.boxes,
            (
                self.today_view,
                self.week_view,
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
        grid.addWidget(self.backup_warning, 0, 0, 1, 2)
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
        self.retranslate_ui()

    def title(self) -> str:
        return _("Home")

    def retranslate_ui(self) -> None:
        today = dt.date.today()
        titles = (
            _("Today, {date}").format(date=format_date(today, fmt="full")),
            _("This week"),
            _("Past sessions without attendance"),
            _("Enrolled people without a data-processing consent"),
            _("This year's figures ({year})").format(year=today.year),
        )
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
        for model in (self.today_model, self.week_model, self.pending_model, self.consent_model):
            model.retranslate()
        self.meetings_model.retranslate()
        self._show_figures(self.figures)
        self._show_backup_failure()

    def refresh(self) -> None:
        today = dt.date.today()
        monday = today - dt.timedelta(days=today.weekday())
        sessions = self.services.sessions
        self.today_model.set_rows(sessions.find(SessionFilter(date_from=today, date_to=today)))
        self.week_model.set_rows(
            sessions.find(SessionFilter(date_from=monday, date_to=monday + dt.timedelta(days=6)))
        )
        self.pending_model.set_rows(sessions.unrecorded(today))
        unheld = self.services.networks.unheld_meetings(today)
        self.meetings_model.set_rows(unheld)
        self.meetings_label.setVisible(bool(unheld))
        self.meetings_view.setVisible(bool(unheld))
        self.start_hint.setVisible(not self.services.programmes.all())
        self.consent_model.set_rows(self.services.people.missing_consent())
        self._show_backup_failure()
        year = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
        figures = self.services.figures
        self._background.run(lambda: figures.compute(None, *year), self._show_figures)

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

    def _show_figures(self, figures: Figures | None) -> None:
        self.figures = figures
        if figures is None:
            self.figures_label.setText(_("Computing…"))
            return
        n = format_number
        self.figures_label.setText(
            _(
                "{sessions} sessions held ({hours} hours) · {participants} participants · "
                "{attendances} attendances ({anonymous} anonymous) · {meetings} network meetings"
            ).format(
                sessions=n(figures.sessions),
                hours=n(figures.hours, decimals=1),
                participants=n(figures.participants),
                attendances=n(figures.attendances),
                anonymous=n(figures.anonymous_attendances),
                meetings=n(figures.meetings),
            )
        )

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

    def open_attendance(self, session_id: str | None) -> None:
        if not session_id:
            return
        from ui.dialogs.attendance_dialog import AttendanceDialog

        dialog = AttendanceDialog(self.services, self.bus, self.prompts, session_id, self)
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
