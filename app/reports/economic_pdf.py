"""The economic part of the justification report (memòria econòmica) as PDF pages: for each
programme and funder, the grant and its co-financing, budget against spent by line with the
deviation (a line beyond what the funder allows is flagged), and the classified list of
expenses (relació classificada de despeses), grouped by line with a subtotal each.

Appended to the report by ``app.reports.justification`` when the report has an economic part.
A year of a large entity lists thousands of expenses: one line per expense, fixed row heights
and texts cut to their column keep it within the report's time budget."""

from __future__ import annotations

from typing import Any

from app.domain.economics import (
    LINE_LABELS,
    ClassifiedRow,
    FunderEconomics,
    LineRow,
    euros,
    percent,
)
from app.i18n import N_
from app.reports.report_flow import GREY, ReportFlow

TITLE = N_("Economic report")
#: Background of a line spent beyond the deviation the funder allows.
OVER = "#F6D5D1"
OVER_TEXT = "#8A1C12"


def line_name(flow: ReportFlow, code: str, label: str) -> str:
    """A common line's name in the document's language, or the entity's own name of a line."""
    if label:
        return label
    return flow._(LINE_LABELS[code]) if code in LINE_LABELS else code


def _date(value: Any) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def economic_pages(flow: ReportFlow) -> None:
    """Append the economic part of ``flow.data`` to ``flow.story`` (nothing when it has none)."""
    from reportlab.platypus import PageBreak

    parts = flow.data.economics
    if not parts:
        return
    for index, part in enumerate(parts):
        flow.story.append(PageBreak())
        if index == 0:
            flow.heading(flow._(TITLE))
        _summary(flow, part)
        _lines(flow, part)
        _classified(flow, part)


def _title(flow: ReportFlow, part: FunderEconomics) -> str:
    several = len({p.programme_code for p in flow.data.economics}) > 1
    prefix = f"{part.programme_code} · " if several else ""
    return prefix + flow._("Funder: {funder}").format(funder=part.funder_name)


def _summary(flow: ReportFlow, part: FunderEconomics) -> None:
    _ = flow._
    flow.heading(_title(flow, part), 2)
    period = ""
    if part.period_from or part.period_to:
        period = f"{_date(part.period_from)} – {_date(part.period_to)}"
    justified = part.spent_total
    rows = [
        [_("Grant period"), period],
        [_("Amount granted"), euros(part.granted) + " €"],
        [_("Own funds"), euros(part.own_funds) + " €"],
        [_("Other grants"), euros(part.other_grants) + " €"],
        [_("Fees"), euros(part.fees) + " €"],
        [_("Total co-financing"), euros(part.cofinancing) + " €"],
        [_("Total income of the project"), euros(part.income_total) + " €"],
        [_("Charged to this funder in the period"), euros(justified) + " €"],
        [_("Amount granted still to justify"), euros(max(part.granted - justified, 0)) + " €"],
    ]
    flow.kv(rows)


def _lines(flow: ReportFlow, part: FunderEconomics) -> None:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table, TableStyle

    _ = flow._
    flow.story.append(Spacer(1, 3 * mm))
    flow.heading(_("Budget and expenses by line"), 2)
    header = [
        _("Budget line"),
        _("Budget (€)"),
        _("Spent (€)"),
        _("Deviation (€)"),
        _("Deviation %"),
        _("Allowed %"),
        _("Beyond the allowed deviation"),
    ]
    body: list[list[Any]] = [[flow.p(h, flow.head) for h in header]]
    over_rows = []
    for i, x in enumerate(part.lines, start=1):
        body.append(_line_row(flow, x))
        if x.over:
            over_rows.append(i)
    total_dev = part.spent_total - part.budget_total
    body.append(
        [
            _("Total"),
            euros(part.budget_total),
            euros(part.spent_total),
            _signed(total_dev),
            _share(total_dev, part.budget_total),
            "",
            "",
        ]
    )
    table = Table(body, colWidths=[w * mm for w in (46, 22, 22, 22, 18, 16, 28)], repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), flow.font, 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), GREY),
        ("GRID", (0, 0), (-1, -1), 0.3, "#9AA5AE"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 1), (-2, -1), "RIGHT"),
        ("ALIGN", (-1, 1), (-1, -1), "CENTER"),
        ("FONT", (0, -1), (-1, -1), flow.bold, 8.5),
        ("BACKGROUND", (0, -1), (-1, -1), GREY),
    ]
    for r in over_rows:
        style += [
            ("BACKGROUND", (0, r), (-1, r), OVER),
            ("TEXTCOLOR", (-1, r), (-1, r), OVER_TEXT),
            ("FONT", (-1, r), (-1, r), flow.bold, 8.5),
        ]
    table.setStyle(TableStyle(style))
    flow.story += [table, Spacer(1, 2 * mm)]
    flow.story.append(
        flow.p(
            _(
                "Deviation: spent minus budget, as a share of the line's budget. A line is "
                "flagged when its spending exceeds its budget by more than the funder allows "
                "({allowed} % unless the line says otherwise)."
            ).format(allowed=part.allowed_deviation),
            flow.small,
        )
    )


