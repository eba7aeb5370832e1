"""Fonts and page furniture (header, footer, "page X of Y") of the justification report.

The one place the report touches the shared document base: every other function of the report
builder only asks for font names and a ``PageFrame``.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.paths import resource_path

FONT = "TeixitSans"
FONT_BOLD = "TeixitSans-Bold"
_SYSTEM_FONTS = (
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/truetype/dejavu"),
)
_FILES = {
    FONT: ("NotoSans-Regular.ttf", "DejaVuSans.ttf"),
    FONT_BOLD: ("NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
}
_registered = False


def _find(names: tuple[str, ...]) -> Path | None:
    folders = [resource_path("fonts"), *_SYSTEM_FONTS]
    for name in names:
        for folder in folders:
            if (folder / name).exists():
                return folder / name
    return None


def register_fonts() -> tuple[str, str]:
    """Embed a Unicode font (Latin, Greek, Cyrillic) so every name prints as written."""
    global _registered
    if _registered:
        return FONT, FONT_BOLD
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = _find(_FILES[FONT]), _find(_FILES[FONT_BOLD])
    if regular is None or bold is None:  # no font installed: the PDF core font, Latin only
        return "Helvetica", "Helvetica-Bold"
    pdfmetrics.registerFont(TTFont(FONT, str(regular)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, FONT_BOLD)
    _registered = True
    return FONT, FONT_BOLD


@dataclass(frozen=True)
class PageFrame:
    """What every page but the cover repeats (texts already translated)."""

    entity: str
    title: str
    subtitle: str
    support_label: str
    funders: tuple[str, ...] = ()
    funder_logos: tuple[bytes, ...] = ()
    logo: bytes | None = None
    notice: str = ""
    page_label: str = "{page} / {pages}"
    skip_first: bool = True
    _images: dict[int, Any] = field(default_factory=dict, compare=False)


def _image(data: bytes | None) -> Any:
    if not data:
        return None
    from reportlab.lib.utils import ImageReader

    try:
        return ImageReader(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - a broken logo must not stop the report
        return None


@functools.lru_cache(maxsize=4096)
def fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with "…" to fit ``width`` points (a binary search: few measurements)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if len(text) * size <= width or stringWidth(text, font, size) <= width:
        return text  # (no glyph is wider than 1 em, so short texts need no measuring)
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if stringWidth(text[:mid].rstrip() + "…", font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


def _clip(c: Any, text: str, font: str, size: float, width: float) -> str:
    return fit(text, font, size, width)


def decorate(c: Any, frame: PageFrame, page: int, pages: int) -> None:
    """Header (logo, entity, title, programme and period) and footer (funders, data-protection
    notice, page X of Y) of one page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    regular, bold = register_fonts()
    width, height = A4
    left, right = 18 * mm, width - 18 * mm
    c.saveState()
    if not (frame.skip_first and page == 1):
        top = height - 12 * mm
        x = left
        logo = _image(frame.logo)
        if logo is not None:
            c.drawImage(
                logo, left, top - 9 * mm, 14 * mm, 10 * mm, preserveAspectRatio=True, mask="auto"
            )
            x = left + 16 * mm
        c.setFont(bold, 9)
        c.drawString(x, top - 2 * mm, _clip(c, frame.entity, bold, 9, right - x - 100 * mm))
        c.setFont(regular, 8)
        c.drawString(x, top - 6.5 * mm, _clip(c, frame.title, regular, 8, right - x - 100 * mm))
        c.drawRightString(right, top - 2 * mm, _clip(c, frame.subtitle, regular, 8, 98 * mm))
        c.setLineWidth(0.4)
        c.line(left, top - 10 * mm, right, top - 10 * mm)
        y = 22 * mm
        c.line(left, y, right, y)
        if frame.funders:
            c.setFont(regular, 7.5)
            text = f"{frame.support_label} {', '.join(frame.funders)}"
            fx = left
            for data in frame.funder_logos[:6]:
                img = _image(data)
                if img is not None:
                    c.drawImage(
                        img,
                        fx,
                        y - 8.5 * mm,
                        16 * mm,
                        7 * mm,
                        preserveAspectRatio=True,
                        mask="auto",
                    )
                    fx += 18 * mm
            c.drawString(fx, y - 4 * mm, _clip(c, text, regular, 7.5, right - fx - 25 * mm))
        if frame.notice:
            c.setFont(regular, 6)
            c.drawString(
                left, y - 12 * mm, _clip(c, frame.notice, regular, 6, right - left - 25 * mm)
            )
    c.setFont(regular, 8)
    c.drawRightString(right, 10 * mm, frame.page_label.format(page=page, pages=pages))
    c.restoreState()


def build(out: Any, story: list[Any], frame: PageFrame, meta_title: str, author: str) -> None:
    """Lay out ``story`` on A4 with ``frame`` on every page ("page X of Y" needs the page count,
    so pages are kept and decorated when the document is complete)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import SimpleDocTemplate

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                decorate(self, frame, number, total)
                super().showPage()
            super().save()

    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=26 * mm,
        bottomMargin=30 * mm,
        title=meta_title,
        author=author,
        creator="Teixit",
    )
    doc.build(story, canvasmaker=NumberedCanvas)
