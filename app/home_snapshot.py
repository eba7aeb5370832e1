"""Home's year figures kept at a clean close, so that the next start shows Home with them at
once, before the database layer is loaded (docs/decisions.md, "Start-up").

The file beside the database (``teixit.db.home.json``) holds numbers only: the year's six
figures Home shows for the whole entity, the year, and the database file's size and modification
time when it was written. No name, no date of a person, nothing a person could be recognised by.
It is written only for a plain (unencrypted) file on this computer: encrypted data keeps even its
totals inside the encrypted file, and an office database changes under other PCs. It is used
only while the database file is exactly as it was at that close (any write, restore or copy
changes its size or time) and in the same year; otherwise Home waits for the data.

Standard library only: it is read before SQLAlchemy is imported."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Mapping
from pathlib import Path

#: The figures Home shows for the year (names of ``app.domain.figures.Figures`` fields).
FIELDS = (
    "sessions",
    "hours",
    "participants",
    "attendances",
    "anonymous_attendances",
    "meetings",
)
VERSION = 1


def snapshot_path(db_path: Path) -> Path:
    """Beside the database: ``teixit.db.home.json``."""
    return db_path.with_name(db_path.name + ".home.json")


def _file_state(db_path: Path) -> list[int] | None:
    """The database file's size and modification time; None while a write-ahead log holds
    changes not yet in the file (the file alone does not say what the data is)."""
    wal = db_path.with_name(db_path.name + "-wal")
    try:
        if wal.exists() and wal.stat().st_size > 0:
            return None
        info = db_path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def write_snapshot(db_path: Path, year: int, figures: Mapping[str, float]) -> None:
    """Keep ``figures`` (the year's, of the whole entity) for the next start; call once the
    database is closed. Nothing is kept when the file's state cannot be told."""
    state = _file_state(db_path)
    path = snapshot_path(db_path)
    if state is None or any(name not in figures for name in FIELDS):
        forget_snapshot(db_path)
        return
    body = {
        "version": VERSION,
        "year": year,
        "file": state,
        "figures": {name: figures[name] for name in FIELDS},
    }
    temporary = path.with_name(path.name + ".tmp")
    with contextlib.suppress(OSError):
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            json.dump(body, fh)
        os.replace(temporary, path)


def read_snapshot(db_path: Path, today: dt.date) -> dict[str, float] | None:
    """The year's figures kept at the last clean close, when they still describe the file as it
    is and the year is the same; else None."""
    try:
        body = json.loads(snapshot_path(db_path).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None
    if not isinstance(body, dict) or body.get("version") != VERSION:
        return None
    if body.get("year") != today.year or body.get("file") != _file_state(db_path):
        return None
    figures = body.get("figures")
    if not isinstance(figures, dict):
        return None
    numbers = {name: figures.get(name) for name in FIELDS}
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers.values()):
        return None
    return numbers  # type: ignore[return-value]


def forget_snapshot(db_path: Path) -> None:
    with contextlib.suppress(OSError):
        snapshot_path(db_path).unlink(missing_ok=True)
