"""Text drawn in bulk on the report's long tables: thousands of short strings (dates, times,
numbers, names) written into one text object per page, each distinct string encoded once per
document, in the same places ReportLab's own drawing puts them.

``PDFTextObject.textOut`` and ``Canvas.drawString`` measure and encode every string they are
given (the embedded font's subsets), and ``drawString`` opens a text object per string: for the
annex of a large entity's year (some 14 000 cells) and its classified list of expenses (45 000)
that was most of the report's drawing."""

from __future__ import annotations

from typing import Any


class TextPut:
    """Text into a ReportLab text object, each distinct string encoded once per document.

    This does what ``PDFTextObject._formatText`` does for plain text in an embedded TrueType
    face, keeping the encoded pieces: a character's subset never changes once given (the font
    assigns it on first use), so they stay right."""

    def __init__(self, canvas: Any, text: Any) -> None:
        from reportlab.lib.rl_accel import fp_str
        from reportlab.pdfbase.pdfmetrics import stringWidth

        self.fp_str, self.string_width = fp_str, stringWidth
        self.canvas, self.text = canvas, text
        cache = getattr(canvas, "_fast_text_cache", None)
        if cache is None:
            cache = canvas._fast_text_cache = ({}, {}, {}, {})
        self.pieces: dict[tuple[str, str], list[tuple[int, str]]] = cache[0]
        self.widths: dict[tuple[str, float, str], float] = cache[1]
        #: (face, character) -> (subset, code in it), as the font assigned them.
        self.chars: dict[tuple[str, str], tuple[int, int]] = cache[2]
        #: face -> the characters of its first subset, and their codes as a translation table.
        self.first: dict[str, tuple[set[str], dict[int, str]]] = cache[3]
        self.fonts: dict[str, Any] = {}
        #: What the text object was last set to (a table's plain cells): face and colour.
        self.face: Any = None
        self.colour: Any = None

    def width(self, face: str, size: float, value: str) -> float:
        key = (face, size, value)
        w = self.widths.get(key)
        if w is None:
            w = self.widths[key] = self.string_width(value, face, size)
        return float(w)

    def at(self, x: float, y: float) -> None:
        """Move to ``(x, y)`` (``PDFTextObject.setTextOrigin`` on a bottom-up page)."""
        self.text._code.append(f"1 0 0 1 {self.fp_str(x, y)} Tm")

    def line(self, face: str, size: float, x: float, y: float, value: str) -> None:
        """``value`` with its start at ``(x, y)``: ``at`` then the text, in one call (the
        thousands of cells of a long list)."""
        fp_str = self.fp_str
        pieces = self.pieces.get((face, value))
        t = self.text
        if pieces is not None and len(pieces) == 1 and pieces[0][0] == t._curSubset:
            t._code += (f"1 0 0 1 {fp_str(x, y)} Tm", pieces[0][1])
            return
        t._code.append(f"1 0 0 1 {fp_str(x, y)} Tm")
        self(face, size, value)

    def right(self, face: str, size: float, x: float, y: float, value: str) -> None:
        """``value`` ending at ``x``, on the baseline ``y``."""
        w = self.widths.get((face, size, value))
        self.line(face, size, x - (self.width(face, size, value) if w is None else w), y, value)

    def __call__(self, face: str, size: float, value: str) -> None:
        t = self.text
        font = self.fonts.get(face)
        if font is None:
            from reportlab.pdfbase.pdfmetrics import getFont

            font = self.fonts[face] = getFont(face)
        if not getattr(font, "_dynamicFont", False):
            t.textOut(value)
            return
        pieces = self.pieces.get((face, value))
        if pieces is None:
            pieces = self.pieces[(face, value)] = self._encode(font, face, value)
        code = t._code
        for subset, op in pieces:
            if subset != t._curSubset:
                code.append(self._select(font, size, subset, t._leading))
                t._curSubset = subset
            code.append(op)

    def _encode(self, font: Any, face: str, value: str) -> list[tuple[int, str]]:
        """``font.splitString(value)`` made of its characters' codes, each character asked of
        the font once (in the string's order, so the font assigns them as it would)."""
        escape = self.canvas._escape
        first = self.first.get(face)
        if first is not None and first[0].issuperset(value):
            # Every character already in the first subset (the usual case): one translation.
            return [(0, f"({escape(value.translate(first[1]).encode('latin-1'))}) Tj")]
        chars, doc = self.chars, self.canvas._doc
        runs: list[tuple[int, bytearray]] = []
        for ch in value:
            known = chars.get((face, ch))
            if known is None:
                ((subset, encoded),) = font.splitString(ch, doc)
                known = chars[(face, ch)] = (subset, encoded[0])
                if subset == 0:
                    seen, table = self.first.setdefault(face, (set(), {}))
                    seen.add(ch)
                    table[ord(ch)] = chr(encoded[0])
            subset, byte = known
            if runs and runs[-1][0] == subset:
                runs[-1][1].append(byte)
            else:
                runs.append((subset, bytearray((byte,))))
        return [(subset, f"({escape(bytes(run))}) Tj") for subset, run in runs]

    def _select(self, font: Any, size: float, subset: int, leading: float) -> str:
        from reportlab.lib.rl_accel import fp_str

        name = font.getSubsetInternalName(subset, self.canvas._doc)
        return f"{name} {fp_str(size)} Tf {fp_str(leading)} TL"


