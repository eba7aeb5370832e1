"""Backups that prove themselves, in any folder, on Windows' rules too; restores that refuse a
file Teixit's migrations did not make; start-up files that are not what they seem."""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from app import cli, paths
from app.db import files, schema
from app.db.engine import EmptyDatabase, NotATeixitDatabase, inspect_file, open_database
from app.db.models import Activity, AuditEvent, Participant, Programme, Session
from app.errors import UserError
from app.services.backups import FAILURE_FILE, BackupService

AWKWARD_FOLDERS = {
    "hash": "DADES #1",
    "question": "Dades?x=1",
    "percent": "copia 100%41",
    "accents": "Còpies de l'Associació àéíòú ñ",
    "long": "carpeta-molt-llarga-" + "x" * 180,
}


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def _add_people(names: list[str]) -> None:
    db = open_database(paths.db_path())
    with db.begin() as s:
        s.add_all(Participant(given_name=name, family_names="Puig") for name in names)
    db.close()


def _people_in(path: Path) -> list[str]:
    con = files.connect_read_only(path)
    try:
        return sorted(r[0] for r in con.execute("SELECT given_name FROM participant"))
    finally:
        con.close()


def _service(clock: Clock | None = None) -> BackupService:
    kwargs = {"clock": clock} if clock else {}
    return BackupService(paths.db_path(), paths.backups_dir(), **kwargs)


def _all_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("folder", AWKWARD_FOLDERS.values(), ids=AWKWARD_FOLDERS.keys())
def test_backup_restore_and_commands_in_an_awkward_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "usb" / folder
    monkeypatch.setenv(paths.ENV_VAR, str(data))
    _add_people(["Aina", "Biel", "Carla"])
    # The database is where the folder says, private, and nothing was created beside the folder.
    assert paths.db_path().is_file() and paths.db_path().parent == data
    assert {p.parent for p in _all_files(tmp_path)} == {data}
    assert paths.db_path().stat().st_mode & 0o777 == 0o600
    assert inspect_file(paths.db_path()) == schema.HEAD  # not "damaged" (a %41 decoded)

    service = _service()
    backup = service.backup_now("manual")
    assert _people_in(backup.path) == ["Aina", "Biel", "Carla"]
    _add_people(["Dani"])
    aside = service.restore(backup.path)
    assert aside is not None and _people_in(aside.path) == ["Aina", "Biel", "Carla", "Dani"]
    assert _people_in(paths.db_path()) == ["Aina", "Biel", "Carla"]

    # The command line, given the folder as a user would.
    assert cli.main(["--data-dir", str(data), "backup"]) == 0
    assert cli.main(["--data-dir", str(data), "restore", "--latest"]) == 0
    exported = data / "export #1?.json"
    assert cli.main(["--data-dir", str(data), "export", str(exported)]) == 0
    assert "Carla" in exported.read_text(encoding="utf-8")
    capsys.readouterr()
    assert _people_in(paths.db_path()) == ["Aina", "Biel", "Carla"]
    assert all(data in p.parents for p in _all_files(tmp_path))


def test_a_copy_that_lost_rows_is_refused_before_the_rotation_deletes_anything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _add_people(["Aina", "Biel"])
    clock = Clock(dt.datetime(2026, 3, 2, 9))
    service = _service(clock)
    for _day in range(10):
        service.backup_now("auto")
        clock.now += dt.timedelta(days=1)
    before = {b.path for b in service.list_backups()}
    real_copy = files.copy_database

    def lossy_copy(source: Path, target: Path) -> dict[str, int]:
        counts = real_copy(source, target)
        con = sqlite3.connect(target)
        con.execute("DELETE FROM participant WHERE given_name = 'Biel'")
        con.commit()
        con.close()
        return counts

    monkeypatch.setattr(files, "copy_database", lossy_copy)
    with pytest.raises(UserError, match="participant"):
        service.backup_now("auto")
    assert {b.path for b in service.list_backups()} == before
    assert not list(paths.backups_dir().glob("*.partial*"))
    failure = service.last_failure()
    assert failure is not None and failure.when == clock.now and "participant" in failure.reason

    monkeypatch.setattr(files, "copy_database", real_copy)
    service.backup_now("auto")
    assert service.last_failure() is None
    assert not paths.db_path().with_name(FAILURE_FILE).exists()


