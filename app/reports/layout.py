"""The A4 page every printed document shares: header, footer and "page X of Y".

Header: entity logo and name, document title, the document's own lines (programme, activity,
date...) as label/value pairs in two columns, and an optional small QR code. Footer: the funders'
logo strip with their support text, the entity's data-protection notice and "page X of Y".

Builders draw their content between :meth:`PageDecor.content_top` and
:meth:`PageDecor.content_bottom`; the header and footer are drawn when the document is saved, by
:func:`numbered_canvas`, so the total page count is known (several documents can share one file,
each numbered on its own: call ``canvas.begin_section(decor)`` before each). Works with a plain
canvas and with platypus (``doc.build(story, canvasmaker=...)``, see :func:`canvas_maker`).
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, BinaryIO

from app.i18n import N_, Translator, translator
from app.reports import text

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
A4_LANDSCAPE = (297 * MM, 210 * MM)
MARGIN = 10 * MM
INK = (0.1, 0.1, 0.1)
GREY = (0.45, 0.45, 0.45)
RULE = (0.55, 0.55, 0.55)

_HEADER_TOP = 18 * MM  # logo / entity / title band
_FIELD_LINE = 4.6 * MM
_NOTICE_SIZE = 6.0
_FIELD_SIZE = 8.5
_LABEL_GAP = 1.5 * MM
_STRIP = 11 * MM


#: The usual phrases before funders' logos. A funder's support text that is one of them, in
#: any of the languages, prints in the document's language (it is stored in one language only).
SUPPORT_PHRASES = (
    N_("With the support of"),
    N_("With funding from"),
    N_("Funded by"),
    N_("In collaboration with"),
)


def is_usual_support(support_text: str) -> bool:
    """True for one of the usual phrases ("Amb el suport de"): documents print it in their own
    language without a version typed by the user."""
    return localise_support(support_text, translator("es")) != support_text or (
        localise_support(support_text, translator("ca")) != support_text
    )


def localise_support(support_text: str, tr: Translator) -> str:
    """``support_text`` in the document's language when it is one of the usual phrases."""
    key = support_text.strip().rstrip(":").strip().casefold()
    if not key:
        return support_text
    for phrase in SUPPORT_PHRASES:
        variants = {phrase.casefold()}
        variants |= {translator(lang).gettext(phrase).casefold() for lang in ("ca", "es")}
        if key in variants:
            return tr.gettext(phrase)
    return support_text


@dataclass(frozen=True)
class FunderMark:
    name: str
    support_text: str = ""
    logo: bytes | None = None


