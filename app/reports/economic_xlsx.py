"""The economic part of the justification report as spreadsheet sheets, the columns funders'
templates ask for: the classified list of expenses (one row per expense and funder), budget
against spent by line, and the grant with its co-financing.

Amounts are numbers in euros (two decimals), dates are dates, and every text someone typed is
a text cell: a creditor called "=HYPERLINK(…)" is never run as a formula."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from app.domain.economics import EXPENSE_KIND_LABELS, LINE_LABELS, FunderEconomics
from app.domain.report import ReportData
from app.i18n import N_

MONEY = "#,##0.00"
DATE = "DD/MM/YYYY"
#: Workbook (by id) -> sheet title -> its rows, written by ``save``.
_LONG_SHEETS: dict[int, dict[str, list[list[Any]]]] = {}


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
    widths = [12, 24, 24, 12, 32, 14, 16, 30, 12, 12, 13, 11, 13, 11, 13, 30, 10]
    for row in rows[:500]:
        for i, value in enumerate(row):
            if isinstance(value, str) and len(value) + 2 > widths[i]:
                widths[i] = min(len(value) + 2, 70)
    # The sheet is made with its first expense only (every column styled as it should be); the
    # rest are written straight into the file when it is saved (``save``): openpyxl's cells
    # cost too much for the thousands of rows of a large entity's year.
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
        rows[:1],
        widths,
        total,
    )
    _format(ws, 2, text=(1, 2, 3, 4, 5, 6, 7, 8, 16), dates=(9, 10), money=(11, 12, 13, 15))
    ws.cell(2, 14).number_format = "0.00"
    if len(rows) > 1:
        long_sheet(book.wb, ws.title, rows)

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


def long_sheet(wb: Any, title: str, rows: list[list[Any]]) -> None:
    """The sheet ``title``, made with its header, the first of ``rows`` and its total row,
    gets every one of ``rows`` when ``save`` writes the workbook."""
    _LONG_SHEETS.setdefault(id(wb), {})[title] = rows


def save(wb: Any, out: Any) -> None:
    """Save the workbook to ``out`` with the long sheets' rows written in: each such sheet was
    made with its header, its first row and its total row, whose styles every row takes."""
    import io
    import zipfile

    long_sheets = _LONG_SHEETS.pop(id(wb), {})
    if not long_sheets:
        wb.save(out)
        return
    buf = io.BytesIO()
    wb.save(buf)
    names = {ws.title: f"xl/worksheets/sheet{i}.xml" for i, ws in enumerate(wb.worksheets, 1)}
    wanted = {names[title]: rows for title, rows in long_sheets.items()}
    with (
        zipfile.ZipFile(buf) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename not in wanted:
                target.writestr(item, content)
                continue
            # The rows go into the file as they are written: a year of a large entity's
            # expenses is tens of megabytes of XML, never held whole.
            with target.open(item, "w") as member:
                for piece in _with_rows(content.decode("utf-8"), wanted[item.filename]):
                    member.write(piece.encode("utf-8"))


def _with_rows(xml: str, rows: list[list[Any]]) -> Iterator[str]:
    """The sheet's XML, in pieces, with ``rows`` from row 2 on, styled like its row 2; its
    last row (the total) moves below them."""
    import re

    found = re.findall(r"<row [^>]*>.*?</row>", xml, flags=re.S)
    if len(found) < 2:
        yield xml
        return
    header, template, tail = found[0], found[1], found[2:]
    styles = {
        col: int(style)
        for col, style in re.findall(r'<c r="([A-Z]+)2"(?: s="(\d+)")?', template)
        if style
    }
    letters = [_letter(i) for i in range(1, max(len(r) for r in rows) + 2)] if rows else []
    last = len(rows) + 1 + len(tail)
    start = xml.index(found[0])
    end = xml.index(found[-1]) + len(found[-1])
    yield re.sub(
        r'<dimension ref="A1:([A-Z]+)\d+"', rf'<dimension ref="A1:\g<1>{last}"', xml[:start]
    )
    yield header
    texts: dict[str, str] = {}  # names, places, document numbers repeat: each written once
    batch: list[str] = []
    for n, row in enumerate(rows, start=2):
        batch.append(_row_xml(n, row, letters, styles, texts))
        if len(batch) == 500:
            yield "".join(batch)
            batch = []
    yield "".join(batch)
    number = len(rows) + 1
    for extra in tail:  # the total row, renumbered
        number += 1
        extra = re.sub(r'<row r="\d+"', f'<row r="{number}"', extra, count=1)
        yield re.sub(r'(<c r="[A-Z]+)\d+"', rf'\g<1>{number}"', extra)
    yield xml[end:]


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def _row_xml(
    number: int,
    row: list[Any],
    letters: list[str],
    styles: dict[str, int],
    texts: dict[str, str],
) -> str:
    """Row ``number`` of ``row``'s values; ``texts`` keeps each text cell's XML (after its
    reference and style) by text."""
    cells = []
    written = _written_text
    for i, value in enumerate(row):
        if value is None or value == "":
            continue
        letter = letters[i]
        style = styles.get(letter)
        s = f' s="{style}"' if style is not None else ""
        if isinstance(value, str):
            body = texts.get(value)
            if body is None:
                body = texts[value] = written(value)
            cells.append(f'<c r="{letter}{number}"{s}{body}')
        elif isinstance(value, bool):
            cells.append(f'<c r="{letter}{number}"{s} t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, int | float):
            cells.append(f'<c r="{letter}{number}"{s}><v>{value!r}</v></c>')
        elif isinstance(value, dt.date):
            serial = (value - _EPOCH).days
            cells.append(f'<c r="{letter}{number}"{s}><v>{serial}</v></c>')
        elif isinstance(value, dt.time):  # a fraction of the day, as openpyxl writes it
            cells.append(f'<c r="{letter}{number}"{s}><v>{_day_fraction(value)}</v></c>')
        else:
            cells.append(f'<c r="{letter}{number}"{s}{written(str(value))}')
    return f'<row r="{number}">' + "".join(cells) + "</row>"


_EPOCH = dt.date(1899, 12, 30)


def _written_text(value: str) -> str:
    from xml.sax.saxutils import escape

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = escape(ILLEGAL_CHARACTERS_RE.sub("", value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f' t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _day_fraction(value: dt.time) -> str:
    from openpyxl.compat import safe_string
    from openpyxl.utils.datetime import time_to_days

    return str(safe_string(time_to_days(value)))
