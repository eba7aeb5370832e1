"""Table models of sessions, a session's attendance and an activity's register grid."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.sessions import (
    ATTENDANCE_LABELS,
    SESSION_STATUS_LABELS,
    AttendanceRow,
    RegisterGrid,
    SessionDTO,
)
from app.i18n import _, format_date, format_time_range, pgettext
from ui.models.rows import ID_ROLE, SORT_ROLE, Index, RowsModel

STATUS_COLOURS = {
    "present": "#d8f0d8",
    "late": "#fff1c4",
    "excused": "#dde6f7",
    "absent": "#f6d6d6",
}


def status_mark(status: str | None) -> str:
    """The one-letter mark of a register cell, translated (P / R / J / A in Catalan...)."""
    if status is None:
        return ""
    marks = {
        "present": pgettext("attendance mark: present", "P"),
        "late": pgettext("attendance mark: late arrival", "L"),
        "excused": pgettext("attendance mark: justified absence", "E"),
        "absent": pgettext("attendance mark: absent", "A"),
    }
    return marks[status]


def time_range(s: SessionDTO) -> str:
    return format_time_range(s.start_time, s.end_time)


class SessionsModel(RowsModel[SessionDTO]):
    COL_DATE, COL_TIME, COL_PROGRAMME, COL_ACTIVITY, COL_PLACE, COL_STATUS, COL_RECORDED = range(7)

    def headers(self) -> Sequence[str]:
        return [
            _("Date"),
            _("Time"),
            _("Programme"),
            _("Activity"),
            _("Place"),
            _("Status"),
            _("Attendance"),
        ]

    def text(self, row: SessionDTO, column: int) -> str:
        if column == self.COL_DATE:
            return format_date(row.date, fmt="medium")
        if column == self.COL_TIME:
            return time_range(row)
        if column == self.COL_PROGRAMME:
            return row.programme_code
        if column == self.COL_ACTIVITY:
            return row.activity_name
        if column == self.COL_PLACE:
            return row.place_name
        if column == self.COL_STATUS:
            return _(SESSION_STATUS_LABELS.get(row.status, row.status))
        return str(row.attendances) if row.recorded or row.attendances else ""

    def sort_key(self, row: SessionDTO, column: int) -> Any:
        if column in (self.COL_DATE, self.COL_TIME):
            return f"{row.date.isoformat()} {time_range(row)}"
        if column == self.COL_RECORDED:
            return row.attendances
        return super().sort_key(row, column)

    def extra(self, row: SessionDTO, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.status == "cancelled":
            return QBrush(QColor("#888888"))
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.COL_ACTIVITY, self.COL_PLACE):
            return self.text(row, column)  # the whole name where the column elides it
        return None


class AttendanceModel(RowsModel[AttendanceRow]):
    COL_NAME, COL_STATUS = range(2)

    def headers(self) -> Sequence[str]:
        return [_("Name"), _("Attendance")]

    def text(self, row: AttendanceRow, column: int) -> str:
        if column == self.COL_NAME:
            return row.name if row.enrolled else _("{name} (not enrolled)").format(name=row.name)
        return _(ATTENDANCE_LABELS[row.status]) if row.status else "—"

    def sort_key(self, row: AttendanceRow, column: int) -> Any:
        if column == self.COL_NAME and any(row.sort):
            return "\x01".join(row.sort)  # a string: Qt compares it; \x01 sorts first
        return super().sort_key(row, column)

    def extra(self, row: AttendanceRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and row.status:
            return QBrush(QColor(STATUS_COLOURS[row.status]))
        if role == Qt.ItemDataRole.ForegroundRole and row.status:
            return QBrush(QColor("#202020"))
        if role == ID_ROLE:
            return row.participant_id
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == ID_ROLE and index.isValid() and index.row() < self.rowCount():
            return self.row(index.row()).participant_id
        return super().data(index, role)


class RegisterModel(QAbstractTableModel):
    """People (rows) x sessions (columns); a cell shows the status mark. Writes go through the
    page (the service), which then calls ``set_cell``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.grid: RegisterGrid | None = None
        self._cells: dict[tuple[str, str], str] = {}

    def set_grid(self, grid: RegisterGrid) -> None:
        self.beginResetModel()
        self.grid = grid
        self._cells = dict(grid.cells)
        self.endResetModel()

    def cell_ids(self, index: Index) -> tuple[str, str]:
        assert self.grid is not None
        return (
            self.grid.people[index.row()].participant_id,
            self.grid.sessions[index.column()].id or "",
        )

    def status_at(self, index: Index) -> str | None:
        return self._cells.get(self.cell_ids(index))

    def set_cell(self, index: Index, status: str | None) -> None:
        key = self.cell_ids(index)
        if status is None:
            self._cells.pop(key, None)
        else:
            self._cells[key] = status
        self.dataChanged.emit(index, index)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.grid is None else len(self.grid.people)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.grid is None else len(self.grid.sessions)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self.grid is None:
            return None
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.grid.sessions)
        ):
            session = self.grid.sessions[section]  # the whole date and the times
            return " · ".join(
                x for x in (format_date(session.date, fmt="full"), time_range(session)) if x
            )
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.grid.sessions):
                return self.grid.sessions[section].date.strftime("%d/%m")
            return None
        return self.grid.people[section].name if 0 <= section < len(self.grid.people) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.grid is None:
            return None
        status = self.status_at(index)
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return status_mark(status)
        if role == Qt.ItemDataRole.ToolTipRole and status:
            return _(ATTENDANCE_LABELS[status])
        if role == Qt.ItemDataRole.BackgroundRole and status:
            return QBrush(QColor(STATUS_COLOURS[status]))
        if role == Qt.ItemDataRole.ForegroundRole and status:
            return QBrush(QColor("#202020"))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
