"""Fonts and page furniture of the justification report, on the base every printed document
shares (app/reports/fonts.py, text.py, layout.py): header with logo, entity, title and the
report's programme and period; footer with the funders' strip, the data-protection notice and
"page X of Y". The one place the report touches that base.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from app.reports import fonts, layout, text

FONT, FONT_BOLD = fonts.SANS, fonts.SANS_BOLD
#: Side margins of the report's body (the header and footer use the shared page margin).
SIDE_MARGIN = 18 * layout.MM
_mapped = False


def register_fonts() -> tuple[str, str]:
    """The embedded Unicode faces, with bold mapped for Paragraph markup (<b>)."""
    global _mapped
    regular, bold = fonts.ensure_font(FONT), fonts.ensure_font(FONT_BOLD)
    if not _mapped:
        from reportlab.lib.fonts import addMapping

        addMapping(regular, 0, 0, regular)
        addMapping(regular, 1, 0, bold)
        addMapping(regular, 0, 1, regular)
        addMapping(regular, 1, 1, bold)
        _mapped = True
    return regular, bold


def markup(value: str, bold: bool = False) -> str:
    """Paragraph markup for a text typed by someone: every script in a face that has it."""
    return "<br/>".join(text.markup(line, bold=bold) for line in value.split("\n"))


@functools.lru_cache(maxsize=4096)
def fit(value: str, font: str, size: float, width: float) -> str:
    """``value`` cut with "…" to fit ``width`` points (a binary search: few measurements)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if len(value) * size <= width or stringWidth(value, font, size) <= width:
        return value  # (no glyph is wider than 1 em, so short texts need no measuring)
    low, high = 0, len(value)
    while low < high:
        mid = (low + high + 1) // 2
        if stringWidth(value[:mid].rstrip() + "…", font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return value[:low].rstrip() + "…"


@functools.lru_cache(maxsize=4096)
def wrap(value: str, font: str, size: float, width: float) -> str:
    """``value`` in lines of at most ``width`` points, joined by newlines (whole words; a word
    wider than the column is broken)."""
    from reportlab.lib.utils import simpleSplit

    if len(value) * size * 0.6 <= width or not value:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        if stringWidth(value, font, size) <= width:
            return value
    return "\n".join(simpleSplit(value, font, size, width))


def page_decor(
    *,
    entity: str,
    logo: bytes | None,
    title: str,
    fields: tuple[tuple[str, str], ...],
    funders: tuple[tuple[str, str, bytes | None], ...],
    support_label: str,
    notice: str,
    page_label: str,
) -> layout.PageDecor:
    return layout.PageDecor(
        entity_name=entity,
        entity_logo=logo,
        title=title,
        fields=fields,
        funders=tuple(layout.FunderMark(name, support, logo) for name, support, logo in funders),
        support_label=support_label,
        privacy_notice=notice,
        page_label=page_label,
    )


def build(
    out: Any,
    story: list[Any],
    decor: layout.PageDecor,
    meta_title: str,
    author: str,
    on_page: Callable[[int], None] | None = None,
) -> None:
    """Lay out ``story`` on A4 between the shared header and footer. ``on_page(number)`` runs
    after each page is laid out (progress; it may raise to stop the build)."""
    from reportlab.platypus import SimpleDocTemplate

    class Doc(SimpleDocTemplate):  # type: ignore[misc]
        def afterPage(self) -> None:  # noqa: N802 - ReportLab API
            if on_page is not None:
                on_page(self.page)

    width, height = decor.pagesize
    doc = Doc(
        out,
        pagesize=(width, height),
        leftMargin=SIDE_MARGIN,
        rightMargin=SIDE_MARGIN,
        topMargin=height - decor.content_top() + 3 * layout.MM,
        bottomMargin=decor.content_bottom() + 2 * layout.MM,
        title=meta_title,
        author=author,
        creator="Teixit",
    )
    doc.build(story, canvasmaker=layout.canvas_maker(decor))
