"""The shared page base works for flowing documents too (minutes, reports)."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from app.domain.sheets import SheetOptions
from app.i18n import translator
from app.reports import fonts, layout
from app.reports.attendance_sheet import build_sheet
from tests.reports.sheet_data import add_sessions, build


def test_platypus_document_gets_header_footer_and_page_totals() -> None:
    decor = layout.PageDecor(
        entity_name="Associació Veïnal de Sants",
        title="Acta",
        fields=(("Xarxa", "Xarxa d'Infància"), ("Data", "")),
        funders=(layout.FunderMark("Ajuntament de Barcelona", "Amb el suport de"),),
        privacy_notice=layout.privacy_notice(translator("ca"), controller="AVS"),
        page_label="Pàgina {page} de {pages}",
    )
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=decor.pagesize,
        topMargin=decor.pagesize[1] - decor.content_top(),
        bottomMargin=decor.content_bottom(),
        leftMargin=layout.MARGIN,
        rightMargin=layout.MARGIN,
    )
    style = ParagraphStyle("body", fontName=fonts.ensure_font(fonts.SANS), fontSize=11, leading=14)
    doc.build(
        [Paragraph(f"Acord {i}: text de prova.", style) for i in range(150)],
        canvasmaker=layout.canvas_maker(decor),
    )
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        pages = [p.extract_text() for p in pdf.pages]
    assert len(pages) > 2
    for i, text in enumerate(pages, 1):
        assert "Acta" in text and "Amb el suport de" in text
        assert f"Pàgina {i} de {len(pages)}" in text
        assert "Informació bàsica sobre protecció de dades" in text


def test_many_dates_continue_on_further_pages(db) -> None:  # type: ignore[no-untyped-def]
    data = build(db)
    days = [dt.date(2026, 9, 1) + dt.timedelta(days=i) for i in range(60)]
    add_sessions(db, data.activity_id, days)
    from app.services.sheets import SheetService

    service = SheetService(db)
    sheet = service.activity_grid(data.activity_id, days[0], days[-1])
    out = io.BytesIO()
    build_sheet(sheet, SheetOptions(lang="ca", blank_rows=0), out)
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        texts = [p.extract_text() for p in pdf.pages]
    # 60 dates at 27 a page; the last dates' rows go on two pages so that the facilitator's box
    # (below 9 mm rows) shares its page with the last row.
    assert len(texts) == 4
    assert "1/9" in texts[0] and "30/10" in texts[-1] and "30/10" not in texts[0]
    assert "30/10" in texts[-2] and "Signatura de la persona dinamitzadora" in texts[-1]
    assert all("Gil·labert" in t for t in texts[:-1])


def test_paragraph_markup_prints_every_script_with_its_font() -> None:
    import unicodedata

    from app.reports import text

    style = ParagraphStyle("body", fontName=fonts.ensure_font(fonts.SANS), fontSize=11)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out)
    value = "Assisteixen: Coŀlegi <Sants> & Αλέξης, 王明, محمد علي i ሰላም"
    doc.build([Paragraph(text.markup(value), style)])
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        chars = pdf.pages[0].chars
        extracted = pdf.pages[0].extract_text()
    assert "Coŀlegi <Sants> & Αλέξης" in extracted and "[?]" in extracted
    fonts_of = {c["text"]: c["fontname"].split("+")[-1] for c in chars}
    assert fonts_of["王"] == "DroidSansFallback" and fonts_of["Α"] == "NotoSans-Regular"
    arabic = "".join(c["text"] for c in chars if "Naskh" in c["fontname"])
    assert unicodedata.normalize("NFKC", arabic)[::-1].strip() == "محمد علي"
