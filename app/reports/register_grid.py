"""The register grid: the people of an activity x its session dates over a month or a range, one
small cell per date to sign or tick. Landscape when the dates do not fit upright; when they do not
fit even then, the dates continue on further pages (names repeated)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel import dates as babel_dates

from app.domain.sheets import SheetData, SheetOptions, SheetPerson
from app.i18n import LOCALES, N_, Translator, format_time_range
from app.reports import text
from app.reports.layout import GREY, INK, MARGIN, MM, RULE
from app.reports.sheet_parts import (
    SHADE,
    dated_sentence,
    draw_name_cell,
    facilitator_box,
    label,
    page_decor,
    split_rows,
)

GRID_ROW_H = 9 * MM  # people sign in these cells too: at least 9 mm (DESIGN section 9)
GRID_HEAD_H = 9 * MM
MIN_CELL = 7 * MM
PORTRAIT_CELL = 12 * MM

GRID_LABELS = {
    "monthly_title": N_("Monthly attendance sheet"),
    "register_title": N_("Attendance register"),
    "period": N_("Period"),
    "period_value": N_("from {start} to {end}"),
    "tick": N_("Sign or tick each date attended."),
}


def _name_widths(landscape: bool) -> tuple[float, float, float]:
    return (8 * MM, 42 * MM, 32 * MM) if landscape else (8 * MM, 40 * MM, 30 * MM)


def choose_orientation(n_dates: int) -> bool:
    """True (landscape) when the dates do not fit upright at a comfortable cell width."""
    portrait_free = 190 * MM - sum(_name_widths(False))
    return n_dates * PORTRAIT_CELL > portrait_free


def grid_title(data: SheetData, tr: Translator) -> str:
    if data.period and (data.period[0].year, data.period[0].month) == (
        data.period[1].year,
        data.period[1].month,
    ):
        return tr.gettext(GRID_LABELS["monthly_title"])
    return tr.gettext(GRID_LABELS["register_title"])


def _date_head(d: dt.date, lang: str) -> tuple[str, str]:
    loc = LOCALES.get(lang, "ca_ES")
    return babel_dates.format_date(d, "EEE", locale=loc), babel_dates.format_date(
        d, "d/M", locale=loc
    )


def draw_grid(canvas: Any, data: SheetData, options: SheetOptions, tr: Translator) -> None:
    landscape = choose_orientation(len(data.dates))
    period = ""
    if data.period:
        start, end = data.period
        period = dated_sentence(tr, GRID_LABELS["period_value"], start=start, end=end)
    fields = [
        (label(tr, "programme"), data.programme),
        (label(tr, "activity"), data.activity),
        (tr.gettext(GRID_LABELS["period"]), period),
        (label(tr, "time"), format_time_range(data.start_time, data.end_time)),
        (label(tr, "place"), data.place),
        (label(tr, "facilitators"), ", ".join(data.facilitators)),
    ]
    if data.partners:
        fields.append((label(tr, "partners"), ", ".join(data.partners)))
    decor = page_decor(data, tr, grid_title(data, tr), fields, landscape=landscape)
    canvas.begin_section(decor)
    width = decor.content_width
    num_w, fam_w, giv_w = _name_widths(landscape)
    free = width - num_w - fam_w - giv_w
    per_page_dates = max(1, int(free // MIN_CELL))
    date_chunks = [
        data.dates[i : i + per_page_dates] for i in range(0, len(data.dates), per_page_dates)
    ] or [()]
    avail = decor.content_top() - decor.content_bottom() - GRID_HEAD_H - 8 * MM
    rows_per_page = max(1, int(avail // GRID_ROW_H))
    # The box below the last rows takes 28 mm from the table's end (note line included).
    with_box = max(0, int((avail - 21 * MM) // GRID_ROW_H))
    blanks, last_pages = split_rows(len(data.people), options.blank_rows, rows_per_page, with_box)
    # Only the last dates' pages end with the box; earlier ones fill their pages.
    _, pages = split_rows(len(data.people), blanks, rows_per_page, rows_per_page)
    people: list[SheetPerson | None] = [*data.people, *([None] * blanks)]
    lang = tr.languages[0]
    for ci, dates in enumerate(date_chunks):
        cell = min(free / max(1, len(dates)), 20 * MM)
        for first, stop in last_pages if ci == len(date_chunks) - 1 else pages:
            chunk = people[first:stop]
            top = decor.content_top() - 1 * MM
            _draw_head(canvas, top, num_w, fam_w, giv_w, cell, dates, tr, lang)
            body_top = top - GRID_HEAD_H
            for i, person in enumerate(chunk):
                y = body_top - (i + 1) * GRID_ROW_H
                canvas.setFillColorRGB(*GREY)
                text.draw_in_box(
                    canvas, MARGIN, y, num_w, GRID_ROW_H, str(first + i + 1), 8, align="centre"
                )
                canvas.setFillColorRGB(*INK)
                if person is not None:
                    x = MARGIN + num_w
                    draw_name_cell(canvas, x, y, fam_w, GRID_ROW_H, person.family_names, tr)
                    draw_name_cell(canvas, x + fam_w, y, giv_w, GRID_ROW_H, person.given_name, tr)
            bottom = body_top - len(chunk) * GRID_ROW_H
            _draw_lines(canvas, top, bottom, num_w, fam_w, giv_w, cell, len(dates), len(chunk))
            last = stop == len(people)
            canvas.setFillColorRGB(*GREY)
            text.draw_text(canvas, MARGIN, bottom - 4 * MM, tr.gettext(GRID_LABELS["tick"]), 7)
            canvas.setFillColorRGB(*INK)
            if last and ci == len(date_chunks) - 1:
                facilitator_box(canvas, tr, bottom - 6 * MM, width)
            canvas.showPage()


def _draw_head(
    canvas: Any,
    top: float,
    num_w: float,
    fam_w: float,
    giv_w: float,
    cell: float,
    dates: tuple[dt.date, ...],
    tr: Translator,
    lang: str,
) -> None:
    total = num_w + fam_w + giv_w + cell * len(dates)
    canvas.setFillColorRGB(*SHADE)
    canvas.rect(MARGIN, top - GRID_HEAD_H, total, GRID_HEAD_H, stroke=0, fill=1)
    canvas.setFillColorRGB(*INK)
    y = top - GRID_HEAD_H
    x = MARGIN
    for w, key in ((num_w, "number"), (fam_w, "family"), (giv_w, "given")):
        align = "centre" if key == "number" else "left"
        text.draw_in_box(canvas, x, y, w, GRID_HEAD_H, label(tr, key), 8, bold=True, align=align)
        x += w
    for d in dates:
        weekday, day = _date_head(d, lang)
        text.draw_in_box(
            canvas,
            x,
            y + GRID_HEAD_H / 2,
            cell,
            GRID_HEAD_H / 2,
            weekday,
            6.5,
            min_size=4.5,
            align="centre",
            padding=0.5,
        )
        text.draw_in_box(
            canvas,
            x,
            y,
            cell,
            GRID_HEAD_H / 2,
            day,
            8,
            bold=True,
            min_size=5,
            align="centre",
            padding=0.5,
        )
        x += cell


def _draw_lines(
    canvas: Any,
    top: float,
    bottom: float,
    num_w: float,
    fam_w: float,
    giv_w: float,
    cell: float,
    n_dates: int,
    rows: int,
) -> None:
    total = num_w + fam_w + giv_w + cell * n_dates
    canvas.setStrokeColorRGB(*RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, top, MARGIN + total, top)
    body_top = top - GRID_HEAD_H
    for r in range(rows + 1):
        y = body_top - r * GRID_ROW_H
        canvas.line(MARGIN, y, MARGIN + total, y)
    xs = [MARGIN, MARGIN + num_w, MARGIN + num_w + fam_w]
    xs += [MARGIN + num_w + fam_w + giv_w + i * cell for i in range(n_dates + 1)]
    for x in xs:
        canvas.line(x, top, x, bottom)
