"""``teixit sheet --session`` without SQLAlchemy (app/services/sheets_without_orm.py): the same
sheet, the same audit entry and the same messages as the usual path, which it leaves every
case it cannot be sure of."""

from __future__ import annotations

import datetime as dt
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from app import cli, paths
from app.commands import sheets as sheet_command
from app.db import keys
from app.db.base import natural_id
from app.db.engine import clean_marker, open_database, take_clean_close
from app.db.lock import WINDOW, InstanceLock
from app.db.models import Enrolment, Participant, Staff, TextVariant
from app.services import sheets_without_orm
from app.services.audit import AuditService
from app.services.security import SecurityService
from tests.reports.sheet_data import NAMES, build

pytestmark = pytest.mark.sqlite_only

PASSPHRASE = "Cavall bateria grapa 7"
#: Two people of the same name (told apart on the sheet by their masked ID numbers).
TWINS = ("11111111H", "22222222J")
PRINTED = len(NAMES) + len(TWINS)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def filled(data_dir: Path) -> Any:
    """The sheets' test data, the programme's name in Spanish (the activity's is missing), a
    facilitator left out, and a person with the same name as another (their order is the
    database's)."""
    db = open_database(paths.db_path())
    data = build(db)
    with db.begin() as s:
        s.add(
            TextVariant(
                id=natural_id("text_variant", "programme", data.programme_id, "name", "es"),
                table_name="programme",
                row_id=data.programme_id,
                field="name",
                lang="es",
                text="Infancia y familias",
            )
        )
        s.add(Staff(name="Bernat Sala", deleted_at=dt.datetime(2026, 1, 1)))
        for number in TWINS:
            twin = Participant(
                given_name="Maria", family_names="Garcia", id_document_type="dni",
                id_document_number=number,
            )  # fmt: skip
            s.add(twin)
            s.flush()
            s.add(Enrolment(participant_id=twin.id, activity_id=data.activity_id))
    db.close()
    return data


def _usual_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def unsure() -> Any:
        raise sheets_without_orm.Unsure("the usual path, for the comparison")

    monkeypatch.setattr(sheets_without_orm, "opened_sheets", unsure)