@dataclass(frozen=True)
class PageDecor:
    """What the header and footer of a document's pages show; every text already translated."""

    entity_name: str
    title: str
    #: (label, value) lines in two columns; an empty value prints a line to fill in by hand.
    fields: tuple[tuple[str, str], ...] = ()
    entity_logo: bytes | None = None
    funders: tuple[FunderMark, ...] = ()
    #: Shown before the logos of funders that have no support text of their own.
    support_label: str = ""
    privacy_notice: str = ""
    #: Pattern with {page} and {pages}, e.g. "Page {page} of {pages}" translated.
    page_label: str = "{page} / {pages}"
    qr: str | None = None
    #: One QR payload per page of the section (page 1 first); when set, it replaces ``qr``.
    qr_pages: tuple[str, ...] = ()
    #: Registration marks (a filled square in each corner) so a scan can be straightened.
    marks: bool = False
    landscape: bool = False
    #: Small print beside the page number (e.g. the session's short id).
    reference: str = ""
    #: False for pages cut into slips: each slip carries its own heading instead.
    show_header: bool = True
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def pagesize(self) -> tuple[float, float]:
        return A4_LANDSCAPE if self.landscape else A4

    @property
    def content_width(self) -> float:
        return self.pagesize[0] - 2 * MARGIN

    def _notice_lines(self) -> list[str]:
        if not self.privacy_notice:
            return []
        return text.wrap(self.privacy_notice, _NOTICE_SIZE, self.content_width)

    def field_cells(self) -> list[tuple[int, int, bool]]:
        """(row, column, wide) of each field: two columns, a field too long for half the width
        takes a whole row."""
        if "cells" in self._cache:
            cached: list[tuple[int, int, bool]] = self._cache["cells"]
            return cached
        col_w = self.field_column_width()
        cells: list[tuple[int, int, bool]] = []
        row = col = 0
        for label, value in self.fields:
            need = text.text_width(label + ":", _FIELD_SIZE, True) + _LABEL_GAP
            need += text.text_width(value, _FIELD_SIZE) if value else 25 * MM
            wide = need > col_w
            if wide and col == 1:
                row, col = row + 1, 0
            cells.append((row, col, wide))
            if wide or col == 1:
                row, col = row + 1, 0
            else:
                col = 1
        self._cache["cells"] = cells
        self._cache["rows"] = row + (1 if col else 0)
        return cells

    def field_column_width(self) -> float:
        return (self.content_width - 4 * MM) / 2

    def header_height(self) -> float:
        if not self.show_header:
            return 0.0
        self.field_cells()
        rows: int = self._cache["rows"]
        return _HEADER_TOP + rows * _FIELD_LINE + 3 * MM

    def footer_height(self) -> float:
        if "footer" not in self._cache:
            notice = len(self._notice_lines()) * _NOTICE_SIZE * 1.2
            strip = _STRIP + 1 * MM if self.funders else 0
            self._cache["footer"] = strip + notice + 6 * MM
        height: float = self._cache["footer"]
        return height

    def content_top(self) -> float:
        return self.pagesize[1] - MARGIN - self.header_height()

    def content_bottom(self) -> float:
        return MARGIN + self.footer_height()


# -- drawing ---------------------------------------------------------------------------------


#: Each thread's decoded images: an ``ImageReader`` decodes its pixels the first time it is
#: drawn, and two threads drawing one at once (the window's sheet preview while the documents
#: are made ready in the background) broke Pillow's decoding of it.
_IMAGES = threading.local()


def _image(data: bytes) -> Any:
    from reportlab.lib.utils import ImageReader

    cache: dict[bytes, Any] | None = getattr(_IMAGES, "by_data", None)
    if cache is None:
        cache = _IMAGES.by_data = {}
    found = cache.get(data)
    if found is None:
        if len(cache) >= 64:
            cache.clear()
        found = cache[data] = ImageReader(io.BytesIO(data))
    return found


def _draw_image(canvas: Any, data: bytes, x: float, y: float, max_w: float, max_h: float) -> float:
    """Draw an image scaled into max_w x max_h with its bottom at y; return the width used."""
    try:
        img = _image(data)
        iw, ih = img.getSize()
    except Exception:  # a damaged logo must not stop a sheet from printing
        return 0.0
    scale = min(max_w / iw, max_h / ih)
    w, h = iw * scale, ih * scale
    _place_image(canvas, img, data, x, y + (max_h - h) / 2, w, h)
    return float(w)


def _place_image(
    canvas: Any, img: Any, data: bytes, x: float, y: float, w: float, h: float
) -> None:
    """``drawImage``, with the image's name worked out once per document.

    ReportLab names an image by an MD5 of its pixels at every ``drawImage`` (about 0.5 ms for a
    funder's logo; a year's report repeats five logos on 180 pages): after the first, the image
    is placed by its name with the operators ``drawImage`` writes, so the file is the same."""
    names = canvas.__dict__.setdefault("_teixit_image_names", {})
    name = names.get(data)
    if name is None:
        canvas.drawImage(img, x, y, w, h, mask="auto")
        names[data] = canvas._formsinuse[-1]
        return
    canvas._currentPageHasImages = 1
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(w, h)
    canvas._code.append(f"/{canvas._doc.getXObjectName(name)} Do")
    canvas.restoreState()
    canvas._formsinuse.append(name)


