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
from app.reports.fast_text import TextPut
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
    table = Table(body, colWidths=[w * mm for w in (40, 22, 22, 22, 20, 18, 30)], repeatRows=1)
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
    from reportlab.platypus import Spacer

    _ = flow._
    flow.story.append(Spacer(1, 3 * mm))
    flow.heading(_("Classified list of expenses"), 2)
    if not part.expenses:
        flow.story.append(flow.p(_("No expenses charged to this funder in the period.")))
        return
    widths = [w * mm for w in (9, 33, 17, 22, 14, 14, 15, 12, 15, 8, 15)]
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
    rows: list[tuple[str, list[str]]] = []
    notes: list[str] = []
    group: list[ClassifiedRow] = []

    def sums(items: list[ClassifiedRow] | tuple[ClassifiedRow, ...], label: str) -> list[str]:
        return [
            label,
            *([""] * 5),
            euros(sum(x.amount for x in items)),
            euros(sum(x.vat for x in items)),
            euros(sum(x.total for x in items)),
            "",
            euros(sum(x.charged for x in items)),
        ]

    def close(items: list[ClassifiedRow]) -> None:
        if items:
            name = line_name(flow, items[0].line, items[0].line_name)
            rows.append(("subtotal", sums(items, _("Subtotal {line}").format(line=name))))

    for number, e in enumerate(part.expenses, start=1):
        if group and e.line != group[0].line:
            close(group)
            group = []
        if not group:
            rows.append(("group", [line_name(flow, e.line, e.line_name)]))
        group.append(e)
        mark = str(number)
        if e.outside_reason:
            mark += "*"
            notes.append(
                _("* {number}: dated outside the grant's period. Reason: {reason}").format(
                    number=number, reason=e.outside_reason
                )
            )
        rows.append(
            (
                "item",
                [
                    mark,
                    _wrap(flow, e.creditor, widths[1] - 4, size),
                    e.creditor_tax_id,
                    _wrap(flow, e.document_number, widths[3] - 4, size),
                    _date(e.issue_date),
                    _date(e.payment_date),
                    euros(e.amount),
                    euros(e.vat),
                    euros(e.total),
                    percent(e.share),
                    euros(e.charged),
                ],
            )
        )
    close(group)
    total = _("Total charged to {funder}").format(funder=part.funder_name)
    rows.append(("total", sums(part.expenses, total)))
    explained = flow.p(
        _(
            "Total: base plus VAT. Charged: the share of the total charged to this funder. "
            "Expenses dated in the report's period."
        ),
        flow.small,
    )
    explained.keepWithNext = 1  # heading, note and the list's first rows start a page together
    flow.story.append(explained)
    gap = Spacer(1, 1.5 * mm)
    gap.keepWithNext = 1
    flow.story.append(gap)
    flow.story.append(ExpenseList(flow.font, flow.bold, header, rows, widths, size))
    flow.story.append(Spacer(1, 2 * mm))
    for note in notes:
        flow.story.append(flow.p(note, flow.small))


