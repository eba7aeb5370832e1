"""The one table-model shape: an adapter over a list of DTOs.

Subclasses give column headers, the text of a cell and its sort key; the model never reads the
database. Long lists are handed over whole but shown in batches (``canFetchMore``), so a view of
50 000 people costs only the rows on screen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.i18n import current_language

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
ROW_ROLE = Qt.ItemDataRole.UserRole + 3


class RowsModel(QAbstractTableModel, Generic[T]):
    BATCH = 500

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[T] = []
        self._shown = 0
        #: The headers in the language they were translated to: Qt asks for the column count
        #: tens of thousands of times, and a header changes only with the language.
        self._headers: tuple[str, tuple[str, ...]] | None = None

    # --- what subclasses give -------------------------------------------------------------
    def headers(self) -> Sequence[str]:
        raise NotImplementedError

    def text(self, row: T, column: int) -> str:
        raise NotImplementedError

    def sort_key(self, row: T, column: int) -> Any:
        return self.text(row, column).casefold()

    def extra(self, row: T, column: int, role: int) -> Any:
        """Other roles (colours, tooltips, alignment) for subclasses that need them."""
        return None

    def _translated_headers(self) -> tuple[str, ...]:
        lang = current_language()
        if self._headers is None or self._headers[0] != lang:
            self._headers = (lang, tuple(self.headers()))
        return self._headers[1]

    # --- the list -------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._shown = min(len(self._all), self.BATCH)
        self.endResetModel()

    def rows(self) -> list[T]:
        return self._all

    def row(self, index: int) -> T:
        return self._all[index]

    def total(self) -> int:
        return len(self._all)

    def replace_row(self, index: int, row: T) -> None:
        self._all[index] = row
        self.dataChanged.emit(self.index(index, 0), self.index(index, self.columnCount() - 1))

    def retranslate(self) -> None:
        self._headers = None
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(self.columnCount() - 1, 0))
        if self._shown:
            self.dataChanged.emit(
                self.index(0, 0), self.index(self._shown - 1, self.columnCount() - 1)
            )

    # --- Qt -------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._translated_headers())

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        return not parent.isValid() and self._shown < len(self._all)

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        if parent.isValid():
            return
        more = min(self.BATCH, len(self._all) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = self._translated_headers()
            return headers[section] if 0 <= section < len(headers) else None
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return self.header_tip(section)
        return None

    def header_tip(self, section: int) -> str | None:
        """A column's full title when its heading is shortened to fit; none by default."""
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._shown:
            return None
        row = self._all[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, index.column())
        if role == SORT_ROLE:
            return self.sort_key(row, index.column())
        if role == ID_ROLE:
            return getattr(row, "id", None)
        if role == ROW_ROLE:
            return index.row()
        return self.extra(row, index.column(), role)
