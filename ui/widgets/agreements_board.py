"""The agreements board: the agreements of every space and of every accompanied group's
meetings, filtered by space or group, status, owner and overdue; the selected agreement is
marked done, dropped or open again here (a group's meetings have no follow-up list)."""

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
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.networks import AGREEMENT_STATUSES, AgreementDTO
from app.i18n import _, format_date, ngettext
from app.services.container import Services
from ui.events import DataBus
from ui.models.dto_table import SORT_ROLE, Column, DtoTableModel
from ui.prompts import Prompts
from ui.widgets.export_button import ExportButton
from ui.widgets.form_fields import shrinkable
from ui.workers import run_op


def _date(value: dt.date | None) -> str:
    return format_date(value, fmt="short") if value else ""


class AgreementsBoard(QWidget):
    def __init__(
        self,
        services: Services,
        today: Callable[[], dt.date] = dt.date.today,
        prompts: Prompts | None = None,
        bus: DataBus | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self.today = today
        self.prompts, self.bus = prompts, bus
        #: A space's or an accompanied group's meetings: "space:<id>" or "group:<id>", or None.
        self.where = shrinkable(QComboBox(), 18)
        self.l_where = QLabel()
        self.status = QComboBox()
        # Owners are the team and every organisation: the longest name must not widen the page.
        self.owner = shrinkable(QComboBox(), 18)
        self.overdue = QCheckBox()
        self.count = QLabel()
        self.l_status, self.l_owner = QLabel(), QLabel()
        self.model: DtoTableModel[AgreementDTO] = DtoTableModel(
            [
                Column(
                    lambda: _("Space or group"),
                    lambda a: a.space_name,
                    tip=lambda: _("The network space, or the group accompanied, that met"),
                ),
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
        for w in (
            self.l_where,
            self.where,
            self.l_status,
            self.status,
            self.l_owner,
            self.owner,
            self.overdue,
        ):
            filters.addWidget(w)
        filters.addStretch(1)
        filters.addWidget(self.count)
        bottom = QHBoxLayout()
        self.done_button, self.drop_button, self.reopen_button = (
            QPushButton(),
            QPushButton(),
            QPushButton(),
        )
        for button, status in (
            (self.done_button, "done"),
            (self.drop_button, "dropped"),
            (self.reopen_button, "open"),
        ):
            bottom.addWidget(button)
            button.clicked.connect(lambda _c=False, st=status: self.mark(st))
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
        self.where.currentIndexChanged.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
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
        self.l_where.setText(_("Where"))
        self.where.setToolTip(_("A network space or a group accompanied"))
        self.done_button.setText(_("Mark done"))
        self.drop_button.setText(_("Mark dropped"))
        self.reopen_button.setText(_("Open again"))
        self.done_button.setToolTip(
            _(
                "The selected agreement has been carried out (a network's agreements are "
                "usually followed up in its next meeting)"
            )
        )
        self.l_status.setText(_("Status"))
        self.l_owner.setText(_("Owner"))
        self.overdue.setText(_("Only overdue"))
        self._fill_status()
        self.model.retranslate()
        self._fill_owners()
        self._update_count()

    def _fill_where(self) -> None:
        self.where.blockSignals(True)
        current = self.where.currentData()
        self.where.clear()
        self.where.addItem(_("Everywhere"), None)
        for sp in self.services.networks.spaces():
            self.where.addItem(sp.name, f"space:{sp.id}")
        for g in self.services.community.groups():
            self.where.addItem(_("Group: {name}").format(name=g.name), f"group:{g.id}")
        self.where.setCurrentIndex(max(self.where.findData(current), 0))
        self.where.blockSignals(False)

    def selected(self) -> AgreementDTO | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        proxy = self.table.model()
        assert isinstance(proxy, QSortFilterProxyModel)
        return self.model.row_at(proxy.mapToSource(rows[0]).row())

    def _enable(self) -> None:
        a = self.selected()
        self.done_button.setEnabled(a is not None and a.status != "done")
        self.drop_button.setEnabled(a is not None and a.status != "dropped")
        self.reopen_button.setEnabled(a is not None and a.status != "open")

    def mark(self, status: str) -> None:
        """The selected agreement done, dropped or open again."""
        a = self.selected()
        if a is None or not a.id:
            return
        agreement_id = a.id
        run_op(
            self,
            lambda: self.services.networks.follow_up_agreement(agreement_id, status),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Cannot change the agreement"),
            on_success=lambda _a: self.refresh(),
        )

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
        self._fill_where()
        kind, _sep, where_id = (self.where.currentData() or "").partition(":")
        rows = self.services.networks.board(
            status=self.status.currentData(),
            owner=self.owner.currentData(),
            overdue_only=self.overdue.isChecked(),
            today=self.today(),
            space_id=where_id if kind == "space" else None,
            group_id=where_id if kind == "group" else None,
        )
        self.model.set_rows(rows)
        for col in (0, 1, 2, 4, 5, 6):
            self.table.resizeColumnToContents(col)
        # Long space and owner names must leave the agreement's text readable on a small screen.
        for col, cap in ((0, 200), (4, 180)):
            if self.table.columnWidth(col) > cap:
                self.table.setColumnWidth(col, cap)
        self._update_count()
        self._enable()

    def _update_count(self) -> None:
        n = self.model.rowCount()
        self.count.setText(ngettext("{count} agreement", "{count} agreements", n).format(count=n))
