"""A scanned page read: which sheet page it is and, for each row, what the signature cell
holds. The page's problem (no code, no marks, no table) is said in words for the person."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.sheet_code import SheetCode
from app.i18n import _
from app.scan.decide import Decision, decide_cell
from app.scan.page import Image, find_cells, find_marks, read_qr, straighten, upright


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


def read_page(image: Image, source: str = "", index: int = 1) -> PageReading:
    qr = read_qr(image)
    image, qr = upright(image, qr)
    code = qr.code if qr is not None else None
    if qr is None:
        problem = _("No code found on the page: choose its session and page.")
        return PageReading(source, index, None, problem=problem, image=image)
    if code is None:
        problem = _("The page's code is not one Teixit printed (another document?).")
        return PageReading(source, index, None, problem=problem, image=image)
    marks = find_marks(image, qr)
    if marks is None:
        problem = _("The page's corner marks were not found: scan the whole page, flat.")
        return PageReading(source, index, code, problem=problem, image=image)
    flat = straighten(image, marks)
    cells = find_cells(flat)
    if not cells or (code.rows and len(cells) != code.rows):
        problem = _("The page's table could not be read: scan it again, flat and whole.")
        return PageReading(source, index, code, problem=problem, image=image)
    return PageReading(source, index, code, tuple(decide_cell(flat, c) for c in cells), image=image)
