import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app import cli
from app.db import files, schema
from app.db.engine import (
    DamagedDatabase,
    Database,
    DataDirNotWritable,
    NewerDatabase,
    NotATeixitDatabase,
    open_database,
)
from app.db.lock import COMMAND, WINDOW, AlreadyRunning, InstanceLock


def test_new_database_is_private_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "teixit.db"
    db = open_database(path)
    with db.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD
    db.close()
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600


def test_revisions_constant_matches_migration_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", "app/db/migrations")
    script = ScriptDirectory.from_config(cfg)
    ordered = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert tuple(ordered) == schema.REVISIONS


def test_newer_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "teixit.db"
    open_database(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num='9999_future'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabase, match="més nova"):
        open_database(path)
    assert path.read_bytes() == before


def test_foreign_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "teixit.db"
    path.write_bytes(b"name;phone\nAnna;600\n")
    with pytest.raises(NotATeixitDatabase):
        open_database(path)
    assert path.read_bytes() == b"name;phone\nAnna;600\n"


def test_other_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "teixit.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.commit()
    con.close()
    with pytest.raises(NotATeixitDatabase):
        open_database(path)


def test_damaged_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "teixit.db"
    open_database(path).close()
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # wipe the second page
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedDatabase):
        open_database(path)
    assert path.read_bytes() == bytes(data)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    with pytest.raises(DataDirNotWritable):
        open_database(folder / "teixit.db")


def test_unwritable_folder_as_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DataDirNotWritable):
        open_database(blocker / "sub" / "teixit.db")


def test_second_instance_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "teixit.db"
    with InstanceLock(path), pytest.raises(AlreadyRunning):
        InstanceLock(path).acquire()
    with InstanceLock(path):  # released: can be taken again
        pass


def test_the_refusal_names_who_holds_the_data(tmp_path: Path) -> None:
    path = tmp_path / "teixit.db"
    with InstanceLock(path, WINDOW), pytest.raises(AlreadyRunning, match="una altra finestra"):
        InstanceLock(path).acquire()
    with InstanceLock(path, COMMAND), pytest.raises(AlreadyRunning, match="una ordre"):
        InstanceLock(path, WINDOW).acquire()


def test_deleting_the_lock_file_does_not_let_a_second_writer_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if os.name != "posix":
        pytest.skip("an open file cannot be deleted on Windows")
    path = tmp_path / "teixit.db"
    open_database(path).close()
    with InstanceLock(path, WINDOW) as window:
        window.path.unlink()  # what a clean-up script or a person might do
        with pytest.raises(AlreadyRunning):
            InstanceLock(path).acquire()
        # The command line refuses its write with the sentence, not a traceback.
        assert cli.main(["--database", str(path), "demo"]) == 1
        assert "Teixit" in capsys.readouterr().err
    with InstanceLock(path):  # the window closed: free again
        pass


