"""Layout of the printed documents read back from the PDFs: what a signing participant or a
funder's auditor would stumble on (a box alone on a page, rows too short to sign, a cut date or
notice, text spilling over a cut line, mixed languages, unreadable spreadsheet headers)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import threading
import warnings
from pathlib import Path

import openpyxl
import pdfplumber
import pypdfium2
import pytest
from PIL import Image

from app.cli import main
from app.db.engine import Database, open_database
from app.demo.logos import logo_png
from app.domain.report import ReportRequest
from app.domain.sheets import SheetOptions
from app.i18n import translator
from app.reports import layout
from app.reports.attendance_sheet import SLIP_H, build_sheet, split_rows
from app.reports.layout import MARGIN, MM
from app.services.report_output import ReportFiles
from app.services.reports import ReportService
from app.services.sheets import SheetService
from tests.report_dataset import PERIOD
from tests.report_dataset import build as build_report_data
from tests.reports import sheet_data
from tests.support.postgres import database_args
from tests.support.templates import DatabaseTemplates

BOX_CAPTION = {"ca": "Signatura de la persona dinamitzadora", "ca+es": "Firma de la persona"}


def _numbers_on(page: pdfplumber.page.Page) -> list[int]:
    """The row numbers: digits in the number column (10 mm margin + 9 mm column)."""
    return [
        int(w["text"])
        for w in page.extract_words()
        if w["x1"] < 19 * MM and w["text"].isdigit() and w["top"] > 40 * MM
    ]


def _pages(pdf_bytes: bytes) -> list[tuple[str, list[int]]]:
    """Each page's text and row numbers (the words :func:`_numbers_on` takes), read with PDFium:
    fifty times faster than pdfplumber, so the sweeps below check dozens of sheets in a second."""
    doc = pypdfium2.PdfDocument(pdf_bytes)
    try:
        pages = []
        for page in doc:
            text = page.get_textpage()
            chars = text.get_text_range()
            height = page.get_height()
            numbers, word, right, top = [], "", 0.0, 0.0
            for index, char in enumerate(chars + " "):
                if not char.isspace():
                    _left, _bottom, char_right, char_top = text.get_charbox(index)
                    word += char
                    right, top = max(right, char_right), max(top, char_top)
                    continue
                # pdfplumber's test: the word ends left of 19 mm and starts below 40 mm.
                if word.isdigit() and right < 19 * MM and height - top > 40 * MM:
                    numbers.append(int(word))
                word, right, top = "", 0.0, 0.0
            pages.append((chars, numbers))
        return pages
    finally:
        doc.close()


@pytest.mark.parametrize("lang", ["ca", "ca+es"])
def test_facilitator_box_never_alone_and_every_name_printed(db: Database, lang: str) -> None:
    data = sheet_data.build(db, extra=50)
    full = SheetService(db).session_sheet(data.session_id)
    for count in (0, 3, 10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 33, 36, 37, 38, 40, 60):
        for blank_rows in (0, 5):
            sheet = dataclasses.replace(full, people=full.people[:count])
            out = io.BytesIO()
            build_sheet(sheet, SheetOptions(lang=lang, blank_rows=blank_rows), out)
            pages = _pages(out.getvalue())
            where = [i for i, (t, _n) in enumerate(pages) if BOX_CAPTION[lang] in t]
            assert len(where) == 1, (count, blank_rows)
            last = where[0]
            assert last == len(pages) - 1
            numbers = [n for _t, ns in pages for n in ns]
            # Every name gets its row; blank rows only while they leave room for the box.
            assert numbers == list(range(1, len(numbers) + 1))
            assert count <= len(numbers) <= count + blank_rows
            if count + blank_rows:
                assert pages[last][1], (count, blank_rows)  # rows above the box on its page


def test_signature_rows_and_slip_boxes_are_tall_enough(db: Database) -> None:
    data = sheet_data.build(db, extra=20)
    service = SheetService(db)
    sheet = service.session_sheet(data.session_id)
    for opts in (SheetOptions(lang="ca+es"), SheetOptions(lang="ca+es", slips=True)):
        with pdfplumber.open(io.BytesIO(service.pdf(sheet, opts, record=False))) as pdf:
            page = pdf.pages[0]
            if opts.slips:
                boxes = [r for r in page.rects if r["width"] > 40 * MM]
                assert len(boxes) >= 8
                assert min(r["height"] for r in boxes) >= 9 * MM
            else:
                ys = sorted({round(ln["top"], 1) for ln in page.lines if ln["width"] > 150 * MM})
                gaps = [b - a for a, b in zip(ys, ys[1:], strict=False)]
                assert len(gaps) > 10
                # Page rule to table (2.5 mm), the header row (7 mm), then the rows people sign
                # on: every one at least 9 mm.
                assert gaps[1] == pytest.approx(7 * MM, abs=0.2)
                assert min(gaps[2:]) >= 9 * MM


def test_bilingual_notice_is_one_paragraph_with_both_labels() -> None:
    notice = layout.privacy_notice(
        translator("ca+es"),
        controller="Associació Veïnal de Sants",
        purpose="Gestionar la inscripció a les activitats.",
        rights_contact="dades@example.org",
    )
    assert notice.startswith(
        "Informació bàsica sobre protecció de dades / Información básica sobre protección de datos."
    )
    assert "Finalitat / Finalidad: Gestionar la inscripció a les activitats." in notice
    # The entity's own text once; the defaults in both languages.
    assert notice.count("Gestionar la inscripció") == 1
    assert "Legitimació / Legitimación:" in notice
    assert "adreçant-vos a dades@example.org / acceso" in notice
    assert notice.count("Responsable") == 1
    # Monolingual notices carry nothing of the other language.
    es = layout.privacy_notice(translator("es"), controller="AVS")
    assert "Finalidad:" in es and "Finalitat" not in es and " / " not in es


def test_a_rights_sentence_of_the_entity_prints_as_written() -> None:
    sentence = (
        "Podeu exercir els drets d'accés, rectificació i supressió adreçant-vos a "
        "dades@example.org o a la seu de l'entitat."
    )
    notice = layout.privacy_notice(translator("ca"), controller="AVS", rights_contact=sentence)
    assert f"Drets: {sentence}" in notice
    assert "adreçant-vos a Podeu" not in notice
    short = layout.privacy_notice(translator("ca"), controller="AVS", short=True)
    assert "Finalitat:" in short and "Drets:" in short and "Destinataris" not in short


def test_slips_keep_the_whole_date_and_notice_inside_each_slip(db: Database) -> None:
    data = sheet_data.build(db)
    service = SheetService(db)
    sheet = service.session_sheet(data.session_id)
    pdf_bytes = service.pdf(sheet, SheetOptions(lang="ca+es", slips=True), record=False)
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[0]
        top = MARGIN  # slips have no page header: the first starts at the top margin
        for i in range(4):
            y0, y1 = top + i * SLIP_H, top + (i + 1) * SLIP_H
            # No character straddles a cut line: each slip holds all of its own text.
            assert not [c for c in page.chars if c["top"] < y1 < c["bottom"]]
            slip = page.crop((0, y0, page.width, y1)).extract_text() or ""
            assert "dimarts, 24 de novembre del 2026 / martes, 24 de noviembre de 2026" in slip
            assert "…" not in slip
            assert slip.rstrip().endswith("dades@example.org.")


def test_grid_reference_names_the_activity(db: Database) -> None:
    data = sheet_data.build(db)
    sheet_data.add_sessions(db, data.activity_id, [dt.date(2026, 11, 3), dt.date(2026, 11, 10)])
    service = SheetService(db)
    grid = service.activity_grid(data.activity_id, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    pdf_bytes = service.pdf(grid, SheetOptions(lang="es"), record=False)
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        text = pdf.pages[0].extract_text() or ""
    assert f"Actividad {data.activity_id[:8]}" in text
    assert "Sesión" not in text


def test_demo_logos_look_like_logos() -> None:
    image = Image.open(io.BytesIO(logo_png("AB", "#c8102e", "Ajuntament de Barcelona")))
    assert image.width > 2.5 * image.height  # emblem and the name beside it
    colours = image.convert("RGB").getcolors(maxcolors=100_000) or []
    assert len(colours) > 20  # text and emblem, not a flat block
    emblem = Image.open(io.BytesIO(logo_png("SAC", "#7a3b8f")))
    assert emblem.width < 1.5 * emblem.height


def test_empty_period_says_so_instead_of_empty_tables(db: Database, tmp_path: Path) -> None:
    ids = build_report_data(db)
    path = tmp_path / "empty.pdf"
    req = ReportRequest((ids["prog"],), dt.date(2030, 1, 1), dt.date(2030, 12, 31), lang="es")
    ReportService(db).export(req, ReportFiles(pdf=path))
    with pdfplumber.open(path) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
        tables = [t for p in pdf.pages for t in p.extract_tables()]
    assert text.count("No se ha realizado ninguna sesión en el periodo.") == 2
    assert not any(t[0][0] == "Actividad" for t in tables)
    assert not any(t[0][0] == "Fecha" for t in tables)


def test_spreadsheet_headers_wrap_and_kinds_are_words(db: Database, tmp_path: Path) -> None:
    ids = build_report_data(db)
    path = tmp_path / "r.xlsx"
    req = ReportRequest((ids["prog"],), *PERIOD, lang="ca+es")
    ReportService(db).export(req, ReportFiles(xlsx=path))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert all(c.alignment.wrap_text for c in ws[1] if c.value)
    ws = wb.worksheets[1]  # indicators
    kinds = {row[2] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert kinds and not kinds & {"participants", "sessions", "attendances", "manual"}
    long_head = max(ws[1], key=lambda c: len(str(c.value or "")))
    width = ws.column_dimensions[long_head.column_letter].width
    if len(str(long_head.value)) > width:
        assert ws.row_dimensions[1].height >= 30


def test_cli_report_of_the_whole_entity(db: Database, tmp_path: Path, data_dir: Path) -> None:
    build_report_data(db)
    db.close()
    out = tmp_path / "all.json"
    args = [*database_args(db), "--data-dir", str(data_dir), "report", "--all"]
    assert main([*args, "--from", "2026-01-01", "--to", "2026-12-31", "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    assert figures["programme"] is None and len(figures["programmes"]) == 2


def test_usual_support_phrases_print_in_the_documents_language() -> None:
    es, both = translator("es"), translator("ca+es")
    assert layout.localise_support("Amb el suport de", es) == "Con el apoyo de"
    assert layout.localise_support("amb el finançament de:", es) == "Con la financiación de"
    assert layout.localise_support("Con el apoyo de", both) == "Amb el suport de / Con el apoyo de"
    # A text of the funder's own stays as written.
    own = "Projecte subvencionat per l'Àrea de Drets Socials"
    assert layout.localise_support(own, es) == own


def test_bilingual_cover_gives_each_sentence_its_own_date(db: Database, tmp_path: Path) -> None:
    ids = build_report_data(db)
    path = tmp_path / "r.pdf"
    req = ReportRequest((ids["prog"],), *PERIOD, lang="ca+es")
    ReportService(db).export(req, ReportFiles(pdf=path))
    with pdfplumber.open(path) as pdf:
        cover = " ".join((pdf.pages[0].extract_text() or "").split())
    today = dt.date.today()
    ca = f"Memòria elaborada el {today.day} de"
    es = f"Memoria elaborada el {today.day} de"
    assert ca in cover and es in cover
    sentence_ca = cover[cover.index(ca) : cover.index(es)]
    assert "de 20" not in sentence_ca.replace(f"del {today.year}", "")  # no Spanish date in it


def test_split_rows_keeps_the_box_with_rows() -> None:
    # 19 rows a page, 15 with the box below them.
    assert split_rows(10, 5, 19, 15) == (5, [(0, 15)])
    assert split_rows(12, 5, 19, 15) == (3, [(0, 15)])  # two blank rows left out
    assert split_rows(17, 0, 19, 15) == (0, [(0, 16), (16, 17)])  # last name carried over
    assert split_rows(17, 1, 19, 15) == (1, [(0, 17), (17, 18)])
    assert split_rows(40, 5, 19, 15) == (5, [(0, 19), (19, 38), (38, 45)])
    assert split_rows(0, 0, 19, 15) == (0, [(0, 0)])


def test_register_grid_box_never_alone(db: Database) -> None:
    data = sheet_data.build(db, extra=40)
    sheet_data.add_sessions(db, data.activity_id, [dt.date(2026, 11, 3), dt.date(2026, 11, 10)])
    service = SheetService(db)
    grid = service.activity_grid(data.activity_id, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    for count in range(len(grid.people) - 6, len(grid.people) + 1):
        sheet = dataclasses.replace(grid, people=grid.people[:count])
        out = io.BytesIO()
        build_sheet(sheet, SheetOptions(lang="ca", blank_rows=0), out)
        pages = _pages(out.getvalue())
        last_text, last_numbers = pages[-1]
        assert "Signatura de la persona dinamitzadora" in last_text
        assert last_numbers, count
        numbers = [n for _t, ns in pages for n in ns]
        assert numbers == list(range(1, count + 1))


def test_bilingual_grid_period_keeps_each_language_whole(db: Database) -> None:
    data = sheet_data.build(db)
    sheet_data.add_sessions(db, data.activity_id, [dt.date(2026, 11, 3)])
    service = SheetService(db)
    grid = service.activity_grid(data.activity_id, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    pdf_bytes = service.pdf(grid, SheetOptions(lang="ca+es"), record=False)
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        text = " ".join((pdf.pages[0].extract_text() or "").split())
    assert (
        "de l’1 de novembre del 2026 al 30 de novembre del 2026 / "
        "del 1 de noviembre de 2026 al 30 de noviembre de 2026"
    ) in text


def test_every_funder_is_on_the_strip_even_when_many(tmp_path: Path) -> None:
    names = [f"Entitat finançadora número {i}" for i in range(8)]
    funders = tuple(
        layout.FunderMark(n, "Amb el suport de", logo_png(f"E{i}", "#336699", n))
        for i, n in enumerate(names)
    )
    decor = layout.PageDecor(entity_name="AVS", title="Full", funders=funders)
    path = tmp_path / "strip.pdf"
    canvas = layout.numbered_canvas(str(path), decor)
    canvas.showPage()
    canvas.save()
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        logos = sorted(page.images, key=lambda im: im["x0"])
        assert len(logos) == len(names)
        assert logos[-1]["x1"] <= page.width - MARGIN + 0.5
        # Side by side, none over another.
        assert all(a["x1"] <= b["x0"] for a, b in zip(logos, logos[1:], strict=False))


def test_logos_repeated_on_every_page_are_stored_once(tmp_path: Path) -> None:
    funders = tuple(
        layout.FunderMark(f"Entitat {i}", "Amb el suport de", logo_png(f"E{i}", "#336699", "x"))
        for i in range(3)
    )
    decor = layout.PageDecor(entity_name="AVS", title="Full", funders=funders)

    def document(pages: int) -> Path:
        path = tmp_path / f"{pages}.pdf"
        canvas = layout.numbered_canvas(str(path), decor)
        for _ in range(pages):
            canvas.showPage()
        canvas.save()
        return path

    with pdfplumber.open(document(4)) as pdf:
        places = [sorted((round(im["x0"], 2), round(im["top"], 2)) for im in page.images)
                  for page in pdf.pages]  # fmt: skip
    assert len(places) == 4 and len(places[0]) == 3
    assert all(p == places[0] for p in places)  # the same logos in the same places
    # The images in the file are those of one page, however many pages show them.
    stored = [document(n).read_bytes().count(b"/Subtype /Image") for n in (1, 4)]
    assert stored[0] >= 3 and stored[0] == stored[1]


def _drawn_together(decor: layout.PageDecor) -> tuple[list[bytes], list[BaseException]]:
    """A one-page document drawn by two threads at the same moment: each one's file, and what
    failed."""
    start = threading.Barrier(2)
    out: list[bytes] = []
    failures: list[BaseException] = []

    def draw() -> None:
        try:
            buf = io.BytesIO()
            canvas = layout.numbered_canvas(buf, decor)
            start.wait()
            canvas.showPage()
            canvas.save()
            out.append(buf.getvalue())
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            failures.append(exc)

    threads = [threading.Thread(target=draw) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out, failures


def test_logos_drawn_by_two_threads_at_once_are_whole() -> None:
    """The window builds a sheet's preview while the documents are made ready in the background:
    each thread decodes its own copy of a logo (Pillow's decoding of one image from two threads
    at once failed), and both documents carry every logo."""
    data = logo_png("E0", "#336699", "x")
    mine = layout._image(data)
    assert layout._image(data) is mine  # decoded once per thread
    other: list[object] = []
    thread = threading.Thread(target=lambda: other.append(layout._image(data)))
    thread.start()
    thread.join()
    assert other and other[0] is not mine

    for attempt in range(6):  # fresh logos each time: the first drawing decodes them
        funders = tuple(
            layout.FunderMark(f"E{i}", "Amb el suport de", logo_png(f"T{attempt}{i}", "#c8102e"))
            for i in range(3)
        )
        decor = layout.PageDecor(entity_name="AVS", title="Full", funders=funders)
        out, failures = _drawn_together(decor)
        assert not failures
        for pdf_bytes in out:
            with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
                assert len(pdf.pages[0].images) == 3


def test_register_grid_rows_are_tall_enough_to_sign(db: Database) -> None:
    data = sheet_data.build(db, extra=30)
    days = [dt.date(2026, 11, d) for d in range(2, 28) if dt.date(2026, 11, d).weekday() < 5]
    sheet_data.add_sessions(db, data.activity_id, days)
    service = SheetService(db)
    grid = service.activity_grid(data.activity_id, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    with pdfplumber.open(io.BytesIO(service.pdf(grid, SheetOptions(), record=False))) as pdf:
        page = pdf.pages[0]
        ys = sorted({round(ln["top"], 1) for ln in page.lines if ln["width"] > 150 * MM})
    gaps = [b - a for a, b in zip(ys, ys[1:], strict=False)]
    body = [g for g in gaps if g > 3 * MM][1:]  # past the header row
    assert len(body) > 10
    assert min(body) >= 9 * MM - 0.1


def test_slip_qr_codes_read_back_from_a_scan(db: Database) -> None:
    import pypdfium2
    from pyzbar.pyzbar import decode

    data = sheet_data.build(db)
    service = SheetService(db)
    sheet = service.session_sheet(data.session_id)
    pdf_bytes = service.pdf(sheet, SheetOptions(slips=True), record=False)
    image = pypdfium2.PdfDocument(pdf_bytes)[0].render(scale=200 / 72).to_pil()
    codes = [c.data.decode() for c in decode(image)]
    assert codes == [data.session_id] * 4


@pytest.mark.parametrize("lang", [pytest.param("ca", marks=pytest.mark.slow), "ca+es"])
def test_demo_report_never_ends_a_page_with_a_heading(
    db_templates: DatabaseTemplates, tmp_path: Path, lang: str
) -> None:
    """The whole demo year printed: no page ends with a heading. Bilingual (the longer text) in
    the default run, Catalan alone with the slow tests."""
    today = dt.date(2026, 11, 26)
    db = open_database(db_templates.place(db_templates.demo(today=today)))
    path = tmp_path / "r.pdf"
    req = ReportRequest(None, dt.date(2026, 1, 1), dt.date(2026, 12, 31), lang=lang)
    try:
        ReportService(db).export(req, ReportFiles(pdf=path))
    finally:
        db.close()
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) > 5
        for number, page in enumerate(pdf.pages[1:], 2):
            body = [c for c in page.chars if 35 * MM < c["top"] < page.height - 50 * MM]
            headings = [c for c in body if c["size"] >= 10.9 and "Bold" in c["fontname"]]
            if not headings:
                continue
            last_heading = max(c["top"] for c in headings)
            below = [c for c in body if c["top"] > last_heading + 5 and c["size"] < 10.9]
            assert below, f"page {number} ends with a heading"


def test_spreadsheet_sessions_have_real_dates_and_times(db: Database, tmp_path: Path) -> None:
    ids = build_report_data(db)
    path = tmp_path / "r.xlsx"
    ReportService(db).export(ReportRequest((ids["prog"],), *PERIOD), ReportFiles(xlsx=path))
    ws = openpyxl.load_workbook(path)["Sessions realitzades"]
    row = next(ws.iter_rows(min_row=2, max_row=2))
    assert isinstance(row[0].value, dt.datetime) and row[0].number_format == "DD/MM/YYYY"
    assert isinstance(row[1].value, dt.time) and row[1].number_format == "HH:MM"
    assert row[2].value > row[1].value


def test_catalan_dates_elide_the_article_before_1_and_11() -> None:
    from app.reports.report_labels import period_label
    from app.reports.text import catalan_dates

    assert catalan_dates("del 11 de maig al 1 de juny") == "de l’11 de maig a l’1 de juny"
    assert catalan_dates("Memòria elaborada el 1 de març.") == "Memòria elaborada l’1 de març."
    assert catalan_dates("Del 21 de maig al 31 de maig") == "Del 21 de maig al 31 de maig"
    both = period_label(translator("ca+es"), dt.date(2026, 9, 1), dt.date(2027, 8, 31))
    assert both.startswith("De l’1 de setembre del 2026 al 31 d’agost del 2027 / Del 1 de sep")


def test_east_asian_names_keep_family_name_first_on_slips(db: Database) -> None:
    data = sheet_data.build(db)
    service = SheetService(db)
    sheet = service.session_sheet(data.session_id)
    pdf_bytes = service.pdf(sheet, SheetOptions(slips=True), record=False)
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert "王明" in text and "明 王" not in text
    assert "Pau Gil·labert" in text


def test_pdf_title_names_the_sheet(db: Database) -> None:
    from pypdf import PdfReader

    data = sheet_data.build(db)
    service = SheetService(db)
    sheet = service.session_sheet(data.session_id)
    for opts, kind in (
        (SheetOptions(lang="es"), "Hoja de asistencia"),
        (SheetOptions(lang="ca", slips=True), "Full individual d'assistència"),
    ):
        reader = PdfReader(io.BytesIO(service.pdf(sheet, opts, record=False)))
        assert reader.metadata.title == f"{kind} · Taller de costura · 2026-11-24"


def test_spreadsheet_prints_one_page_wide_with_headers_repeated(
    db: Database, tmp_path: Path
) -> None:
    ids = build_report_data(db)
    path = tmp_path / "r.xlsx"
    req = ReportRequest((ids["prog"],), *PERIOD, lang="ca+es")
    ReportService(db).export(req, ReportFiles(xlsx=path))
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1"
        # Every text value fits its column (up to the cap for very long texts).
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value:
                    width = ws.column_dimensions[cell.column_letter].width
                    assert width >= min(len(cell.value) + 2, 70), (ws.title, cell.value)


def test_bilingual_column_headings_wrap_instead_of_shrinking(db: Database) -> None:
    data = sheet_data.build(db)
    service = SheetService(db)
    sheet = service.session_sheet(data.session_id)
    pdf_bytes = service.pdf(sheet, SheetOptions(lang="ca+es", show_masked_id=True), record=False)
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[0]
        head = page.search("Documento (parcial)") or page.search("Documento")
        assert head
        row_top = head[0]["top"]
        heading_chars = [
            c for c in page.chars if abs(c["top"] - row_top) < 12 and "Bold" in c["fontname"]
        ]
    assert heading_chars and min(c["size"] for c in heading_chars) >= 6.4
