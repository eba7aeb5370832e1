"""The rows of a people import plan, with the user's choice per row (import, skip, merge)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.imports import PeoplePlan, RowPlan
from app.i18n import N_, _, format_date

COL_ROW, COL_NAME, COL_BIRTH, COL_DOCUMENT, COL_CHOICE, COL_STATUS = range(6)
HEADERS = (N_("Row"), N_("Name"), N_("Date of birth"), N_("ID document"), N_("Action"), N_("Check"))
CHOICE_LABELS = {
    "import": N_("Import"),
    "skip": N_("Skip"),
    "merge": N_("Complete the existing person"),
}
ERROR_COLOUR = QColor("#b00020")
DUPLICATE_COLOUR = QColor("#8a5a00")

_Index = QModelIndex | QPersistentModelIndex


def row_status(r: RowPlan) -> str:
    if r.errors:
        return " ".join(r.errors)
    if r.duplicates:
        d = r.duplicates[0]
        where = _("row {row}").format(row=d.row) if d.row else _("already in the database")
        return _("Looks like {name} ({where}: {reason}).").format(
            name=d.name, where=where, reason=d.reason
        )
    if r.warnings:
        return " ".join(r.warnings)
    return _("Ready to import.")


class ImportPlanModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[RowPlan] = []
        self.choices: dict[int, str] = {}

    def set_plan(self, plan: PeoplePlan | None) -> None:
        self.beginResetModel()
        self._rows = list(plan.rows) if plan else []
        self.choices = plan.default_choices() if plan else {}
        self.endResetModel()

    def plan_row(self, row: int) -> RowPlan:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(HEADERS[section]) if 0 <= section < len(HEADERS) else None
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        editable = (
            index.isValid()
            and index.column() == COL_CHOICE
            and len(self._rows[index.row()].allowed_choices()) > 1
        )
        if editable:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            v = r.values
            if col == COL_ROW:
                return str(r.row)
            if col == COL_NAME:
                return v.full_name if v else ""
            if col == COL_BIRTH:
                if v and v.birth_date:
                    return format_date(v.birth_date, None, "short")
                return str(v.birth_year) if v and v.birth_year else ""
            if col == COL_DOCUMENT:
                return v.id_document_number if v else ""
            if col == COL_STATUS:
                return row_status(r)
            if col == COL_CHOICE:
                return _(CHOICE_LABELS[self.choices.get(r.row, "skip")])
        if role == Qt.ItemDataRole.EditRole and col == COL_CHOICE:
            return self.choices.get(r.row, "skip")
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATUS:
            if r.errors:
                return QBrush(ERROR_COLOUR)
            if r.duplicates:
                return QBrush(DUPLICATE_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_STATUS:
            return "\n".join((row_status(r), *r.warnings))
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != COL_CHOICE or role != Qt.ItemDataRole.EditRole:
            return False
        r = self._rows[index.row()]
        if value not in r.allowed_choices():
            return False
        self.choices[r.row] = value
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def retranslate(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, COL_STATUS))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
