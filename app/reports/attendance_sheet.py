"""Attendance sheets people sign on paper: a session's sheet, a network meeting's sheet, a blank
sheet, and individual slips for sensitive groups.

Pure functions: ``build_sheet(data, options, out)`` writes one PDF; ``build_sheets`` writes several
sheets into one file, each numbered on its own ("this week's sheets"). The register grid (people
x dates) lives in :mod:`app.reports.register_grid`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, BinaryIO

from app.domain.sheet_code import SheetCode, fingerprint
from app.domain.sheets import SheetData, SheetOptions, SheetPerson
from app.i18n import Translator, format_time_range, translator
from app.reports import layout, text
from app.reports.layout import GREY, INK, MARGIN, MM, RULE
from app.reports.sheet_parts import (
    SHADE,
    draw_name_cell,
    facilitator_box,
    label,
    page_decor,
    privacy_text,
    split_rows,
)

ROW_H = 10 * MM  # tall enough to sign (DESIGN section 9: at least 9 mm)
HEAD_H = 7 * MM
SLIP_H = 67 * MM
SLIP_FIELD = 3.8 * MM
SLIP_BOX = 10 * MM  # name and signature boxes: still tall enough to sign (>= 9 mm)


def _fields(data: SheetData, tr: Translator) -> list[tuple[str, str]]:
    date = tr.date(data.date, "full") if data.date else ""
    if data.kind == "meeting":
        first = [(label(tr, "network"), data.space), (label(tr, "place"), data.place)]
    else:
        first = [(label(tr, "programme"), data.programme), (label(tr, "activity"), data.activity)]
    fields = first + [
        (label(tr, "date"), date),
        (label(tr, "time"), format_time_range(data.start_time, data.end_time)),
    ]
    if data.kind != "meeting":
        fields += [
            (label(tr, "place"), data.place),
            (label(tr, "facilitators"), ", ".join(data.facilitators)),
        ]
    if data.partners:
        fields.append((label(tr, "partners"), ", ".join(data.partners)))
    return fields


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: float


def _columns(data: SheetData, options: SheetOptions, tr: Translator, width: float) -> list[Column]:
    cols = [Column("number", label(tr, "number"), 9 * MM)]
    if data.kind == "meeting":
        cols += [
            Column("full_name", label(tr, "full_name"), 0),
            Column("organisation", label(tr, "organisation"), 55 * MM),
        ]
    elif data.kind == "blank":
        cols.append(Column("full_name", label(tr, "full_name"), 0))
    else:
        cols += [Column("family", label(tr, "family"), 0), Column("given", label(tr, "given"), 0)]
        if options.show_masked_id:
            cols.append(Column("masked_id", label(tr, "masked_id"), 26 * MM))
    cols.append(Column("signature", label(tr, "signature"), 60 * MM))
    fixed = sum(c.width for c in cols)
    flex = [c for c in cols if not c.width]
    share = {"family": 0.56, "given": 0.44}
    free = width - fixed
    return [Column(c.key, c.title, c.width or free * share.get(c.key, 1 / len(flex))) for c in cols]


def _is_east_asian(value: str) -> bool:
    """Chinese, Japanese or Korean script only (ideographs, kana, hangul)."""
    ranges = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF))
    return bool(value) and all(any(a <= ord(c) <= b for a, b in ranges) for c in value)


def full_name(person: SheetPerson) -> str:
    """Given name then family names; a name written in Chinese, Japanese or Korean script keeps
    its own order, family name first and no space (王明, not 明 王)."""
    given, family = person.given_name.strip(), person.family_names.strip()
    if _is_east_asian(given) and _is_east_asian(family):
        return family + given
    return f"{given} {family}".strip()


def _cell_text(person: SheetPerson, key: str) -> str:
    if key == "full_name":
        return full_name(person)
    return {
        "family": person.family_names,
        "given": person.given_name,
        "masked_id": person.masked_id,
        "organisation": person.organisation,
    }.get(key, "")


def _draw_table_head(canvas: Any, cols: list[Column], top: float) -> float:
    x = MARGIN
    canvas.setFillColorRGB(*SHADE)
    canvas.rect(x, top - HEAD_H, sum(c.width for c in cols), HEAD_H, stroke=0, fill=1)
    canvas.setFillColorRGB(*INK)
    for c in cols:
        align = "centre" if c.key in ("number", "signature", "masked_id") else "left"
        text.draw_in_box(
            canvas,
            x,
            top - HEAD_H,
            c.width,
            HEAD_H,
            c.title,
            8.5,
            bold=True,
            min_size=6.5,
            align=align,
        )
        x += c.width
    return top - HEAD_H


def _draw_grid_lines(canvas: Any, cols: list[Column], top: float, bottom: float, rows: int) -> None:
    width = sum(c.width for c in cols)
    canvas.setStrokeColorRGB(*RULE)
    canvas.setLineWidth(0.5)
    for r in range(rows + 1):
        y = top - r * ROW_H
        canvas.line(MARGIN, y, MARGIN + width, y)
    canvas.line(MARGIN, top + HEAD_H, MARGIN + width, top + HEAD_H)
    x = MARGIN
    for c in [*cols, None]:
        canvas.line(x, top + HEAD_H, x, bottom)
        if c is not None:
            x += c.width


def _table_pages(
    data: SheetData, options: SheetOptions, tr: Translator
) -> tuple[Any, int, list[tuple[int, int]]]:
    """The page decoration, the blank rows kept and the (start, end) rows of each page."""
    title = label(tr, "meeting_title" if data.kind == "meeting" else "session_title")
    decor = page_decor(data, tr, title, _fields(data, tr))
    avail = decor.content_top() - decor.content_bottom() - HEAD_H - 2 * MM
    per_page = max(1, int(avail // ROW_H))
    box_h = 22 * MM + 3 * MM
    with_box = max(0, int((avail - box_h) // ROW_H))
    blanks, pages = split_rows(len(data.people), options.blank_rows, per_page, with_box)
    return decor, blanks, pages


def sheet_pages(data: SheetData, options: SheetOptions) -> list[tuple[int, int]]:
    """The (start, end) rows of each page of a session sheet as it prints (0-based, end
    excluded): a scanned page whose code cannot be read is matched to its rows by its number."""
    return _table_pages(data, options, translator(options.lang))[2]


def _draw_table_doc(canvas: Any, data: SheetData, options: SheetOptions, tr: Translator) -> None:
    """A session, meeting or blank sheet: numbered rows continued over pages, header repeated."""
    decor, blanks, pages = _table_pages(data, options, tr)
    width = decor.content_width
    cols = _columns(data, options, tr, width)
    people: list[SheetPerson | None] = [*data.people, *([None] * blanks)]
    if data.kind == "session" and data.database_code:
        decor = replace(decor, qr_pages=_page_codes(data, people, pages), marks=True)
    canvas.begin_section(decor)
    for start, end in pages:
        chunk = people[start:end]
        top = decor.content_top() - 1 * MM
        body_top = _draw_table_head(canvas, cols, top)
        for i, person in enumerate(chunk):
            y = body_top - (i + 1) * ROW_H
            x = MARGIN
            for c in cols:
                if c.key == "number":
                    canvas.setFillColorRGB(*GREY)
                    text.draw_in_box(
                        canvas, x, y, c.width, ROW_H, str(start + i + 1), 9, align="centre"
                    )
                    canvas.setFillColorRGB(*INK)
                elif person is not None and c.key != "signature":
                    draw_name_cell(canvas, x, y, c.width, ROW_H, _cell_text(person, c.key), tr)
                x += c.width
        bottom = body_top - len(chunk) * ROW_H
        _draw_grid_lines(canvas, cols, body_top, bottom, len(chunk))
        if end == len(people):
            facilitator_box(canvas, tr, bottom - 3 * MM, width)
        canvas.showPage()


def _page_codes(
    data: SheetData, people: list[SheetPerson | None], pages: list[tuple[int, int]]
) -> tuple[str, ...]:
    """Each page's QR payload: database, session, page, its rows and their fingerprint."""
    codes = []
    for n, (start, end) in enumerate(pages, start=1):
        keys = [p.key if p is not None else "" for p in people[start:end]]
        code = SheetCode(
            data.database_code, data.reference_id, n, start, end - start, fingerprint(keys)
        )
        codes.append(code.text())
    return tuple(codes)


