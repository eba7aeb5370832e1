"""A week of sessions: seven day columns, each listing its sessions by time."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.sessions import SessionDTO
from app.i18n import _, format_date
from ui.models.sessions import time_range


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


class WeekCalendar(QWidget):
    week_changed = Signal(object)  # the Monday shown
    session_activated = Signal(str)
    day_activated = Signal(object)  # an empty cell: a new session that day
    print_requested = Signal(object)  # the Monday shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.monday = monday_of(dt.date.today())
        self.prev_button, self.today_button, self.next_button = (
            QPushButton(),
            QPushButton(),
            QPushButton(),
        )
        self.title = QLabel()
        self.title.setWordWrap(True)  # may wrap rather than widen the window
        self.print_button = QPushButton()
        self.table = QTableWidget(0, 7)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setMinimumSectionSize(60)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.prev_button)
        bar.addWidget(self.today_button)
        bar.addWidget(self.next_button)
        bar.addWidget(self.title, 1)
        bar.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.prev_button.clicked.connect(lambda: self.go(self.monday - dt.timedelta(days=7)))
        self.next_button.clicked.connect(lambda: self.go(self.monday + dt.timedelta(days=7)))
        self.today_button.clicked.connect(lambda: self.go(monday_of(dt.date.today())))
        self.table.cellActivated.connect(self._activated)
        self.print_button.clicked.connect(lambda: self.print_requested.emit(self.monday))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.prev_button.setText(_("◀ Previous week"))
        self.today_button.setText(_("This week"))
        self.next_button.setText(_("Next week ▶"))
        self.print_button.setText(_("Print the week's sheets…"))
        self._headers()

    def _headers(self) -> None:
        days = [self.monday + dt.timedelta(days=i) for i in range(7)]
        self.table.setHorizontalHeaderLabels([format_date(d, fmt="EEE d MMM") for d in days])
        self.title.setText(_("Week of {date}").format(date=format_date(self.monday)))

    def go(self, monday: dt.date) -> None:
        self.monday = monday
        self._headers()
        self.week_changed.emit(monday)

    def range(self) -> tuple[dt.date, dt.date]:
        return self.monday, self.monday + dt.timedelta(days=6)

    def set_sessions(self, sessions: list[SessionDTO]) -> None:
        per_day: list[list[SessionDTO]] = [[] for _d in range(7)]
        for s in sessions:
            offset = (s.date - self.monday).days
            if 0 <= offset < 7:
                per_day[offset].append(s)
        self.table.clearContents()
        # One spare row so every day has an empty cell to create a session in.
        self.table.setRowCount(max((len(d) for d in per_day), default=0) + 1)
        for col, day in enumerate(per_day):
            for row, s in enumerate(day):
                text = f"{time_range(s)}\n{s.activity_name}".strip()
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, s.id)
                item.setToolTip(f"{s.programme_code} · {s.activity_name}\n{s.place_name}")
                if s.status == "cancelled":
                    item.setForeground(QBrush(QColor("#888888")))
                    font = item.font()
                    font.setStrikeOut(True)
                    item.setFont(font)
                elif s.status == "held":
                    item.setBackground(QBrush(QColor("#e3f3e3")))
                    item.setForeground(QBrush(QColor("#202020")))
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()

    def _activated(self, row: int, column: int) -> None:
        item = self.table.item(row, column)
        sid = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if sid:
            self.session_activated.emit(str(sid))
        else:
            self.day_activated.emit(self.monday + dt.timedelta(days=column))
