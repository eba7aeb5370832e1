"""The Economics page driven as a person would: type a budget and an expense (split between two
funders, with its invoice attached), see the messages for bad input, and find everything in the
database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLineEdit
from sqlalchemy import select

from app.db.models import Budget, BudgetLine, Expense, ExpenseAttachment, ExpenseShare
from app.i18n import _
from app.services.container import Services
from tests.support.economic_rows import CIF, add_programme
from ui.pages.economics_page import EconomicsPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _page(qtbot: Any, services: Services, bus: Any, prompts: Any) -> EconomicsPage:
    page = EconomicsPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.resize(1100, 720)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    return page


def _type(qtbot: Any, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def _shortcut(qtbot: Any, page: EconomicsPage, keys: str) -> None:
    key, _sep, mods = keys.partition("+")
    qtbot.keyClick(page.focusWidget() or page, mods or key, Qt.KeyboardModifier.ControlModifier)


def test_typing_an_expense_split_between_funders(
    qtbot: Any, services: Services, bus: Any, prompts: Any, tmp_path: Path
) -> None:
    pid, city, province, _staff = add_programme(services.db)
    page = _page(qtbot, services, bus, prompts)
    assert page.programme.currentData() == pid

    # Ctrl+N: a new expense, the kind field first.
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = page.form
    assert form.kind.hasFocus()
    _type(qtbot, form.creditor, "Papereria Sants SL")
    _type(qtbot, form.tax_id, "b65410011")
    _type(qtbot, form.document, "F-2026/31")
    form.issued.setDate(QDate(2026, 4, 14))
    form.paid.setDate(QDate(2026, 4, 30))
    _type(qtbot, form.amount, "1.000,00")
    _type(qtbot, form.vat, "210")
    form.line.setCurrentIndex(form.line.findData("activities"))
    _type(qtbot, form.share_edits[city], "70")
    _type(qtbot, form.share_edits[province], "40")
    invoice = tmp_path / "factura.pdf"
    invoice.write_bytes(b"%PDF-1.4 invoice")
    prompts.files.append(str(invoice))
    qtbot.keyClick(
        page, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert form.pending == [str(invoice)]

    # Over 100 %: the message under the form, nothing saved.
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "sumen 110 %" in form.error.text() and form.error.isVisible()
    with services.db.read() as s:
        assert s.scalars(select(Expense)).all() == []

    _type(qtbot, form.share_edits[province], "30")
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not form.error.isVisible(), form.error.text()
    with services.db.read() as s:
        expense = s.scalars(select(Expense)).one()
        assert (expense.creditor, expense.creditor_tax_id, expense.document_number) == (
            "Papereria Sants SL",
            CIF,
            "F-2026/31",
        )
        assert (expense.issue_date, expense.payment_date) == (
            dt.date(2026, 4, 14),
            dt.date(2026, 4, 30),
        )
        assert (expense.amount, expense.vat, expense.line) == (100_000, 21_000, "activities")
        shares = {r.funder_id: r.share for r in s.scalars(select(ExpenseShare))}
        assert shares == {city: 7_000, province: 3_000}
        files = s.scalars(select(ExpenseAttachment)).all()
        assert [(f.file_name, f.content) for f in files] == [("factura.pdf", b"%PDF-1.4 invoice")]
    assert page.model.rowCount() == 1 and "1 despesa, 1.210,00 € en total" in page.summary.text()
    # The kept invoice, saved out where the person chooses.
    copy = tmp_path / "copia.pdf"
    prompts.files.append(str(copy))
    form.files.setCurrentRow(0)
    qtbot.mouseClick(form.save_file_button, Qt.MouseButton.LeftButton)
    assert copy.read_bytes() == b"%PDF-1.4 invoice"

    # The same invoice again: refused, with the creditor and number named.
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    _type(qtbot, form.creditor, "Papereria Sants SL")
    _type(qtbot, form.tax_id, CIF)
    _type(qtbot, form.document, "f-2026/31")
    form.issued.setDate(QDate(2026, 5, 2))
    _type(qtbot, form.amount, "20")
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "ja té una despesa amb el número de document F-2026/31" in form.error.text()

    # Dated before the programme: a warning as soon as the date changes; saved with a reason.
    _type(qtbot, form.document, "F-2025/99")
    _type(qtbot, form.share_edits[city], "100")
    assert not form.warning.isVisible()
    form.issued.setDate(QDate(2025, 12, 1))
    assert "fora del període de la subvenció" in form.warning.text()
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.reason.hasFocus()
    _type(qtbot, form.reason, "Reserva anticipada del material")
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with services.db.read() as s:
        reasons = sorted(s.scalars(select(Expense.outside_reason)))
    assert reasons == ["", "Reserva anticipada del material"]

    # Del on the table deletes the selected one after asking.
    page.table.setFocus()
    prompts.confirms.append(True)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert page.model.rowCount() == 1


def test_typing_a_budget_with_a_line_of_its_own(
    qtbot: Any, services: Services, bus: Any, prompts: Any
) -> None:
    pid, city, _province, _staff = add_programme(services.db)
    page = _page(qtbot, services, bus, prompts)
    page.tabs.setCurrentIndex(1)
    page.funder.setCurrentIndex(page.funder.findData(city))
    editor = page.budget_editor
    _type(qtbot, editor.granted, "12.000")
    _type(qtbot, editor.own, "1500,50")
    editor.deviation.setValue(15)
    editor.lines.item(0, 1).setText("9.000")
    qtbot.mouseClick(editor.add_line, Qt.MouseButton.LeftButton)
    row = editor.lines.rowCount() - 1
    editor.lines.item(row, 0).setText("Lloguer de sala")
    editor.lines.item(row, 1).setText("3000")
    editor.lines.item(row, 2).setText("5")
    assert "12.000,00" in editor.total.text()
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with services.db.read() as s:
        budget = s.scalars(select(Budget)).one()
        assert (budget.programme_id, budget.funder_id) == (pid, city)
        assert (budget.granted, budget.own_funds, budget.allowed_deviation) == (
            1_200_000,
            150_050,
            15,
        )
        lines = s.scalars(select(BudgetLine).order_by(BudgetLine.position)).all()
        assert [(x.code, x.label, x.amount, x.allowed_deviation) for x in lines] == [
            ("staff", "", 900_000, None),
            ("activities", "", 0, None),
            ("services", "", 0, None),
            ("travel", "", 0, None),
            ("indirect", "", 0, None),
            ("lloguer-de-sala", "Lloguer de sala", 300_000, 5),
        ]
    # The new line is offered for expenses at once.
    assert page.form.line.findData("lloguer-de-sala") >= 0


def test_short_headings_show_their_full_title(
    qtbot: Any, services: Services, bus: Any, prompts: Any
) -> None:
    """The register's narrow columns have short headings; hovering one tells what it holds, and
    at 1100 pixels no heading is cut."""
    add_programme(services.db)
    page = _page(qtbot, services, bus, prompts)
    model = page.table.model()
    header = page.table.horizontalHeader()
    tips = {}
    for column in range(model.columnCount()):
        title = model.headerData(column, Qt.Orientation.Horizontal)
        tip = Qt.ItemDataRole.ToolTipRole
        tips[title] = model.headerData(column, Qt.Orientation.Horizontal, tip)
        needed = header.fontMetrics().horizontalAdvance(title) + 8
        assert header.sectionSize(column) >= needed, title
    assert tips[_("Doc. no.")] == _("Document number")
    assert tips[_("Line")] == _("Budget line")
    assert tips[_("Date")] == _("Issue date")
    assert tips[_("Creditor")] is None
