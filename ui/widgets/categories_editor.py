"""The programme categories list for the settings page: code, Catalan and Spanish names, active.
Categories in use are never lost: removing one only hides it for new programmes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.profile import CategoryDTO
from app.i18n import _
from app.services.container import Services
from ui.events import DataBus
from ui.prompts import Prompts
from ui.workers import run_op


class CategoriesEditor(QWidget):
    COL_CODE, COL_CA, COL_ES, COL_ACTIVE = range(4)

    def __init__(
        self, services: Services, bus: DataBus, prompts: Prompts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services, self.bus, self.prompts = services, bus, prompts
        self.title = QLabel()
        self.title.setWordWrap(True)
        self._saved_codes: set[str] = set()
        self.table = QTableWidget(0, 4)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.COL_ACTIVE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COL_CODE, QHeaderView.ResizeMode.ResizeToContents)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.add_button, self.remove_button = QPushButton(), QPushButton()
        self.up_button, self.down_button, self.save_button = (
            QPushButton(),
            QPushButton(),
            QPushButton(),
        )
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.save_button.clicked.connect(self.save)
        self.retranslate_ui()
        self.load()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.title.setText(
            _(
                "The categories a programme can belong to. Double-click a name to change it; "
                "untick Active to stop offering a category without losing it."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [_("Code"), _("Name in Catalan"), _("Name in Spanish"), _("Active")]
        )
        self.add_button.setText(_("Add"))
        self.remove_button.setText(_("Remove"))
        self.up_button.setText(_("Up"))
        self.down_button.setText(_("Down"))
        self.save_button.setText(_("Save categories"))

    def load(self) -> None:
        self.table.setRowCount(0)
        categories = self.services.profile.categories()
        self._saved_codes = {c.code for c in categories}
        for c in categories:
            self._append(c)
        self.error.clear()

    def _append(self, c: CategoryDTO) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        code = QTableWidgetItem(c.code)
        self.table.setItem(row, self.COL_CODE, code)
        for col, text in ((self.COL_CA, c.name_ca), (self.COL_ES, c.name_es)):
            self.table.setItem(row, col, QTableWidgetItem(text))
        if c.code in self._saved_codes:
            # Exported files and programmes refer to the code: a saved one stays as it is.
            code.setFlags(code.flags() & ~Qt.ItemFlag.ItemIsEditable)
            code.setToolTip(_("The code of a saved category does not change: files refer to it."))
        active = QTableWidgetItem()
        active.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        active.setCheckState(Qt.CheckState.Checked if c.active else Qt.CheckState.Unchecked)
        self.table.setItem(row, self.COL_ACTIVE, active)

    def add_row(self) -> None:
        self._append(CategoryDTO("", "", ""))
        row = self.table.rowCount() - 1
        self.table.setCurrentCell(row, self.COL_CODE)
        code = self.table.item(row, self.COL_CODE)
        if code is not None:
            self.table.editItem(code)

    def _move(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        rows = self.rows()
        rows[row], rows[target] = rows[target], rows[row]
        self.table.setRowCount(0)
        for c in rows:
            self._append(c)
        self.table.setCurrentCell(target, self.COL_CODE)

    def _text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text().strip() if item is not None else ""

    def _checked(self, row: int, col: int) -> bool:
        item = self.table.item(row, col)
        return item is not None and item.checkState() == Qt.CheckState.Checked

    def rows(self) -> list[CategoryDTO]:
        return [
            CategoryDTO(
                self._text(r, self.COL_CODE),
                self._text(r, self.COL_CA),
                self._text(r, self.COL_ES),
                self._checked(r, self.COL_ACTIVE),
            )
            for r in range(self.table.rowCount())
        ]

    def save(self) -> None:
        rows = self.rows()
        run_op(
            self,
            lambda: self.services.programmes.save_categories(rows),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Programme categories"),
            on_invalid=lambda exc: self.error.setText(exc.message),
            on_success=lambda _r: self.load(),
        )