def _tamper(path: Path, statement: str) -> None:
    con = sqlite3.connect(path)
    con.execute(statement)
    con.commit()
    con.close()


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TRIGGER forget AFTER INSERT ON audit_event BEGIN DELETE FROM audit_event; END",
        "ALTER TABLE participant DROP COLUMN phone",
        "CREATE VIEW everyone AS SELECT given_name FROM participant",
        "CREATE INDEX ix_extra ON participant (phone)",
        "DROP INDEX ix_session_date",
    ],
    ids=["trigger", "missing-column", "view", "extra-index", "missing-index"],
)
def test_restore_refuses_a_file_with_another_schema(statement: str) -> None:
    _add_people(["Aina"])
    service = _service()
    backup = service.backup_now("manual")
    _tamper(backup.path, statement)
    _add_people(["Biel"])
    before = paths.db_path().read_bytes()
    # A planted trigger or view is named as such; any other difference is "another structure".
    planted = statement.startswith(("CREATE TRIGGER", "CREATE VIEW"))
    with pytest.raises(UserError, match="disparador o una vista" if planted else "estructura"):
        service.restore(backup.path)
    assert paths.db_path().read_bytes() == before
    assert _people_in(paths.db_path()) == ["Aina", "Biel"]
    assert [b.kind for b in service.list_backups()] == ["manual"]  # nothing set aside
    assert not list(paths.data_dir().glob(".restoring-*"))
    assert service.latest_good_backup() is None
    assert cli.main(["restore", str(backup.path)]) == 1


def test_an_untouched_backup_has_exactly_the_schema() -> None:
    _add_people(["Aina"])
    service = _service()
    backup = service.backup_now("manual")
    assert service.is_restorable(backup.path)
    assert service.latest_good_backup() == backup


def _windows_fsync(real: object) -> object:
    """Windows' rule: FlushFileBuffers needs a handle with write access (else EBADF)."""

    def fsync(fd: int) -> None:
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
        if regular and fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY:
            raise OSError(errno.EBADF, "Bad file descriptor")
        real(fd)  # type: ignore[operator]

    return fsync


def test_backups_and_restore_follow_windows_fsync_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "fsync", _windows_fsync(os.fsync))
    _add_people(["Aina", "Biel"])
    service = _service()
    manual = service.backup_now("manual")
    assert service.backup_now("auto").kind == "auto"
    stick = service.backup_now("manual", to_dir=tmp_path / "USB #1")
    assert _people_in(stick.path) == ["Aina", "Biel"]
    _add_people(["Carla"])
    aside = service.restore(manual.path)
    assert aside is not None and _people_in(aside.path) == ["Aina", "Biel", "Carla"]
    assert _people_in(paths.db_path()) == ["Aina", "Biel"]
    assert service.last_failure() is None


def test_the_restore_keeps_a_verified_copy_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    _add_people(["Aina"])
    service = _service()
    backup = service.backup_now("manual")
    _add_people(["Biel"])
    checked: list[Path] = []
    real_problem = files.copy_problem

    def watching(path: Path, expected: dict[str, int]) -> str | None:
        checked.append(path)
        return real_problem(path, expected)

    monkeypatch.setattr(files, "copy_problem", watching)
    aside = service.restore(backup.path)
    assert aside is not None
    assert any(p.name.startswith(aside.path.name) for p in checked)
    assert _people_in(aside.path) == ["Aina", "Biel"]


