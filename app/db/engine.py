"""Opening the database: checks before touching it, migrations with a copy taken first, and the
connection pragmas (WAL, foreign keys, durable commits)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError
from sqlalchemy.orm import Session, sessionmaker

from app.db import schema
from app.db.files import connect_read_only, is_regular_file, sqlite_url, write_verified_copy
from app.db.watch import WriteWatch
from app.errors import UserError
from app.i18n import _
from app.paths import make_private_dir

SQLITE_HEADER = b"SQLite format 3\x00"


class DataDirNotWritable(UserError):
    pass


class NotATeixitDatabase(UserError):
    pass


class DamagedDatabase(UserError):
    details = ""


class NewerDatabase(UserError):
    pass


class Database:
    """The engine and a session factory; each unit of work is ``with db.begin() as s:``."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self.sessionmaker = sessionmaker(
            engine.execution_options(**{_WRITE: True}), expire_on_commit=False
        )
        self._reads = sessionmaker(engine, expire_on_commit=False)
        #: Which rows each committed write touched (keeps in-memory indexes true).
        self.writes = WriteWatch(self.sessionmaker)

    @contextlib.contextmanager
    def begin(self) -> Iterator[Session]:
        """A write: all of it is committed or none (the write lock is taken at the start)."""
        with self.sessionmaker.begin() as session:
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """Reads that all see one snapshot of the database, whatever is committed meanwhile."""
        with self._reads() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _check_writable(folder: Path) -> None:
    try:
        make_private_dir(folder)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise DataDirNotWritable(
            _(
                "Teixit cannot write in the data folder {folder} ({reason}). Choose another "
                "folder or ask for write permission on this one."
            ).format(folder=folder, reason=exc.strerror or exc)
        ) from exc


def _damaged(path: Path, detail: str) -> DamagedDatabase:
    """SQLite's own words go to ``details`` (for support), not into the translated message."""
    error = DamagedDatabase(
        _(
            "The database {path} is damaged and cannot be read. It has been left as it is; "
            "restore a backup to go on."
        ).format(path=path)
    )
    error.details = detail
    return error


def _not_teixit(path: Path) -> NotATeixitDatabase:
    return NotATeixitDatabase(
        _("The file {path} is not a Teixit database. It has been left as it is.").format(
            path=path
        )
    )


def check_regular_file(path: Path) -> None:
    """A database is a regular file: a dangling link, a FIFO, a device or a folder is refused
    before anything opens it (opening a FIFO blocks; creating through a dangling link writes
    elsewhere; changing a device's mode harms the system)."""
    if path.is_symlink() and not path.exists():
        raise NotATeixitDatabase(
            _(
                "The database {path} is a link to a file that does not exist. Reconnect the disk "
                "it points to, or remove the link to start a new database."
            ).format(path=path)
        )
    if (path.exists() or path.is_symlink()) and not is_regular_file(path):
        raise NotATeixitDatabase(
            _(
                "{path} is not a regular file, so it cannot be a Teixit database. It has been "
                "left as it is."
            ).format(path=path)
        )


def inspect_file(path: Path) -> str | None:
    """Check an existing file without changing it; return its schema revision (None if empty).

    Raises NotATeixitDatabase, DamagedDatabase or NewerDatabase.
    """
    check_regular_file(path)
    if not path.exists() or path.stat().st_size == 0:
        return None
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise _not_teixit(path)
    try:
        con = connect_read_only(path)
        try:
            ok = con.execute("PRAGMA quick_check").fetchone()
            tables = {
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = str(row[0]) if row else None
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, str(exc)) from exc
    if not ok or ok[0] != "ok":
        raise _damaged(path, ok[0] if ok else "?")
    if revision is None:
        if tables:
            raise _not_teixit(path)
        return None
    if revision not in schema.REVISIONS:
        raise NewerDatabase(
            _(
                "The database {path} was written by a newer version of Teixit. Install that "
                "version to open it; the file has been left untouched."
            ).format(path=path)
        )
    return revision


class EmptyDatabase(DamagedDatabase):
    """A 0-byte database with backups beside it: data lost, not a first start."""


def _empty_with_backups(path: Path, backups: Path | None) -> bool:
    if not path.exists() or path.stat().st_size > 0 or backups is None:
        return False
    with contextlib.suppress(OSError):
        return any(p.is_file() and p.stat().st_size > 0 for p in backups.glob("*.db"))
    return False


def _make_private(path: Path) -> None:
    if os.name == "posix" and path.exists():
        os.chmod(path, 0o600)


#: Execution option marking the engine of write units of work.
_WRITE = "teixit_write"


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver would start a transaction only before the first write, so reads in one unit of
    # work would each see the latest commit: transactions are begun in _on_begin instead.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # FULL: a commit reported to the user survives a power cut, not only a killed process.
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def _on_begin(connection: Connection) -> None:
    # A read gets one snapshot (WAL) for all its statements. A write takes the write lock at once
    # (waiting up to busy_timeout), so it never fails half-way upgrading a stale read snapshot.
    write = connection.get_execution_options().get(_WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(path: Path) -> Engine:
    engine = create_engine(sqlite_url(path))
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def migrate(engine: Engine, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def open_database(path: Path, *, backups: Path | None = None) -> Database:
    """Open (creating or migrating as needed) the database at ``path``.

    A 0-byte file with backups in ``backups`` is lost data, not a first start (EmptyDatabase).
    """
    _check_writable(path.parent)
    revision = inspect_file(path)
    if _empty_with_backups(path, backups):
        error = EmptyDatabase(
            _(
                "The database {path} is empty (0 bytes), but there are backups of your data. "
                "The empty file has been left as it is; restore the latest good backup to go on."
            ).format(path=path)
        )
        error.details = "0 bytes"
        raise error
    if not path.exists():
        old_umask = os.umask(0o077) if os.name == "posix" else None
        try:
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        finally:
            if old_umask is not None:
                os.umask(old_umask)
    _make_private(path)
    if revision is not None and revision != schema.HEAD:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        folder = backups or path.parent / "backups"
        make_private_dir(folder)
        write_verified_copy(path, folder / f"before-migration-{revision}-{stamp}.db")
    engine = make_engine(path)
    try:
        if revision != schema.HEAD:
            migrate(engine)
    except (SQLAlchemyDatabaseError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        raise _damaged(path, str(exc)) from exc
    for suffix in ("-wal", "-shm"):
        _make_private(path.with_name(path.name + suffix))
    return Database(path, engine)


def is_damage(exc: BaseException) -> bool:
    """True for SQLite's reports of a damaged file met while reading (quick_check does not see
    every kind of damage: an index out of step with its table shows only when a query uses it)."""
    original = getattr(exc, "orig", exc)
    code = getattr(original, "sqlite_errorcode", None)
    return isinstance(original, sqlite3.DatabaseError) and code is not None and (
        code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    )


def damaged_error(path: Path, exc: BaseException) -> DamagedDatabase:
    return _damaged(path, str(getattr(exc, "orig", exc)))