@lru_cache(maxsize=256)
def _qr_runs(payload: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """The QR matrix as (size, (row, first column, length) of each dark run)."""
    import segno

    rows = [list(row) for row in segno.make(payload, error="m", micro=False).matrix_iter(border=2)]
    runs = []
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return len(rows), tuple(runs)


def draw_qr(canvas: Any, payload: str, x: float, y: float, size: float) -> None:
    """A QR code as vector squares (sharp at any resolution), stored once per document as a
    form and reused on every page."""
    forms = canvas.__dict__.setdefault("_teixit_qr_forms", {})
    name = forms.get((payload, size))
    if name is None:
        name = forms[(payload, size)] = f"qr{len(forms)}"
        n, runs = _qr_runs(payload)
        cell = size / n
        canvas.beginForm(name, 0, 0, size, size)
        canvas.setFillColorRGB(1, 1, 1)
        canvas.rect(0, 0, size, size, stroke=0, fill=1)
        canvas.setFillColorRGB(0, 0, 0)
        path = canvas.beginPath()
        for r, c, length in runs:
            path.rect(c * cell, size - (r + 1) * cell, length * cell, cell)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.endForm()
    canvas.saveState()
    canvas.translate(x, y)
    canvas.doForm(name)
    canvas.restoreState()


def fill_line(canvas: Any, x: float, y: float, width: float) -> None:
    """A dotted line to write on by hand."""
    canvas.saveState()
    canvas.setStrokeColorRGB(*RULE)
    canvas.setLineWidth(0.5)
    canvas.setDash(1, 1.5)
    canvas.line(x, y, x + width, y)
    canvas.restoreState()


#: Registration marks: side of each square and its distance from the paper's edges.
MARK_SIZE = 4 * MM
MARK_INSET = 5.5 * MM


def draw_marks(canvas: Any, d: PageDecor) -> None:
    """A filled square in each corner, in the margin, where a scan is straightened from."""
    pw, ph = d.pagesize
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    for x in (MARK_INSET, pw - MARK_INSET - MARK_SIZE):
        for y in (MARK_INSET, ph - MARK_INSET - MARK_SIZE):
            canvas.rect(x, y, MARK_SIZE, MARK_SIZE, stroke=0, fill=1)
    canvas.restoreState()


def page_qr(d: PageDecor, page: int) -> str | None:
    """What the QR code of page ``page`` (1-based) of a section carries."""
    if d.qr_pages:
        return d.qr_pages[min(page, len(d.qr_pages)) - 1]
    return d.qr


def draw_header(canvas: Any, d: PageDecor, page: int = 1) -> None:
    pw, ph = d.pagesize
    top = ph - MARGIN
    x = MARGIN
    qr = page_qr(d, page)
    qr_size = 17 * MM if qr else 0
    if d.entity_logo:
        used = _draw_image(canvas, d.entity_logo, x, top - 16 * MM, 38 * MM, 16 * MM)
        x += used + 4 * MM if used else 0
    title_w = pw - MARGIN - x - qr_size - 3 * MM
    canvas.setFillColorRGB(*GREY)
    text.draw_in_box(canvas, x, top - 6 * MM, title_w, 6 * MM, d.entity_name, 9.5, padding=0)
    canvas.setFillColorRGB(*INK)
    text.draw_in_box(canvas, x, top - 15 * MM, title_w, 9 * MM, d.title, 15, bold=True, padding=0)
    if qr:
        draw_qr(canvas, qr, pw - MARGIN - qr_size, top - qr_size, qr_size)
    # Fields in two columns, label in bold; an empty value gets a line to write on.
    col_w = d.field_column_width()
    y = top - _HEADER_TOP - _FIELD_LINE + 1.2 * MM
    for (label, value), (row, col, wide) in zip(d.fields, d.field_cells(), strict=True):
        cx = MARGIN + col * (col_w + 4 * MM)
        cy = y - row * _FIELD_LINE
        avail = (d.content_width if wide else col_w) - 2 * MM
        lw = text.draw_text(canvas, cx, cy, label + ":", _FIELD_SIZE, bold=True) + _LABEL_GAP
        if value:
            size = text.fit_size(value, _FIELD_SIZE, avail - lw, 7)
            value = text.truncate(value, size, avail - lw)
            text.draw_text(canvas, cx + lw, cy, value, size)
        else:
            fill_line(canvas, cx + lw, cy - 0.6 * MM, avail - lw)
    bottom = ph - MARGIN - d.header_height() + 1.5 * MM
    canvas.setStrokeColorRGB(*RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, bottom, pw - MARGIN, bottom)


def draw_footer(canvas: Any, d: PageDecor, page: int, pages: int) -> None:
    pw, _ = d.pagesize
    y = MARGIN
    canvas.setFillColorRGB(*GREY)
    label = d.page_label.format(page=page, pages=pages)
    text.draw_text(canvas, pw - MARGIN, y, label, 7.5, align="right")
    if d.reference:
        text.draw_text(canvas, MARGIN, y, d.reference, 6)
    y += 4 * MM
    for line in reversed(d._notice_lines()):
        text.draw_text(canvas, MARGIN, y, line, _NOTICE_SIZE)
        y += _NOTICE_SIZE * 1.2
    canvas.setFillColorRGB(*INK)
    if d.funders:
        _draw_strip(canvas, d, y + 1 * MM)


def _image_ratio(data: bytes | None) -> float:
    """Width / height of a logo; 0 when there is none or it cannot be read."""
    if not data:
        return 0.0
    try:
        iw, ih = _image(data).getSize()
    except Exception:  # a damaged logo must not stop a document from printing
        return 0.0
    return float(iw) / float(ih) if ih else 0.0


def _draw_strip(canvas: Any, d: PageDecor, y: float) -> None:
    """Funders grouped by support text: 'Amb el suport de: [logo] [logo]  Finançat per: [logo]'.
    Every funder is shown: when the logos do not fit on the line at full height they are all
    scaled down together (a funder missing from the strip is a justification problem)."""
    groups: dict[str, list[FunderMark]] = {}
    for f in d.funders:
        groups.setdefault(f.support_text.strip() or d.support_label, []).append(f)
    right = d.pagesize[0] - MARGIN
    full_h = _STRIP - 2 * MM
    labels = sum(text.text_width(label + ":", 7) + 4 * MM for label in groups if label)

    def widths(h: float) -> list[float]:
        out = []
        for f in d.funders:
            ratio = _image_ratio(f.logo)
            if ratio:
                out.append(min(32 * MM * h / full_h, ratio * h))
            else:
                out.append(text.text_width(f.name, 7.5, True))
        return out

    need = labels + sum(w + 4 * MM for w in widths(full_h))
    scale = min(1.0, max(0.45, (right - MARGIN - labels) / max(1.0, need - labels)))
    logo_h = full_h * scale
    x = MARGIN
    for label, members in groups.items():
        if label:
            canvas.setFillColorRGB(*GREY)
            x += text.draw_text(canvas, x, y + full_h / 2, label + ":", 7) + 2 * MM
            canvas.setFillColorRGB(*INK)
        for f in members:
            if x >= right - 5 * MM:
                return
            used = 0.0
            if f.logo:
                max_w = min(32 * MM * scale, right - x)
                used = _draw_image(canvas, f.logo, x, y + (full_h - logo_h) / 2, max_w, logo_h)
            if not used:
                name = text.truncate(f.name, 7.5, right - x, bold=True)
                used = text.draw_text(canvas, x, y + full_h / 2, name, 7.5, bold=True)
            x += used + 4 * MM * scale
        x += 2 * MM


# -- page numbering -----------------------------------------------------------------------


def numbered_canvas(out: BinaryIO | str, decor: PageDecor | None = None, **kwargs: Any) -> Any:
    """A canvas that draws header and footer on every page at save time, with page totals per
    section. ``canvas.begin_section(decor)`` starts a new numbered document in the same file."""
    cls = _numbered_canvas_class()
    c = cls(out, pagesize=(decor.pagesize if decor else A4), **kwargs)
    if decor is not None:
        c.begin_section(decor)
    return c


def canvas_maker(decor: PageDecor) -> Any:
    """For platypus: ``doc.build(story, canvasmaker=canvas_maker(decor))``."""

    def make(*args: Any, **kwargs: Any) -> Any:
        c = _numbered_canvas_class()(*args, **kwargs)
        c.begin_section(decor)
        return c

    return make


@lru_cache(maxsize=1)
def _numbered_canvas_class() -> Any:
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("pageCompression", 1)
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self._section = 0
            self._decor: PageDecor | None = None

        def begin_section(self, decor: PageDecor) -> None:
            self._section += 1
            self._decor = decor
            self.setPageSize(decor.pagesize)

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            if not self._pages or self._code:
                self._pages.append(dict(self.__dict__))
            totals: dict[int, int] = {}
            for state in self._pages:
                totals[state["_section"]] = totals.get(state["_section"], 0) + 1
            numbers: dict[int, int] = {}
            for state in self._pages:
                self.__dict__.update(state)
                section = state["_section"]
                numbers[section] = numbers.get(section, 0) + 1
                decor = state["_decor"]
                if decor is not None:
                    self.saveState()
                    self.setFillColorRGB(*INK)
                    if decor.show_header:
                        draw_header(self, decor, numbers[section])
                    if decor.marks:
                        draw_marks(self, decor)
                    draw_footer(self, decor, numbers[section], totals[section])
                    self.restoreState()
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


# -- data-protection notice ----------------------------------------------------------------

NOTICE_LABELS = {
    "heading": N_("Basic information on data protection."),
    "controller": N_("Controller: {value}."),
    "purpose": N_("Purpose: {value}."),
    "legal_basis": N_("Legal basis: {value}."),
    "recipients": N_("Recipients: {value}."),
    "rights": N_("Rights: {value}."),
}
NOTICE_DEFAULTS = {
    "purpose": N_(
        "to record attendance at the activity and account for it to the entities that fund it"
    ),
    "legal_basis": N_("the consent of the people taking part and the public-interest mission"),
    "recipients": N_("the funding bodies, for the justification of the grant; no other transfer"),
    "rights": N_(
        "access, rectification, erasure, objection, restriction and portability, by writing "
        "to {contact}"
    ),
}


#: A rights contact longer than this many words is a sentence of the entity's own.
_CONTACT_WORDS = 12


def privacy_notice(
    tr: Translator,
    *,
    controller: str,
    purpose: str = "",
    legal_basis: str = "",
    recipients: str = "",
    rights_contact: str = "",
    short: bool = False,
) -> str:
    """The entity's basic data-protection information as one paragraph in the document's
    language; the entity's own texts win, sensible defaults fill the gaps. ``short`` (for
    slips) keeps controller, purpose and rights.

    A bilingual document gets one paragraph with both labels ("Finalitat / Finalidad: ..."):
    the entity's own texts come already in the document's languages (each with its version,
    joined by " / ": app/domain/texts.py) and the defaults are given in both languages."""
    langs = tr.languages
    own = {
        "purpose": purpose.strip(),
        "legal_basis": legal_basis.strip(),
        "recipients": recipients.strip(),
    }
    contact = rights_contact.strip() or controller.strip()

    def joined(values: list[str]) -> str:
        unique: list[str] = []
        for v in values:
            if v not in unique:
                unique.append(v)
        return " / ".join(unique)

    def part(key: str, values: list[str]) -> str:
        prefixes = []
        for lang in langs:
            template = translator(lang).gettext(NOTICE_LABELS[key])
            prefixes.append(template.format(value="\0").split("\0")[0].rstrip(": "))
        value = joined([v.strip().rstrip(".") for v in values])
        return f"{joined(prefixes)}: {value}."

    headings = [translator(lang).gettext(NOTICE_LABELS["heading"]).rstrip(".") for lang in langs]
    parts = [joined(headings) + "."]
    parts.append(part("controller", [controller]))
    for key, value in own.items():
        if short and key != "purpose":
            continue
        if value:
            parts.append(part(key, [value]))
        else:
            parts.append(
                part(key, [translator(lang).gettext(NOTICE_DEFAULTS[key]) for lang in langs])
            )
    if len(rights_contact.split()) > _CONTACT_WORDS:
        # The entity wrote its own sentence on exercising rights, not just an address.
        rights = [contact]
    else:
        rights = [
            translator(lang).gettext(NOTICE_DEFAULTS["rights"]).format(contact=contact)
            for lang in langs
        ]
    parts.append(part("rights", rights))
    return " ".join(parts)
