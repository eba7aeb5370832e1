"""Drawing text in any script on a ReportLab canvas: font fallback, Arabic shaping, right to left.

Arabic and Urdu need two things PDF text drawing does not do: contextual letter forms (shaping)
and right-to-left order. HarfBuzz (``uharfbuzz``, through ReportLab's ``shapeStr``) shapes a run
and returns its glyphs already in visual order; ReportLab then draws the shaped string with the
exact glyph positions. What is left is a small bidi step done here: numbers inside a right-to-left
run keep left-to-right order, and when a text starts with a right-to-left letter its runs are
laid out from right to left. That covers names and short labels, which is what documents print
in these scripts; long mixed paragraphs are not the target.

Layouts are computed once per (text, bold) at size 1 and scaled, so a name costs one shaping
call per process however many times it is printed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from app.reports import fonts

#: Printed in place of characters no embedded font covers: visible, never an empty box.
PLACEHOLDER = "[?]"
ELLIPSIS = "…"

_DIGITS = re.compile(
    r"[0-9\u0660-\u0669\u06f0-\u06f9]+(?:[.,:/\-][0-9\u0660-\u0669\u06f0-\u06f9]+)*"
)


def _is_rtl_char(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


def _strong_rtl(text: str) -> bool | None:
    """True/False for the first strong character's direction, None when there is none."""
    for ch in text:
        d = unicodedata.bidirectional(ch)
        if d in ("R", "AL"):
            return True
        if d == "L":
            return False
    return None


@dataclass(frozen=True)
class Piece:
    """A run ready to draw: ``text`` (maybe a shaped string) in ``font``, ``width`` at size 1."""

    text: Any
    font: str
    width: float


def _shaped_width(s: Any, font: str) -> float:
    data = getattr(s, "__shapeData__", None)
    if data is not None:
        return float(sum(d.x_advance for d in data)) / 1000.0
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(str(s), font, 1))


def _shape(text: str, font: str) -> Piece:
    from reportlab.pdfbase.ttfonts import shapeStr

    shaped = shapeStr(text, fonts.ensure_font(font), 1000, force=True)
    return Piece(shaped, font, _shaped_width(shaped, font))


def _plain(text: str, font: str) -> Piece:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return Piece(text, font, float(stringWidth(text, fonts.ensure_font(font), 1)))


def _rtl_pieces(text: str, font: str) -> list[Piece]:
    """A right-to-left run in visual order: numbers stay left to right inside it."""
    parts: list[Piece] = []
    pos = 0
    for m in _DIGITS.finditer(text):
        if m.start() > pos:
            parts.append(_shape(text[pos : m.start()], font))
        parts.append(_plain(m.group(), font))
        pos = m.end()
    if pos < len(text):
        parts.append(_shape(text[pos:], font))
    return parts[::-1]


@lru_cache(maxsize=8192)
def layout(text: str, bold: bool = False) -> tuple[Piece, ...]:
    """The pieces of ``text`` in visual (left-to-right drawing) order, widths at size 1."""
    text = unicodedata.normalize("NFC", text)
    pieces: list[list[Piece]] = []
    for run in fonts.split_runs(text, bold):
        if run.font is None:
            pieces.append([_plain(PLACEHOLDER, fonts.SANS_BOLD if bold else fonts.SANS)])
        elif any(_is_rtl_char(ch) for ch in run.text):
            pieces.append(_rtl_pieces(run.text, run.font))
        elif run.font in (fonts.ARABIC,):
            pieces.append([_shape(run.text, run.font)])
        else:
            pieces.append([_plain(run.text, run.font)])
    if _strong_rtl(text):
        pieces.reverse()
    return tuple(p for group in pieces for p in group)


def text_width(text: str, size: float, bold: bool = False) -> float:
    return sum(p.width for p in layout(text, bold)) * size


def is_rtl(text: str) -> bool:
    return bool(_strong_rtl(text))


def draw_text(
    canvas: Any,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    bold: bool = False,
    align: str = "left",
) -> float:
    """Draw one line at baseline ``y``; ``align`` left/right/centre relative to ``x``.
    Returns the width drawn."""
    pieces = layout(text, bold)
    width = sum(p.width for p in pieces) * size
    if align == "right":
        x -= width
    elif align == "centre":
        x -= width / 2
    for p in pieces:
        canvas.setFont(p.font, size)
        canvas.drawString(x, y, p.text)
        x += p.width * size
    return width


