"""Documents in Valencian (ca-valencia) and bilingual Valencian and Spanish, read back as text:
the AVL's forms and the Valencian date style ("de 2026", never Barcelona's "del 2026")."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber

from app.db.engine import Database
from app.domain.report import ReportRequest
from app.domain.sheets import SheetOptions
from app.services.report_output import ReportFiles
from app.services.reports import ReportService
from app.services.sheets import SheetService
from tests.report_dataset import PERIOD
from tests.report_dataset import build as build_report
from tests.reports.sheet_data import build as build_sheet


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def test_a_session_sheet_in_valencian(db: Database) -> None:
    data = build_sheet(db, 0)
    service = SheetService(db)
    sheet = service.session_sheet(data.session_id)
    text = _text(service.pdf(sheet, SheetOptions(lang="ca-valencia")))
    assert "Full d'assistència" in text
    assert "Data: dimarts, 24 de novembre de 2026" in text
    assert "missió d'interés públic" in text  # the Valencian accent
    assert "del 2026" not in text and "interès" not in text
    assert "Hoja de asistencia" not in text

    both = _text(service.pdf(sheet, SheetOptions(lang="ca-valencia+es")))
    assert "Full d'assistència / Hoja de asistencia" in both
    assert "dimarts, 24 de novembre de 2026 / martes, 24 de noviembre de 2026" in both


def test_a_justification_report_in_valencian(db: Database, tmp_path: Path) -> None:
    ids = build_report(db)
    service = ReportService(db)
    path = tmp_path / "memoria.pdf"
    service.export(
        ReportRequest((ids["prog"],), *PERIOD, lang="ca-valencia"), ReportFiles(pdf=path)
    )
    text = _text(path.read_bytes())
    assert "Memòria d'actuació" in text
    assert "De l’1 de gener de 2026 al 31 de desembre de 2026" in text
    assert "Persones participants (úniques)" in text
    assert "del 2026" not in text and "Memoria de actuación" not in text

    path = tmp_path / "memoria-bilingue.pdf"
    service.export(
        ReportRequest((ids["prog"],), *PERIOD, lang="ca-valencia+es"), ReportFiles(pdf=path)
    )
    both = _text(path.read_bytes())
    assert "Memòria d'actuació / Memoria de actuación" in both
    assert "de 2026 / " in both
