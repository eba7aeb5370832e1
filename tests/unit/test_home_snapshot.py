"""Home's year figures kept at a clean close (app/home_snapshot.py): numbers only, used only
while the database file is as it was then, in the same year."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from app.home_snapshot import (
    FIELDS,
    forget_snapshot,
    read_snapshot,
    snapshot_path,
    write_snapshot,
)

TODAY = dt.date(2026, 12, 6)
FIGURES = {
    "sessions": 85,
    "hours": 171.5,
    "participants": 60,
    "attendances": 883,
    "anonymous_attendances": 453,
    "meetings": 25,
}


def _database(tmp_path: Path) -> Path:
    path = tmp_path / "teixit.db"
    path.write_bytes(b"SQLite format 3\0" + b"x" * 4080)
    return path


def test_kept_figures_come_back_while_the_file_is_unchanged(tmp_path: Path) -> None:
    db = _database(tmp_path)
    write_snapshot(db, 2026, {**FIGURES, "by_gender": {"f": 3}})
    assert read_snapshot(db, TODAY) == FIGURES
    body = json.loads(snapshot_path(db).read_text(encoding="ascii"))
    # Numbers only: the six figures Home shows, the year and the file's size and time.
    assert sorted(body) == ["figures", "file", "version", "year"]
    assert sorted(body["figures"]) == sorted(FIELDS)
    assert snapshot_path(db).stat().st_mode & 0o077 == 0  # for its owner only


def test_a_changed_file_another_year_or_a_pending_log_show_nothing(tmp_path: Path) -> None:
    db = _database(tmp_path)
    write_snapshot(db, 2026, FIGURES)
    assert read_snapshot(db, dt.date(2027, 1, 2)) is None  # a new year: other figures
    wal = db.with_name("teixit.db-wal")
    wal.write_bytes(b"changes")
    assert read_snapshot(db, TODAY) is None  # changes not yet in the file
    wal.write_bytes(b"")
    assert read_snapshot(db, TODAY) == FIGURES
    info = db.stat()
    os.utime(db, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    assert read_snapshot(db, TODAY) is None  # written since (or restored, or copied over)


def test_nothing_is_kept_for_a_file_with_a_pending_log_or_missing_figures(
    tmp_path: Path,
) -> None:
    db = _database(tmp_path)
    write_snapshot(db, 2026, FIGURES)
    db.with_name("teixit.db-wal").write_bytes(b"changes")
    write_snapshot(db, 2026, FIGURES)
    assert not snapshot_path(db).exists()  # the one kept before is gone too
    db.with_name("teixit.db-wal").unlink()
    write_snapshot(db, 2026, {"sessions": 3})
    assert not snapshot_path(db).exists()


def test_a_damaged_or_foreign_snapshot_is_ignored(tmp_path: Path) -> None:
    db = _database(tmp_path)
    write_snapshot(db, 2026, FIGURES)
    body = json.loads(snapshot_path(db).read_text(encoding="ascii"))
    for broken in (
        "{",
        "[]",
        json.dumps({**body, "version": 99}),
        json.dumps({**body, "figures": {**FIGURES, "sessions": "85"}}),
        json.dumps({**body, "figures": {**FIGURES, "meetings": True}}),
    ):
        snapshot_path(db).write_text(broken, encoding="ascii")
        assert read_snapshot(db, TODAY) is None, broken
    forget_snapshot(db)
    forget_snapshot(db)  # nothing to forget: no error
    assert read_snapshot(db, TODAY) is None
