"""The form of one expense: an invoice (creditor, tax ID, document number) or a month of a staff
member's payroll; dates, amounts, budget line, the share charged to each funder of the
programme, the reason to keep an expense dated outside a grant's period, and its files."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.economics import (
    EXPENSE_KIND_LABELS,
    EXPENSE_KINDS,
    BudgetLineDTO,
    ExpenseDraft,
    ExpenseDTO,
    euros,
    line_label,
    parse_amount,
    parse_share,
    percent,
)
from app.domain.profile import FunderDTO
from app.i18n import _
from ui.widgets.form_bits import error_label, select_data, show_error
from ui.widgets.form_fields import DateField, shrinkable


class ExpenseForm(QWidget):
    #: Something that decides whether the date is inside the grants' periods changed.
    dates_changed = Signal()
    attach_requested = Signal()
    remove_file_requested = Signal(str)
    save_file_requested = Signal(str, str)
    #: Show a kept file (its id) in the system's viewer.
    open_file_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.expense_id = ""
        self.programme_id = ""
        #: Files chosen for an expense not saved yet: attached when it is saved.
        self.pending: list[str] = []
        self.kind = QComboBox()
        for code in EXPENSE_KINDS:
            self.kind.addItem("", code)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.staff = shrinkable(QComboBox())
        self.creditor = QLineEdit()
        self.creditor.setMaxLength(200)
        self.tax_id = QLineEdit()
        self.tax_id.setMaxLength(30)
        self.document = QLineEdit()
        self.document.setMaxLength(60)
        self.description = QLineEdit()
        self.issued = DateField(optional=False)
        self.issued.dateChanged.connect(lambda _d: self.dates_changed.emit())
        self.paid = DateField(optional=True)
        self.amount = QLineEdit()
        self.vat = QLineEdit()
        self.line = shrinkable(QComboBox())
        self._line_labels: dict[str, str] = {}
        self.shares_box = QWidget()
        self.shares_grid = QGridLayout(self.shares_box)
        self.shares_grid.setContentsMargins(0, 0, 0, 0)
        self.share_edits: dict[str, QLineEdit] = {}
        self.reason = QLineEdit()
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8a5a00;")
        self.warning.hide()
        self.error = error_label()
        self.files = QListWidget()
        self.files.setMaximumHeight(60)
        self.attach_button = QPushButton()
        self.attach_button.clicked.connect(self.attach_requested)
        self.remove_file_button = QPushButton()
        self.remove_file_button.clicked.connect(self._remove_file)
        self.save_file_button = QPushButton()
        self.save_file_button.clicked.connect(self._save_file)
        self.open_file_button = QPushButton()
        self.open_file_button.clicked.connect(self._open_file)
        self.files.itemActivated.connect(lambda _item: self._open_file())

        self.form = QFormLayout()
        # Beside the register at 1024 pixels the form is narrow: a label that does not fit goes
        # above its field instead of pushing the form behind a scroll bar.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.labels = {k: QLabel() for k in (
            "kind", "staff", "creditor", "tax_id", "document", "description", "issued", "paid",
            "amount", "vat", "line", "shares", "reason", "files",
        )}  # fmt: skip
        for key, widget in (
            ("kind", self.kind),
            ("staff", self.staff),
            ("creditor", self.creditor),
            ("tax_id", self.tax_id),
            ("document", self.document),
            ("description", self.description),
            ("issued", self.issued),
            ("paid", self.paid),
            ("amount", self.amount),
            ("vat", self.vat),
            ("line", self.line),
            ("shares", self.shares_box),
            ("reason", self.reason),
        ):
            self.labels[key].setBuddy(widget)
            self.form.addRow(self.labels[key], widget)
        files_row = QHBoxLayout()
        files_row.addWidget(self.files, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.attach_button)
        buttons.addWidget(self.open_file_button)
        buttons.addWidget(self.save_file_button)
        buttons.addWidget(self.remove_file_button)
        buttons.addStretch(1)
        files_row.addLayout(buttons)
        self.form.addRow(self.labels["files"], files_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addWidget(self.warning)
        layout.addWidget(self.error)
        self.retranslate_ui()
        self._kind_changed()

    def retranslate_ui(self) -> None:
        for i in range(self.line.count()):
            code = self.line.itemData(i)
            self.line.setItemText(i, line_label(code, self._line_labels.get(code, "")))
        for i, code in enumerate(EXPENSE_KINDS):
            self.kind.setItemText(i, _(EXPENSE_KIND_LABELS[code]))
        texts = {
            "kind": _("&Kind"),
            "staff": _("Staff &member"),
            "creditor": _("C&reditor"),
            "tax_id": _("&Tax ID (NIF, NIE, CIF)"),
            "document": _("&Document number"),
            "description": _("Descri&ption"),
            "issued": _("&Issue date"),
            "paid": _("Pa&yment date"),
            "amount": _("&Base amount (€)"),
            "vat": _("&VAT (€)"),
            "line": _("Budget &line"),
            "shares": _("Charged to (%)"),
            "reason": _("Reason outside the period"),
            "files": _("Invoice files"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        self.attach_button.setText(_("&Attach file…"))
        self.attach_button.setToolTip(_("The invoice's PDF or photo (Ctrl+Shift+A)"))
        self.remove_file_button.setText(_("Remove file"))
        self.save_file_button.setText(_("Save a copy…"))
        self.open_file_button.setText(_("&Open file"))
        self.open_file_button.setToolTip(
            _("Show the kept file in this computer's viewer (a private copy, deleted on closing)")
        )
        self.reason.setPlaceholderText(_("Only for an expense dated outside a grant's period"))
        self.amount.setPlaceholderText("0,00")
        self.vat.setPlaceholderText("0,00")

    # -- choices ------------------------------------------------------------------------------

    def set_choices(
        self,
        programme_id: str,
        funders: list[FunderDTO],
        lines: list[BudgetLineDTO],
        staff: list[tuple[str, str]],
    ) -> None:
        self.programme_id = programme_id
        self.line.clear()
        self._line_labels = {x.code: x.label for x in lines}
        for x in lines:
            self.line.addItem(x.name, x.code)
        self.staff.clear()
        self.staff.addItem("", None)
        for sid, name in staff:
            self.staff.addItem(name, sid)
        while self.shares_grid.count():
            item = self.shares_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.share_edits = {}
        for row, f in enumerate(funders):
            edit = QLineEdit()
            edit.setMaximumWidth(80)
            edit.setPlaceholderText("0")
            edit.setAccessibleName(f.name)
            edit.textEdited.connect(lambda _t: self.dates_changed.emit())
            self.shares_grid.addWidget(QLabel(f.name), row, 0)
            self.shares_grid.addWidget(edit, row, 1)
            self.share_edits[f.id] = edit

    # -- values -------------------------------------------------------------------------------

    def clear(self, day: dt.date | None = None) -> None:
        self.expense_id = ""
        self.pending = []
        select_data(self.kind, "invoice")
        self.staff.setCurrentIndex(0)
        for w in (self.creditor, self.tax_id, self.document, self.description, self.reason):
            w.clear()
        self.issued.set_value(day or dt.date.today())
        self.paid.set_value(None)
        self.amount.clear()
        self.vat.clear()
        self.line.setCurrentIndex(0)
        only = len(self.share_edits) == 1
        for edit in self.share_edits.values():
            edit.setText("100" if only else "")
        self.files.clear()
        self.show_error(None)

    def load(self, e: ExpenseDTO) -> None:
        self.expense_id = e.id
        self.pending = []
        select_data(self.kind, e.kind)
        select_data(self.staff, e.staff_id)
        self.creditor.setText(e.creditor)
        self.tax_id.setText(e.creditor_tax_id)
        self.document.setText(e.document_number)
        self.description.setText(e.description)
        self.issued.set_value(e.issue_date)
        self.paid.set_value(e.payment_date)
        self.amount.setText(euros(e.amount))
        self.vat.setText(euros(e.vat))
        select_data(self.line, e.line)
        for fid, edit in self.share_edits.items():
            edit.setText(percent(e.shares[fid]) if e.shares.get(fid) else "")
        self.reason.setText(e.outside_reason)
        self.files.clear()
        for a in e.attachments:
            item = QListWidgetItem(a.file_name)
            item.setData(256, a.id)
            self.files.addItem(item)
        self.show_error(None)

    def add_pending(self, path: str) -> None:
        from pathlib import Path

        self.pending.append(path)
        item = QListWidgetItem(_("{name} (kept when you save)").format(name=Path(path).name))
        item.setData(256, "")
        self.files.addItem(item)

    def draft(self) -> ExpenseDraft:
        """What the form holds; a UserError names a field typed wrongly."""
        issued = self.issued.value()
        assert issued is not None
        kind = self.kind.currentData()
        shares = {fid: parse_share(e.text()) for fid, e in self.share_edits.items()}
        return ExpenseDraft(
            programme_id=self.programme_id,
            id=self.expense_id,
            kind=kind,
            staff_id=self.staff.currentData() if kind == "payroll" else None,
            creditor=self.creditor.text() if kind == "invoice" else "",
            creditor_tax_id=self.tax_id.text(),
            document_number=self.document.text(),
            description=self.description.text(),
            issue_date=issued,
            payment_date=self.paid.value(),
            amount=parse_amount(self.amount.text()),
            vat=parse_amount(self.vat.text()) if self.vat.text().strip() else 0,
            line=self.line.currentData() or "",
            outside_reason=self.reason.text(),
            shares={k: v for k, v in shares.items() if v},
        )

    def show_error(self, message: str | None) -> None:
        show_error(self.error, message)

    def show_warning(self, messages: list[str]) -> None:
        self.warning.setText("\n".join(messages))
        self.warning.setVisible(bool(messages))

    def _kind_changed(self) -> None:
        payroll = self.kind.currentData() == "payroll"
        for key, widget in (("staff", self.staff), ("creditor", self.creditor)):
            self.form.setRowVisible(widget, payroll == (key == "staff"))
        if payroll:
            select_data(self.line, "staff")

    def _save_file(self) -> None:
        item = self.files.currentItem() or self.files.item(0)
        if item is not None and item.data(256):
            self.save_file_requested.emit(item.data(256), item.text())

    def _open_file(self) -> None:
        item = self.files.currentItem() or self.files.item(0)
        if item is not None and item.data(256):
            self.open_file_requested.emit(item.data(256))

    def _remove_file(self) -> None:
        item = self.files.currentItem()
        if item is None:
            return
        attachment_id = item.data(256)
        if attachment_id:
            self.remove_file_requested.emit(attachment_id)
            return
        row = self.files.row(item)
        pending_rows = [i for i in range(self.files.count()) if not self.files.item(i).data(256)]
        self.pending.pop(pending_rows.index(row))
        self.files.takeItem(row)
