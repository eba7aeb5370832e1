"""Find a person by typing part of a name, document or phone; Enter or a click picks them."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services.people import PeopleService


class PersonPicker(QWidget):
    chosen = Signal(str)  # participant id
    new_requested = Signal(str)  # the text typed, to prefill a new-person form

    def __init__(
        self,
        people: PeopleService,
        parent: QWidget | None = None,
        allow_new: bool = False,
        exclude: set[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._people = people
        self.exclude = exclude or set()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setMaximumHeight(140)
        self.results.hide()
        self.new_button = QPushButton()
        self.new_button.setVisible(allow_new)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.search, 1)
        row.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.results)
        self.search.textChanged.connect(self._update)
        self.search.installEventFilter(self)
        self.search.returnPressed.connect(self._pick_current)
        self.results.itemActivated.connect(self._pick)
        self.results.itemClicked.connect(self._pick)
        self.new_button.clicked.connect(lambda: self.new_requested.emit(self.search.text()))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.search.setPlaceholderText(_("Name, document or phone…"))
        self.search.setToolTip(
            _("Type part of a name, ID document or phone and press Enter to choose")
        )
        self.new_button.setText(_("New person…"))

    def _update(self, text: str) -> None:
        self.results.clear()
        if len(text.strip()) < 2:
            self.results.hide()
            return
        hits = [h for h in self._people.search(text, limit=12) if h.id not in self.exclude][:8]
        for hit in hits:
            label = hit.name
            if hit.birth_date:
                label += f" · {hit.birth_date.year}"
            if hit.phone:
                label += f" · {hit.phone}"
            item = QListWidgetItem(label, self.results)
            item.setData(Qt.ItemDataRole.UserRole, hit.id)
        if not hits:
            QListWidgetItem(_("Nobody found"), self.results).setFlags(Qt.ItemFlag.NoItemFlags)
        else:
            self.results.setCurrentRow(0)
        self.results.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and self.results.isVisible()
        ):
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if event.key() == Qt.Key.Key_Down else -1
                row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
                self.results.setCurrentRow(row)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.results.hide()
                return True
        return super().eventFilter(watched, event)

    def _pick_current(self) -> None:
        item = self.results.currentItem()
        if item is not None and self.results.isVisible():
            self._pick(item)

    def _pick(self, item: QListWidgetItem) -> None:
        pid = item.data(Qt.ItemDataRole.UserRole)
        if not pid:
            return
        self.results.hide()
        self.search.clear()
        self.chosen.emit(str(pid))
