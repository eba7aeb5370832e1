"""``teixit scan``: what was read, the JSON proposal, and --apply saving the sessions with no
unsure row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app import cli, i18n
from app.db.engine import Database
from app.db.models import Attendance
from tests.reports.sheet_data import build
from tests.scan.test_scan_service import _scan_files


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_scan_shows_proposes_and_applies(
    capsys: pytest.CaptureFixture[str], db: Database, tmp_path: Path
) -> None:
    build(db)
    scan = _scan_files(db, tmp_path, {0, 1})
    notes = tmp_path / "notes.txt"
    notes.write_text("not a scan")
    proposal = tmp_path / "proposal.json"
    code, out, _err = run(capsys, "scan", str(scan), str(notes), "--json", str(proposal))
    assert code == 0
    assert "notes.txt" in out and "Taller de costura" in out and "present" in out
    with db.read() as s:
        assert not s.scalars(select(Attendance)).all()
    data = json.loads(proposal.read_text(encoding="utf-8"))
    rows = data["sessions"][0]["rows"]
    assert [r["number"] for r in rows if r["proposed"] == "present"] == [1, 2]
    assert data["failed_files"][0]["file"] == "notes.txt"
    code, out, _err = run(capsys, "scan", str(scan), "--apply")
    assert code == 0
    with db.read() as s:
        assert len(s.scalars(select(Attendance)).all()) == 2


def test_scan_help_and_a_file_that_is_not_a_scan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _err = run(capsys, "scan", "--help")
    # argparse's "usage: " in the interface language (Catalan here: "ús: ")
    assert code == 0 and out.startswith(f"{i18n._('usage: ')}teixit scan")
    bad = tmp_path / "x.txt"
    bad.write_text("x")
    code, out, _err = run(capsys, "scan", str(bad))
    assert code == 1 and "x.txt" in out
