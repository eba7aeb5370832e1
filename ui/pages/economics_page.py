"""Economics: for the chosen programme, each funder's budget by line and the expenses register
(invoices and payroll, the share charged to each funder, the invoice's files). Everything is
saved through the economics service; the page only shows and collects.

Keys: Ctrl+N a new expense, Ctrl+S saves the budget or the expense being edited, Del deletes the
selected expense, Ctrl+Shift+A attaches a file to the expense."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Area
from app.domain.economics import (
    EXPENSE_KIND_LABELS,
    BudgetDTO,
    ExpenseDTO,
    euros,
    line_label,
    percent,
)
from app.errors import UserError
from app.i18n import _, format_date, ngettext
from app.services.container import Services
from ui.events import DataBus
from ui.models.dto_table import SORT_ROLE, Column, DtoTableModel
from ui.pages.base import Page
from ui.prompts import Prompts
from ui.widgets.budget_editor import BudgetEditor
from ui.widgets.expense_form import ExpenseForm
from ui.workers import run_op

FILE_FILTER = "PDF, JPEG, PNG, TIFF, WebP (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.webp)"


def _columns(names: dict[str, str]) -> list[Column[ExpenseDTO]]:
    """The register's columns; ``names``: the programme's own line names by code."""
    return [
        Column(lambda: _("Date"), lambda e: format_date(e.issue_date, fmt="short"),
               sort=lambda e: e.issue_date, tip=lambda: _("Issue date")),
        Column(lambda: _("Kind"), lambda e: _(EXPENSE_KIND_LABELS.get(e.kind, e.kind))),
        Column(lambda: _("Creditor"), lambda e: e.creditor),
        Column(lambda: _("Doc. no."), lambda e: e.document_number,
               tip=lambda: _("Document number")),
        Column(lambda: _("Line"), lambda e: line_label(e.line, names.get(e.line, "")),
               tip=lambda: _("Budget line")),
        Column(lambda: _("Total (€)"), lambda e: euros(e.total), sort=lambda e: e.total,
               align_right=True),
        Column(lambda: "%", lambda e: percent(sum(e.shares.values())),
               sort=lambda e: sum(e.shares.values()), align_right=True,
               tip=lambda: _("Share of the expense charged to the funders")),
        Column(lambda: _("Files"), lambda e: str(len(e.attachments)) if e.attachments else "",
               sort=lambda e: len(e.attachments), align_right=True),
    ]  # fmt: skip


class EconomicsPage(Page):
    areas = (Area.ECONOMICS, Area.PROGRAMMES, Area.FUNDERS, Area.STAFF, Area.ALL)

    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__(services, bus, prompts)
        self.budgets: list[BudgetDTO] = []
        self.line_names: dict[str, str] = {}
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.programme_label = QLabel()
        self.programme = QComboBox()
        self.programme.currentIndexChanged.connect(lambda _i: self._load_programme())
        self.programme_label.setBuddy(self.programme)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.tabs = QTabWidget()

        # Budget tab
        self.funder_label = QLabel()
        self.funder = QComboBox()
        self.funder.currentIndexChanged.connect(lambda _i: self._show_budget())
        self.funder_label.setBuddy(self.funder)
        self.budget_editor = BudgetEditor()
        self.save_budget_button = QPushButton()
        self.save_budget_button.clicked.connect(self.save_budget)
        budget_tab = QWidget()
        top = QHBoxLayout()
        top.addWidget(self.funder_label)
        top.addWidget(self.funder, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.save_budget_button)
        bl = QVBoxLayout(budget_tab)
        bl.addLayout(top)
        bl.addWidget(self.budget_editor, 1)
        bl.addLayout(bottom)

        # Expenses tab
        self.model = DtoTableModel(_columns(self.line_names))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        # Fixed starting widths (measuring thousands of rows would be slow), the creditor takes
        # what is left; every column can still be dragged wider.
        for column, width in enumerate((78, 62, 0, 80, 90, 72, 40, 50)):
            if width:
                header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._select())
        self.summary = QLabel()
        self.form = ExpenseForm()
        self.form.dates_changed.connect(self._check_period)
        self.form.attach_requested.connect(self.attach)
        self.form.remove_file_requested.connect(self._remove_file)
        self.form.save_file_requested.connect(self._save_file)
        self.form.open_file_requested.connect(self.open_file)
        self.new_button, self.save_button, self.delete_button = (QPushButton() for _i in range(3))
        self.new_button.clicked.connect(self.new_expense)
        self.save_button.clicked.connect(self.save_expense)
        self.delete_button.clicked.connect(self.delete_expense)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.summary)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        rl.addWidget(scroll, 1)
        row = QHBoxLayout()
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(self.new_button)
        row.addWidget(self.save_button)
        rl.addLayout(row)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 380])  # the creditor readable beside the form at 1024 pixels
        self.split = split
        self.tabs.addTab(split, "")
        self.tabs.addTab(budget_tab, "")

        head = QHBoxLayout()
        head.addWidget(self.heading)
        head.addStretch(1)
        head.addWidget(self.programme_label)
        head.addWidget(self.programme, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.empty)
        layout.addWidget(self.tabs, 1)

        for keys, slot in (
            ("Ctrl+N", self.new_expense),
            ("Ctrl+S", self.save),
            ("Ctrl+Shift+A", self.attach),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_expense)
        self.retranslate_ui()

    def title(self) -> str:
        return _("Economics")

    def retranslate_ui(self) -> None:
        self.heading.setText(_("Economics"))
        self.programme_label.setText(_("&Programme"))
        self.funder_label.setText(_("&Funder"))
        self.tabs.setTabText(0, _("Expenses register"))
        self.tabs.setTabText(1, _("Budget by funder"))
        self.save_budget_button.setText(_("Save the budget"))
        self.save_budget_button.setToolTip("Ctrl+S")
        self.new_button.setText(_("New expense"))
        self.new_button.setToolTip("Ctrl+N")
        self.save_button.setText(_("Save the expense"))
        self.save_button.setToolTip("Ctrl+S")
        self.delete_button.setText(_("Delete the expense"))
        self.delete_button.setToolTip(_("Del"))
        self.empty.setText(
            _(
                "Add a programme with its funders in Programmes (Ctrl+2): budgets and "
                "expenses are kept per programme and funder."
            )
        )
        self.model.retranslate()
        self.form.retranslate_ui()
        self.budget_editor.retranslate_ui()
        self._update_summary()

    # -- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        current = self.programme.currentData()
        self.programme.blockSignals(True)
        self.programme.clear()
        for p in self.services.reports.programmes():
            self.programme.addItem(f"{p.code} · {p.name}", p.id)
        index = self.programme.findData(current)
        self.programme.setCurrentIndex(max(index, 0))
        self.programme.blockSignals(False)
        has = self.programme.count() > 0
        self.empty.setVisible(not has)
        self.tabs.setEnabled(has)
        self._load_programme()

    def programme_id(self) -> str:
        return str(self.programme.currentData() or "")

    def _load_programme(self, keep: str = "") -> None:
        pid = self.programme_id()
        if not pid:
            self.model.set_rows([])
            return
        eco = self.services.economics
        lines = eco.lines(pid)
        self.line_names.clear()
        self.line_names.update({x.code: x.label for x in lines if x.label})
        self.form.set_choices(pid, eco.funders(pid), lines, eco.staff())
        self.budgets = eco.budgets(pid)
        funder = self.funder.currentData()
        self.funder.blockSignals(True)
        self.funder.clear()
        for b in self.budgets:
            self.funder.addItem(b.funder_name, b.funder_id)
        self.funder.setCurrentIndex(max(self.funder.findData(funder), 0))
        self.funder.blockSignals(False)
        self._show_budget()
        self.model.set_rows(eco.expenses(pid))
        self._update_summary()
        self._select_id(keep or self.form.expense_id)
        if not self.form.expense_id:
            self.form.clear()

    def _show_budget(self) -> None:
        index = self.funder.currentIndex()
        self.budget_editor.setEnabled(index >= 0)
        self.save_budget_button.setEnabled(index >= 0)
        if 0 <= index < len(self.budgets):
            self.budget_editor.load(self.budgets[index])

    def _update_summary(self) -> None:
        rows = self.model.rows()
        total = sum(e.total for e in rows)
        self.summary.setText(
            ngettext(
                "{count} expense, {amount} € in total.",
                "{count} expenses, {amount} € in total.",
                len(rows),
            ).format(count=len(rows), amount=euros(total))
        )

    def _select_id(self, expense_id: str) -> None:
        if not expense_id:
            return
        for r in range(self.proxy.rowCount()):
            e = self.model.row_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
            if e is not None and e.id == expense_id:
                self.table.selectionModel().setCurrentIndex(
                    self.proxy.index(r, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                return

    def _selected(self) -> ExpenseDTO | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def _select(self) -> None:
        e = self._selected()
        if e is not None and e.id != self.form.expense_id:
            self.form.load(e)
            self._check_period()

    # -- actions ------------------------------------------------------------------------------

    def save(self) -> None:
        if self.tabs.currentIndex() == 1:
            self.save_budget()
        else:
            self.save_expense()

    def new_expense(self) -> None:
        if not self.programme_id():
            return
        self.tabs.setCurrentIndex(0)
        self.table.clearSelection()
        self.table.setCurrentIndex(self.proxy.index(-1, -1))
        self.form.clear()
        self.form.show_warning([])
        self.form.kind.setFocus()

    def save_budget(self) -> None:
        try:
            budget = self.budget_editor.value()
        except UserError as e:
            self.prompts.error(self, _("Save the budget"), str(e))
            return

        def done(saved: BudgetDTO) -> None:
            self.budgets = [saved if b.funder_id == saved.funder_id else b for b in self.budgets]
            self._load_programme()

        run_op(
            self,
            lambda: self.services.economics.save_budget(budget),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Save the budget"),
            on_success=done,
        )

    def save_expense(self) -> None:
        from app.services.economics import OutsidePeriod

        try:
            draft = self.form.draft()
        except UserError as e:
            self.form.show_error(str(e))
            return
        pending = [Path(p) for p in self.form.pending]

        def failed(e: UserError) -> None:
            self.form.show_error(str(e))
            if isinstance(e, OutsidePeriod):
                self.form.reason.setFocus()

        def done(saved: ExpenseDTO) -> None:
            self.form.expense_id = saved.id
            self._load_programme(keep=saved.id)
            self.form.load(saved)

        run_op(
            self,
            lambda: self.services.economics.save_expense(draft, pending),
            bus=self.bus,
            prompts=None,
            title=_("Save the expense"),
            on_success=done,
            on_failure=failed,
        )

    def delete_expense(self) -> None:
        e = self._selected()
        if e is None:
            return
        question = _("Delete the expense {number} of {creditor} and its files?").format(
            number=e.document_number, creditor=e.creditor
        )
        if not self.prompts.confirm(self, _("Delete the expense"), question):
            return

        def done(_r: object) -> None:
            self.form.expense_id = ""
            self._load_programme()

        run_op(
            self,
            lambda: self.services.economics.delete_expense(e.id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Delete the expense"),
            on_success=done,
        )

    def attach(self) -> None:
        if not self.programme_id():
            return
        path = self.prompts.open_file(self, _("The invoice's PDF or photo"), FILE_FILTER)
        if not path:
            return
        if not self.form.expense_id:
            self.form.add_pending(path)
            return
        expense_id = self.form.expense_id
        run_op(
            self,
            lambda: self.services.economics.attach(expense_id, Path(path)),
            bus=self.bus,
            prompts=self.prompts,
            title=_("The invoice's PDF or photo"),
            on_success=lambda _r: self._reload_form(expense_id),
        )

    def _remove_file(self, attachment_id: str) -> None:
        expense_id = self.form.expense_id
        run_op(
            self,
            lambda: self.services.economics.remove_attachment(attachment_id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Remove file"),
            on_success=lambda _r: self._reload_form(expense_id),
        )

    def _save_file(self, attachment_id: str, name: str) -> None:
        """A copy of a kept invoice, where the person chooses (written to the audit log)."""
        path = self.prompts.save_file(self, _("Save a copy…"), name, FILE_FILTER)
        if not path:
            return
        run_op(
            self,
            lambda: self.services.economics.save_attachment_as(attachment_id, Path(path)),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Save a copy…"),
        )

    def open_file(self, attachment_id: str) -> Path | None:
        """Show a kept invoice in the system's viewer: a private temporary copy, removed when
        Teixit closes (at once when no viewer takes it); the viewing is in the audit log."""
        from app import temp_files

        try:
            path = self.services.economics.open_attachment(attachment_id)
        except UserError as exc:
            self.prompts.error(self, _("Open file"), exc.message)
            return None
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            temp_files.discard(path)
            self.prompts.error(
                self,
                _("Open file"),
                _(
                    "There is no program on this computer to open this file. Save a copy "
                    "and open it with another program."
                ),
            )
            return None
        return path

    def _reload_form(self, expense_id: str) -> None:
        self._load_programme(keep=expense_id)
        self.form.load(self.services.economics.expense(expense_id))

    def _check_period(self) -> None:
        """Say as soon as the date leaves a grant's period (saved only with a reason)."""
        from app.domain.economics import ExpenseDraft, parse_share

        issued = self.form.issued.value()
        if not self.programme_id() or issued is None:
            return
        try:
            shares = {k: parse_share(e.text()) for k, e in self.form.share_edits.items()}
        except UserError:
            return
        draft = ExpenseDraft(self.programme_id(), issued, 1, "", shares=shares)
        self.form.show_warning(self.services.economics.period_warnings(draft))
