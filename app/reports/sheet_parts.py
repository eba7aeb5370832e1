"""What the sheets people sign share: the document labels, the page decoration (header, funders,
data-protection notice, reference and QR), a name in its cell, the facilitator's box and how rows
go on pages. Used by :mod:`app.reports.attendance_sheet` and :mod:`app.reports.register_grid`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from app.domain.sheets import SheetData
from app.i18n import N_, Translator, format_date, is_catalan, translator
from app.reports import fonts, layout, text
from app.reports.layout import GREY, INK, MARGIN, MM, RULE

WARN = (0.75, 0.1, 0.1)
SHADE = (0.92, 0.92, 0.92)

#: Message ids of the document labels (translated per document with translator(lang)).
LABELS = {
    "session_title": N_("Attendance sheet"),
    "meeting_title": N_("Network meeting attendance sheet"),
    "slip_title": N_("Attendance slip"),
    "programme": N_("Programme"),
    "activity": N_("Activity"),
    "network": N_("Network"),
    "date": N_("Date"),
    "time": N_("Time"),
    "place": N_("Place"),
    "facilitators": N_("Facilitator"),
    "partners": N_("Co-organised with"),
    "number": N_("No."),
    "family": N_("Family names"),
    "given": N_("Given name"),
    "full_name": N_("Full name"),
    "masked_id": N_("ID (partial)"),
    "organisation": N_("Entity or service represented"),
    "signature": N_("Signature"),
    "facilitator_signature": N_("Signature of the facilitator"),
    "page": N_("Page {page} of {pages}"),
    "support": N_("With the support of"),
    "unprintable": N_("Cannot be printed: write the name by hand"),
    "newcomer": N_("Name (new person)"),
    "session_ref": N_("Session {id}"),
    "meeting_ref": N_("Meeting {id}"),
    "activity_ref": N_("Activity {id}"),
}

#: Which reference label each kind of sheet prints beside the page number.
REF_KEYS = {"meeting": "meeting_ref", "grid": "activity_ref"}


def label(tr: Translator, key: str) -> str:
    return tr.gettext(LABELS[key])


def dated_sentence(tr: Translator, message: str, **dates: dt.date) -> str:
    """``message`` with its dates in words, each language's sentence with its own dates
    ("del 1 de novembre del 2026 al ... / del 1 de noviembre de 2026 al ..."), never both
    languages' dates inside one sentence."""
    out: list[str] = []
    for lang in tr.languages:
        words = {k: format_date(v, lang, "long") for k, v in dates.items()}
        sentence = translator(lang).gettext(message).format(**words)
        if is_catalan(lang):
            sentence = text.catalan_dates(sentence)
        if sentence not in out:
            out.append(sentence)
    return " / ".join(out)


def privacy_text(data: SheetData, tr: Translator, short: bool = False) -> str:
    e = data.entity
    return layout.privacy_notice(
        tr,
        controller=e.privacy_controller or e.name,
        purpose=e.privacy_purpose,
        legal_basis=e.privacy_legal_basis,
        recipients=e.privacy_recipients,
        rights_contact=e.privacy_rights_contact,
        short=short,
    )


def page_decor(
    data: SheetData,
    tr: Translator,
    title: str,
    fields: Sequence[tuple[str, str]],
    *,
    landscape: bool = False,
    show_header: bool = True,
) -> layout.PageDecor:
    ref = ""
    if data.reference_id:
        key = REF_KEYS.get(data.kind, "session_ref")
        ref = label(tr, key).format(id=data.reference_id[:8])
    return layout.PageDecor(
        entity_name=data.entity.name,
        entity_logo=data.entity.logo,
        title=title,
        fields=tuple(fields),
        funders=tuple(
            layout.FunderMark(f.name, layout.localise_support(f.support_text, tr), f.logo)
            for f in data.funders
        ),
        support_label=label(tr, "support"),
        privacy_notice=privacy_text(data, tr),
        page_label=label(tr, "page"),
        qr=data.reference_id or None,
        landscape=landscape,
        reference=ref,
        show_header=show_header,
    )


def draw_name_cell(
    canvas: Any, x: float, y: float, w: float, h: float, value: str, tr: Translator
) -> None:
    """A name in its cell; a name the embedded fonts cannot print gets a visible warning."""
    if not value:
        return
    if fonts.missing_chars(value):
        # Never empty boxes: what can be printed, a [?] mark and a visible warning.
        text.draw_in_box(canvas, x, y + h / 2 - 1 * MM, w, h / 2, value, 10, min_size=7)
        canvas.saveState()
        canvas.setFillColorRGB(*WARN)
        text.draw_in_box(
            canvas, x, y + 0.6 * MM, w, h / 2 - 1 * MM, label(tr, "unprintable"), 6, min_size=4.5
        )
        canvas.restoreState()
    else:
        text.draw_in_box(canvas, x, y, w, h, value, 10, min_size=6.5)


def facilitator_box(canvas: Any, tr: Translator, top: float, width: float) -> None:
    """The box the facilitator signs, at the right under the last rows."""
    w, h = 80 * MM, 22 * MM
    x = MARGIN + width - w
    canvas.setStrokeColorRGB(*RULE)
    canvas.setLineWidth(0.6)
    canvas.rect(x, top - h, w, h, stroke=1, fill=0)
    canvas.setFillColorRGB(*GREY)
    caption = label(tr, "facilitator_signature")
    text.draw_in_box(canvas, x, top - 6 * MM, w, 6 * MM, caption, 7.5, bold=True, min_size=6)
    canvas.setFillColorRGB(*INK)


def split_rows(
    names: int, blank_rows: int, per_page: int, with_box: int
) -> tuple[int, list[tuple[int, int]]]:
    """How the rows of a sheet (the names, then blank rows for newcomers) go on pages: the
    number of blank rows kept and the (start, end) row range of each page.

    The facilitator's box must share the last page with rows. Blank rows that would push it
    alone onto a new page are left out (that page is full of rows anyway); when there are too
    few of them, the last row moves to the box's page instead."""
    blanks = max(0, blank_rows)
    total = names + blanks
    on_last = total - (total - 1) // per_page * per_page if total else 0
    excess = on_last - with_box
    if 0 < excess <= blanks:
        blanks -= excess
        total -= excess
    pages = [(i, min(i + per_page, total)) for i in range(0, total, per_page)] or [(0, 0)]
    start, end = pages[-1]
    if end - start > max(1, with_box):
        pages[-1:] = [(start, end - 1), (end - 1, end)]
    return blanks, pages