def _line_row(flow: ReportFlow, x: LineRow) -> list[Any]:
    return [
        flow.p(line_name(flow, x.code, x.name), flow.cell),
        euros(x.budget),
        euros(x.spent),
        _signed(x.deviation),
        _share(x.deviation, x.budget),
        str(x.allowed_deviation),
        flow._("Yes, exceeded") if x.over else "",
    ]


def _signed(cents: int) -> str:
    return ("+" if cents > 0 else "") + euros(cents)


def _share(deviation: int, budget: int) -> str:
    if budget == 0:
        return ""
    value = round(10_000 * deviation / budget)
    return ("+" if value > 0 else "") + percent(value) + " %"


def _classified(flow: ReportFlow, part: FunderEconomics) -> None:
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Spacer, TableStyle

    _ = flow._
    flow.story.append(Spacer(1, 3 * mm))
    flow.heading(_("Classified list of expenses"), 2)
    if not part.expenses:
        flow.story.append(flow.p(_("No expenses charged to this funder in the period.")))
        return
    widths = (9, 33, 17, 22, 14, 14, 15, 12, 15, 8, 15)
    header = [
        _("No."),
        _("Creditor"),
        _("Tax ID"),
        _("Document"),
        _("Issued"),
        _("Paid"),
        _("Base (€)"),
        _("VAT (€)"),
        _("Total (€)"),
        "%",
        _("Charged (€)"),
    ]
    size = 7.0
    clip = {i: w * mm - 4 for i, w in enumerate(widths)}
    body: list[list[Any]] = [[flow.p(h, flow.head) for h in header]]
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), flow.font, size),
        ("BACKGROUND", (0, 0), (-1, 0), GREY),
        ("GRID", (0, 0), (-1, -1), 0.3, "#9AA5AE"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (6, 1), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    notes: list[str] = []
    group: list[ClassifiedRow] = []

    def close(rows: list[ClassifiedRow]) -> None:
        if not rows:
            return
        name = line_name(flow, rows[0].line, rows[0].line_name)
        r = len(body)
        body.append(
            [
                _("Subtotal {line}").format(line=_fit(flow, name, clip[1] + clip[2] + clip[3])),
                "",
                "",
                "",
                "",
                "",
                euros(sum(x.amount for x in rows)),
                euros(sum(x.vat for x in rows)),
                euros(sum(x.total for x in rows)),
                "",
                euros(sum(x.charged for x in rows)),
            ]
        )
        style.extend(
            [
                ("SPAN", (0, r), (5, r)),
                ("FONT", (0, r), (-1, r), flow.bold, size),
                ("BACKGROUND", (0, r), (-1, r), "#F3F5F6"),
            ]
        )

    for number, e in enumerate(part.expenses, start=1):
        if group and e.line != group[0].line:
            close(group)
            group = []
        if not group:
            r = len(body)
            body.append([line_name(flow, e.line, e.line_name)] + [""] * 10)
            style.extend(
                [
                    ("SPAN", (0, r), (-1, r)),
                    ("FONT", (0, r), (-1, r), flow.bold, size + 0.5),
                ]
            )
        group.append(e)
        mark = str(number)
        if e.outside_reason:
            mark += "*"
            notes.append(
                _("* {number}: dated outside the grant's period. Reason: {reason}").format(
                    number=number, reason=e.outside_reason
                )
            )
        body.append(
            [
                mark,
                _fit(flow, e.creditor, clip[1], size),
                e.creditor_tax_id,
                _fit(flow, e.document_number, clip[3], size),
                _date(e.issue_date),
                _date(e.payment_date),
                euros(e.amount),
                euros(e.vat),
                euros(e.total),
                percent(e.share),
                euros(e.charged),
            ]
        )
    close(group)
    r = len(body)
    body.append(
        [
            _("Total charged to {funder}").format(funder=_fit(flow, part.funder_name, 60 * mm)),
            "",
            "",
            "",
            "",
            "",
            euros(sum(x.amount for x in part.expenses)),
            euros(sum(x.vat for x in part.expenses)),
            euros(sum(x.total for x in part.expenses)),
            "",
            euros(part.spent_total),
        ]
    )
    style += [
        ("SPAN", (0, r), (5, r)),
        ("FONT", (0, r), (-1, r), flow.bold, size),
        ("BACKGROUND", (0, r), (-1, r), GREY),
    ]
    heights = [None] + [11.0] * (len(body) - 1)
    table = LongTable(body, colWidths=[w * mm for w in widths], rowHeights=heights, repeatRows=1)
    table.setStyle(TableStyle(style))
    flow.story += [table, Spacer(1, 2 * mm)]
    flow.story.append(
        flow.p(
            _(
                "Total: base plus VAT. Charged: the share of the total charged to this funder. "
                "Expenses dated in the report's period."
            ),
            flow.small,
        )
    )
    for note in notes:
        flow.story.append(flow.p(note, flow.small))


def _fit(flow: ReportFlow, text: str, width: float, size: float = 7.0) -> str:
    from app.reports import report_page

    return report_page.fit(text, flow.font, size, width)