def fit_size(
    text: str, size: float, max_width: float, min_size: float, bold: bool = False
) -> float:
    """The largest size from ``size`` down to ``min_size`` at which ``text`` fits on one line."""
    width = text_width(text, size, bold)
    if width <= max_width:
        return size
    return max(min_size, size * max_width / width * 0.999)


def wrap(
    text: str, size: float, max_width: float, bold: bool = False, max_lines: int | None = None
) -> list[str]:
    """Greedy word wrap; a word wider than the line is cut with an ellipsis. With
    ``max_lines``, wrapping stops once there are more lines than that (the rest would not be
    drawn), so a very long text costs what the box shows, not its whole length."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            width = text_width(candidate, size, bold)
            if width <= max_width or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
                if max_lines is not None and len(lines) > max_lines:
                    return lines
                width = text_width(line, size, bold)
            if width > max_width:
                line = truncate(line, size, max_width, bold)
        lines.append(line)
        if max_lines is not None and len(lines) > max_lines:
            return lines
    return lines


def truncate(text: str, size: float, max_width: float, bold: bool = False) -> str:
    """``text`` cut with an ellipsis to fit ``max_width``: a binary search over its length
    (a dozen measurements for a 2 000-character name, not one per character)."""
    if text_width(text, size, bold) <= max_width:
        return text
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if text_width(text[:mid] + ELLIPSIS, size, bold) <= max_width:
            low = mid
        else:
            high = mid - 1
    return text[:low] + ELLIPSIS


def draw_in_box(
    canvas: Any,
    x: float,
    y: float,
    width: float,
    height: float,
    text: str,
    size: float,
    *,
    min_size: float = 6.5,
    bold: bool = False,
    align: str = "left",
    padding: float = 2.0,
) -> None:
    """Draw ``text`` inside the box with lower-left corner (x, y): shrunk to fit one line, or
    wrapped at ``min_size`` and cut with an ellipsis when the box is full. Right-to-left text is
    right-aligned when ``align`` is left, as its readers expect."""
    inner = width - 2 * padding
    if align == "left" and is_rtl(text):
        align = "right"
    ax = {"left": x + padding, "right": x + width - padding, "centre": x + width / 2}[align]
    s = fit_size(text, size, inner, min_size, bold)
    leading = s * 1.15
    max_lines = max(1, int((height - 2) // leading))
    fits = text_width(text, s, bold) <= inner
    lines = [text] if fits else wrap(text, s, inner, bold, max_lines)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = truncate(lines[-1] + ELLIPSIS, s, inner, bold)
    block = leading * (len(lines) - 1) + s * 0.72
    baseline = y + (height + block) / 2 - s * 0.72
    for line in lines:
        draw_text(canvas, ax, baseline, line, s, bold=bold, align=align)
        baseline -= leading


def markup(value: str, *, bold: bool = False) -> str:
    """``value`` as ReportLab Paragraph markup: XML-escaped, each run in ``<font face>`` of the
    embedded face that has it, right-to-left runs already shaped and in visual order, and
    uncovered characters as the visible placeholder. For platypus documents (minutes, reports);
    a right-to-left run is kept whole, which suits names and short phrases, not long paragraphs
    that wrap."""
    from xml.sax.saxutils import escape

    out = []
    for piece in layout(value, bold):
        # Shaped pieces draw as their visual glyph sequence; positions of marks are dropped.
        out.append(f'<font face="{fonts.ensure_font(piece.font)}">{escape(str(piece.text))}</font>')
    return "".join(out)


_CA_ARTICLE = re.compile(r"\b([DdAaEe])(el|l) (1|11) (de |d['’])")


def catalan_dates(sentence: str) -> str:
    """Catalan elides the article before the days 1 and 11: "de l’1 de març", "a l’11 de maig",
    "l’1 de juny" (not "del 1", "al 11", "el 1"), with the apostrophe of Babel's "d’agost"."""

    def fix(m: re.Match[str]) -> str:
        first, day, of = m.group(1), m.group(3), m.group(4)
        if first in "Dd":
            return f"{first}e l’{day} {of}"
        if first in "Aa":
            return f"{first} l’{day} {of}"
        return f"{'L' if first == 'E' else 'l'}’{day} {of}"

    return _CA_ARTICLE.sub(fix, sentence)