_TABLE: Any = None


def plain_cells_table() -> type:
    """A ``LongTable`` whose plain-text cells go into one text object per page, at the places
    ``Table._drawCell`` gives them (paragraph cells are drawn by the table as before)."""
    global _TABLE
    if _TABLE is None:
        _TABLE = _plain_cells_table()
    return _TABLE  # type: ignore[no-any-return]


def _plain_cells_table() -> type:
    from reportlab.platypus import Flowable, LongTable

    class PlainCellsTable(LongTable):  # type: ignore[misc]
        _put: TextPut | None = None

        def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:  # noqa: N802
            if (
                isinstance(cellval, (tuple, list, Flowable))
                or cellstyle.alignment not in ("LEFT", "RIGHT", "CENTRE", "CENTER")
                or cellstyle.direction
                or cellstyle.shaping
                or cellstyle.href
                or cellstyle.destination
            ):
                super()._drawCell(cellval, cellstyle, pos, size)
                return
            colpos, rowpos = pos
            colwidth, rowheight = size
            put = self._put
            if put is None:
                text = self.canv.beginText()
                put = self._put = TextPut(self.canv, text)
            text = put.text
            face, font_size, leading = cellstyle.fontname, cellstyle.fontsize, cellstyle.leading
            if (face, font_size, leading) != put.face:
                text.setFont(face, font_size, leading)
                put.face = (face, font_size, leading)
            if cellstyle.color != put.colour:
                text.setFillColor(cellstyle.color)
                put.colour = cellstyle.color
            lines = str(cellval).split("\n")
            valign = cellstyle.valign
            if valign == "BOTTOM":
                y = rowpos + cellstyle.bottomPadding + len(lines) * leading - font_size
            elif valign == "TOP":
                y = rowpos + rowheight - cellstyle.topPadding - font_size
            else:
                y = (
                    rowpos
                    + (
                        cellstyle.bottomPadding
                        + rowheight
                        - cellstyle.topPadding
                        + len(lines) * leading
                    )
                    / 2.0
                    - font_size
                )
            just = cellstyle.alignment
            for line in lines:
                if not line:
                    pass
                elif just == "LEFT":
                    put.line(face, font_size, colpos + cellstyle.leftPadding, y, line)
                elif just == "RIGHT":
                    x = colpos + colwidth - cellstyle.rightPadding
                    put.right(face, font_size, x, y, line)
                else:
                    x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding) * 0.5
                    put.line(face, font_size, x - 0.5 * put.width(face, font_size, line), y, line)
                y -= leading

        def _drawLines(self) -> None:  # noqa: N802
            # The page's text, then the grid over it (as the table draws its cells, then lines).
            if self._put is not None:
                self.canv.drawText(self._put.text)
                self._put = None
            super()._drawLines()

    return PlainCellsTable
