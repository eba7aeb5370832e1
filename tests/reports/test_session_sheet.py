"""Session sheets read back from the PDF: names, order, language, privacy, fonts, QR."""

from __future__ import annotations

import io
import re
import unicodedata

import pdfplumber
import pypdfium2
import pytest
from pyzbar.pyzbar import decode
from sqlalchemy import select

from app.db.models import AuditEvent
from app.domain import sheet_code
from app.domain.sheets import SheetOptions
from app.reports import fonts
from app.reports.layout import MM
from app.services.sheets import SheetService
from tests.reports.sheet_data import (
    ARABIC_FAMILY,
    CHINESE_GIVEN,
    ETHIOPIC_GIVEN,
    URDU_FAMILY,
    build,
    expected_order,
)


def _pdf(db, extra=0, **opts):  # type: ignore[no-untyped-def]
    data = build(db, extra)
    service = SheetService(db)
    sheet = service.session_sheet(data.session_id)
    return data, sheet, service.pdf(sheet, SheetOptions(**opts))


def _pages(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [p.extract_text() or "" for p in doc.pages]


def _visual(name: str) -> str:
    """How an Arabic name reads back: presentation forms in visual order."""
    return unicodedata.normalize("NFKC", name)


def _logical(extracted: str) -> str:
    return unicodedata.normalize("NFKC", extracted)[::-1]


def test_every_name_in_order_and_nobody_else(db) -> None:  # type: ignore[no-untyped-def]
    data, sheet, pdf = _pdf(db)
    text = "\n".join(_pages(pdf))
    lines = text.splitlines()
    latin = [
        n
        for n in expected_order(data.names)
        if not any(unicodedata.bidirectional(c) == "AL" for c in n[1])
    ]
    positions = []
    for given, family, _number in latin:
        if given == ETHIOPIC_GIVEN:
            continue
        found = [i for i, line in enumerate(lines) if family in line and given in line]
        assert found, f"{family}, {given} missing"
        positions.append(found[0])
    assert positions == sorted(positions)
    # Catalan l·l and ŀ print as written (the ŀ as its own character).
    assert "Coŀlell Vidal" in text and "Gil·labert" in text
    for hidden in ("Amagada", "Suprimida", "Baixa"):
        assert hidden not in text
    # Rows are numbered 1..n, then the blank rows.
    assert [p.family_names for p in sheet.people][:2] == ["Al-Sayed", "Àlvarez Puig"]


def test_arabic_urdu_and_chinese_use_their_fonts_without_missing_glyphs(db) -> None:  # type: ignore[no-untyped-def]
    _data, _sheet, pdf = _pdf(db)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        chars = [c for p in doc.pages for c in p.chars]
        words = [w for p in doc.pages for w in p.extract_words(extra_attrs=["fontname"])]
    text = "".join(c["text"] for c in chars)
    for name in (ARABIC_FAMILY, URDU_FAMILY):
        hits = [w for w in words if _logical(w["text"]) == name]
        assert hits, f"{name} not found"
        assert all("NotoNaskhArabic" in w["fontname"] for w in hits)
    cjk = [c for c in chars if c["text"] == CHINESE_GIVEN]
    assert cjk and all("DroidSansFallback" in c["fontname"] for c in cjk)
    # No .notdef: every character drawn is one its font has a glyph for (ReportLab would draw
    # glyph 0, the empty box, for any other).
    by_font = {
        "NotoSans-Regular": fonts.SANS,
        "NotoSans-Bold": fonts.SANS_BOLD,
        "NotoNaskhArabic": fonts.ARABIC,
        "DroidSansFallback": fonts.CJK,
    }
    for c in chars:
        face = next(v for k, v in by_font.items() if k in c["fontname"])
        assert ord(c["text"]) in fonts.covered(face), (c["text"], c["fontname"])
    assert "\ufffd" not in text
    # Only our embedded fonts are used (no standard Helvetica without the names' glyphs).
    assert {c["fontname"].split("+")[-1] for c in chars} <= {
        "NotoSans-Regular",
        "NotoSans-Bold",
        "NotoNaskhArabic-Regular",
        "DroidSansFallback",
    }


def test_shaping_uses_joined_forms() -> None:
    # Shaped: the letters of محمد come out as initial/medial/final forms, not isolated ones.
    from app.reports.text import layout

    pieces = layout("محمد")
    assert pieces[0].font == fonts.ARABIC
    drawn = str(pieces[0].text)
    assert any(0xFE70 <= ord(c) <= 0xFEFF for c in drawn)
    assert unicodedata.normalize("NFKC", drawn)[::-1] == "محمد"


def test_unprintable_script_prints_a_warning_not_boxes(db) -> None:  # type: ignore[no-untyped-def]
    _data, _sheet, pdf = _pdf(db, lang="ca")
    assert fonts.missing_chars(ETHIOPIC_GIVEN) == ETHIOPIC_GIVEN
    text = "\n".join(_pages(pdf))
    assert ETHIOPIC_GIVEN not in text
    assert "[?]" in text
    assert "escriviu el nom a mà" in text


@pytest.mark.parametrize(
    ("lang", "expected", "absent"),
    [
        ("ca", ["Full d'assistència", "Signatura", "Cognoms", "Pàgina 1 de 1"], ["Firma"]),
        ("es", ["Hoja de asistencia", "Firma", "Apellidos", "Página 1 de 1"], ["Signatura"]),
        ("ca+es", ["Full d'assistència / Hoja de asistencia", "Signatura / Firma"], []),
    ],
)
def test_labels_in_the_chosen_language(db, lang, expected, absent) -> None:  # type: ignore[no-untyped-def]
    _data, _sheet, pdf = _pdf(db, lang=lang)
    text = "\n".join(_pages(pdf)).replace("’", "'")
    for label in expected:
        assert label in text
    for label in absent:
        assert label not in text


def test_no_id_number_unless_asked_and_then_only_masked(db) -> None:  # type: ignore[no-untyped-def]
    data, sheet, pdf = _pdf(db)
    text = "\n".join(_pages(pdf))
    numbers = [n[2] for n in data.names if n[2]]
    for number in numbers:
        assert number not in text
        assert number[3:7] not in text
    pdf2 = SheetService(db).pdf(sheet, SheetOptions(show_masked_id=True))
    text2 = "\n".join(_pages(pdf2))
    assert "***4567**" in text2 and "****4567*" in text2
    assert "12345678Z" not in text2 and "X1234567L" not in text2


def test_blank_rows_and_row_count(db) -> None:  # type: ignore[no-untyped-def]
    data, _sheet, pdf = _pdf(db, blank_rows=7)
    n = len(data.names)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        # The number column is the first 19 mm of the page (10 mm margin + 9 mm column).
        words = [w["text"] for p in doc.pages for w in p.extract_words() if w["x1"] < 19 * MM]
    numbers = [int(w) for w in words if re.fullmatch(r"\d{1,3}", w)]
    assert numbers == list(range(1, n + 8))
    assert max(numbers) == n + 7
    assert set(range(1, n + 8)) <= set(numbers)


def test_sixty_names_continue_with_header_on_every_page(db) -> None:  # type: ignore[no-untyped-def]
    data, _sheet, pdf = _pdf(db, extra=50, lang="ca")
    pages = _pages(pdf)
    assert len(pages) >= 3
    for i, page in enumerate(pages, 1):
        assert "Full d'assistència" in page.replace("’", "'")
        assert "Taller de costura" in page and "Associació Veïnal de Sants" in page
        assert f"Pàgina {i} de {len(pages)}" in page
        assert "Amb el suport de" in page and "protecció de dades" in page
    text = "\n".join(pages)
    generated = [f"Cognom{i:03d} Prova" for i in range(50)]
    assert all(g in text for g in generated)
    assert [text.index(g) for g in generated] == sorted(text.index(g) for g in generated)
    assert "Signatura de la persona dinamitzadora" in pages[-1]


def test_qr_code_decodes_to_the_session_id(db) -> None:  # type: ignore[no-untyped-def]
    data, _sheet, pdf = _pdf(db)
    doc = pypdfium2.PdfDocument(pdf)
    image = doc[0].render(scale=200 / 72).to_pil()
    codes = decode(image)
    # The code carries the session id with the database, the page and its rows' fingerprint.
    sheet_codes = [sheet_code.decode(c.data.decode()) for c in codes]
    assert [(c.session_id, c.page) for c in sheet_codes if c] == [(data.session_id, 1)]


def test_every_print_with_names_is_audited(db) -> None:  # type: ignore[no-untyped-def]
    data, sheet, _pdf_bytes = _pdf(db)
    service = SheetService(db)
    service.pdf(sheet, SheetOptions(), record=False)  # a preview: not a print
    service.pdf(service.blank_sheet(), SheetOptions())  # no names: nothing to log
    with db.read() as s:
        events = s.scalars(select(AuditEvent)).all()
    assert len(events) == 1
    assert events[0].action == "print" and data.session_id in events[0].subject
    assert f"names={len(data.names)}" in events[0].details


def test_slips_put_one_person_on_each(db) -> None:  # type: ignore[no-untyped-def]
    data, _sheet, pdf = _pdf(db, slips=True, blank_rows=2)
    # Cut lines split each page into four slips; each slip holds one name only.
    families = [n[1] for n in data.names if n[1].isascii()]
    per_slip = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            height = 67 * 72 / 25.4
            top = 10 * 72 / 25.4
            for i in range(4):
                box = (0, top + i * height, page.width, min(page.height, top + (i + 1) * height))
                per_slip.append(page.crop(box).extract_text() or "")
    for family in families:
        holding = [s for s in per_slip if family in s]
        assert len(holding) == 1
        others = [f for f in families if f != family]
        assert not any(o in holding[0] for o in others)
    assert sum("Nom i cognoms (persona nova)" in s for s in per_slip) == 2
