"""Sessions: a filtered list and a week calendar; create one or a series, edit (move), cancel,
and open a session's attendance."""

from __future__ import annotations

import datetime as dt
from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
)

from app.domain.changes import Area
from app.domain.sessions import (
    SESSION_STATUS_LABELS,
    SESSION_STATUSES,
    SessionDTO,
    SessionFilter,
)
from app.i18n import _
from app.services.container import Services
from ui.dialogs.attendance_dialog import AttendanceDialog
from ui.dialogs.print_sheet import open_sheet_dialog
from ui.dialogs.series_dialog import SeriesDialog
from ui.dialogs.session_dialog import SessionDialog, fill_activities
from ui.events import DataBus
from ui.models.rows import ID_ROLE, SORT_ROLE
from ui.models.sessions import SessionsModel
from ui.pages.base import Page
from ui.prompts import Prompts
from ui.widgets.export_button import ExportButton
from ui.widgets.form_fields import DateField, shrinkable
from ui.widgets.tables import proxy_for, sorted_view, stretch_column
from ui.widgets.week_calendar import WeekCalendar
from ui.workers import run_op


class SessionsPage(Page):
    areas = (Area.SESSIONS, Area.ATTENDANCE, Area.PROGRAMMES, Area.ACTIVITIES, Area.PLACES)

    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__(services, bus, prompts)
        #: The dialog open now (non-blocking, so tests and the window stay responsive).
        self.dialog: QDialog | None = None
        self.sheet_dialog: QDialog | None = None
        self.programme = shrinkable(QComboBox(), 8)
        self.activity = shrinkable(QComboBox(), 12)
        self.date_from, self.date_to = DateField(), DateField()
        today = dt.date.today()
        self.date_from.set_value(today - dt.timedelta(days=14))
        self.date_to.set_value(today + dt.timedelta(days=60))
        self.status = QComboBox()
        self.status.addItem("", None)
        for status in SESSION_STATUSES:
            self.status.addItem("", status)
        self.filter_labels = [QLabel() for _i in range(4)]
        self.count = QLabel()
        self.model = SessionsModel(self)
        self.proxy = proxy_for(self.model, self)
        self.table = stretch_column(sorted_view(self.proxy), SessionsModel.COL_ACTIVITY)
        self.export_button = ExportButton(
            self.proxy, prompts, lambda: _("Sessions"), value_role=SORT_ROLE, view=self.table
        )
        self.week = WeekCalendar()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "")
        self.tabs.addTab(self.week, "")
        self.buttons = {
            k: QPushButton()
            for k in ("new", "series", "edit", "cancel", "delete", "attendance", "print")
        }
        filters = QHBoxLayout()
        for label, widget in zip(
            self.filter_labels,
            (self.programme, self.activity, self.date_from, self.status),
            strict=True,
        ):
            filters.addWidget(label)
            filters.addWidget(widget, 1 if widget in (self.programme, self.activity) else 0)
            label.setBuddy(widget)
            if widget is self.date_from:
                filters.addWidget(self.date_to)
        actions = QHBoxLayout()
        for key in ("new", "series", "edit", "cancel", "delete"):
            actions.addWidget(self.buttons[key])
        actions.addStretch(1)
        actions.addWidget(self.buttons["print"])
        actions.addWidget(self.buttons["attendance"])
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.export_button)
        layout.addLayout(bottom)

        self.programme.currentIndexChanged.connect(self._programme_changed)
        for combo in (self.activity, self.status):
            combo.currentIndexChanged.connect(self.reload)
        for field in (self.date_from, self.date_to):
            field.dateChanged.connect(self.reload)
        self.week.week_changed.connect(lambda _m: self.reload_week())
        self.week.session_activated.connect(self.open_attendance)
        self.week.day_activated.connect(self.new_session)
        self.week.print_requested.connect(self.print_week)
        self.table.doubleClicked.connect(lambda _i: self.open_attendance())
        self.buttons["new"].clicked.connect(lambda: self.new_session())
        self.buttons["series"].clicked.connect(self.new_series)
        self.buttons["edit"].clicked.connect(self.edit_session)
        self.buttons["cancel"].clicked.connect(self.cancel_session)
        self.buttons["delete"].clicked.connect(self.delete_session)
        self.buttons["attendance"].clicked.connect(lambda: self.open_attendance())
        self.buttons["print"].clicked.connect(self.print_sheet)
        # Whatever has the focus in the window (also the navigation after Ctrl+3): a hidden
        # page's shortcuts are off, so each page's Ctrl+N is its own.
        QShortcut(QKeySequence("Ctrl+N"), self).activated.connect(lambda: self.new_session())
        QShortcut(QKeySequence.StandardKey.Print, self).activated.connect(self.print_sheet)
        self.table.installEventFilter(self)
        self.retranslate_ui()

    def title(self) -> str:
        return _("Sessions")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Enter on a session opens its attendance."""
        if (
            watched is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.open_attendance()
            return True
        return super().eventFilter(watched, event)

    def retranslate_ui(self) -> None:
        for label, text in zip(
            self.filter_labels,
            (_("Programme"), _("Activity"), _("Dates"), _("Status")),
            strict=True,
        ):
            label.setText(text)
        self.status.setItemText(0, _("All"))
        for i, status in enumerate(SESSION_STATUSES):
            self.status.setItemText(i + 1, _(SESSION_STATUS_LABELS[status]))
        self.tabs.setTabText(0, _("List"))
        self.tabs.setTabText(1, _("Week"))
        texts = {
            "new": _("New session"),
            "series": _("New series…"),
            "edit": _("Edit or move…"),
            "cancel": _("Cancel session"),
            "delete": _("Delete"),
            "attendance": _("Attendance…"),
            "print": _("Print sheet…"),
        }
        for key, text in texts.items():
            self.buttons[key].setText(text)
        self.buttons["attendance"].setToolTip(_("Open attendance (Enter)"))
        self.buttons["new"].setToolTip(_("New session (Ctrl+N)"))
        self.buttons["series"].setToolTip(_("Sessions on chosen weekdays between two dates"))
        self.week.retranslate_ui()
        self.model.retranslate()
        self._count()
        if self.programme.count():
            self.programme.setItemText(0, _("All programmes"))
        if self.activity.count():
            self.activity.setItemText(0, _("All activities"))

    def refresh(self) -> None:
        current = self.programme.currentData()
        self.programme.blockSignals(True)
        self.programme.clear()
        self.programme.addItem(_("All programmes"), None)
        for p in self.services.programmes.all():
            self.programme.addItem(f"{p.code} · {p.name}", p.id)
        self.programme.setCurrentIndex(max(self.programme.findData(current), 0))
        self.programme.blockSignals(False)
        self._fill_activities()
        self.reload()
        if self.current_session_id() is None:
            self._scroll_to_today()

    def _scroll_to_today(self) -> None:
        """The list opens at today's sessions (or the next ones), the past above."""
        today = dt.date.today()
        rows = [
            r for r in range(self.proxy.rowCount()) if self._row_date(r) >= today
        ] or [self.proxy.rowCount() - 1]
        index = self.proxy.index(rows[0], 0)
        if index.isValid():
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)

    def _row_date(self, row: int) -> dt.date:
        return self.model.row(self.proxy.mapToSource(self.proxy.index(row, 0)).row()).date

    def _fill_activities(self) -> None:
        fill_activities(
            self.activity,
            self.services.programmes.activities(self.programme.currentData()),
            _("All activities"),
        )

    def _programme_changed(self) -> None:
        self._fill_activities()
        self.reload()

    def current_filter(self) -> SessionFilter:
        return SessionFilter(
            programme_id=self.programme.currentData(),
            activity_id=self.activity.currentData(),
            date_from=self.date_from.value(),
            date_to=self.date_to.value(),
            status=self.status.currentData(),
        )

    def reload(self) -> None:
        keep = self.current_session_id()
        self.model.set_rows(self.services.sessions.find(self.current_filter()))
        self.proxy.sort(SessionsModel.COL_DATE)
        if keep:
            self.select(keep)
        self._count()
        self.reload_week()

    def reload_week(self) -> None:
        f = self.current_filter()
        start, end = self.week.range()
        week = SessionFilter(f.programme_id, f.activity_id, start, end, f.status)
        self.week.set_sessions(self.services.sessions.find(week))

    def _count(self) -> None:
        self.count.setText(_("Sessions: {count}").format(count=self.model.total()))

    def select(self, session_id: str) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ID_ROLE) == session_id:
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return True
        return False

    def show_session(self, session: SessionDTO) -> None:
        """A session just saved, selected and in sight: the filters widen when they hid it."""
        if session.id is None or self.select(session.id):
            return
        for combo in (self.programme, self.activity, self.status):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._fill_activities()
        for field, keep in (
            (self.date_from, min(self.date_from.value() or session.date, session.date)),
            (self.date_to, max(self.date_to.value() or session.date, session.date)),
        ):
            field.blockSignals(True)
            field.set_value(keep)
            field.blockSignals(False)
        self.reload()
        self.select(session.id)

    def current_session_id(self) -> str | None:
        if self.tabs.currentIndex() == 1:
            item = self.week.table.currentItem()
            return cast(str, item.data(Qt.ItemDataRole.UserRole)) if item is not None else None
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row(self.proxy.mapToSource(index).row()).id

    # --- actions --------------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        self.reload()
        saved = getattr(dialog, "saved", None)
        if dialog.result() == QDialog.DialogCode.Accepted and isinstance(saved, SessionDTO):
            self.tabs.setCurrentIndex(0)
            self.show_session(saved)
        if self.dialog is dialog:
            self.dialog = None

    def _has_activities(self) -> bool:
        """Sessions belong to an activity: say where to create one when there is none."""
        if self.activity.count() > 1 or any(
            self.services.programmes.activities(p.id or "") for p in self.services.programmes.all()
        ):
            return True
        self.prompts.info(
            self,
            _("Sessions"),
            _(
                "There are no activities yet. Create a programme and its activities in "
                "Programmes (Ctrl+2); then plan their sessions here."
            ),
        )
        return False

    def new_session(self, day: dt.date | None = None) -> None:
        """A new session: on ``day`` (an empty day of the week calendar), else today or the
        week shown."""
        if not self.services.office.may_write or not self._has_activities():
            return
        if day is None:  # the week shown, from today on
            day = self.week.monday if self.tabs.currentIndex() == 1 else dt.date.today()
            day = max(day, dt.date.today())
        self._open(
            SessionDialog(
                self.services,
                self.prompts,
                None,
                self.activity.currentData(),
                day,
                self,
                bus=self.bus,
            )
        )

    def new_series(self) -> None:
        if not self._has_activities():
            return
        self._open(
            SeriesDialog(
                self.services, self.prompts, self.activity.currentData(), self, bus=self.bus
            )
        )

    def edit_session(self) -> None:
        sid = self.current_session_id()
        if sid:
            self._open(
                SessionDialog(
                    self.services,
                    self.prompts,
                    self.services.sessions.get(sid),
                    parent=self,
                    bus=self.bus,
                )
            )

    def cancel_session(self) -> None:
        sid = self.current_session_id()
        if sid and self.prompts.confirm(
            self,
            _("Cancel session"),
            _("Cancel this session? It stays in the list, marked as cancelled."),
        ):
            run_op(
                self,
                lambda: self.services.sessions.cancel(sid),
                bus=self.bus,
                prompts=self.prompts,
                title=_("Cancel session"),
                on_success=lambda _r: self.reload(),
            )

    def delete_session(self) -> None:
        sid = self.current_session_id()
        if sid and self.prompts.confirm(
            self, _("Delete"), _("Delete this session and its attendance?")
        ):
            run_op(
                self,
                lambda: self.services.sessions.delete(sid),
                bus=self.bus,
                prompts=self.prompts,
                title=_("Delete"),
                on_success=lambda _r: self.reload(),
            )

    def open_attendance(self, session_id: str | None = None) -> None:
        if not self.services.office.reads_people:
            return  # a viewer: names and marks are not theirs to read
        sid = session_id or self.current_session_id()
        if sid:
            self._open(AttendanceDialog(self.services, self.bus, self.prompts, sid, self))

    def print_week(self, monday: dt.date) -> None:
        if not self.services.office.reads_people:
            return  # the week's sheets name the people enrolled
        from ui.dialogs import sheet_dialog

        dialog = sheet_dialog.for_week(self.services.sheets, monday, self.prompts, self)
        dialog.finished.connect(dialog.deleteLater)
        self.sheet_dialog = dialog
        dialog.open()

    def print_sheet(self) -> None:
        if not self.services.office.reads_people:
            return  # a sheet names the people enrolled
        sid = self.current_session_id()
        if sid:
            self.sheet_dialog = open_sheet_dialog(self, self.services, self.prompts, session_id=sid)
