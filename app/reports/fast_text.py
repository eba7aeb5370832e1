"""Text drawn in bulk on the report's long tables: thousands of short strings (dates, times,
numbers, names) written into one text object per page, each distinct string encoded once per
document, in the same places ReportLab's own drawing puts them.

``PDFTextObject.textOut`` and ``Canvas.drawString`` measure and encode every string they are
given (the embedded font's subsets), and ``drawString`` opens a text object per string: for the
annex of a large entity's year (some 14 000 cells) and its classified list of expenses (45 000)
that was most of the report's drawing."""

from __future__ import annotations

from typing import Any

#: Distinct strings whose encoding and width a document keeps (a page's worth is far fewer).
MAX_STRINGS = 20_000


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
        # Strings met once (amounts) would pile up over a thousand pages: kept within bounds
        # (a string forgotten is encoded again, to the same bytes).
        if len(self.pieces) > MAX_STRINGS:
            self.pieces.clear()
        if len(self.widths) > MAX_STRINGS:
            self.widths.clear()
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
        self.place(face, size, self.fp_str(x, y), value)

    def place(self, face: str, size: float, where: str, value: str) -> None:
        """``value`` starting at ``where``, the point already written ("x y": a column's x and
        a row's baseline are written once, not for every cell)."""
        pieces = self.pieces.get((face, value))
        t = self.text
        if pieces is not None and len(pieces) == 1 and pieces[0][0] == t._curSubset:
            t._code += (f"1 0 0 1 {where} Tm", pieces[0][1])
            return
        t._code.append(f"1 0 0 1 {where} Tm")
        self(face, size, value)

    def start_of(self, face: str, size: float, end: float, value: str) -> str:
        """The written x where ``value`` starts to end at ``end`` (right-aligned)."""
        w = self.widths.get((face, size, value))
        return str(self.fp_str(end - (self.width(face, size, value) if w is None else w)))

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


_ROWS: Any = None


def fixed_rows_table(*args: Any, **kw: Any) -> Any:
    """A long table of plain-text rows of known heights (the annex of sessions): see
    ``_fixed_rows_class``."""
    global _ROWS
    if _ROWS is None:
        _ROWS = _fixed_rows_class()
    return _ROWS(*args, **kw)


def _row_positions(heights: list[float]) -> list[float]:
    """The rows' edges from the top down, summed from the bottom as ``Table._calc_height``
    does (compensated), so every edge falls where the table put it."""
    edges = []
    height = c = 0.0
    for h in reversed(heights):
        edges.append(height)
        y = h - c
        t = height + y
        c = (t - height) - y
        height = t
    edges.append(height)
    edges.reverse()
    return edges


