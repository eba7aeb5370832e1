"""Hostile spreadsheets: each is refused with one translated sentence, in time and memory that
follow the file's real content, and nothing is written."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app import i18n
from app.db.engine import Database
from app.db.models import Participant
from app.errors import UserError
from app.exchange import spreadsheet_read
from app.exchange.spreadsheet_read import MAX_COLUMNS, MAX_ROWS, load_table, parse_date
from app.services.people_import import PeopleImportService

ROOT = Path(__file__).resolve().parents[2]
#: What reading one hostile file may take on top of the interpreter and its imports.
MEMORY_MB = 300


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in the English of the code (no catalogue), to check them word for word."""
    monkeypatch.setattr(i18n, "_current", "en")


def workbook(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def rewrite_part(path: Path, name: str, edit: object) -> None:
    """Rewrite one part of a workbook in place (``edit`` maps its bytes to new bytes)."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[name] = edit(parts[name])  # type: ignore[operator]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for part, data in parts.items():
            target.writestr(part, data)


def peak_memory_reading(path: Path) -> tuple[str, int]:
    """(what reading ``path`` gave, the reading process's peak memory in MB), in a process of
    its own so other tests' memory does not count."""
    code = (
        "import resource, sys\n"
        "from app import i18n\n"
        "i18n._current = 'en'\n"
        "from app.errors import UserError\n"
        "from app.exchange.spreadsheet_read import load_table\n"
        "try:\n"
        "    outcome = f'rows {len(load_table(sys.argv[1]).rows)}'\n"
        "except UserError as e:\n"
        "    outcome = f'refused {e}'\n"
        "print(outcome)\n"
        # VmHWM: this program's own peak. ru_maxrss would also count the test process's
        # memory at the fork that started it (Linux keeps it across exec).
        "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
        "print(int(peak[0].split()[1]) // 1024 if peak else "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    outcome, peak = done.stdout.strip().rsplit("\n", 1)
    return outcome, int(peak)


def test_a_workbook_declaring_the_whole_sheet_reads_only_its_cells(tmp_path: Path) -> None:
    # 1.5 kB on disk claiming 16 384 columns by 1 048 576 rows: before, 7.8 GB of memory.
    path = workbook(tmp_path / "claim.xlsx", [["Nom", "Cognoms"], ["Aina", "Puig"]])
    rewrite_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml),
    )
    assert b"XFD1048576" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    outcome, peak = peak_memory_reading(path)
    assert outcome == "rows 1"
    assert peak < MEMORY_MB
    table = load_table(path)
    assert table.headers == ("Nom", "Cognoms")


def test_a_workbook_that_would_inflate_past_the_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real limit is hundreds of megabytes; a smaller one keeps the bomb quick to build.
    monkeypatch.setattr(spreadsheet_read, "MAX_XLSX_TOTAL_BYTES", 1024 * 1024)
    path = workbook(tmp_path / "bomb.xlsx", [["Nom"], ["Aina"]])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/zeros.bin", b"\0" * (2 * 1024 * 1024))
    assert path.stat().st_size < 64 * 1024
    opened: list[Path] = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda p, **_: opened.append(p))
    with pytest.raises(UserError, match="once unpacked"):
        load_table(path)
    assert opened == []  # refused from the zip's directory, before anything is inflated


