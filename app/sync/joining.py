"""A new device's first full replica, with progress and Cancel.

Only a database with no records yet joins (the default programme categories and the entity's
details from the welcome aside: the team's replace them), or one whose join was interrupted (the
program killed, the computer switched off): the merge commits a few thousand changes at a time,
so an interrupted join leaves a valid, partial replica, and joining again completes it.
Cancelling puts the database back as it was before the join began.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select

from app.db import changelog
from app.db.engine import Database
from app.errors import UserError
from app.i18n import _
from app.sync import folder, state
from app.sync.device import self_row, team_key

#: ``progress(fraction, message)`` and ``cancelled()``, as the window's background jobs pass.
Progress = Callable[[float, str], None]


class JoinCancelled(Exception):
    """The person cancelled the join: the database is as it was."""


@dataclass
class _Snapshot:
    rows: dict[str, list[dict[str, Any]]]


_OWN_TABLES = ("change_log", "sync_conflict", "sync_device")


#: What a database that may still join holds: the default programme categories, and the
#: entity's details the welcome asked for (replaced by the team's).
_STARTING = frozenset({"programme_category", "entity_profile"})


def holds_records(db: Database) -> bool:
    with db.read() as s:
        return any(
            s.execute(select(changelog.table(name)).limit(1)).first()
            for name in changelog.SYNCED_TABLES
            if name not in _STARTING
        )


def take(db: Database) -> _Snapshot:
    """What a cancel puts back: the (few) rows a database that may join holds."""
    rows: dict[str, list[dict[str, Any]]] = {}
    with db.read() as s:
        for name in (*changelog.SYNCED_TABLES, *_OWN_TABLES):
            t = changelog.table(name)
            rows[name] = [dict(r._mapping) for r in s.connection().execute(select(t))]
    return _Snapshot(rows)


def put_back(db: Database, snap: _Snapshot) -> None:
    with db.begin() as s:
        s.info[changelog.APPLYING] = True  # the data as it was: nothing to log
        if db.is_file:
            s.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        names = (*changelog.SYNCED_TABLES, *_OWN_TABLES)
        for name in reversed(names):
            s.execute(delete(changelog.table(name)))
        for name in names:
            if snap.rows[name]:
                s.execute(insert(changelog.table(name)), snap.rows[name])
        state.save(s, joining=False)
    db.changes.forget()


def join(
    db: Database,
    directory: Path,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> folder.FolderSummary:
    """Receive the whole data from the sync folder (this device must have the team's key)."""
    with db.read() as s:
        resuming = bool(state.load(s).get("joining"))
        key = team_key(s)
        me = self_row(s)
        assert me is not None
        me_id = me.id
    if not resuming and holds_records(db):
        raise UserError(
            _(
                "This database already holds records, so it cannot join as a new device. "
                "Use teixit sync --folder DIR to merge it with the team instead."
            )
        )
    root = folder._root(Path(directory))
    snap = take(db)
    with db.begin() as s:
        state.save(s, joining=True, folder=str(directory))
        if not resuming:  # the team's details replace the welcome's
            s.execute(delete(changelog.table("entity_profile")))

    def step(done: int, total: int) -> None:
        if cancelled is not None and cancelled():
            raise JoinCancelled
        if progress is not None and total:
            progress(
                0.05 + 0.9 * done / total,
                _("Receiving the team's data: {done} of {total} changes…").format(
                    done=done, total=total
                ),
            )

    try:
        if progress is not None:
            progress(0.02, _("Reading the sync folder…"))
        merge, read = folder.receive(db, root, me_id, key, first=True, progress=step)
        step(1, 1)
    except JoinCancelled:
        put_back(db, snap)
        raise
    sent = folder.send(db, root, key)
    with db.begin() as s:
        state.save(s, joining=False)
    return folder.FolderSummary(sent, merge, read)
