"""The agreements board: every space's agreements, filtered by status, owner and overdue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.networks import AGREEMENT_STATUSES, AgreementDTO
from app.i18n import _, format_date, ngettext
from app.services.container import Services
from ui.models.dto_table import SORT_ROLE, Column, DtoTableModel
from ui.prompts import Prompts
from ui.widgets.export_button import ExportButton
from ui.widgets.form_fields import shrinkable


def _date(value: dt.date | None) -> str:
    return format_date(value, fmt="short") if value else ""


class AgreementsBoard(QWidget):
    def __init__(
        self,
        services: Services,
        today: Callable[[], dt.date] = dt.date.today,
        prompts: Prompts | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self.today = today
        self.status = QComboBox()
        # Owners are the team and every organisation: the longest name must not widen the page.
        self.owner = shrinkable(QComboBox(), 18)
        self.overdue = QCheckBox()
        self.count = QLabel()
        self.l_status, self.l_owner = QLabel(), QLabel()
        self.model: DtoTableModel[AgreementDTO] = DtoTableModel(
            [
                Column(lambda: _("Space"), lambda a: a.space_name),
                Column(
                    lambda: _("Meeting"), lambda a: _date(a.meeting_date), lambda a: a.meeting_date
                ),
                Column(lambda: "#", lambda a: f"{a.number}.", lambda a: a.number),
                Column(lambda: _("Agreement"), lambda a: a.text),
                Column(lambda: _("Owner"), lambda a: a.owner_name),
                Column(
                    lambda: _("Due date"),
                    lambda a: _date(a.due_date),
                    lambda a: a.due_date or dt.date.max,
                ),
                Column(lambda: _("Status"), self._status_text),
            ],
            warn=lambda a: a.is_overdue(self.today()),
        )
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        filters = QHBoxLayout()
        for w in (self.l_status, self.status, self.l_owner, self.owner, self.overdue):
            filters.addWidget(w)
        filters.addStretch(1)
        filters.addWidget(self.count)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        if prompts is not None:
            self.export_button = ExportButton(
                proxy, prompts, lambda: _("Agreements"), value_role=SORT_ROLE, view=self.table
            )
            bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._fill_status()
        self.status.currentIndexChanged.connect(self.refresh)
        self.owner.currentIndexChanged.connect(self.refresh)
        self.overdue.toggled.connect(self.refresh)
        self.retranslate_ui()

    def _status_text(self, a: AgreementDTO) -> str:
        text = _(AGREEMENT_STATUSES[a.status])
        if a.is_overdue(self.today()):
            return _("Overdue")
        if a.closed_in_date:
            return _("{status} on {date}").format(status=text, date=_date(a.closed_in_date))
        return text

    def _fill_status(self) -> None:
        self.status.blockSignals(True)
        current = self.status.currentData()
        self.status.clear()
        self.status.addItem(_("All"), None)
        for code, label in AGREEMENT_STATUSES.items():
            self.status.addItem(_(label), code)
        index = self.status.findData(current)
        self.status.setCurrentIndex(index if current is not None and index >= 0 else 1)
        self.status.blockSignals(False)

    def retranslate_ui(self) -> None:
        self.l_status.setText(_("Status"))
        self.l_owner.setText(_("Owner"))
        self.overdue.setText(_("Only overdue"))
        self._fill_status()
        self.model.retranslate()
        self._fill_owners()
        self._update_count()

    def _fill_owners(self) -> None:
        self.owner.blockSignals(True)
        current = self.owner.currentData()
        self.owner.clear()
        self.owner.addItem(_("Anyone"), None)
        for s in self.services.profile.staff():
            self.owner.addItem(s.name, s.id)
        for o in self.services.networks.organisations():
            self.owner.addItem(o.name, o.id)
        self.owner.setCurrentIndex(max(self.owner.findData(current), 0))
        self.owner.blockSignals(False)

    def refresh(self) -> None:
        self._fill_owners()
        rows = self.services.networks.board(
            status=self.status.currentData(),
            owner=self.owner.currentData(),
            overdue_only=self.overdue.isChecked(),
            today=self.today(),
        )
        self.model.set_rows(rows)
        for col in (0, 1, 2, 4, 5, 6):
            self.table.resizeColumnToContents(col)
        # Long space and owner names must leave the agreement's text readable on a small screen.
        for col, cap in ((0, 200), (4, 180)):
            if self.table.columnWidth(col) > cap:
                self.table.setColumnWidth(col, cap)
        self._update_count()

    def _update_count(self) -> None:
        n = self.model.rowCount()
        self.count.setText(ngettext("{count} agreement", "{count} agreements", n).format(count=n))
