"""One funder's budget for a programme: amount granted, co-financing (own funds, other grants,
fees), the deviation the funder allows, the grant's period and the lines (the common ones and
any the entity adds), each with its amount and, if it differs, its own allowed deviation."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.economics import (
    BudgetDTO,
    BudgetLineDTO,
    euros,
    line_code,
    parse_amount,
)
from app.errors import UserError
from app.i18n import _
from ui.widgets.form_fields import DateField

CODE_ROLE = Qt.ItemDataRole.UserRole


class BudgetEditor(QWidget):
    COL_LINE, COL_AMOUNT, COL_DEVIATION = range(3)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.budget: BudgetDTO | None = None
        self.granted, self.own, self.other, self.fees = (QLineEdit() for _i in range(4))
        self.deviation = QSpinBox()
        self.deviation.setRange(0, 100)
        self.deviation.setSuffix(" %")
        self.period_from = DateField()
        self.period_to = DateField()
        self.lines = QTableWidget(0, 3)
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):  # a budget has a handful of lines: measuring them is free
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.lines.verticalHeader().hide()
        self.add_line = QPushButton()
        self.add_line.clicked.connect(self._add_line)
        self.remove_line = QPushButton()
        self.remove_line.clicked.connect(self._remove_line)
        self.total = QLabel()
        self.lines.itemChanged.connect(lambda _i: self._update_total())
        self.form = QFormLayout()
        self.labels = [QLabel() for _i in range(7)]
        period = QHBoxLayout()
        period.addWidget(self.period_from)
        period.addWidget(QLabel("–"))
        period.addWidget(self.period_to)
        period.addStretch(1)
        for label, field in zip(
            self.labels,
            (self.granted, self.own, self.other, self.fees, self.deviation),
            strict=False,
        ):
            label.setBuddy(field)
            self.form.addRow(label, field)
        self.form.addRow(self.labels[5], period)
        buttons = QHBoxLayout()
        buttons.addWidget(self.total, 1)
        buttons.addWidget(self.add_line)
        buttons.addWidget(self.remove_line)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addWidget(self.labels[6])
        layout.addWidget(self.lines, 1)
        layout.addLayout(buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        texts = (
            _("Amount &granted (€)"),
            _("&Own funds (€)"),
            _("Other g&rants (€)"),
            _("&Fees (€)"),
            _("Allowed &deviation per line"),
            _("Grant period (empty: the programme's dates)"),
            _("Budget lines"),
        )
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.lines.setHorizontalHeaderLabels(
            [_("Budget line"), _("Budget (€)"), _("Allowed % (empty: as above)")]
        )
        self.add_line.setText(_("Add a line"))
        self.remove_line.setText(_("Remove the line"))
        if self.budget is not None:
            for row in range(self.lines.rowCount()):
                item = self.lines.item(row, self.COL_LINE)
                code = item.data(CODE_ROLE) if item else ""
                if item and code and not item.flags() & Qt.ItemFlag.ItemIsEditable:
                    item.setText(BudgetLineDTO(code).name)
        self._update_total()

    def load(self, budget: BudgetDTO) -> None:
        self.budget = budget
        self.granted.setText(euros(budget.granted))
        self.own.setText(euros(budget.own_funds))
        self.other.setText(euros(budget.other_grants))
        self.fees.setText(euros(budget.fees))
        self.deviation.setValue(budget.allowed_deviation)
        self.period_from.set_value(budget.period_from)
        self.period_to.set_value(budget.period_to)
        self.lines.blockSignals(True)
        self.lines.setRowCount(0)
        for line in budget.lines:
            self._append(line)
        self.lines.blockSignals(False)
        self._update_total()

    def _append(self, line: BudgetLineDTO) -> None:
        row = self.lines.rowCount()
        self.lines.insertRow(row)
        name = QTableWidgetItem(line.name)
        name.setData(CODE_ROLE, line.code)
        if not line.label and line.code:  # a common line: its name is translated, not typed
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
        amount = QTableWidgetItem(euros(line.amount))
        amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        dev = QTableWidgetItem(
            "" if line.allowed_deviation is None else str(line.allowed_deviation)
        )
        self.lines.setItem(row, self.COL_LINE, name)
        self.lines.setItem(row, self.COL_AMOUNT, amount)
        self.lines.setItem(row, self.COL_DEVIATION, dev)

    def _add_line(self) -> None:
        self._append(BudgetLineDTO("", _("New line"), 0))
        row = self.lines.rowCount() - 1
        self.lines.setCurrentCell(row, self.COL_LINE)
        item = self.lines.item(row, self.COL_LINE)
        if item is not None:
            self.lines.editItem(item)

    def _remove_line(self) -> None:
        row = self.lines.currentRow()
        if row >= 0:
            self.lines.removeRow(row)
            self._update_total()

    def _update_total(self) -> None:
        total = 0
        for row in range(self.lines.rowCount()):
            item = self.lines.item(row, self.COL_AMOUNT)
            try:
                total += parse_amount(item.text()) if item and item.text().strip() else 0
            except UserError:
                continue
        self.total.setText(_("Total budget: {amount} €").format(amount=euros(total)))

    def value(self) -> BudgetDTO:
        """The budget as typed; a UserError names what is not a number."""
        assert self.budget is not None

        def amount(edit: QLineEdit) -> int:
            return parse_amount(edit.text()) if edit.text().strip() else 0

        lines = []
        for row in range(self.lines.rowCount()):
            name_item = self.lines.item(row, self.COL_LINE)
            amount_item = self.lines.item(row, self.COL_AMOUNT)
            dev_item = self.lines.item(row, self.COL_DEVIATION)
            code = name_item.data(CODE_ROLE) if name_item else ""
            label = name_item.text().strip() if name_item else ""
            editable = bool(name_item and name_item.flags() & Qt.ItemFlag.ItemIsEditable)
            if editable:
                code = line_code(label)
            text = amount_item.text().strip() if amount_item else ""
            dev_text = dev_item.text().strip().rstrip("%").strip() if dev_item else ""
            if dev_text and not dev_text.isdigit():
                raise UserError(
                    _("The allowed deviation of “{line}” is not a whole percentage.").format(
                        line=label
                    )
                )
            lines.append(
                BudgetLineDTO(
                    code=code,
                    label=label if editable else "",
                    amount=parse_amount(text) if text else 0,
                    allowed_deviation=int(dev_text) if dev_text else None,
                )
            )
        return replace(
            self.budget,
            granted=amount(self.granted),
            own_funds=amount(self.own),
            other_grants=amount(self.other),
            fees=amount(self.fees),
            allowed_deviation=self.deviation.value(),
            period_from=self.period_from.value(),
            period_to=self.period_to.value(),
            lines=tuple(lines),
        )
