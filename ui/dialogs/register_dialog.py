"""An activity's register grid (people x sessions), edited like a paper register: move with the
arrows, P/L/E/A or 1-4 to mark, Delete to clear, Ctrl+Z to undo (this grid's own marks, while it
is open). Each mark is saved at once.
The grid shows one period (this month at first; previous/next month or any from-to range)."""

from __future__ import annotations

import calendar
import datetime as dt

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.sessions import AttendanceUndo
from app.i18n import _, format_date, ngettext
from app.services.container import Services
from ui.events import DataBus
from ui.models.sessions import RegisterModel
from ui.prompts import Prompts
from ui.widgets.form_fields import DateField
from ui.widgets.status_keys import CLEAR, status_for_key
from ui.workers import run_op


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of ``day``'s month."""
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


class RegisterTable(QTableView):
    status_key = Signal(object)  # status or CLEAR
    undo_key = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_key.emit()
            return
        status = status_for_key(event)
        index = self.currentIndex()
        if status is not None and index.isValid():
            self.status_key.emit(status)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Next person in the same session; never a dialog button.
            if index.isValid() and index.row() + 1 < self.model().rowCount():
                self.setCurrentIndex(self.model().index(index.row() + 1, index.column()))
            event.accept()
            return
        super().keyPressEvent(event)


class RegisterDialog(QDialog):
    def __init__(
        self,
        services: Services,
        bus: DataBus,
        prompts: Prompts,
        activity_id: str,
        parent: QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.bus, self.prompts = services, bus, prompts
        self.activity_id = activity_id
        #: The marks made in this grid, newest last: what Ctrl+Z undoes.
        self.undo_history = AttendanceUndo()
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14px; font-weight: 600;")
        # The period: this month at first.
        self.previous_button, self.next_button = QPushButton(), QPushButton()
        self.this_month_button = QPushButton()
        self.from_label, self.to_label = QLabel(), QLabel()
        self.date_from, self.date_to = DateField(optional=False), DateField(optional=False)
        self.from_label.setBuddy(self.date_from)
        self.to_label.setBuddy(self.date_to)
        self.period_label = QLabel()
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.model = RegisterModel(self)
        self.table = RegisterTable()
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setDefaultSectionSize(52)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.undo_button, self.close_button = QPushButton(), QPushButton()
        period = QHBoxLayout()
        period.addWidget(self.previous_button)
        period.addWidget(self.this_month_button)
        period.addWidget(self.next_button)
        period.addSpacing(12)
        period.addWidget(self.from_label)
        period.addWidget(self.date_from)
        period.addWidget(self.to_label)
        period.addWidget(self.date_to)
        period.addSpacing(12)
        period.addWidget(self.period_label, 1)
        self.stack = QStackedLayout()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(period)
        layout.addLayout(self.stack, 1)
        layout.addLayout(buttons)
        self.table.status_key.connect(self.mark)
        self.table.undo_key.connect(self.undo)
        self.table.doubleClicked.connect(lambda _i: self.cycle())
        self.undo_button.clicked.connect(self.undo)
        self.close_button.clicked.connect(self.accept)
        self.previous_button.clicked.connect(lambda: self.shift_month(-1))
        self.next_button.clicked.connect(lambda: self.shift_month(1))
        self.this_month_button.clicked.connect(lambda: self.set_period(*month_of(self._today)))
        for field in (self.date_from, self.date_to):
            field.dateChanged.connect(lambda _d: self._period_edited())
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo)
        QShortcut(QKeySequence("Alt+PgUp"), self, lambda: self.shift_month(-1))
        QShortcut(QKeySequence("Alt+PgDown"), self, lambda: self.shift_month(1))
        self._today: dt.date = today or dt.date.today()
        self._quiet = False
        self.set_period(*month_of(self._today))
        self.retranslate_ui()
        self.resize(900, 520)

    # --- the period -----------------------------------------------------------------------
    def period(self) -> tuple[dt.date, dt.date]:
        return self.date_from.value() or self._today, self.date_to.value() or self._today

    def set_period(self, date_from: dt.date, date_to: dt.date) -> None:
        self._quiet = True
        self.date_from.set_value(date_from)
        self.date_to.set_value(date_to)
        self._quiet = False
        self._period_edited()

    def shift_month(self, step: int) -> None:
        first = self.period()[0].replace(day=1)
        month = first.month - 1 + step
        self.set_period(
            *month_of(first.replace(year=first.year + month // 12, month=month % 12 + 1))
        )

    def _period_edited(self) -> None:
        if self._quiet:
            return
        self.table.setCurrentIndex(self.model.index(-1, -1))  # the columns are other sessions
        self.reload()
        self._describe_period()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        activity = self.services.programmes.activity(self.activity_id)
        self.setWindowTitle(_("Register grid"))
        self.heading.setText(activity.label())
        self.hint.setText(
            _(
                "Arrows move; P present, L late, E excused, A absent (or 1-4); Delete clears; "
                "double-click cycles. Each mark is saved at once."
            )
        )
        self.undo_button.setText(_("Undo"))
        self.undo_button.setToolTip(_("Undo the last mark (Ctrl+Z)"))
        self.close_button.setText(_("Close"))
        self.previous_button.setText(_("◀ Previous month"))
        self.previous_button.setToolTip(_("Previous month (Alt+Page Up)"))
        self.next_button.setText(_("Next month ▶"))
        self.next_button.setToolTip(_("Next month (Alt+Page Down)"))
        self.this_month_button.setText(_("This month"))
        self.from_label.setText(_("&From"))
        self.to_label.setText(_("&To"))
        self._describe_period()

    def _describe_period(self) -> None:
        date_from, date_to = self.period()
        sessions = self.model.columnCount()
        if date_to < date_from:
            self.empty.setText(_("The end date cannot be before the start date."))
        else:
            self.empty.setText(
                _(
                    "No sessions between {start} and {end}. Choose another month, or plan "
                    "sessions on the Sessions page."
                ).format(start=format_date(date_from), end=format_date(date_to))
            )
        people = self.model.rowCount()
        self.period_label.setText(
            ngettext("{count} session", "{count} sessions", sessions).format(count=sessions)
            + " · "
            + ngettext("{count} person", "{count} people", people).format(count=people)
        )
        self.stack.setCurrentWidget(self.table if sessions else self.empty)

    def reload(self) -> None:
        current = self.table.currentIndex()
        date_from, date_to = self.period()
        self.model.set_grid(self.services.sessions.register(self.activity_id, date_from, date_to))
        if current.isValid():
            self.table.setCurrentIndex(self.model.index(current.row(), current.column()))
        elif self.model.rowCount() and self.model.columnCount():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def mark(self, status: object, advance: bool = True) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        pid, sid = self.model.cell_ids(index)
        value = None if status == CLEAR else str(status)
        done = run_op(
            self,
            lambda: self.services.sessions.set_attendance(sid, {pid: value}, self.undo_history),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Register grid"),
            on_success=lambda _r: self.model.set_cell(index, value),
        )
        if done and advance and index.row() + 1 < self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(index.row() + 1, index.column()))

    def cycle(self) -> None:
        order = [None, "present", "late", "excused", "absent"]
        current = self.model.status_at(self.table.currentIndex())
        following = order[(order.index(current) + 1) % len(order)]
        self.mark(CLEAR if following is None else following, advance=False)

    def undo(self) -> None:
        if not run_op(
            self,
            lambda: self.services.sessions.undo_attendance(self.undo_history),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Register grid"),
            on_success=lambda _r: self.reload(),
        ):
            return
        self.table.setFocus()
