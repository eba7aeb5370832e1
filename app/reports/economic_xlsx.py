"""The economic part of the justification report as spreadsheet sheets, the columns funders'
templates ask for: the classified list of expenses (one row per expense and funder), budget
against spent by line, and the grant with its co-financing.

Amounts are numbers in euros (two decimals), dates are dates, and every text someone typed is
a text cell: a creditor called "=HYPERLINK(…)" is never run as a formula."""

from __future__ import annotations

from typing import Any

from app.domain.economics import EXPENSE_KIND_LABELS, LINE_LABELS, FunderEconomics
from app.domain.report import ReportData
from app.i18n import N_

MONEY = "#,##0.00"
DATE = "DD/MM/YYYY"


def _euros(cents: int) -> float:
    return round(cents / 100, 2)


def add_sheets(book: Any, data: ReportData) -> None:
    """Add the economic sheets to ``book`` (the report's ``_Book``) when the report has an
    economic part."""
    if not data.economics:
        return
    _ = book._

    def name(code: str, label: str) -> str:
        if label:
            return label
        return _(LINE_LABELS[code]) if code in LINE_LABELS else code

    rows: list[list[Any]] = []
    for part in data.economics:
        for e in part.expenses:
            rows.append(
                [
                    part.programme_code,
                    part.funder_name,
                    name(e.line, e.line_name),
                    _(EXPENSE_KIND_LABELS.get(e.kind, e.kind)),
                    e.creditor,
                    e.creditor_tax_id,
                    e.document_number,
                    e.description,
                    e.issue_date,
                    e.payment_date,
                    _euros(e.amount),
                    _euros(e.vat),
                    _euros(e.total),
                    e.share / 100,
                    _euros(e.charged),
                    e.outside_reason,
                    e.attachments,
                ]
            )
    total = [_("Total"), "", "", "", "", "", "", "", "", "", None, None, None, None, None, "", None]
    total[10] = round(sum(r[10] for r in rows), 2)
    total[11] = round(sum(r[11] for r in rows), 2)
    total[12] = round(sum(r[12] for r in rows), 2)
    total[14] = round(sum(r[14] for r in rows), 2)
    ws = book.sheet(
        N_("Expenses"),
        [
            _("Programme"),
            _("Funder"),
            _("Budget line"),
            _("Kind"),
            _("Creditor"),
            _("Tax ID"),
            _("Document number"),
            _("Description"),
            _("Issue date"),
            _("Payment date"),
            _("Base (€)"),
            _("VAT (€)"),
            _("Total (€)"),
            _("Charged %"),
            _("Charged (€)"),
            _("Reason outside the period"),
            _("Attached files"),
        ],
        rows,
        [12, 24, 24, 12, 32, 14, 16, 30, 12, 12, 13, 11, 13, 11, 13, 30, 10],
        total,
    )
    _format(
        ws, len(rows) + 1, text=(1, 2, 3, 4, 5, 6, 7, 8, 16), dates=(9, 10), money=(11, 12, 13, 15)
    )
    for (cell,) in ws.iter_rows(min_row=2, max_row=len(rows) + 1, min_col=14, max_col=14):
        cell.number_format = "0.00"

    rows = []
    for part in data.economics:
        for x in part.lines:
            dev = x.deviation_share
            rows.append(
                [
                    part.programme_code,
                    part.funder_name,
                    name(x.code, x.name),
                    _euros(x.budget),
                    _euros(x.spent),
                    _euros(x.deviation),
                    None if dev is None else round(dev, 2),
                    x.allowed_deviation,
                    _("Yes") if x.over else _("No"),
                ]
            )
    ws = book.sheet(
        N_("Budget by line"),
        [
            _("Programme"),
            _("Funder"),
            _("Budget line"),
            _("Budget (€)"),
            _("Spent (€)"),
            _("Deviation (€)"),
            _("Deviation %"),
            _("Allowed %"),
            _("Beyond the allowed deviation"),
        ],
        rows,
        [12, 24, 28, 14, 14, 14, 12, 11, 16],
    )
    _format(ws, len(rows) + 1, text=(1, 2, 3, 9), dates=(), money=(4, 5, 6))

    rows = [_funding_row(part) for part in data.economics]
    ws = book.sheet(
        N_("Grant and co-financing"),
        [
            _("Programme"),
            _("Funder"),
            _("Grant period"),
            _("Amount granted"),
            _("Own funds"),
            _("Other grants"),
            _("Fees"),
            _("Total co-financing"),
            _("Total income of the project"),
            _("Budget (€)"),
            _("Spent (€)"),
        ],
        rows,
        [12, 24, 24, 14, 14, 14, 12, 14, 16, 14, 14],
    )
    _format(ws, len(rows) + 1, text=(1, 2, 3), dates=(), money=(4, 5, 6, 7, 8, 9, 10, 11))


def _funding_row(part: FunderEconomics) -> list[Any]:
    period = ""
    if part.period_from or part.period_to:
        a = f"{part.period_from:%d/%m/%Y}" if part.period_from else ""
        b = f"{part.period_to:%d/%m/%Y}" if part.period_to else ""
        period = f"{a} – {b}"
    return [
        part.programme_code,
        part.funder_name,
        period,
        _euros(part.granted),
        _euros(part.own_funds),
        _euros(part.other_grants),
        _euros(part.fees),
        _euros(part.cofinancing),
        _euros(part.income_total),
        _euros(part.budget_total),
        _euros(part.spent_total),
    ]


def _format(
    ws: Any, last_row: int, text: tuple[int, ...], dates: tuple[int, ...], money: tuple[int, ...]
) -> None:
    """Text columns as text cells (never a formula), dates and euros in their formats."""
    for row in ws.iter_rows(min_row=2, max_row=last_row):
        for col in text:
            cell = row[col - 1]
            if isinstance(cell.value, str):
                cell.data_type = "s"
        for col in dates:
            row[col - 1].number_format = DATE
        for col in money:
            row[col - 1].number_format = MONEY
