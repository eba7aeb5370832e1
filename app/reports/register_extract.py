"""A register extract: the people Teixit's attendance register records as present or late at one
session, for the evidence pack of a session whose signed sheet was not kept.

It is titled plainly as an extract of the register and says that it is not a signed sheet: it has
no signature column, no QR code and no corner marks (it can never be taken for a sheet to sign, or
read back as one)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, BinaryIO

from app.domain.sessions import ATTENDANCE_LABELS
from app.domain.sheets import SheetData
from app.i18n import N_, translator
from app.reports import layout, text
from app.reports.attendance_sheet import _fields, full_name
from app.reports.layout import GREY, INK, MARGIN, MM, RULE
from app.reports.sheet_parts import draw_name_cell, label, page_decor

TITLE = N_("Register extract: attendance recorded")
NOTE = N_(
    "List taken from the attendance register kept in Teixit: the people recorded as present or "
    "late. It is not a signed sheet: no signed sheet was kept for this session."
)
NOBODY = N_("Nobody is recorded as present or late at this session.")
ROW_H = 7 * MM


def build_extract(data: SheetData, statuses: dict[str, str], lang: str, out: BinaryIO) -> None:
    """``data.people`` are the people recorded (present or late), ``statuses`` their status by
    person key."""
    tr = translator(lang)
    decor = replace(
        page_decor(data, tr, tr.gettext(TITLE), _fields(data, tr)), qr=None, qr_pages=()
    )
    canvas: Any = layout.numbered_canvas(out)
    canvas.setTitle(" · ".join(p for p in (tr.gettext(TITLE), data.activity) if p))
    canvas.setCreator("Teixit")
    canvas.begin_section(decor)
    width = decor.content_width
    cols = [
        (label(tr, "number"), 12 * MM),
        (label(tr, "family"), (width - 52 * MM) * 0.55),
        (label(tr, "given"), (width - 52 * MM) * 0.45),
        (tr.gettext(N_("Attendance")), 40 * MM),
    ]
    top = decor.content_top() - 1 * MM
    canvas.setFillColorRGB(*GREY)
    lines = text.wrap(tr.gettext(NOTE), 8.5, width)
    for line in lines:
        top -= 4 * MM
        text.draw_text(canvas, MARGIN, top, line, 8.5)
    canvas.setFillColorRGB(*INK)
    top -= 4 * MM
    if not data.people:
        text.draw_text(canvas, MARGIN, top - 6 * MM, tr.gettext(NOBODY), 10)
        canvas.showPage()
        canvas.save()
        return
    bottom = decor.content_bottom() + 2 * MM
    y = _head(canvas, cols, top)
    for n, person in enumerate(data.people, start=1):
        if y - ROW_H < bottom:
            canvas.showPage()
            y = _head(canvas, cols, decor.content_top() - 1 * MM)
        y -= ROW_H
        x = MARGIN
        status = ATTENDANCE_LABELS.get(statuses.get(person.key, ""))
        values = [
            str(n),
            person.family_names,
            person.given_name if person.family_names else full_name(person),
            tr.gettext(status) if status else "",
        ]
        for (_title, w), value in zip(cols, values, strict=True):
            draw_name_cell(canvas, x, y, w, ROW_H, value, tr)
            x += w
        canvas.setStrokeColorRGB(*RULE)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, y, MARGIN + width, y)
    canvas.showPage()
    canvas.save()


def _head(canvas: Any, cols: list[tuple[str, float]], top: float) -> float:
    x = MARGIN
    for title, w in cols:
        text.draw_in_box(canvas, x, top - 6 * MM, w, 6 * MM, title, 8.5, bold=True, min_size=6)
        x += w
    canvas.setStrokeColorRGB(*RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, top - 6 * MM, x, top - 6 * MM)
    return top - 6 * MM