def _draw_slips(canvas: Any, data: SheetData, options: SheetOptions, tr: Translator) -> None:
    """One person per slip, four to a page, so nobody sees anyone else's name."""
    decor = page_decor(data, tr, "", (), show_header=False)
    decor = layout.PageDecor(
        entity_name=decor.entity_name, title="", page_label=decor.page_label, show_header=False
    )
    canvas.begin_section(decor)
    width = decor.content_width
    people: list[SheetPerson | None] = [*data.people, *([None] * max(0, options.blank_rows))]
    per_page = int((decor.content_top() - decor.content_bottom()) // SLIP_H)
    notice = privacy_text(data, tr, short=True)
    support = ", ".join(f.name for f in data.funders)
    for n, person in enumerate(people):
        slot = n % per_page
        top = decor.content_top() - slot * SLIP_H
        _draw_slip(canvas, data, tr, person, top, width, notice, support)
        if slot == per_page - 1 or n == len(people) - 1:
            canvas.showPage()
    if not people:
        canvas.showPage()


def _draw_slip(
    canvas: Any,
    data: SheetData,
    tr: Translator,
    person: SheetPerson | None,
    top: float,
    width: float,
    notice: str,
    support: str,
) -> None:
    pad = 4 * MM
    x0, inner = MARGIN + pad, width - 2 * pad
    qr = 15 * MM if data.reference_id else 0
    canvas.saveState()
    canvas.setStrokeColorRGB(*RULE)
    canvas.setDash(3, 2)
    canvas.line(MARGIN - 5 * MM, top - SLIP_H, MARGIN + width + 5 * MM, top - SLIP_H)
    canvas.restoreState()
    canvas.setFillColorRGB(*GREY)
    text.draw_in_box(canvas, x0, top - 7 * MM, inner - qr, 5 * MM, data.entity.name, 8.5, padding=0)
    canvas.setFillColorRGB(*INK)
    text.draw_in_box(
        canvas,
        x0,
        top - 13 * MM,
        inner - qr,
        6 * MM,
        label(tr, "slip_title"),
        12,
        bold=True,
        padding=0,
    )
    if qr:
        layout.draw_qr(canvas, data.reference_id, x0 + inner - qr, top - 3 * MM - qr, qr)
    y = top - 17.5 * MM
    col_w = (inner - qr) / 2
    row = col = 0
    for lab, value in _fields(data, tr):
        # Two columns; a value too long for half the width (a bilingual date) takes a row.
        need = text.text_width(lab + ":", 7, True) + 1.2 * MM + text.text_width(value, 7)
        wide = need > col_w - 2 * MM
        if wide and col == 1:
            row, col = row + 1, 0
        cx = x0 + col * col_w
        cy = y - row * SLIP_FIELD
        lw = text.draw_text(canvas, cx, cy, lab + ":", 7, bold=True) + 1.2 * MM
        avail = (inner if wide else col_w) - lw - 2 * MM
        size = text.fit_size(value, 7, avail, 6)
        text.draw_text(canvas, cx + lw, cy, text.truncate(value, size, avail), size)
        if wide or col == 1:
            row, col = row + 1, 0
        else:
            col = 1
    y -= max(3, row + col) * SLIP_FIELD + 1 * MM
    name_w = inner * 0.5
    canvas.setFillColorRGB(*GREY)
    caption = label(tr, "full_name") if person else label(tr, "newcomer")
    text.draw_text(canvas, x0, y, caption, 7)
    text.draw_text(canvas, x0 + name_w + 4 * MM, y, label(tr, "signature"), 7)
    canvas.setFillColorRGB(*INK)
    box_top = y - 1.5 * MM
    canvas.setStrokeColorRGB(*RULE)
    canvas.rect(x0, box_top - SLIP_BOX, name_w, SLIP_BOX)
    canvas.rect(x0 + name_w + 4 * MM, box_top - SLIP_BOX, inner - name_w - 4 * MM, SLIP_BOX)
    if person is not None:
        name = full_name(person)
        draw_name_cell(canvas, x0, box_top - SLIP_BOX, name_w, SLIP_BOX, name, tr)
    y = box_top - SLIP_BOX - 2.5 * MM
    canvas.setFillColorRGB(*GREY)
    if support:
        text.draw_in_box(
            canvas,
            x0,
            y - 3 * MM,
            inner,
            3.5 * MM,
            f"{label(tr, 'support')}: {support}",
            6,
            padding=0,
        )
        y -= 3.5 * MM
    # The whole notice, never cut: the largest size from 5.5 pt down to 4.5 pt that fits
    # above the cut line.
    room = y - 2 * MM - (top - SLIP_H + 1.5 * MM)
    size = 5.5
    lines = text.wrap(notice, size, inner)
    while size > 4.5 and (len(lines) - 1) * size * 1.15 > room:
        size -= 0.25
        lines = text.wrap(notice, size, inner)
    for line in lines:
        text.draw_text(canvas, x0, y - 2 * MM, line, size)
        y -= size * 1.15
    canvas.setFillColorRGB(*INK)


def _draw_document(canvas: Any, data: SheetData, options: SheetOptions) -> None:
    tr = translator(options.lang)
    if data.kind == "grid":
        from app.reports.register_grid import draw_grid

        draw_grid(canvas, data, options, tr)
    elif options.slips and data.kind in ("session", "blank"):
        _draw_slips(canvas, data, options, tr)
    else:
        _draw_table_doc(canvas, data, options, tr)


def _document_title(items: Sequence[SheetData], options: SheetOptions) -> str:
    """The PDF's title (what a viewer shows in its title bar): the kind of sheet and, for one
    sheet, what it is for."""
    tr = translator(options.lang)
    first = items[0] if items else None
    if first is None or len(items) > 1:
        return label(tr, "session_title")
    if first.kind == "grid":
        from app.reports.register_grid import grid_title

        kind = grid_title(first, tr)
    elif first.kind == "meeting":
        kind = label(tr, "meeting_title")
    elif options.slips and first.kind in ("session", "blank"):
        kind = label(tr, "slip_title")
    else:
        kind = label(tr, "session_title")
    what = first.space if first.kind == "meeting" else first.activity
    when = first.date.isoformat() if first.date else ""
    return " · ".join(part for part in (kind, what, when) if part)


def build_sheets(items: Sequence[SheetData], options: SheetOptions, out: BinaryIO) -> None:
    """Several sheets in one PDF, each with its own header and "page X of Y"."""
    canvas = layout.numbered_canvas(out, invariant=1)
    canvas.setTitle(_document_title(items, options))
    canvas.setCreator("Teixit")
    for data in items:
        _draw_document(canvas, data, options)
    canvas.save()


def build_sheet(data: SheetData, options: SheetOptions, out: BinaryIO) -> None:
    build_sheets([data], options, out)
