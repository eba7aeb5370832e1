"""One sync through the folder, as the command and the window run it: the retirement notices
first (a retired device stops), then the other devices' changes, then this device's, then what
this device remembers of it (``state``) and the compaction of what everyone has applied."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from app.db.base import utcnow
from app.db.engine import Database
from app.errors import UserError
from app.i18n import _
from app.sync import compaction, folder, joining, retire, state
from app.sync.device import self_row, team_key

Progress = Callable[[float, str], None]


class SyncCancelled(Exception):
    """The person stopped the sync: what was merged stays (whole transactions), the next sync
    completes the rest."""


def retired_message(notice: retire.Notice) -> str:
    return _(
        "This device was retired from the team's sync by “{by}” on {date}. Its data is "
        "removed at the next start of Teixit."
    ).format(by=notice.by_name or notice.by[:8], date=notice.at.date().isoformat())


def sync(
    db: Database,
    directory: Path,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    *,
    compact: bool = False,
) -> folder.FolderSummary:
    """Receive, send, remember; ``compact``: then remove the change-log entries every device
    has applied (the window does after each sync; ``teixit sync --compact`` on demand)."""
    root = folder._root(Path(directory))
    with db.read() as s:
        key = team_key(s)
        me = self_row(s)
        assert me is not None
        me_id = me.id
    mine = retire.learn(db, root)
    if mine is not None:
        raise UserError(retired_message(mine))

    def step(done: int, total: int) -> None:
        if cancelled is not None and cancelled():
            raise SyncCancelled
        if progress is not None and total:
            progress(0.1 + 0.6 * done / total, _("Receiving the other devices' changes…"))

    if progress is not None:
        progress(0.05, _("Reading the sync folder…"))
    merge, read = folder.receive(db, root, me_id, key, progress=step)
    step(0, 0)
    if progress is not None:
        progress(0.75, _("Sending this device's changes…"))
    if not folder.device_files(root / me_id):
        # A folder this device has not written to yet (the team moved to a new one): what
        # compaction removed from the log goes there first, for the devices that join by it.
        compaction.carry_over(db)
    sent = folder.send(db, root, key)
    note(db, directory, root, me_id)
    if compact:
        if progress is not None:
            progress(0.9, _("Tidying the change log…"))
        compaction.compact(db)
    return folder.FolderSummary(sent, merge, read)


def join(
    db: Database,
    directory: Path,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> folder.FolderSummary:
    summary = joining.join(db, directory, progress, cancelled)
    with db.read() as s:
        me = self_row(s)
        assert me is not None
        me_id = me.id
    note(db, directory, folder._root(Path(directory)), me_id)
    return summary


def note(db: Database, directory: Path, root: Path, me_id: str) -> None:
    """When, where and up to which change this device last synced."""
    files = folder.device_files(root / me_id)
    sent = folder._last_seq(files[-1]) if files else 0
    with db.begin() as s:
        state.save(
            s,
            folder=str(Path(directory).resolve()),
            last=utcnow().isoformat(),
            sent=max(sent, state.sent_seq(s)),
        )


def last_sync(db: Database) -> dt.datetime | None:
    with db.read() as s:
        return state.last_sync(s)
