"""The justification report's optional community sections: groups accompanied and mediation,
and the needs detected with what was done, in the PDF and the spreadsheet (ca and es); off
unless asked for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pdfplumber
import pytest

from app.db.engine import Database
from app.db.models import Organisation, Staff
from app.domain.community import CaseDTO, GroupDTO, NeedDTO
from app.domain.report import DEFAULT_SECTIONS, ReportRequest
from app.services.community import CommunityService
from app.services.mediation import MediationService
from app.services.needs import NeedsService
from app.services.report_output import ReportFiles
from app.services.reports import ReportService

pytestmark = pytest.mark.pdf
D = dt.date
YEAR = (D(2026, 1, 1), D(2026, 12, 31))


def _text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.fixture
def filled(db: Database) -> Database:
    with db.begin() as s:
        laia = Staff(name="Laia")
        org = Organisation(name="Serveis Socials Sants")
        s.add_all([laia, org])
        s.flush()
        staff, org_id = laia.id, org.id
    community = CommunityService(db)
    group, _c = community.save_group(
        GroupDTO(None, "Comunitat Olzinelles 12", "residents_community"), since=D(2026, 2, 1)
    )
    assert group.id is not None
    community.change_stage(group.id, "autonomous", D(2026, 10, 1))
    MediationService(db).save(
        CaseDTO(None, "MED-01", D(2026, 3, 1), staff_ids=(staff,), closed_on=D(2026, 4, 1),
                outcome="partial_agreement")
    )  # fmt: skip
    NeedsService(db).save(
        NeedDTO(None, "Persones grans soles", D(2026, 5, 9), place="Sants",
                response="passed_on", response_organisation_id=org_id, response_date=D(2026, 6, 1))
    )  # fmt: skip
    return db


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ca", ("Grups acompanyats i mediació comunitària", "Tancats: Acord parcial",
                "Necessitats detectades i respostes", "Traslladat a un servei")),
        ("es", ("Grupos acompañados y mediación comunitaria", "Cerrados: Acuerdo parcial",
                "Necesidades detectadas y respuestas", "Trasladado a un servicio")),
    ],
)  # fmt: skip
def test_the_sections_print_when_asked(
    filled: Database, tmp_path: Path, lang: str, words: tuple[str, ...]
) -> None:
    service = ReportService(filled)
    plain = ReportRequest(None, *YEAR, lang=lang)
    service.export(plain, ReportFiles(pdf=tmp_path / "plain.pdf"))
    text = _text(tmp_path / "plain.pdf")
    assert not any(w in text for w in words)
    asked = ReportRequest(
        None, *YEAR, lang=lang, sections=DEFAULT_SECTIONS | {"community", "needs"}
    )
    service.export(asked, ReportFiles(pdf=tmp_path / "r.pdf", xlsx=tmp_path / "r.xlsx"))
    text = _text(tmp_path / "r.pdf")
    for w in words:
        assert w in text, w
    assert "Persones grans soles" in text and "Serveis Socials Sants" in text
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    needs = next(
        ws
        for ws in book.worksheets
        if ws.cell(1, 2).value in ("Necessitat o repte", "Necesidad o reto")
    )
    assert needs.cell(2, 2).value == "Persones grans soles"
    assert needs.cell(2, 1).value.date() == D(2026, 5, 9)
    community = next(ws for ws in book.worksheets if ws.cell(1, 3).value in ("Nombre", "Número"))
    rows = {r[1]: r[2] for r in community.iter_rows(min_row=2, values_only=True)}
    assert rows[words[1]] == 1
