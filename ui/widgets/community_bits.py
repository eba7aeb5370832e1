"""Small pieces the community panels share: picking a person already in Teixit, a table of
DTOs, a list of texts typed one per line, and shortcuts that act within a panel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QWidget,
)

from app.i18n import _
from app.services.container import Services
from ui.models.dto_table import DtoTableModel


class PersonPicker(QWidget):
    """A search box and the people it finds (up to 30): the person chosen, or none."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.found = QComboBox()
        self.found.setMinimumContentsLength(18)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 1)
        layout.addWidget(self.found, 1)
        self.search.textChanged.connect(self._find)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.search.setPlaceholderText(_("Search people"))

    def _find(self, text: str) -> None:
        self.found.clear()
        if not text.strip():
            return
        for hit in self.services.people.search(text, limit=30):
            self.found.addItem(hit.name, hit.id)

    def chosen(self) -> tuple[str, str] | None:
        """(id, name) of the person chosen, if any."""
        pid = self.found.currentData()
        return (pid, self.found.currentText()) if pid else None

    def clear(self) -> None:
        self.search.clear()


def table(model: DtoTableModel, stretch: int | tuple[int, ...] = 0) -> QTableView:  # type: ignore[type-arg]
    """A list of records: the ``stretch`` column(s) share the width left by the others, which
    fit their contents (a long value shows whole in its tooltip)."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in (stretch,) if isinstance(stretch, int) else stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return view


def lines(text: str) -> tuple[str, ...]:
    """The non-empty lines of a text typed one item per line."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def save_key(panel: QWidget, save: Callable[[], None]) -> None:
    """Ctrl+S within the panel (its tab) saves its form (Ctrl+N, a new record, is the page's:
    it goes to the tab shown)."""
    context = Qt.ShortcutContext.WidgetWithChildrenShortcut
    QShortcut(QKeySequence.StandardKey.Save, panel, activated=save, context=context)


def delete_key(view: QWidget, delete: Callable[[], None]) -> None:
    QShortcut(
        QKeySequence.StandardKey.Delete,
        view,
        activated=delete,
        context=Qt.ShortcutContext.WidgetShortcut,
    )
