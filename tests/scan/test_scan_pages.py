"""Reading signed sheets back: the code on each page, straightening, the signature cells and
the decision of each row, on scans made from Teixit's own sheets (tests/support/scan_maker)."""

from __future__ import annotations

import io
import uuid
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from app.domain.sheet_code import SheetCode, database_code, decode, fingerprint
from app.errors import UserError
from app.scan import files
from app.scan.decide import ABSENT, PRESENT, UNSURE
from app.scan.page import read_qr
from app.scan.reading import read_page
from tests.support import scan_maker as sm


@cache
def _sheet() -> bytes:
    return sm.sheet_pdf(names=22, blank_rows=5)


@cache
def _pages(dpi: int) -> list[np.ndarray]:
    return sm.render(_sheet(), dpi)


@cache
def _boxes(page: int) -> list[tuple[float, ...]]:
    return sm.cell_boxes_mm(_pages(200)[page])


def test_the_code_carries_database_session_page_rows_and_fingerprint() -> None:
    sid = str(uuid.uuid4())
    code = SheetCode(database_code("db"), sid, 2, 19, 8, fingerprint(["a", "", "b"]))
    assert decode(code.text()) == code
    assert decode(code.text().lower()) == code
    # Sheets printed before: the session id alone, still read (no page).
    legacy = decode(sid)
    assert legacy is not None and legacy.session_id == sid and legacy.legacy
    assert decode("https://example.org") is None
    assert decode("TX1:x:notauuid:1:0:1:ab") is None
    assert fingerprint(["a", "b"]) != fingerprint(["b", "a"])


def test_every_page_of_a_printed_sheet_has_its_own_code() -> None:
    pages = _pages(150)
    assert len(pages) == 2
    codes = []
    for page in pages:
        found = read_qr(page)
        assert found is not None and found.code is not None
        codes.append(found.code)
    assert [c.page for c in codes] == [1, 2]
    assert codes[0].first_row == 0 and codes[1].first_row == codes[0].rows
    assert codes[0].rows + codes[1].rows == 27
    assert codes[0].database == database_code(sm.DATABASE_ID)
    assert codes[0].fingerprint != codes[1].fingerprint
    assert len(_boxes(0)) == codes[0].rows and len(_boxes(1)) == codes[1].rows


@pytest.mark.parametrize(("dpi", "upside_down", "seed"), [(150, False, 1), (300, True, 2)])
def test_a_scan_is_straightened_and_each_row_decided(
    dpi: int, upside_down: bool, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    boxes = _boxes(0)
    signed = [bool(v) for v in rng.random(len(boxes)) < 0.5]
    scan = sm.make_scan(_pages(dpi)[0], dpi, boxes, signed, rng, upside_down=upside_down)
    reading = read_page(scan.image, "scan.jpg")
    assert reading.problem == ""
    assert reading.code is not None and reading.code.page == 1
    verdicts = [d.verdict for d in reading.decisions]
    assert len(verdicts) == len(signed)
    for verdict, truth in zip(verdicts, signed, strict=True):
        # Never a confident mistake; an unsure row is shown to the person first.
        assert verdict == UNSURE or (verdict == PRESENT) == truth
    assert verdicts.count(UNSURE) <= 1
    assert all(d.image.shape[0] > 50 for d in reading.decisions)


def test_a_page_without_a_code_or_with_another_code_is_not_dropped() -> None:
    blank = np.full((1200, 850, 3), 255, np.uint8)
    reading = read_page(blank, "photo.jpg")
    assert reading.code is None and reading.problem and reading.image is not None
    # A page of another document: a QR code that is not Teixit's.
    import segno

    out = io.BytesIO()
    segno.make("https://example.org/menu", error="m").save(out, kind="png", scale=8)
    from PIL import Image

    qr = np.asarray(Image.open(io.BytesIO(out.getvalue())).convert("RGB"))
    page = blank.copy()
    page[50 : 50 + qr.shape[0], 550 : 550 + qr.shape[1]] = qr
    reading = read_page(page, "menu.jpg")
    assert reading.code is None and "Teixit" in reading.problem


def test_files_that_cannot_be_read_say_why(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(UserError, match="notes.txt"):
        list(files.pages(text))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 broken")
    with pytest.raises(UserError, match="broken.pdf"):
        list(files.pages(broken))
    with pytest.raises(UserError, match="missing.pdf"):
        list(files.pages(tmp_path / "missing.pdf"))


def test_a_password_protected_pdf_says_so(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(_sheet())).pages:
        writer.add_page(page)
    writer.encrypt("secret", algorithm="AES-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as f:
        writer.write(f)
    with pytest.raises(UserError, match="(?i)contrasenya"):
        list(files.pages(locked))


def test_a_pdf_with_too_many_pages_is_refused_before_rendering(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(files.MAX_PDF_PAGES + 100):
        writer.add_blank_page(595, 842)
    big = tmp_path / "big.pdf"
    with big.open("wb") as f:
        writer.write(f)
    with pytest.raises(UserError, match="300"):
        next(files.pages(big))


def test_a_huge_image_is_refused_or_read_reduced(tmp_path: Path) -> None:
    from PIL import Image

    png = tmp_path / "huge.png"
    Image.new("1", (10_000, 9_000)).save(png)  # 90 megapixels, a few kilobytes on disk
    with pytest.raises(UserError, match="90"):
        list(files.pages(png))
    jpg = tmp_path / "photo.jpg"
    Image.new("L", (8_200, 6_150), 255).save(jpg, quality=50)  # a 50-megapixel photo
    (page,) = list(files.pages(jpg))
    assert page.image.shape[0] * page.image.shape[1] <= files.READ_PIXELS * 1.5


def test_a_scanned_pdf_gives_one_image_per_page(tmp_path: Path) -> None:
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(_sheet())
    pages = list(files.pages(pdf))
    assert [p.index for p in pages] == [1, 2]
    assert read_page(pages[1].image).decisions[0].verdict == ABSENT