def _paths_taken(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which path made each sheet: "usual" when the command fell back to SQLAlchemy."""
    taken: list[str] = []
    usual = sheet_command._sheet

    def spy(args: Any) -> Any:
        taken.append("usual")
        return usual(args)

    monkeypatch.setattr(sheet_command, "_sheet", spy)
    return taken


def _layout(path: Path) -> list[Any]:
    """Every page's words with their place, and the places of its rectangles, lines and images
    (the QR codes, the logos, the table), to a tenth of a point."""
    pages = []
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as doc:
        for page in doc.pages:

            def spot(o: dict[str, Any]) -> tuple[float, ...]:
                return tuple(round(float(o[k]), 1) for k in ("x0", "top", "x1", "bottom"))

            pages.append(
                (
                    [(w["text"], *spot(w)) for w in page.extract_words()],
                    sorted(spot(r) for r in page.rects),
                    sorted(spot(line) for line in page.lines),
                    sorted(spot(i) for i in page.images),
                )
            )
    return pages


def _sheet(session_id: str, out: Path, *options: str) -> int:
    return cli.main(["sheet", "--session", session_id, *options, "-o", str(out)])


def _audit_rows() -> list[tuple[Any, ...]]:
    """The log's rows as stored, and the shape of each stored value."""
    con = sqlite3.connect(paths.db_path())
    try:
        return con.execute(
            "SELECT seq, action, subject, details, length(at), typeof(at), length(created_at), "
            "length(updated_at), length(id), length(chain) FROM audit_event ORDER BY seq"
        ).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("lang", ["ca", "es"])
def test_both_paths_print_the_same_sheet_and_log_it_alike(
    filled: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
) -> None:
    taken = _paths_taken(monkeypatch)
    light, usual = tmp_path / "light.pdf", tmp_path / "usual.pdf"
    assert _sheet(filled.session_id, light, "--lang", lang, "--masked-id") == 0
    light_said = capsys.readouterr()
    assert taken == []  # made without SQLAlchemy
    _usual_path(monkeypatch)
    assert _sheet(filled.session_id, usual, "--lang", lang, "--masked-id") == 0
    usual_said = capsys.readouterr()
    assert taken == ["usual"]

    assert _layout(light) == _layout(usual)
    words = " ".join(w[0] for w in _layout(light)[0][0])
    assert "Gil·labert" in words and "***4567**" in words and "Anna" in words
    assert "Bernat" not in words and "Blocada" not in words
    assert "***1111**" in words and "***2222**" in words
    if lang == "es":
        assert "Infancia" in words and "Hoja" in words
        assert "activitat Taller de costura (nom)" in light_said.err  # no Spanish name
    else:
        assert light_said.err == ""
    assert light_said.err == usual_said.err
    assert light_said.out.replace("light", "usual") == usual_said.out
    assert f"({PRINTED} noms)" in light_said.out

    rows = _audit_rows()
    assert [r[0] for r in rows] == [1, 2]
    assert rows[0][1:] == rows[1][1:]  # the same entry, stored in the same shapes
    assert rows[0][2] == f"sheet:session:{filled.session_id}"
    assert rows[0][3] == f"names={PRINTED} lang={lang} masked_id=yes slips=no"
    db = open_database(paths.db_path())
    report = AuditService(db).verify()
    db.close()
    assert report.intact and report.entries == 2


def test_on_encrypted_data_with_the_passphrase_of_a_file(
    filled: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    SecurityService(paths.db_path(), paths.backups_dir()).turn_on(PASSPHRASE)
    keys.lock()
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    monkeypatch.setenv("TEIXIT_PASSPHRASE_FILE", str(secret))
    taken = _paths_taken(monkeypatch)
    light, usual = tmp_path / "light.pdf", tmp_path / "usual.pdf"
    assert _sheet(filled.session_id, light, "--lang", "es") == 0
    assert taken == []
    keys.lock()
    _usual_path(monkeypatch)
    assert _sheet(filled.session_id, usual, "--lang", "es") == 0
    assert taken == ["usual"]
    assert _layout(light) == _layout(usual)
    assert keys.is_encrypted(paths.db_path())
    db = open_database(paths.db_path())
    entries = AuditService(db).recent(action="print")
    report = AuditService(db).verify()
    db.close()
    assert report.intact
    assert [e.details for e in entries] == [f"names={PRINTED} lang=es masked_id=no slips=no"] * 2


def test_a_value_not_as_sqlalchemy_writes_it_takes_the_usual_path(
    filled: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session's time kept without its microseconds (SQLAlchemy reads it; this path is not
    sure of it): the usual path makes the sheet, with nothing done twice."""
    con = sqlite3.connect(paths.db_path())
    with con:
        con.execute("UPDATE session SET start_time = '18:15:00' WHERE id = ?", (filled.session_id,))
    con.close()
    taken = _paths_taken(monkeypatch)
    out = tmp_path / "s.pdf"
    assert _sheet(filled.session_id, out) == 0
    assert taken == ["usual"]
    assert "18:15" in " ".join(w[0] for w in _layout(out)[0][0])
    assert [r[0] for r in _audit_rows()] == [1]
    assert clean_marker(paths.db_path()).exists()


def test_a_database_named_on_the_command_line_takes_the_usual_path(
    filled: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = _paths_taken(monkeypatch)
    out = tmp_path / "s.pdf"
    code = cli.main(
        [
            "--database",
            str(paths.db_path()),
            "sheet",
            "--session",
            filled.session_id,
            "-o",
            str(out),
        ]
    )
    assert code == 0 and taken == ["usual"] and out.exists()


def test_a_database_at_an_older_revision_takes_the_usual_path(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migrated first (a copy taken before), as any opening does."""
    from app.db.engine import make_engine, migrate

    paths.db_path().parent.mkdir(parents=True)
    engine = make_engine(paths.db_path())
    migrate(engine, "0001_initial")
    engine.dispose()
    taken = _paths_taken(monkeypatch)
    assert _sheet("nope", tmp_path / "s.pdf") == 1
    assert taken == ["usual"]
    assert any(paths.backups_dir().glob("before-migration-0001_initial-*.db"))


def test_the_same_messages_and_the_lock(
    filled: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "s.pdf"
    said = []
    for usual in (False, True):
        if usual:
            _usual_path(monkeypatch)
        assert _sheet("nope", out) == 1
        with InstanceLock(paths.db_path(), WINDOW):
            assert _sheet(filled.session_id, out) == 1
        said.append(capsys.readouterr().err)
    assert said[0] == said[1]
    assert "nope" in said[0] and "altra finestra" in said[0]
    assert not out.exists() and _audit_rows() == []


def test_the_file_is_closed_cleanly_and_the_command_loads_no_sqlalchemy(
    filled: Any, tmp_path: Path
) -> None:
    """A whole process, as people run it: neither SQLAlchemy nor the models are imported, and
    the file is marked as closed cleanly (the next opening skips the whole-file check)."""
    out = tmp_path / "s.pdf"
    script = (
        "import sys\n"
        "from app.cli import main\n"
        f"assert main(['sheet', '--session', {filled.session_id!r}, '-o', {str(out)!r}]) == 0\n"
        "print(sorted(m for m in ('sqlalchemy', 'app.db.models', 'alembic') if m in sys.modules))\n"
    )
    env = {**os.environ, paths.ENV_VAR: str(paths.data_dir())}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert out.read_bytes().startswith(b"%PDF")
    assert take_clean_close(paths.db_path())
