"""Saving over a document another program holds open (a PDF in Acrobat, a workbook in Excel,
on Windows): every writer says to close it in the other program, in the user's language, and
leaves the file as it was."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app import cli, i18n, paths
from app.db.engine import Database, open_database
from app.domain.sheets import SheetOptions
from app.errors import UserError
from app.exchange import interchange
from app.exchange.spreadsheet_export import export_rows
from app.services.report_output import write_atomically
from app.services.sheets import SheetService
from app.writing import cannot_write
from tests.reports.sheet_data import add_sessions, build
from tests.support.locked_files import lock

CLOSE_IT_CA = "Tanqueu el fitxer a l'altre programa i torneu-ho a provar"
CLOSE_IT_ES = "Cierre el archivo en el otro programa y vuelva a intentarlo"


@pytest.fixture
def old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "open in another program.pdf"
    path.write_bytes(b"what the other program shows")
    lock(monkeypatch, path)
    return path


def test_the_message_says_to_close_the_file_in_each_language(old_file: Path) -> None:
    exc = PermissionError(13, "Access is denied", str(old_file))
    assert CLOSE_IT_CA in cannot_write(old_file, exc).message
    assert str(old_file) in cannot_write(old_file, exc).message
    i18n.set_language("es")
    assert CLOSE_IT_ES in cannot_write(old_file, exc).message
    assert "Access is denied" not in cannot_write(old_file, exc).message


def test_a_sharing_violation_is_a_locked_file_too(tmp_path: Path) -> None:
    exc = OSError(13, "sharing violation")
    exc.winerror = 32  # type: ignore[attr-defined]
    assert CLOSE_IT_CA in cannot_write(tmp_path / "a.xlsx", exc).message
    other = cannot_write(tmp_path / "a.xlsx", OSError(5, "Input/output error"))
    assert CLOSE_IT_CA not in other.message and "Input/output error" in other.message
    full = cannot_write(tmp_path / "a.xlsx", OSError(28, "No space left on device"))
    assert CLOSE_IT_CA not in full.message and "espai" in full.message


def test_report_files(old_file: Path) -> None:
    with pytest.raises(UserError, match=CLOSE_IT_CA):
        write_atomically(old_file, b"%PDF new report")
    assert old_file.read_bytes() == b"what the other program shows"
    assert [p.name for p in old_file.parent.iterdir()] == [old_file.name]  # no .part left


def test_exported_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "persones.xlsx"
    path.write_bytes(b"old workbook")
    lock(monkeypatch, path)
    with pytest.raises(UserError, match=CLOSE_IT_CA):
        export_rows(["Nom"], [["Núria"]], path)
    assert path.read_bytes() == b"old workbook"


def test_interchange_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "teixit.json"
    path.write_text("{}")
    lock(monkeypatch, path)
    with pytest.raises(UserError, match=CLOSE_IT_CA):
        interchange.write_file(path, {"format": "x"})
    assert path.read_text() == "{}"


def test_attendance_sheet(db: Database, old_file: Path) -> None:
    data = build(db)
    service = SheetService(db)
    sheet = service.session_sheet(data.session_id)
    with pytest.raises(UserError, match=CLOSE_IT_CA):
        service.write(sheet, SheetOptions(), old_file)
    assert old_file.read_bytes() == b"what the other program shows"


def test_command_line(
    data_dir: Path,
    old_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANGUAGE", "ca")
    db = open_database(paths.db_path())
    data = build(db)
    add_sessions(db, data.activity_id, [dt.date(2026, 11, 3)])
    db.close()
    capsys.readouterr()

    code = cli.main(["sheet", "--session", data.session_id, "--lang", "es", "-o", str(old_file)])

    err = capsys.readouterr().err
    assert code == 1
    assert CLOSE_IT_CA in err  # the interface language (Catalan here), not the sheet's
    assert "Traceback" not in err and "Errno" not in err
    assert old_file.read_bytes() == b"what the other program shows"