@pytest.mark.slow
def test_a_real_zip_bomb_is_refused_within_memory(tmp_path: Path) -> None:
    path = workbook(tmp_path / "bomb.xlsx", [["Nom"], ["Aina"]])
    chunk = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml.bak", "w", force_zip64=True) as part,
    ):
        for _ in range(spreadsheet_read.MAX_XLSX_PART_BYTES // len(chunk) + 8):
            part.write(chunk)
    outcome, peak = peak_memory_reading(path)
    assert outcome.startswith("refused") and "once unpacked" in outcome
    assert peak < MEMORY_MB


def test_a_million_row_csv_is_refused_after_the_limit_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "milio.csv"
    path.write_text("Nom;Cognoms\n" + "Aina;Puig\n" * 1_000_000, encoding="utf-8")
    outcome, peak = peak_memory_reading(path)
    assert outcome.startswith("refused")
    assert "Split it" in outcome and "50" in outcome
    assert peak < MEMORY_MB


def test_rows_up_to_the_limit_are_read(tmp_path: Path) -> None:
    path = tmp_path / "limit.csv"
    path.write_text("Nom;Cognoms\n" + "Aina;Puig\n" * MAX_ROWS, encoding="utf-8")
    assert len(load_table(path).rows) == MAX_ROWS


def test_wide_rows_are_refused_only_when_something_is_written_past_the_limit(
    tmp_path: Path,
) -> None:
    blank_tail = workbook(
        tmp_path / "blank.xlsx", [["Nom", "Cognoms"] + [None] * 400 + [""], ["Aina", "Puig"]]
    )
    assert load_table(blank_tail).headers == ("Nom", "Cognoms")
    written = tmp_path / "wide.csv"
    written.write_text("Nom;Cognoms\nAina;Puig" + ";" * MAX_COLUMNS + "amagat\n", encoding="utf-8")
    with pytest.raises(UserError, match=f"Row 2 .* beyond column {MAX_COLUMNS}"):
        load_table(written)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Nom;Notes\nAina;" + b"x" * 200_000 + b"\n", "longer than"),
        (b"\xff\xfeN\x00o\x00m\x00;\x00N\x00\n", "damaged"),  # odd length UTF-16
        (b"\xff\xfeN\x00o\x00m\x00;\x00\x00\xd8;\x00\n\x00", "damaged"),  # a lone surrogate
    ],
    ids=["huge-field", "odd-utf16", "lone-surrogate"],
)
def test_broken_csv_text_gets_one_sentence(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "trencat.csv"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        load_table(path)


def test_the_refusals_are_translated(tmp_path: Path) -> None:
    path = tmp_path / "milio.csv"
    path.write_text("Nom;Cognoms\n" + "Aina;Puig\n" * (MAX_ROWS + 5), encoding="utf-8")
    i18n.set_language("ca")
    with pytest.raises(UserError, match="Dividiu-lo") as caught:
        load_table(path)
    assert "50.000" in str(caught.value)
    i18n.set_language("es")
    with pytest.raises(UserError, match="Divídalo"):
        load_table(path)


def test_impossible_numbers_as_dates_are_invalid_values_not_crashes() -> None:
    for value in (float("inf"), float("nan"), 1e999, "1e999", "9" * 5000, 10**400):
        with pytest.raises(ValueError):
            parse_date(value)


def test_an_infinite_birth_date_marks_its_row_invalid_and_writes_nothing(
    db: Database, tmp_path: Path
) -> None:
    path = workbook(
        tmp_path / "inf.xlsx",
        [["Nom", "Cognoms", "Data de naixement"], ["Aina", "Puig", "1e999"], ["Joan", "Roca", 1]],
    )
    rewrite_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"<v>1</v>", b"<v>1e999</v>"),
    )
    importer = PeopleImportService(db, today=lambda: dt.date(2026, 11, 26))
    plan = importer.plan(path)
    assert [row.valid for row in plan.rows] == [False, False]
    importer.execute(plan)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Participant)) == 0


def test_a_name_too_long_or_with_hidden_characters_is_an_invalid_row_not_cut(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "noms.csv"
    path.write_text(
        "Nom;Cognoms\n" + "A" * 201 + ";Puig\nAina;Puig\u202eexe\nJoan;Roca\n", encoding="utf-8"
    )
    importer = PeopleImportService(db, today=lambda: dt.date(2026, 11, 26))
    plan = importer.plan(path)
    assert [row.valid for row in plan.rows] == [False, False, True]
    assert "200" in plan.rows[0].errors[0] and "U+202E" in plan.rows[1].errors[0]
    importer.execute(plan)
    with db.read() as s:
        assert s.scalars(select(Participant.given_name)).all() == ["Joan"]
