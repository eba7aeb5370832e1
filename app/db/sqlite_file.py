"""The SQLite file around its connections: the checks made before opening it, the marker of a
clean close, the pragmas every connection is given.

Kept free of SQLAlchemy (importing it and mapping the models is most of a short command's time):
the engine (``app/db/engine.py``) opens the file with these, and so does the attendance sheet
command's read path (``app/services/sheets_without_orm.py``), so both open it the same way.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from app.db import keys, schema
from app.db.files import connect_read_only, is_regular_file
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


def check_writable(folder: Path) -> None:
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


def damaged(path: Path, detail: str) -> DamagedDatabase:
    """SQLite's own words go to ``details`` (for support), not into the translated message."""
    error = DamagedDatabase(
        _(
            "The database {path} is damaged and cannot be read. It has been left as it is; "
            "restore a backup to go on."
        ).format(path=path)
    )
    error.details = detail
    return error


def not_teixit(path: Path) -> NotATeixitDatabase:
    return NotATeixitDatabase(
        _("The file {path} is not a Teixit database. It has been left as it is.").format(path=path)
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


_PLANTED = ("trigger", "view")


# --- Clean close ------------------------------------------------------------------------------
#
# ``PRAGMA quick_check`` reads the whole file, so its cost grows with the data (a second on a
# large file). It is what finds a file damaged while Teixit was not looking at it, and after a
# stop in the middle of a write. A file Teixit closed cleanly and that nobody changed since needs
# no check: as the database closes, a marker beside it records what the file looked like (size,
# modification time, a digest of its first and last 64 KiB); opening removes the marker, so a
# crash or a killed process leaves none and the next opening checks. A file that no longer looks
# as recorded (restored, copied over, damaged on disk by another program), or that has an
# unfinished write-ahead log beside it, is checked too.

#: The part of the file's head and tail the marker's digest covers.
_SAMPLE = 64 * 1024


def clean_marker(path: Path) -> Path:
    """The marker that ``path`` was closed cleanly (beside it: ``teixit.db.clean``)."""
    return path.with_name(path.name + ".clean")


def _fingerprint(path: Path) -> str | None:
    try:
        info = path.stat()
        with path.open("rb") as fh:
            sample = fh.read(_SAMPLE)
            if info.st_size > _SAMPLE:
                fh.seek(max(_SAMPLE, info.st_size - _SAMPLE))
                sample += fh.read(_SAMPLE)
    except OSError:
        return None
    digest = hashlib.blake2b(sample, digest_size=16).hexdigest()
    return f"{info.st_size} {info.st_mtime_ns} {digest}"


def mark_clean_close(path: Path) -> None:
    """Record that ``path`` was just closed cleanly (nothing is written for a missing file or a
    log still to be applied: the next opening then checks)."""
    wal = path.with_name(path.name + "-wal")
    fingerprint = _fingerprint(path) if is_regular_file(path) else None
    marker = clean_marker(path)
    with contextlib.suppress(OSError):
        if fingerprint is None or (wal.exists() and wal.stat().st_size > 0):
            marker.unlink(missing_ok=True)
            return
        marker.write_text(fingerprint, encoding="ascii")


def take_clean_close(path: Path) -> bool:
    """Whether ``path`` is as Teixit left it at a clean close; the marker is removed either way
    (until this opening closes cleanly in its turn)."""
    marker = clean_marker(path)
    try:
        recorded = marker.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return False
    with contextlib.suppress(OSError):
        marker.unlink()
    wal = path.with_name(path.name + "-wal")
    with contextlib.suppress(OSError):
        if wal.stat().st_size > 0:
            return False
    return recorded == _fingerprint(path)


def inspect_file(path: Path, *, check: bool = True) -> str | None:
    """Check an existing file without changing it; return its schema revision (None if empty).

    ``check=False`` leaves out ``PRAGMA quick_check`` (a file closed cleanly and unchanged
    since). Raises NotATeixitDatabase, DamagedDatabase or NewerDatabase.
    """
    check_regular_file(path)
    if not path.exists() or path.stat().st_size == 0:
        return None
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    # An encrypted file (random first bytes) is opened with the unlocked key, or asked for one
    # when its key file is beside it; otherwise random first bytes are a foreign file.
    may_be_encrypted = keys.current() is not None or keys.key_file(path).exists()
    if header != SQLITE_HEADER and not may_be_encrypted:
        raise not_teixit(path)
    try:
        try:
            con = connect_read_only(path)
        except keys.WrongKey:
            if keys.key_file(path).exists():
                raise
            raise not_teixit(path) from None
        try:
            ok = con.execute("PRAGMA quick_check").fetchone() if check else ("ok",)
            objects = con.execute("SELECT type, name FROM sqlite_master").fetchall()
            tables = {name for kind, name in objects if kind == "table"}
            # Teixit's migrations make no trigger and no view: one found was planted (a trigger
            # can quietly delete audit entries or change what is saved).
            planted = sorted(f"{kind} {name}" for kind, name in objects if kind in _PLANTED)
            revision = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = str(row[0]) if row else None
        finally:
            con.close()
    except keys.database_errors() as exc:
        raise damaged(path, str(exc)) from exc
    if not ok or ok[0] != "ok":
        raise damaged(path, ok[0] if ok else "?")
    if planted:
        error = DamagedDatabase(
            _(
                "The database {path} holds a trigger or a view that Teixit did not make ({name}); "
                "it could change or delete data unseen, so Teixit does not open it. It has been "
                "left as it is; restore a backup to go on."
            ).format(path=path, name=planted[0])
        )
        error.details = ", ".join(planted)
        raise error
    if revision is None:
        if tables:
            raise not_teixit(path)
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


def empty_with_backups(path: Path, backups: Path | None) -> bool:
    if not path.exists() or path.stat().st_size > 0 or backups is None:
        return False
    with contextlib.suppress(OSError):
        return any(p.is_file() and p.stat().st_size > 0 for p in backups.glob("*.db"))
    return False


def make_private(path: Path) -> None:
    if os.name == "posix" and path.exists():
        os.chmod(path, 0o600)


def set_pragmas(dbapi_connection: Any) -> None:
    """What every connection to the file is given before its first statement: no transaction
    begun by the driver itself (each unit of work begins its own: a read's one snapshot, a
    write's lock at once), the write-ahead log, foreign keys, commits that survive a power
    cut, and a wait for another writer's turn."""
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # FULL: a commit reported to the user survives a power cut, not only a killed process.
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()
