"""An "Export list" tool button for any table: the rows as shown (sorted and filtered through a
proxy), the column headers from headerData, to XLSX or CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QDate, QDateTime, QEvent, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTableView, QToolButton, QWidget

from app.errors import UserError
from app.exchange.spreadsheet_export import export_rows
from app.i18n import _, ngettext
from ui.prompts import Prompts

if TYPE_CHECKING:
    from app.services.exchange import ExchangeService


def _plain(value: Any) -> Any:
    if isinstance(value, QDateTime):
        return value.toPython()
    if isinstance(value, QDate):
        return value.toPython()
    return value


def model_rows(
    model: QAbstractItemModel, value_role: int | None = None, view: QTableView | None = None
) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of ``model`` in its current order; columns hidden in ``view`` left out.
    ``value_role`` (e.g. a sort role) gives real dates and numbers where the model has them."""
    while model.canFetchMore(QModelIndex()):  # a long list shown in batches: export it whole
        model.fetchMore(QModelIndex())
    columns = [c for c in range(model.columnCount()) if view is None or not view.isColumnHidden(c)]
    headers = [
        str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
        for c in columns
    ]
    rows = []
    for r in range(model.rowCount()):
        row = []
        for c in columns:
            index = model.index(r, c)
            value = None
            if value_role is not None:
                value = _plain(model.data(index, value_role))
                if not isinstance(value, dt.date | int | float) or isinstance(value, bool):
                    value = None
            if value is None:
                value = model.data(index, Qt.ItemDataRole.DisplayRole)
            row.append(value if value is not None else "")
        rows.append(row)
    return headers, rows


class ExportButton(QToolButton):
    """``title`` names the file and the sheet. Lists with personal data pass the ``exchange``
    service, which writes the file and the export to the audit log."""

    def __init__(
        self,
        model: QAbstractItemModel,
        prompts: Prompts,
        title: Callable[[], str],
        *,
        exchange: ExchangeService | None = None,
        value_role: int | None = None,
        view: QTableView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.prompts = prompts
        self.title = title
        self.exchange = exchange
        self.value_role = value_role
        self.view = view
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # The menu arrow gets its own room at the right instead of being drawn over the text.
        self.setStyleSheet(
            "QToolButton { padding: 3px 18px 3px 6px; }"
            "QToolButton::menu-indicator { subcontrol-position: right center; right: 4px; }"
        )
        menu = QMenu(self)
        self.xlsx_action = QAction(self)
        self.csv_action = QAction(self)
        self.xlsx_action.triggered.connect(lambda: self.export("xlsx"))
        self.csv_action.triggered.connect(lambda: self.export("csv"))
        menu.addAction(self.xlsx_action)
        menu.addAction(self.csv_action)
        self.setMenu(menu)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setText(_("Export list"))
        self.setToolTip(_("Save the rows shown in this list as a spreadsheet"))
        self.xlsx_action.setText(_("Excel workbook (XLSX)…"))
        self.csv_action.setText(_("CSV text (semicolons)…"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def export(self, kind: str) -> Path | None:
        title = self.title()
        stamp = dt.date.today().isoformat()
        filters = (
            (_("Excel workbook") + " (*.xlsx)") if kind == "xlsx" else (_("CSV text") + " (*.csv)")
        )
        chosen = self.prompts.save_file(self, _("Export list"), f"{title} {stamp}.{kind}", filters)
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != f".{kind}":
            path = path.with_name(path.name + f".{kind}")
        headers, rows = model_rows(self.model, self.value_role, self.view)
        try:
            if self.exchange is not None:
                passphrase = self.prompts.export_passphrase(self, _("Export list"))
                if passphrase is None:
                    return None
                count = self.exchange.export_list(
                    headers, rows, path, title=title, passphrase=passphrase or None
                )
                if passphrase:
                    path = path.with_name(path.name + ".zip")
            else:
                count = export_rows(headers, rows, path, title=title)
        except UserError as exc:
            self.prompts.error(self, _("Export list"), exc.message)
            return None
        self.prompts.info(
            self,
            _("Export list"),
            ngettext("{count} row saved in {path}.", "{count} rows saved in {path}.", count).format(
                count=count, path=path
            ),
        )
        return path
