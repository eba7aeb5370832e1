"""A person's referrals (derivacions) with add, edit and delete: embedded in the person's page."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Area, Changes
from app.domain.networks import REFERRAL_STATUSES, ReferralDTO
from app.i18n import _, format_date
from app.services.container import Services
from ui.dialogs.referral_dialog import ReferralDialog
from ui.events import DataBus
from ui.models.dto_table import Column, DtoTableModel
from ui.prompts import Prompts
from ui.workers import run_op


def referral_columns(with_person: bool) -> list[Column[ReferralDTO]]:
    columns: list[Column[ReferralDTO]] = [
        Column(lambda: _("Date"), lambda r: format_date(r.date, fmt="short"), lambda r: r.date),
    ]
    if with_person:
        columns.append(Column(lambda: _("Person"), lambda r: r.participant_name))
    columns += [
        Column(lambda: _("Referred from"), lambda r: r.from_name),
        Column(lambda: _("Referred to"), lambda r: r.to_name),
        Column(lambda: _("Reason"), lambda r: r.reason),
        Column(lambda: _("Status"), lambda r: _(REFERRAL_STATUSES.get(r.status, r.status))),
    ]
    return columns


class ReferralsWidget(QWidget):
    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__()
        self.services, self.bus, self.prompts = services, bus, prompts
        self.participant_id: str | None = None
        self.dialog: ReferralDialog | None = None
        self.model: DtoTableModel[ReferralDTO] = DtoTableModel(referral_columns(False))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.add_button, self.edit_button, self.delete_button = (
            QPushButton(),
            QPushButton(),
            QPushButton(),
        )
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        QShortcut(
            QKeySequence.StandardKey.Delete,
            self.table,
            activated=self.delete,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        bus.changed.connect(self._on_changed)
        self.retranslate_ui()
        self._update_buttons()

    def retranslate_ui(self) -> None:
        self.add_button.setText(_("New referral"))
        self.edit_button.setText(_("Edit"))
        self.delete_button.setText(_("Delete"))
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_participant(self, participant_id: str | None) -> None:
        self.participant_id = participant_id
        self.refresh()

    def refresh(self) -> None:
        rows = (
            self.services.referrals.for_participant(self.participant_id)
            if self.participant_id
            else []
        )
        self.model.set_rows(rows)
        self._update_buttons()

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(Area.PEOPLE, Area.ORGANISATIONS):
            self.refresh()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(self.participant_id is not None)
        has_rows = self.model.rowCount() > 0
        self.edit_button.setEnabled(has_rows)
        self.delete_button.setEnabled(has_rows)

    def selected(self) -> ReferralDTO | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _open(self, referral: ReferralDTO) -> None:
        self.dialog = ReferralDialog(self.services, self.bus, self.prompts, referral, self)
        self.dialog.open()

    def add(self) -> None:
        if self.participant_id:
            self._open(ReferralDTO(None, self.participant_id, dt.date.today()))

    def edit(self) -> None:
        current = self.selected()
        if current:
            self._open(current)

    def delete(self) -> None:
        current = self.selected()
        if current is None or not self.prompts.confirm(
            self, _("Delete referral"), _("Delete this referral?")
        ):
            return
        run_op(
            self,
            lambda: self.services.referrals.delete(current.id or ""),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Cannot delete the referral"),
        )
