"""Styles and building blocks of the justification report's pages: numbers in the document's
locale, paragraphs in the embedded faces, headings kept with what follows, tables with a grey
header row repeated on every page and an optional total row; the signature block."""

from __future__ import annotations

from typing import Any

from app.domain.figures import format_figure
from app.domain.report import SMALL_NUMBER_LIMIT, ReportData
from app.i18n import LOCALES, Translator, translator
from app.reports import fonts, report_page

GREY = "#E8ECEF"


class ReportFlow:
    """Styles and building blocks (paragraphs, headings, tables) of a report's pages."""

    def __init__(self, data: ReportData) -> None:
        from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

        self.data = data
        self.t: Translator = translator(data.request.lang)
        self.locale = LOCALES[self.t.languages[0]]
        self.font, self.bold = report_page.register_fonts()
        base = getSampleStyleSheet()
        self.body = ParagraphStyle(
            "body", base["BodyText"], fontName=self.font, fontSize=9.5, leading=13
        )
        self.small = ParagraphStyle("small", self.body, fontSize=8, leading=10)
        self.cell = ParagraphStyle(
            "cell", self.body, fontSize=8.5, leading=10.5, spaceAfter=0, spaceBefore=0
        )
        self.head = ParagraphStyle("head", self.cell, fontName=self.bold, fontSize=8, leading=9.5)
        self.h1 = ParagraphStyle(
            "h1",
            self.body,
            fontName=self.bold,
            fontSize=15,
            leading=19,
            spaceBefore=4,
            spaceAfter=8,
            textColor="#1F3A4D",
            keepWithNext=1,
        )
        self.h2 = ParagraphStyle(
            "h2",
            self.body,
            fontName=self.bold,
            fontSize=11,
            leading=14,
            spaceBefore=10,
            spaceAfter=4,
            textColor="#1F3A4D",
            keepWithNext=1,
        )
        self.story: list[Any] = []

    def _(self, message: str) -> str:
        return self.t.gettext(message)

    def num(self, value: float, decimals: int = 0) -> str:
        """Integers as such, other values with up to ``decimals`` decimals: 6,5 and 81,25 (the
        figures' one format, as on screen)."""
        return format_figure(value, decimals, self.t.languages[0])

    def people(self, value: int) -> str:
        """A cell of a breakdown counting people: "< 5" for 1 to 4 when small numbers are
        hidden. Totals are printed with ``num``: exact, so they agree with every table."""
        if self.data.small(value):
            return "< " + self.num(SMALL_NUMBER_LIMIT)
        return self.num(value)

    def p(self, text: str, style: Any = None) -> Any:
        style = style or self.body
        bold = style.fontName == self.bold
        markup = report_page.markup(text, bold=bold)
        frag = _plain_frag(text, style, bold)
        return _paragraph_class()(markup, style, frags=None if frag is None else [frag])

    # -- building blocks -----------------------------------------------------------------------

    def heading(self, text: str, level: int = 1) -> None:
        self.story.append(self.p(text, self.h1 if level == 1 else self.h2))

    def table(
        self,
        header: list[str],
        rows: list[list[Any]],
        widths: list[float],
        numeric_from: int = 1,
        total: list[Any] | None = None,
        long: bool = False,
        size: float = 8.5,
        heights: list[float] | None = None,
    ) -> None:
        from reportlab.lib.units import mm
        from reportlab.platypus import Spacer, Table, TableStyle

        head = [self.p(h, self.head) if isinstance(h, str) else h for h in header]
        if long and all(isinstance(v, str) for row in (*rows, total or ()) for v in row):
            # A long table of plain text and known row heights (measured lines), drawn as the
            # table below would be, without its per-cell layout (app/reports/fast_text.py).
            from app.reports.fast_text import fixed_rows_table

            given = heights or [13.0] * len(rows)
            self.story += [
                fixed_rows_table(
                    head,
                    [*rows, total] if total is not None else rows,
                    [w * mm for w in widths],
                    [*given, 13.0] if total is not None else given,
                    font=self.font,
                    bold=self.bold,
                    size=size,
                    numeric_from=numeric_from,
                    header_colour=GREY,
                    grid=(0.3, "#9AA5AE"),
                    total=total is not None,
                ),
                Spacer(1, 3 * mm),
            ]
            return
        body = [head, *rows]
        if total is not None:
            body.append(total)
        row_heights: list[float | None] | None = None
        if long:
            given = heights or [13.0] * len(rows)
            row_heights = [None, *given] + ([13.0] if total is not None else [])
        tbl = Table(body, colWidths=[w * mm for w in widths], rowHeights=row_heights, repeatRows=1)
        style = [
            ("FONT", (0, 0), (-1, -1), self.font, size, size + 1.5),
            ("FONT", (0, 0), (-1, 0), self.bold, 8.5),
            ("BACKGROUND", (0, 0), (-1, 0), GREY),
            ("GRID", (0, 0), (-1, -1), 0.3, "#9AA5AE"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        if total is not None:
            style += [
                ("FONT", (0, -1), (-1, -1), self.bold, size),
                ("BACKGROUND", (0, -1), (-1, -1), GREY),
            ]
        tbl.setStyle(TableStyle(style))
        self.story += [tbl, Spacer(1, 3 * mm)]

    def wrap(self, text: str, width_mm: float, size: float = 8.5) -> str:
        """``text`` in lines that fit the column (a word too long for it is cut into pieces)."""
        from reportlab.lib.units import mm

        return report_page.wrap(text, self.font, size, width_mm * mm - 5)

    def clip(self, text: str, width_mm: float, size: float = 8.5) -> str:
        from reportlab.lib.units import mm

        return report_page.fit(text, self.font, size, width_mm * mm - 5)

    # -- sections ----------------------------------------------------------------------------

    def kv(self, rows: list[list[str]]) -> None:
        from reportlab.lib.units import mm
        from reportlab.platypus import Table, TableStyle

        body = [[self.p(k, self.cell), self.p(v, self.cell)] for k, v in rows if v]
        if not body:
            return
        tbl = Table(body, colWidths=[45 * mm, 129 * mm])
        tbl.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.3, "#9AA5AE"),
                    ("BACKGROUND", (0, 0), (0, -1), GREY),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        self.story.append(tbl)

    def signature(self) -> None:
        from reportlab.lib.units import mm
        from reportlab.platypus import CondPageBreak, Spacer, Table, TableStyle

        r, _ = self.data.request, self._
        self.story.append(CondPageBreak(60 * mm))
        self.heading(_("Signature"), 2)
        place = r.sign_place
        when = self.t.date(r.sign_date, "long") if r.sign_date else "____________________"
        rows = [
            [_("Legal representative"), r.signatory or ""],
            [_("Position"), r.signatory_role or ""],
            [_("Place and date"), f"{place or '____________________'}, {when}"],
            [_("Signature"), ""],
        ]
        tbl = Table(
            [[self.p(k, self.cell), self.p(v, self.cell)] for k, v in rows],
            colWidths=[45 * mm, 129 * mm],
            rowHeights=[None, None, None, 28 * mm],
        )
        tbl.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.3, "#9AA5AE"),
                    ("BACKGROUND", (0, 0), (0, -1), GREY),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        self.story += [Spacer(1, 2 * mm), tbl]


