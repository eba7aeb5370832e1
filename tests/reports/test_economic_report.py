"""The report's economic part (memòria econòmica): the numbers worked out by hand in
tests/support/economic_rows.py, read back from the PDF's tables, the spreadsheet's cells and the
JSON; a report of a programme with no budget nor expenses has no economic part."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pdfplumber
import pytest

from app.cli import main
from app.db.engine import Database
from app.domain.report import SECTIONS, ReportRequest
from app.services.report_output import ReportFiles
from app.services.reports import ReportService
from tests.support.economic_rows import EXPECTED_CITY, add_programme, build
from tests.support.postgres import database_args

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def _files(tmp_path: Path, lang: str) -> ReportFiles:
    return ReportFiles(
        pdf=tmp_path / f"r-{lang}.pdf", xlsx=tmp_path / f"r-{lang}.xlsx", json=tmp_path / "r.json"
    )


def _tables(path: Path) -> list[list[list[str]]]:
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for t in page.extract_tables():
                out.append([[(c or "").replace("\n", " ") for c in row] for row in t])
    return out


@pytest.fixture
def ids(db: Database) -> dict[str, str]:
    return build(db)


def test_json_holds_budget_spent_and_each_expense(
    db: Database, ids: dict[str, str], tmp_path: Path
) -> None:
    files = _files(tmp_path, "ca")
    ReportService(db).export(ReportRequest((ids["programme"],), *YEAR), files)
    assert files.json is not None
    out = json.loads(files.json.read_text(encoding="utf-8"))
    city, province = out["economic"]
    assert (city["funder"], province["funder"]) == ("Ajuntament", "Diputació")
    assert city["granted"] == 10_000.0 and city["cofinancing"]["total"] == 2_200.0
    assert city["income_total"] == 12_200.0
    lines = {x["line"]: (x["budget"], x["spent"], x["over"]) for x in city["lines"]}
    assert lines == {
        "staff": (8_000.0, 1_500.0, False),
        "travel": (1_000.0, 1_210.0, True),
        "lloguer": (1_000.0, 181.5, False),
    }
    travel = next(x for x in city["lines"] if x["line"] == "travel")
    assert travel["deviation"] == 210.0 and travel["deviation_percent"] == 21.0
    assert travel["allowed_deviation"] == 10 and travel["name"] is None
    assert city["spent_total"] == EXPECTED_CITY["spent"] / 100
    assert [e["document_number"] for e in city["expenses"]] == [
        "Nòmina 2026-03",
        "F-001",
        "2026/17",
    ]
    rent = city["expenses"][2]
    assert (rent["total"], rent["share_percent"], rent["charged"]) == (363.0, 50.0, 181.5)
    assert province["lines"] == [
        {
            "line": "staff",
            "name": None,
            "budget": 0.0,
            "spent": 1_000.0,
            "deviation": 1_000.0,
            "deviation_percent": None,
            "allowed_deviation": 20,
            "over": True,
        }
    ]


@pytest.mark.parametrize("lang", ["ca", "es"])
def test_pdf_pages_show_lines_flags_and_the_classified_list(
    db: Database, ids: dict[str, str], tmp_path: Path, lang: str
) -> None:
    files = _files(tmp_path, lang)
    ReportService(db).export(ReportRequest((ids["programme"],), *YEAR, lang=lang), files)
    assert files.pdf is not None
    with pdfplumber.open(files.pdf) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    title = {"ca": "Memòria econòmica", "es": "Memoria económica"}[lang]
    assert title in text
    over = {"ca": "Sí, superada", "es": "Sí, superada"}[lang]
    tables = _tables(files.pdf)
    by_line = [t for t in tables if len(t[0]) == 7]
    city = by_line[0]
    rows = {r[0]: r[1:] for r in city[1:]}
    travel = {"ca": "Desplaçaments", "es": "Desplazamientos"}[lang]
    assert rows[travel] == ["1.000,00", "1.210,00", "+210,00", "+21 %", "10", over]
    assert rows["Lloguer de sala"][:3] == ["1.000,00", "181,50", "-818,50"]
    total = {"ca": "Total", "es": "Total"}[lang]
    assert rows[total][:2] == ["10.000,00", "2.891,50"]
    classified = [t for t in tables if len(t[0]) == 11][0]
    flat = [r for r in classified if r[0].isdigit()]
    assert [(r[2], r[3], r[10]) for r in flat] == [
        ("", f"{'Nòmina' if lang == 'ca' else 'Nòmina'} 2026-03", "1.500,00"),
        ("B65410011", "F-001", "1.210,00"),
        ("12345678Z", "2026/17", "181,50"),
    ]
    assert any("2.891,50" in r[-1] for r in classified if r[0].startswith(("Total", "Import")))


def test_spreadsheet_one_row_per_expense_with_text_cells(
    db: Database, ids: dict[str, str], tmp_path: Path
) -> None:
    files = _files(tmp_path, "ca")
    ReportService(db).export(ReportRequest((ids["programme"],), *YEAR), files)
    wb = openpyxl.load_workbook(files.xlsx)
    ws = wb["Despeses"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    expenses, total = rows[:-1], rows[-1]
    assert len(expenses) == 4  # three for the city council, the payroll's share for the province
    rent = next(r for r in expenses if r[6] == "2026/17")
    assert rent[:3] == ("ECO", "Ajuntament", "Lloguer de sala")
    assert rent[4] == '=HYPERLINK("x")' and rent[5] == "12345678Z"
    assert rent[8] == dt.datetime(2026, 5, 4) and rent[9] is None
    assert rent[10:15] == (300.0, 63.0, 363.0, 50.0, 181.5)
    assert total[14] == pytest.approx(2_891.5 + 1_000.0)
    # The creditor someone typed as a formula is a text cell: never run.
    cell = next(c for c in ws["E"] if c.value == '=HYPERLINK("x")')
    assert cell.data_type == "s"
    budget = {
        (r[1], r[2]): r[3:]
        for r in wb["Pressupost per línia"].iter_rows(min_row=2, values_only=True)
    }
    assert budget[("Ajuntament", "Desplaçaments")] == (1000.0, 1210.0, 210.0, 21.0, 10, "Sí")
    funding = list(wb["Subvenció i cofinançament"].iter_rows(min_row=2, values_only=True))
    assert funding[0][:9] == (
        "ECO",
        "Ajuntament",
        "01/01/2026 – 31/12/2026",
        10_000.0,
        1_500.0,
        500.0,
        200.0,
        2_200.0,
        12_200.0,
    )


def test_no_economic_part_without_budget_or_expenses(db: Database, tmp_path: Path) -> None:
    pid, *_rest = add_programme(db, "BUIT")
    files = _files(tmp_path, "ca")
    data = ReportService(db).export(ReportRequest((pid,), *YEAR), files)
    assert data.economics == ()
    assert files.json is not None and "economic" not in json.loads(files.json.read_text())
    assert "Despeses" not in openpyxl.load_workbook(files.xlsx).sheetnames


def test_the_economic_section_can_be_left_out(db: Database, ids: dict[str, str]) -> None:
    sections = frozenset(SECTIONS) - {"economic"}
    data = ReportService(db).load(ReportRequest((ids["programme"],), *YEAR, sections=sections))
    assert data.economics == ()


def test_cli_report_includes_the_economic_part(
    db: Database, ids: dict[str, str], data_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.json"
    assert (
        main(
            [
                *database_args(db),
                "--data-dir",
                str(data_dir),
                "report",
                "--programme",
                "ECO",
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
                "--json",
                str(out),
            ]
        )
        == 0
    )
    assert json.loads(out.read_text())["economic"][0]["spent_total"] == 2_891.5
    assert (
        main(
            [
                *database_args(db),
                "--data-dir",
                str(data_dir),
                "report",
                "--programme",
                "ECO",
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
                "--json",
                str(out),
                "--no-economic",
            ]
        )
        == 0
    )
    assert "economic" not in json.loads(out.read_text())


def test_evidence_pack_holds_the_invoices_of_the_period(
    db: Database, ids: dict[str, str], tmp_path: Path
) -> None:
    import zipfile

    from app.services.economics import EconomicsService

    svc = EconomicsService(db)
    rent = next(e for e in svc.expenses(ids["programme"]) if e.document_number == "2026/17")
    early = next(e for e in svc.expenses(ids["programme"]) if e.document_number == "T-9")
    scan = tmp_path / "lloguer.JPG"
    scan.write_bytes(b"\xff\xd8\xff\xe0 rent")
    svc.attach(rent.id, scan)
    svc.attach(early.id, scan)  # dated in 2025: not in the 2026 pack
    pack = tmp_path / "pack.zip"
    members = ReportService(db).evidence_pack(
        ReportRequest((ids["programme"],), *YEAR), pack, sheet_maker=None
    )
    invoices = [m for m in members if m.startswith("factures/")]
    assert invoices == ["factures/20260504-hyperlink-x-2026-17.jpg"]
    with zipfile.ZipFile(pack) as zf:
        assert zf.read(invoices[0]) == b"\xff\xd8\xff\xe0 rent"


def test_long_creditor_names_wrap_in_the_classified_list(
    db: Database, ids: dict[str, str], tmp_path: Path
) -> None:
    """A cooperative's whole legal name is printed over as many lines as it needs (up to three),
    not cut with "…"; the rows below it move down and keep their figures."""
    from sqlalchemy import update

    from app.db.models import Expense

    long_name = "Cooperativa de Transports i Serveis Socioculturals del Barri de Sants SCCL"
    with db.begin() as s:
        s.execute(
            update(Expense)
            .where(Expense.creditor == "Autocars Sants SL")
            .values(creditor=long_name)
        )
    files = _files(tmp_path, "ca")
    ReportService(db).export(ReportRequest((ids["programme"],), *YEAR), files)
    assert files.pdf is not None
    classified = [t for t in _tables(files.pdf) if len(t[0]) == 11][0]
    flat = [r for r in classified if r[0].isdigit()]
    assert [(r[1], r[3], r[10]) for r in flat][1] == (long_name, "F-001", "1.210,00")
    assert "…" not in " ".join(r[1] for r in flat)
    with pdfplumber.open(files.pdf) as pdf:
        words = [
            w for p in pdf.pages for w in p.extract_words() if w["text"] in ("Cooperativa", "SCCL")
        ]
    first, last = words[0], words[-1]
    assert last["top"] > first["top"]  # on a line of its own below the first