def _list_flowable() -> type:
    """The class of the classified list, made on first use (ReportLab is imported lazily)."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.platypus import Flowable

    row_height = 11.0  # a row of one line; each further line of a wrapped cell adds a leading
    line_colour, head_colour, band_colour = "#9AA5AE", GREY, "#F3F5F6"

    class _ExpenseList(Flowable):  # type: ignore[misc]
        """A table of rows drawn straight on the page, split across pages with its header
        repeated: the same look as the report's tables, a fraction of the work for the thousands
        of rows of a large entity's year (no per-cell styles). A cell's text may hold newlines
        (a long creditor's name wrapped beforehand): its row grows by a line each."""

        def __init__(
            self,
            font: str,
            bold: str,
            header: list[str],
            rows: list[tuple[str, list[str]]],
            widths: list[float],
            size: float,
            heights: list[float] | None = None,
        ) -> None:
            super().__init__()
            self.hAlign = "CENTER"  # placed like the report's tables
            self.font, self.bold, self.size = font, bold, size
            self.header, self.rows, self.widths = header, rows, widths
            self.head_lines = [
                simpleSplit(h, bold, size, w - 4) for h, w in zip(header, widths, strict=True)
            ]
            lines = max((len(x) for x in self.head_lines), default=1)
            self.leading = size + 1.5
            self.head_height = lines * self.leading + 4
            # A split's halves take their rows' heights along (measured once, not per page).
            self.heights = heights or [
                row_height + self.leading * max((c.count("\n") for c in cells), default=0)
                for _kind, cells in rows
            ]

        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.width = sum(self.widths)
            self.height = self.head_height + sum(self.heights)
            return self.width, self.height

        def split(self, avail_width: float, avail_height: float) -> list[Any]:
            room, fits = avail_height - self.head_height, 0
            for h in self.heights:
                if h > room:
                    break
                room -= h
                fits += 1
            if fits < 2 or fits >= len(self.rows):
                return [] if fits < 2 else [self]
            make = type(self)
            args = (self.font, self.bold, self.header)
            return [
                make(*args, self.rows[:fits], self.widths, self.size, self.heights[:fits]),
                make(*args, self.rows[fits:], self.widths, self.size, self.heights[fits:]),
            ]

        def draw(self) -> None:
            c = self.canv
            width, top = sum(self.widths), self.height
            c.saveState()
            c.setFillColor(head_colour)
            c.rect(0, top - self.head_height, width, self.head_height, stroke=0, fill=1)
            # tops[i]: the top of row i; tops[-1] the table's bottom.
            tops = [top - self.head_height]
            for h in self.heights:
                tops.append(tops[-1] - h)
            for i, (kind, _cells) in enumerate(self.rows):
                if kind in ("subtotal", "total"):
                    c.setFillColor(head_colour if kind == "total" else band_colour)
                    c.rect(0, tops[i + 1], width, self.heights[i], stroke=0, fill=1)
            c.setStrokeColor(line_colour)
            c.setLineWidth(0.3)
            xs = [0.0]
            for w in self.widths:
                xs.append(xs[-1] + w)
            bottom = tops[-1]
            path = c.beginPath()
            for y in tops:
                path.moveTo(0, y)
                path.lineTo(width, y)
            path.moveTo(0, top)
            path.lineTo(width, top)
            # Column lines run down through the rows that have them, one stroke per run: a line's
            # name row is one cell across, a subtotal's label spans the first six columns.
            last = len(xs) - 1
            for col, x in enumerate(xs):
                run_top: float | None = top
                for i, (kind, _cells) in enumerate(self.rows):
                    y = tops[i]
                    crossed = 0 < col < last and (kind == "group" or (kind != "item" and col < 6))
                    if crossed and run_top is not None:
                        path.moveTo(x, run_top)
                        path.lineTo(x, y)
                        run_top = None
                    elif not crossed and run_top is None:
                        run_top = y
                if run_top is not None:
                    path.moveTo(x, run_top)
                    path.lineTo(x, bottom)
            c.drawPath(path, stroke=1, fill=0)
            text = c.beginText()
            text.setFillColor("#000000")
            put = TextPut(c, text)
            text.setFont(self.bold, self.size)
            for x, lines in zip(xs, self.head_lines, strict=False):
                for n, line in enumerate(lines):
                    text.setTextOrigin(x + 2, top - 2 - (n + 1) * (self.size + 1.5) + 1.5)
                    put(self.bold, self.size, line)
            current, size, leading = self.bold, self.size, self.leading
            line, place, start_of, fp_str = put.line, put.place, put.start_of, put.fp_str
            # A column's start and a row's baseline are written once (not for each cell).
            starts = [fp_str(x + 2) for x in xs]
            for i, (kind, cells) in enumerate(self.rows):
                y = tops[i] - row_height + 3.2
                y_written = fp_str(y)
                face = self.font if kind == "item" else self.bold
                if face != current:
                    text.setFont(face, size)
                    current = face
                if kind == "group":
                    line(face, size, 2, y, cells[0])
                    continue
                for col, value in enumerate(cells):
                    if not value:
                        continue
                    if col >= 6 or (col == 0 and kind == "item"):
                        place(
                            face,
                            size,
                            f"{start_of(face, size, xs[col + 1] - 2, value)} {y_written}",
                            value,
                        )
                    elif "\n" in value:
                        for n, part in enumerate(value.split("\n")):
                            line(face, size, xs[col] + 2, y - n * leading, part)
                    else:
                        place(face, size, f"{starts[col]} {y_written}", value)
            c.drawText(text)
            c.restoreState()

    return _ExpenseList


def ExpenseList(*args: Any) -> Any:  # noqa: N802 - builds the flowable like a class
    global _LIST
    if _LIST is None:
        _LIST = _list_flowable()
    return _LIST(*args)


_LIST: Any = None


WRAP_LINES = 3  # a creditor's name longer than this is cut with "…" on its last line


def _wrap(flow: ReportFlow, text: str, width: float, size: float = 7.0) -> str:
    """``text`` in lines that fit ``width`` (newline-joined), at most ``WRAP_LINES``."""
    from app.reports import report_page

    lines = report_page.wrap(" ".join(text.split()), flow.font, size, width).split("\n")
    if len(lines) > WRAP_LINES:
        rest = " ".join(lines[WRAP_LINES - 1 :])
        lines = [*lines[: WRAP_LINES - 1], report_page.fit(rest, flow.font, size, width)]
    return "\n".join(lines)
