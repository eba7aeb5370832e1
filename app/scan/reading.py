"""A scanned page read: which sheet page it is and, for each row, what the signature cell
holds. The page's problem (no code, no marks, no table) is said in words for the person."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.sheet_code import SheetCode
from app.i18n import N_, _
from app.scan.decide import Decision, decide_cell
from app.scan.page import (
    Image,
    even_light,
    find_cells,
    find_marks,
    read_qr,
    straighten,
    upright,
)


@dataclass(frozen=True)
class PageReading:
    #: Where the page came from: the file's name and the page in it (1-based).
    source: str
    index: int
    code: SheetCode | None
    decisions: tuple[Decision, ...] = ()
    #: Why the page could not be read all the way (translated); empty when it was.
    problem: str = ""
    #: The page as stored with the session (the scan itself, encoded by the caller).
    image: Image | None = None
    #: No code could be read but the corner marks are there: the person may say which page it is.
    choosable: bool = False


#: A page of another document: no Teixit code and no corner marks, or another QR code.
NOT_OURS = N_("This page is not a sheet printed by Teixit: it is left out.")


def _has_marks(image: Image) -> bool:
    import numpy as np

    return find_marks(image, None) is not None or (
        find_marks(np.ascontiguousarray(np.rot90(image)), None) is not None
    )


def read_page(image: Image, source: str = "", index: int = 1) -> PageReading:
    qr = read_qr(image)
    image, qr = upright(image, qr)
    code = qr.code if qr is not None else None
    if qr is None and not _has_marks(image):
        return PageReading(source, index, None, problem=_(NOT_OURS), image=image)
    if qr is None:
        problem = _("No code found on the page: choose its session and page.")
        return PageReading(source, index, None, problem=problem, image=image, choosable=True)
    if code is None:
        return PageReading(source, index, None, problem=_(NOT_OURS), image=image)
    marks = find_marks(image, qr)
    if marks is None:
        problem = _("The page's corner marks were not found: scan the whole page, flat.")
        return PageReading(source, index, code, problem=problem, image=image)
    flat = even_light(straighten(image, marks))
    cells = find_cells(flat)
    if not cells or (code.rows and len(cells) != code.rows):
        problem = _("The page's table could not be read: scan it again, flat and whole.")
        return PageReading(source, index, code, problem=problem, image=image)
    return PageReading(source, index, code, tuple(decide_cell(flat, c) for c in cells), image=image)


#: Where the QR code is printed on a straightened page (mm: left, top, right, bottom).
QR_BOX_MM = (183.0, 10.0, 200.0, 27.0)


def _upside_down(flat: Image) -> bool:
    """Is the straightened page upside down? The printed QR code (even one that cannot be read)
    is the darkest patch of its corner; turned, it lands in the opposite one."""
    from app.scan.page import PAGE_MM, PX_MM, ink_channel

    x0, y0, x1, y1 = (int(v * PX_MM) for v in QR_BOX_MM)
    w, h = int(PAGE_MM[0] * PX_MM), int(PAGE_MM[1] * PX_MM)
    ink = ink_channel(flat)
    here = float((ink[y0:y1, x0:x1] < 128).mean())
    there = float((ink[h - y1 : h - y0, w - x1 : w - x0] < 128).mean())
    return there > here


def read_page_as(image: Image, code: SheetCode, source: str = "", index: int = 1) -> PageReading:
    """A page whose code could not be read, once the person said which page of which session it
    is (``code``): straightened from the four corner marks alone, turned when it is upside down or
    sideways, and each row decided as usual. A page with no corner marks (not a sheet Teixit
    printed, or torn) gives no marks."""
    import numpy as np

    marks = find_marks(image, None)
    if marks is None:
        image = np.ascontiguousarray(np.rot90(image))
        marks = find_marks(image, None)
    if marks is None:
        problem = _("The page's corner marks were not found: scan the whole page, flat.")
        return PageReading(source, index, code, problem=problem, image=image)
    flat = even_light(straighten(image, marks))
    if _upside_down(flat):
        flat = np.ascontiguousarray(flat[::-1, ::-1])
    cells = find_cells(flat)
    if not cells or (code.rows and len(cells) != code.rows):
        problem = _("The page's table could not be read: scan it again, flat and whole.")
        return PageReading(source, index, code, problem=problem, image=image)
    return PageReading(source, index, code, tuple(decide_cell(flat, c) for c in cells), image=image)