def _plain_frag(text: str, style: Any, bold: bool) -> Any:
    """The one fragment ReportLab's parser makes of ``text``'s markup when it is one run of a
    single face, with no spaces to fold nor breaks: the parser's own fragment for that face and
    style (parsed once), holding ``text``. Anything else (several scripts, shaped or
    right-to-left text, line breaks) is left to the parser (None)."""
    from app.reports import text as text_module

    if not text or text != " ".join(text.split()) or not _PLAIN.isdisjoint(text):
        return None  # (the parser splits its fragments at "&", "<" and ">")
    pieces = text_module.layout(text, bold)
    if len(pieces) != 1 or pieces[0].text != text:
        return None
    key = (pieces[0].font, id(style))
    template = _TEMPLATES.get(key)
    if template is None or template[0] is not style:
        from reportlab.platypus.paraparser import ParaParser

        face = fonts.ensure_font(pieces[0].font)
        parsed = ParaParser().parse(f'<font face="{face}">x</font>', style)[1]
        if len(parsed) != 1 or parsed[0].text != "x":
            return None
        template = _TEMPLATES[key] = (style, parsed[0])
    return template[1].clone(text=text)


_TEMPLATES: dict[tuple[str, int], tuple[Any, Any]] = {}
_PLAIN = frozenset("&<>\xa0")
_PARAGRAPH: Any = None


def _paragraph_class() -> Any:
    """``Paragraph`` that lays its lines out once per width: a table wraps each cell when it
    measures its rows and again when it draws them."""
    global _PARAGRAPH
    if _PARAGRAPH is None:
        from reportlab.platypus import Paragraph

        class _Paragraph(Paragraph):  # type: ignore[misc]
            _laid_out: tuple[float, float, Any] | None = None

            def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
                done = self._laid_out
                if (
                    done is not None
                    and done[0] == avail_width
                    and getattr(self, "blPara", None) is done[2]
                ):
                    self.width, self.height = avail_width, done[1]
                    return avail_width, done[1]
                width, height = super().wrap(avail_width, avail_height)
                if height != 0x7FFFFFFF:  # (no room: nothing laid out)
                    self._laid_out = (avail_width, height, self.blPara)
                return width, height

        _PARAGRAPH = _Paragraph
    return _PARAGRAPH
