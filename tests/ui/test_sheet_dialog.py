"""The print-sheet dialog: options change the preview; saving writes the PDF and logs the print."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.db.models import AuditEvent
from app.services.sheets import SheetService
from tests.reports.sheet_data import build
from tests.support.fake_prompts import FakePrompts
from ui.dialogs.sheet_dialog import for_session


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages)


def test_options_update_the_preview_and_save_writes_the_names(qtbot, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = build(db, extra=20)
    out = tmp_path / "full.pdf"
    prompts = FakePrompts([str(out)])
    dialog = for_session(SheetService(db), data.session_id, prompts)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.page_count >= 2)  # the preview is built in the background
    assert "Full d" in _text(dialog.preview_pdf)
    first_pages = dialog.page_count

    dialog.lang.setCurrentIndex(dialog.lang.findData("es"))
    qtbot.waitUntil(lambda: "Hoja de asistencia" in _text(dialog.preview_pdf))

    dialog.blank_rows.setValue(40)
    qtbot.waitUntil(lambda: dialog.page_count > first_pages)
    assert dialog.pages_layout.count() == dialog.page_count

    # The preview alone is not a print: nothing logged yet.
    with db.read() as s:
        assert s.scalars(select(AuditEvent)).all() == []

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    text = _text(out.read_bytes())
    for given, family, _n in data.names[:4]:
        assert family in text and given in text
    assert "Hoja de asistencia" in text
    with db.read() as s:
        events = s.scalars(select(AuditEvent)).all()
    assert [e.action for e in events] == ["print"]
    assert prompts.shown == []


def test_unknown_session_shows_an_error_instead_of_failing(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    build(db)
    prompts = FakePrompts([])
    dialog = for_session(SheetService(db), "no-such-session", prompts)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(prompts.shown))
    assert dialog.page_count == 0
    assert "no-such-session" in prompts.shown[0].text


def test_this_weeks_sheets_in_one_preview(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from app.db.models import Session
    from tests.reports.sheet_data import SESSION_DATE
    from ui.dialogs.sheet_dialog import for_week

    data = build(db)
    monday = SESSION_DATE - dt.timedelta(days=SESSION_DATE.weekday())
    with db.begin() as s:
        s.add(Session(activity_id=data.activity_id, date=monday))
    dialog = for_week(SheetService(db), monday, FakePrompts([]))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.page_count == 2)
    text = _text(dialog.preview_pdf)
    assert text.count("Pàgina 1 de 1") == 2


def test_print_renders_every_page_and_options_are_remembered(qtbot, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    from app.services.sheets import SheetService

    data = build(db, extra=20)
    dialog = for_session(SheetService(db), data.session_id, FakePrompts([]))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.page_count >= 2)
    dialog.lang.setCurrentIndex(dialog.lang.findData("ca+es"))
    dialog.blank_rows.setValue(8)
    dialog.masked_id.setChecked(True)
    qtbot.waitUntil(lambda: "Signatura / Firma" in _text(dialog.preview_pdf))
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_to(printer)
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == dialog.page_count
    with db.read() as s:
        assert [e.action for e in s.scalars(select(AuditEvent))] == ["print"]
    # Language and blank rows come back next time; the masked ID column does not.
    again = SheetService(db).saved_options()
    assert (again.lang, again.blank_rows, again.show_masked_id) == ("ca+es", 8, False)
    second = for_session(SheetService(db), data.session_id, FakePrompts([]))
    qtbot.addWidget(second)
    assert second.lang.currentData() == "ca+es" and not second.masked_id.isChecked()