def test_a_zero_byte_database_with_backups_is_not_a_first_start(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _add_people(["Aina"])
    service = _service()
    service.backup_now("manual")
    paths.db_path().write_bytes(b"")
    with pytest.raises(EmptyDatabase):
        open_database(paths.db_path(), backups=paths.backups_dir())
    assert paths.db_path().stat().st_size == 0
    assert cli.main(["export", str(paths.data_dir() / "x.json")]) == 1
    assert "0 bytes" in capsys.readouterr().err
    assert cli.main(["restore", "--latest"]) == 0
    assert _people_in(paths.db_path()) == ["Aina"]


def test_a_zero_byte_database_without_backups_is_a_first_start() -> None:
    paths.data_dir().mkdir(parents=True)
    paths.db_path().write_bytes(b"")
    open_database(paths.db_path(), backups=paths.backups_dir()).close()
    assert inspect_file(paths.db_path()) == schema.HEAD


def test_a_dangling_link_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    paths.data_dir().mkdir(parents=True)
    target = tmp_path / "disk-not-connected" / "teixit.db"
    target.parent.mkdir()
    paths.db_path().symlink_to(target)
    with pytest.raises(NotATeixitDatabase, match="enllaç"):
        open_database(paths.db_path(), backups=paths.backups_dir())
    assert not target.exists()
    assert paths.db_path().is_symlink()


def test_a_fifo_is_refused_without_opening_it(tmp_path: Path) -> None:
    paths.data_dir().mkdir(parents=True)
    os.mkfifo(paths.db_path(), 0o644)
    with pytest.raises(NotATeixitDatabase):
        open_database(paths.db_path(), backups=paths.backups_dir())
    mode = os.stat(paths.db_path()).st_mode
    assert stat.S_ISFIFO(mode) and mode & 0o777 == 0o644  # its mode left as it was
    # A link to a FIFO is no better.
    link = tmp_path / "other" / "teixit.db"
    link.parent.mkdir()
    link.symlink_to(paths.db_path())
    with pytest.raises(NotATeixitDatabase):
        open_database(link)
    with pytest.raises(UserError):
        _service().restore(paths.db_path())


def hide_rows_behind_indexes(db_path: Path, table: str, where: str) -> None:
    """Damage that quick_check does not see: rows removed from ``table`` while its indexes were
    hidden, so they still point at them (a query through one reports a malformed file)."""
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA journal_mode=DELETE")
    indexes = con.execute(
        "SELECT name, rootpage, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    con.execute("PRAGMA writable_schema=ON")
    con.executemany("DELETE FROM sqlite_master WHERE name = ?", [(i[0],) for i in indexes])
    con.commit()
    con.close()
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute(f"DELETE FROM {table} WHERE {where}")
    con.commit()
    con.execute("PRAGMA writable_schema=ON")
    con.executemany(
        "INSERT INTO sqlite_master VALUES ('index', ?, ?, ?, ?)",
        [(name, table, root, sql) for name, root, sql in indexes],
    )
    con.commit()
    con.close()
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    con.close()


def add_sessions_today(count: int) -> None:
    db = open_database(paths.db_path())
    with db.begin() as s:
        programme = Programme(code="P", name="Programa", category="prevention")
        s.add(programme)
        s.flush()
        activity = Activity(programme_id=programme.id, name="Taller")
        s.add(activity)
        s.flush()
        s.add_all(
            Session(activity_id=activity.id, date=dt.date.today(), notes=f"{i}", status="held")
            for i in range(count)
        )
    db.close()


def test_damage_quick_check_misses_is_one_sentence_on_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_sessions_today(40)
    hide_rows_behind_indexes(paths.db_path(), "session", "notes > '2'")
    today = dt.date.today().isoformat()
    out = paths.data_dir() / "report.json"
    code = cli.main(["report", "--all", "--from", today, "--to", today, "--json", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "malmesa" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_backups_audit_only_what_the_user_asked() -> None:
    _add_people(["Aina"])
    _service().backup_now("auto")
    _service().backup_now("manual")
    db = open_database(paths.db_path())
    with db.read() as s:
        assert list(s.scalars(select(AuditEvent.action))) == ["backup"]
    db.close()
