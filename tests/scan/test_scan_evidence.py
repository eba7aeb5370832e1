"""The signed sheets as evidence: the evidence pack holds the scans where they were kept and a
register extract (titled as such, only the people recorded present or late) for the other held
sessions; the report's annex says which; the held sessions without a signed sheet are listed;
the scans travel in the interchange file; the purge deletes those past their retention."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import select

from app import cli, paths
from app.db.engine import Database, open_database
from app.db.models import Activity, Attendance, AuditEvent, Evidence, Session
from app.domain.report import ReportRequest
from app.services.container import Services
from app.services.exchange import ExchangeService
from tests.reports.sheet_data import SESSION_DATE
from tests.scan.scan_files import scanned_and_typed
from tests.support.templates import DatabaseTemplates

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture(scope="module")
def scanned_file(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The database of ``two_sessions``, made by the module's first test and copied for the next
    ones (reading a scan takes seconds; each test still writes in a copy of its own)."""
    return {"file": tmp_path_factory.mktemp("scanned") / "teixit.db"}


@pytest.fixture
def db(
    data_dir: Path, tmp_path: Path, scanned_file: dict[str, object], db_templates: DatabaseTemplates
) -> Iterator[Database]:
    """The session of the sheet, signed and scanned; a second held session of the same activity
    typed by hand (two present, one absent), with no scan."""
    made = scanned_file["file"]
    assert isinstance(made, Path)
    if "sessions" not in scanned_file:
        database = open_database(db_templates.place(db_templates.empty()))
        try:
            scanned_file["sessions"] = scanned_and_typed(database, tmp_path)
        finally:
            database.close()
        shutil.copyfile(paths.db_path(), made)
    else:
        db_templates.place(made)
    database = open_database(paths.db_path())
    yield database
    database.close()


@pytest.fixture
def two_sessions(db: Database, scanned_file: dict[str, object]) -> tuple[str, str]:
    sessions = scanned_file["sessions"]
    assert isinstance(sessions, tuple)
    return sessions


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages)


def test_the_evidence_pack_holds_signed_scans_or_register_extracts(
    db: Database, two_sessions: tuple[str, str], tmp_path: Path
) -> None:
    scanned, typed = two_sessions
    services = Services(db)
    unsigned = services.scans.without_signed_sheet(None, *YEAR)
    assert [u.session_id for u in unsigned] == [typed]
    path = tmp_path / "pack.zip"
    request = ReportRequest(programme_ids=None, date_from=YEAR[0], date_to=YEAR[1], lang="ca")
    members = services.reports.evidence_pack(request, path)
    with zipfile.ZipFile(path) as zf:
        assert zf.namelist() == members
        signed = [m for m in members if m.startswith("fulls-signats/")]
        extracts = [m for m in members if m.startswith("extractes-del-registre/")]
        assert len(signed) == 1 and scanned[:8] in signed[0]
        assert len(extracts) == 1 and typed[:8] in extracts[0]
        scan_pdf = zf.read(signed[0])
        extract = _text(zf.read(extracts[0]))
        report = _text(zf.read(members[0]))
    # The signed sheet: the kept page itself, as an image.
    with pdfplumber.open(io.BytesIO(scan_pdf)) as doc:
        assert len(doc.pages) == 1 and doc.pages[0].images
    # The register extract: titled as such, says it is not a signed sheet, lists only the
    # people recorded present or late (never everybody enrolled), and has no QR code to read.
    assert "Extracte del registre: assistència anotada" in extract
    assert "No és un full signat" in extract
    assert "Gil·labert" in extract and "Àlvarez Puig" in extract
    assert "Al-Sayed" not in extract and "Coŀlell" not in extract
    assert "Full d'assistència" not in extract and "Signatura" not in extract
    assert "Arribada tard" in extract
    # The annex says, per session, which kind of evidence exists.
    assert "Justificant" in report
    assert "Full signat" in report and "Només registre" in report
    # Printing names in a register extract is logged like any print.
    with db.read() as s:
        prints = s.scalars(select(AuditEvent).where(AuditEvent.action == "print")).all()
    assert any("register extract" in (e.details or "") for e in prints)


def test_teixit_evidence_writes_the_pack_and_lists_sessions_without_a_signed_sheet(
    db: Database,
    two_sessions: tuple[str, str],
    tmp_path: Path,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _scanned, typed = two_sessions
    db.close()
    out = tmp_path / "evidencia.zip"
    argv = ["--data-dir", str(data_dir), "evidence", "--all", "--from", "2026-01-01"]
    assert cli.main([*argv, "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "evidencia.zip" in printed
    assert "1 sessió feta no té full signat" in printed
    assert "10 de novembre del 2026  INF · Taller de costura" in printed
    with zipfile.ZipFile(out) as zf:
        assert any(n.startswith("fulls-signats/") for n in zf.namelist())


def test_scans_travel_in_the_interchange_file(
    db: Database, two_sessions: tuple[str, str], tmp_path: Path
) -> None:
    scanned, _typed = two_sessions
    data = ExchangeService(db).export_data()
    (kept,) = data["evidence"]
    assert kept["session_id"] == scanned and kept["kind"] == "signed_sheet" and kept["page"] == 1
    path = tmp_path / "dades.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    other = open_database(tmp_path / "other" / "teixit.db")
    try:
        ExchangeService(other).import_file(path)
        assert Services(other).scans.evidence(scanned) == Services(db).scans.evidence(scanned)
        assert ExchangeService(other).export_data()["evidence"] == data["evidence"]
    finally:
        other.close()


def test_the_purge_deletes_scans_past_their_retention_with_an_audit_entry(
    db: Database, two_sessions: tuple[str, str]
) -> None:
    scanned, _typed = two_sessions
    services = Services(db)
    purge = services.purge
    assert purge.old_evidence(4, today=dt.date(2030, 11, 24)) == (0, 0)
    assert purge.old_evidence(4, today=dt.date(2030, 11, 25)) == (1, 1)
    deleted, _changes = purge.purge_evidence(4, today=dt.date(2031, 1, 1))
    assert deleted == 1
    assert services.scans.evidence_pages(scanned) == 0
    with db.read() as s:
        assert s.scalars(select(Evidence)).all() == []
        # The attendance the scan gave stays.
        assert s.scalars(select(Attendance).where(Attendance.session_id == scanned)).all()
        (event,) = s.scalars(select(AuditEvent).where(AuditEvent.action == "purge")).all()
        assert "1 pages" in (event.details or "") and "2026-12-31" not in (event.details or "")
        assert s.get(Activity, s.get(Session, scanned).activity_id) is not None  # type: ignore[union-attr]
    assert purge.purge_evidence(4, today=dt.date(2031, 1, 1))[0] == 0


def test_teixit_purge_lists_then_deletes_old_scans(
    db: Database, two_sessions: tuple[str, str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db.close()
    base = ["--data-dir", str(data_dir), "purge", "--scans-older-than", "1"]
    assert dt.date.today() > SESSION_DATE
    # The session is less than a year old: nothing to delete.
    assert cli.main(base) == 0
    assert "No hi ha escanejos" in capsys.readouterr().out
    with pytest.raises(SystemExit) as usage:
        cli.main(["--data-dir", str(data_dir), "purge", "--scans-older-than", "0"])
    assert usage.value.code == 2
    assert "anys" in capsys.readouterr().err