def _fixed_rows_class() -> type:
    from reportlab.lib.colors import black, toColor
    from reportlab.platypus import Flowable

    class FixedRowsTable(Flowable):  # type: ignore[misc]
        """What ``Table`` draws for a header row of paragraphs (repeated on every page) over
        thousands of plain-text rows whose heights are given, and an optional total row in
        bold: the same backgrounds, grid, paddings and text positions (vertically centred,
        right-aligned from column ``numeric_from``), without a table's per-cell styles and
        layout. The rows' text goes into one text object a page (``TextPut``)."""

        padding_x, padding_y = 6.0, 2.0  # Table's default side padding; the report's 2 pt
        _kept = (
            "hAlign",
            "header",
            "widths",
            "font",
            "bold",
            "size",
            "numeric_from",
            "header_colour",
            "grid",
            "xs",
            "head_height",
        )

        def __init__(
            self,
            header: list[Any],
            rows: list[list[str]],
            widths: list[float],
            heights: list[float],
            *,
            font: str,
            bold: str,
            size: float,
            numeric_from: int,
            header_colour: str,
            grid: tuple[float, str],
            total: bool = False,
        ) -> None:
            super().__init__()
            self.hAlign = "CENTER"  # as a Table
            self.header, self.rows, self.widths, self.heights = header, rows, widths, heights
            self.font, self.bold, self.size = font, bold, size
            self.numeric_from, self.total = numeric_from, total
            self.header_colour, self.grid = toColor(header_colour), grid
            self.xs = [0.0]
            for w in widths:
                self.xs.append(self.xs[-1] + w)
            self.head_height: float | None = None
            #: The header repeated on a page after the first (a split's later part).
            self.repeated = False

        def _head(self) -> float:
            if self.head_height is None:
                pad = 2 * self.padding_x
                self.head_height = max(
                    p.wrap(w - pad, 72000)[1] + 2 * self.padding_y
                    for p, w in zip(self.header, self.widths, strict=True)
                )
            return self.head_height

        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.width = self.xs[-1]
            self.height = self._head() + sum(self.heights)
            return self.width, self.height

        def split(self, avail_width: float, avail_height: float) -> list[Any]:
            # Table._getFirstPossibleSplitRowPosition: the rows, header first, that fit.
            h, fits = 0.0, 0
            for rh in (self._head(), *self.heights):
                if h + rh > avail_height:
                    break
                fits += 1
                h += rh
            if fits <= 1:
                return []
            if fits > len(self.rows):
                return [self]
            n = fits - 1
            return [
                self._part(0, n, False, self.repeated),
                self._part(n, len(self.rows), self.total, True),
            ]

        def _part(self, start: int, end: int, total: bool, repeated: bool) -> Any:
            # A new flowable, as a table's split makes (none of the layout's marks on it).
            part = type(self).__new__(type(self))
            Flowable.__init__(part)
            for name in self._kept:
                setattr(part, name, getattr(self, name))
            part.rows, part.heights = self.rows[start:end], self.heights[start:end]
            part.total, part.repeated = total, repeated
            return part

        def draw(self) -> None:
            c = self.canv
            xs, head = self.xs, self._head()
            edges = _row_positions([head, *self.heights])
            right = xs[-1]
            c.saveState()
            c.setFillColor(self.header_colour)
            c.rect(0, edges[1], right, head, stroke=0, fill=1)
            if self.total:
                c.rect(0, edges[-1], right, edges[-2] - edges[-1], stroke=0, fill=1)
            # The header's paragraphs, each centred in its row (Table._drawCell).
            top_pad = bottom_pad = self.padding_y
            for p, x, w in zip(self.header, xs, self.widths, strict=False):
                _w, h = p.wrapOn(c, w - 2 * self.padding_x, head - top_pad - bottom_pad)
                y = edges[1] + (head + bottom_pad - top_pad + h) / 2.0
                p.drawOn(c, x + self.padding_x, y - h)
            text = c.beginText()
            put = TextPut(c, text)
            text.setFillColor(black)
            size, numeric_from = self.size, self.numeric_from
            last = len(self.rows) - 1
            face, leading = self.font, size + 1.5
            text.setFont(face, size, leading)
            place, start_of, fp_str = put.place, put.start_of, put.fp_str
            lefts = [x + self.padding_x for x in xs]
            written = [fp_str(x) for x in lefts]
            rights = [x - self.padding_x for x in xs[1:]]
            for i, cells in enumerate(self.rows):
                if self.total and i == last:
                    face, leading = self.bold, size * 1.2
                    text.setFont(face, size, leading)
                rowpos, rowheight = edges[i + 2], self.heights[i]
                # The baseline of a one-line cell, written once for the row.
                one = rowpos + (bottom_pad + rowheight - top_pad + leading) / 2.0 - size
                one_y = fp_str(one)
                for col, value in enumerate(cells):
                    if not value:
                        continue
                    if "\n" not in value:
                        if col < numeric_from:
                            place(face, size, f"{written[col]} {one_y}", value)
                        else:
                            place(
                                face,
                                size,
                                f"{start_of(face, size, rights[col], value)} {one_y}",
                                value,
                            )
                        continue
                    parts = value.split("\n")
                    y = (
                        rowpos
                        + (bottom_pad + rowheight - top_pad + len(parts) * leading) / 2.0
                        - size
                    )
                    for part in parts:
                        if not part:
                            pass
                        elif col < numeric_from:
                            place(face, size, fp_str(lefts[col], y), part)
                        else:
                            place(
                                face,
                                size,
                                f"{start_of(face, size, rights[col], part)} {fp_str(y)}",
                                part,
                            )
                        y -= leading
            c.drawText(text)
            # The grid over it: every row's edge across, every column's edge down.
            width, colour = self.grid
            c.setStrokeColor(colour)
            c.setLineWidth(width)
            c.setLineCap(1)  # a table's grid: round caps and joins
            c.setLineJoin(1)
            for y in edges:
                c.line(0, y, right, y)
            # Column edges down the table; a repeated header's apart, as a split table's are.
            runs = (edges[0], edges[1]), (edges[1], edges[-1])
            for top, bottom in runs if self.repeated else ((edges[0], edges[-1]),):
                for x in xs:
                    c.line(x, bottom, x, top)
            c.restoreState()

    return FixedRowsTable
