"""The database as a file: its address, consistent copies that prove themselves, and flushing.

Every SQLite address is built here from a ``Path``, never by pasting a path into a string: a
folder called ``DADES #1`` or ``Dades?`` or ``100%41`` is legal on every system, and a pasted path
makes SQLite open (and create) some other, empty file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from app.db import keys, schema
from app.errors import UserError
from app.i18n import _

if TYPE_CHECKING:
    from sqlalchemy import URL


def sqlite_uri(path: Path) -> str:
    """A read-only SQLite URI for ``path``: every character that means something in a URI
    (``#``, ``?``, ``%``, spaces) is percent-encoded by ``as_uri``."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def sqlite_url(path: Path) -> URL:
    """The SQLAlchemy URL of the database file ``path`` (the driver never parses the name)."""
    from sqlalchemy import URL  # here: the file's checks and copies need no SQLAlchemy

    return URL.create("sqlite", database=str(Path(path).resolve()))


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection that never creates a file (a missing file is an error); for an
    encrypted file, a SQLCipher connection with the unlocked key (app/db/keys.py)."""
    con: sqlite3.Connection = keys.connect(path, read_only=True)
    return con


def is_regular_file(path: Path) -> bool:
    """True for an existing regular file (after following a symlink); False for a FIFO, a device,
    a folder, a missing file or a dangling symlink."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def table_counts(con: sqlite3.Connection) -> dict[str, int]:
    """The number of rows of every table (SQLite's own tables left out)."""
    names = [
        str(r[0])
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def check_integrity(con: sqlite3.Connection) -> str | None:
    """None when ``PRAGMA integrity_check`` passes on an open connection, else what it said."""
    rows = con.execute("PRAGMA integrity_check").fetchall()
    return None if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows[:3])


def fsync_path(path: Path) -> None:
    """Push a file (or, on POSIX, a folder entry) to the disk: a USB stick may be pulled next.

    A file is opened for writing: Windows' ``FlushFileBuffers`` (behind ``os.fsync``) refuses a
    handle without write access (EBADF). Windows cannot open a folder to flush it; its file
    systems journal the rename themselves."""
    if path.is_dir():
        if os.name != "posix":
            return
        flags = os.O_RDONLY
    else:
        flags = os.O_RDWR | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _create_private(path: Path) -> None:
    """Create ``path`` empty and private (0600) before any data is in it. A folder that cannot
    hold POSIX modes (a FAT-formatted USB stick) is not an error."""
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
            os.chmod(path, 0o600)


def copy_database(source: Path, target: Path) -> dict[str, int]:
    """A consistent copy with SQLite's online backup (safe while the source is open) into a
    private file; returns the row count of every table *as copied*.

    The counts and the copy are taken inside one read transaction of the source, so they see
    the same snapshot whatever the window commits meanwhile."""
    _create_private(target)
    src = connect_read_only(source)
    try:
        src.isolation_level = None
        src.execute("BEGIN")
        counts = table_counts(src)
        # An encrypted source gives an encrypted copy, with the same key.
        key = keys.key_for(source) if keys.is_encrypted(source) else None
        dst = keys.connect(target, key=key)
        try:
            src.backup(dst)
        finally:
            dst.close()
        src.execute("COMMIT")
    finally:
        src.close()
    return counts


def copy_problem(path: Path, expected: dict[str, int]) -> str | None:
    """Open a copy as Teixit would and say what is wrong with it (None when it is good): a schema
    revision this version knows, ``integrity_check``, and every table's rows as in the source."""
    try:
        con = connect_read_only(path)
        try:
            counts = table_counts(con)
            revision = None
            if "alembic_version" in counts:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = str(row[0]) if row else None
            if revision not in schema.REVISIONS:
                return "no Teixit schema revision in the copy"
            problem = check_integrity(con)
            if problem is not None:
                return problem
        finally:
            con.close()
    except keys.database_errors() as exc:
        return str(exc)
    except keys.WrongKey as exc:
        return exc.message
    for table in sorted(set(expected) | set(counts)):
        if expected.get(table) != counts.get(table):
            return (
                f"table {table}: {counts.get(table, 'missing')} rows in the copy, "
                f"{expected.get(table, 'missing')} in the source"
            )
    return None


def _settle(path: Path) -> None:
    """A fresh online copy carries the source's WAL flag: make it one self-contained file."""
    con = keys.connect(path)
    try:
        con.execute("PRAGMA journal_mode=DELETE").fetchall()
    finally:
        con.close()


def write_verified_copy(source: Path, target: Path, source_label: str = "") -> None:
    """Copy ``source`` into a partial file next to ``target``, prove the copy (see
    ``copy_problem``), flush it, and only then give it its name. Raises UserError, leaving no
    partial file and no ``target``, when any step fails."""
    label = source_label or source.name
    partial = target.with_name(target.name + ".partial")
    try:
        expected = copy_database(source, partial)
        _settle(partial)
        problem = copy_problem(partial, expected)
        if problem is not None:
            raise UserError(
                _(
                    "The copy of {source} failed its check ({reason}) and has been deleted. "
                    "Nothing else was changed."
                ).format(source=label, reason=problem)
            )
        fsync_path(partial)
        os.replace(partial, target)
        fsync_path(target.parent)
    except (*keys.driver_errors(), OSError) as exc:  # type: ignore[misc]
        reason = getattr(exc, "strerror", None) or exc
        raise UserError(
            _("The copy of {source} could not be written ({reason}).").format(
                source=label, reason=reason
            )
        ) from exc
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            with contextlib.suppress(OSError):  # never there, or a folder that is not one
                leftover.unlink()


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def copy_bytes_verified(source: Path, target: Path) -> None:
    """A byte-for-byte copy (for a damaged file a specialist may look at), checked by digest and
    flushed. Raises OSError when the copy differs."""
    _create_private(target)
    shutil.copyfile(source, target)
    if _digest(source) != _digest(target):
        raise OSError(f"the copy of {source.name} differs from the original")
    fsync_path(target)