def test_a_new_database_file_is_locked_again(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("the database file is locked on POSIX only")
    path = tmp_path / "teixit.db"
    open_database(path).close()
    with InstanceLock(path, WINDOW) as window:
        replacement = tmp_path / "restored.db"
        replacement.write_bytes(path.read_bytes())
        os.replace(replacement, path)  # what a restore does
        window.hold_database()
        window.path.unlink()
        with pytest.raises(AlreadyRunning):
            InstanceLock(path).acquire()


# SQLite's own locking (WAL, BEGIN IMMEDIATE); the office database's: test_office_database.py.
@pytest.mark.sqlite_only
def test_a_read_sees_one_snapshot_and_writes_lock_at_once(db: Database) -> None:
    from app.db.models import Staff

    with db.begin() as s:
        s.add(Staff(name="Anna"))
    with db.read() as reading:
        before = reading.scalar(select(func.count()).select_from(Staff))
        with db.begin() as s:  # a write meanwhile, from elsewhere in the app
            s.add(Staff(name="Pau"))
        assert reading.scalar(select(func.count()).select_from(Staff)) == before == 1
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Staff)) == 2
    with db.begin() as s:
        # The write lock is held from the start: no other connection can write meanwhile.
        s.execute(select(Staff.id)).all()
        other = sqlite3.connect(db.path, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("INSERT INTO staff (id, name) VALUES ('x', 'x')")
        finally:
            other.close()


def test_a_copy_is_taken_before_migrating(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An older schema is copied aside (byte-for-byte content) before any migration runs."""
    from app.db import engine

    path = tmp_path / "teixit.db"
    open_database(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num='0000_older'")
    con.execute("CREATE TABLE marker (v TEXT)")
    con.execute("INSERT INTO marker VALUES ('before')")
    con.commit()
    con.close()
    monkeypatch.setattr(schema, "REVISIONS", ("0000_older", *schema.REVISIONS))
    seen: list[list[Path]] = []

    def fake_migrate(eng) -> None:  # type: ignore[no-untyped-def]
        seen.append(sorted((tmp_path / "backups").glob("before-migration-0000_older-*.db")))
        with eng.begin() as c:
            c.execute(text("UPDATE alembic_version SET version_num=:v"), {"v": schema.HEAD})

    monkeypatch.setattr(engine, "migrate", fake_migrate)
    open_database(path, backups=tmp_path / "backups").close()
    assert len(seen) == 1 and len(seen[0]) == 1  # the copy existed when migrating began
    copy = sqlite3.connect(seen[0][0])
    assert copy.execute("SELECT v FROM marker").fetchone() == ("before",)
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0000_older",)
    copy.close()
    if os.name == "posix":
        assert seen[0][0].stat().st_mode & 0o777 == 0o600


def test_current_database_opens_without_importing_alembic(tmp_path: Path) -> None:
    """Start-up stays fast: an up-to-date database never loads the migration machinery."""
    import subprocess
    import sys

    path = tmp_path / "teixit.db"
    open_database(path).close()
    code = (
        "import sys; from pathlib import Path; from app.db.engine import open_database; "
        f"open_database(Path({str(path)!r})).close(); "
        "assert 'alembic' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


def _checks_on_opening(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Open ``path``, read, close; the integrity checks SQLite was asked for while it opened."""
    from app.db import sqlite_file

    statements: list[str] = []

    def traced(file: Path) -> sqlite3.Connection:
        con = sqlite3.connect(files.sqlite_uri(file), uri=True)
        con.set_trace_callback(statements.append)
        return con

    monkeypatch.setattr(sqlite_file, "connect_read_only", traced)
    db = open_database(path)
    with db.read() as s:
        s.execute(text("SELECT count(*) FROM staff")).scalar()
    db.close()
    monkeypatch.undo()
    return [s for s in statements if "quick_check" in s]


def test_quick_check_runs_after_an_unclean_stop_not_after_a_clean_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole-file check is skipped only for a file closed cleanly and unchanged since: a
    process killed while it had the database open leaves no marker, so the next opening checks."""
    import subprocess
    import sys

    from app.db.engine import clean_marker

    path = tmp_path / "teixit.db"
    assert _checks_on_opening(path, monkeypatch) == []  # a new file: nothing to check
    assert clean_marker(path).exists()
    assert _checks_on_opening(path, monkeypatch) == []  # closed cleanly, unchanged
    # Killed in the middle of its work: opened, one write committed, never closed.
    code = (
        "import os; from pathlib import Path; from app.db.engine import open_database; "
        "from app.db.models import Staff; "
        f"db = open_database(Path({str(path)!r})); "
        "s = db.sessionmaker(); s.add(Staff(name='Anna')); s.commit(); os._exit(9)"
    )
    killed = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2])
    assert killed.returncode == 9
    assert not clean_marker(path).exists()
    assert _checks_on_opening(path, monkeypatch) == ["PRAGMA quick_check"]
    assert _checks_on_opening(path, monkeypatch) == []  # that opening closed cleanly again
    # Changed behind Teixit's back after a clean close (copied over, restored by hand): checked.
    con = sqlite3.connect(path)
    con.execute("UPDATE staff SET name = 'Pau'")
    con.commit()
    con.close()
    assert _checks_on_opening(path, monkeypatch) == ["PRAGMA quick_check"]
