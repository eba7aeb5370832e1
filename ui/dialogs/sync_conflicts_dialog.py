"""Sync → Conflicts: each value a merge did not keep, beside the one it kept, with the record in
words, the field, which device set each and when. "Use the other value" swaps them (as a change
of this device, so it travels to the others); "Keep" leaves the value and closes the conflict.

Keyboard: the list has the focus (arrows move between conflicts); Tab goes on to the buttons;
Alt+U uses the other value, Alt+K keeps, Esc closes.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui.workers import run_op

if TYPE_CHECKING:
    from app.domain.sync import ConflictView
    from app.services.sync import SyncService
    from ui.events import DataBus
    from ui.prompts import Prompts


def when_text(moment: dt.datetime | None) -> str:
    """A clock's moment (naive UTC) in this computer's time."""
    if moment is None:
        return ""
    return moment.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def _side(value: str, who: str, when: dt.datetime | None) -> str:
    said = _("{who}, {when}").format(who=who, when=when_text(when)) if when else who
    return f"{value}\n({said})" if said else value


class SyncConflictsDialog(QDialog):
    def __init__(
        self,
        service: SyncService,
        prompts: Prompts,
        parent: QWidget | None = None,
        bus: DataBus | None = None,
    ) -> None:
        super().__init__(parent)
        self.service, self.prompts, self.bus = service, prompts, bus
        self.setWindowTitle(_("Sync conflicts"))
        self.resize(900, 420)
        self.intro = QLabel(
            _(
                "When two devices changed the same thing, the later change was kept and the "
                "other value is listed here, so nothing is lost. Use the other value, or keep "
                "the one kept."
            )
        )
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [_("Record"), _("What"), _("Value kept"), _("Other value")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the buttons, arrows move rows
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.empty = QLabel(_("No conflicts are open."))
        self.use_other = QPushButton(_("&Use the other value"))
        self.use_other.clicked.connect(self.swap)
        self.keep = QPushButton(_("&Keep"))
        self.keep.clicked.connect(self.dismiss)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.use_other)
        row.addWidget(self.keep)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(row)
        self.views: list[ConflictView] = []
        self.reload()

    def reload(self, keep_row: int = 0) -> None:
        self.views = self.service.conflicts()
        self.table.setRowCount(len(self.views))
        for r, view in enumerate(self.views):
            cells = [
                view.record,
                view.field,
                _side(view.kept, view.kept_by, view.kept_at),
                _side(view.lost, view.lost_by, view.lost_at),
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        self.empty.setVisible(not self.views)
        self.table.setVisible(bool(self.views))
        if self.views:
            self.table.selectRow(min(keep_row, len(self.views) - 1))
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._selected()

    def current(self) -> ConflictView | None:
        row = self.table.currentRow()
        return self.views[row] if 0 <= row < len(self.views) else None

    def _selected(self) -> None:
        view = self.current()
        self.use_other.setEnabled(view is not None and view.swappable)
        self.keep.setEnabled(view is not None)

    def swap(self) -> None:
        view = self.current()
        if view is None or not view.swappable:
            return
        row = self.table.currentRow()
        service = self.service
        if run_op(
            self,
            lambda: service.swap(view.id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Use the other value"),
        ):
            self.reload(row)

    def dismiss(self) -> None:
        view = self.current()
        if view is None:
            return
        row = self.table.currentRow()
        service = self.service
        if run_op(
            self,
            lambda: service.dismiss(view.id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Keep"),
        ):
            self.reload(row)
