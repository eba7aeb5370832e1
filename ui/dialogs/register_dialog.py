"""An activity's register grid (people x sessions), edited like a paper register: move with the
arrows, P/L/E/A or 1-4 to mark, Delete to clear, Ctrl+Z to undo. Each mark is saved at once."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services.container import Services
from ui.dialogs.prompts import Prompts
from ui.events import DataBus
from ui.models.sessions import RegisterModel
from ui.widgets.status_keys import CLEAR, status_for_key


class RegisterTable(QTableView):
    status_key = Signal(object)  # status or CLEAR
    undo_key = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_key.emit()
            return
        status = status_for_key(event)
        if status is not None and self.currentIndex().isValid():
            self.status_key.emit(status)
            return
        super().keyPressEvent(event)


class RegisterDialog(QDialog):
    def __init__(
        self,
        services: Services,
        bus: DataBus,
        prompts: Prompts,
        activity_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.bus, self.prompts = services, bus, prompts
        self.activity_id = activity_id
        self.heading = QLabel()
        self.model = RegisterModel(self)
        self.table = RegisterTable()
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setDefaultSectionSize(52)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.undo_button, self.close_button = QPushButton(), QPushButton()
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.status_key.connect(self.mark)
        self.table.undo_key.connect(self.undo)
        self.table.doubleClicked.connect(lambda _i: self.cycle())
        self.undo_button.clicked.connect(self.undo)
        self.close_button.clicked.connect(self.accept)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo)
        self.reload()
        self.retranslate_ui()
        self.resize(900, 520)

    def retranslate_ui(self) -> None:
        activity = self.services.programmes.activity(self.activity_id)
        self.setWindowTitle(_("Register grid"))
        self.heading.setText(activity.label())
        self.hint.setText(
            _(
                "Arrows move; P present, L late, E excused, A absent (or 1-4); Delete clears; "
                "double-click cycles. Each mark is saved at once."
            )
        )
        self.undo_button.setText(_("Undo"))
        self.close_button.setText(_("Close"))

    def reload(self) -> None:
        current = self.table.currentIndex()
        self.model.set_grid(self.services.sessions.register(self.activity_id))
        if current.isValid():
            self.table.setCurrentIndex(self.model.index(current.row(), current.column()))
        elif self.model.rowCount() and self.model.columnCount():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def mark(self, status: object, advance: bool = True) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        pid, sid = self.model.cell_ids(index)
        value = None if status == CLEAR else str(status)
        changes = self.services.sessions.set_attendance(sid, {pid: value})
        self.model.set_cell(index, value)
        self.bus.emit_changes(changes)
        if advance and index.row() + 1 < self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(index.row() + 1, index.column()))

    def cycle(self) -> None:
        order = [None, "present", "late", "excused", "absent"]
        current = self.model.status_at(self.table.currentIndex())
        following = order[(order.index(current) + 1) % len(order)]
        self.mark(CLEAR if following is None else following, advance=False)

    def undo(self) -> None:
        _sid, changes = self.services.sessions.undo_attendance()
        self.reload()
        self.bus.emit_changes(changes)
