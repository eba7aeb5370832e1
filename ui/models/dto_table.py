"""A table over a list of DTOs described by column functions (title, value, sort), for tables
that need no model class of their own. It is a :class:`RowsModel`, so it behaves like every other
table: same roles, batches for long lists, live retranslation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor

from ui.models.rows import SORT_ROLE, RowsModel

T = TypeVar("T")

__all__ = ["SORT_ROLE", "Column", "DtoTableModel"]


@dataclass(frozen=True)
class Column(Generic[T]):
    title: Callable[[], str]
    value: Callable[[T], str]
    sort: Callable[[T], Any] | None = None
    align_right: bool = False
    # The full title as a tooltip when ``title`` is a short heading (narrow columns).
    tip: Callable[[], str] | None = None


class DtoTableModel(RowsModel[T]):
    def __init__(
        self,
        columns: Sequence[Column[T]],
        *,
        warn: Callable[[T], bool] | None = None,
        muted: Callable[[T], bool] | None = None,
    ) -> None:
        super().__init__()
        self._columns = list(columns)
        self._warn = warn
        self._muted = muted

    def headers(self) -> Sequence[str]:
        return [column.title() for column in self._columns]

    def header_tip(self, section: int) -> str | None:
        tip = self._columns[section].tip if 0 <= section < len(self._columns) else None
        return tip() if tip else None

    def text(self, row: T, column: int) -> str:
        return self._columns[column].value(row)

    def sort_key(self, row: T, column: int) -> Any:
        col = self._columns[column]
        key = col.sort(row) if col.sort else col.value(row).casefold()
        if isinstance(key, dt.date) and not isinstance(key, dt.datetime):
            # A Python date reaches Qt as an object it cannot compare: the column would show a
            # sort arrow and stay unsorted. A QDate sorts (and exports as a date).
            return QDate(key.year, key.month, key.day)
        return key

    def extra(self, row: T, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._warn and self._warn(row):
                return QBrush(QColor("#b00020"))
            if self._muted and self._muted(row):
                return QBrush(QColor("#888888"))
        if role == Qt.ItemDataRole.TextAlignmentRole and self._columns[column].align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def row_at(self, row: int) -> T | None:
        return self._all[row] if 0 <= row < len(self._all) else None
