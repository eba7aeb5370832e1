"""What this device remembers of its syncs, in its own settings (never synced): the sync folder
chosen, when it last synced, the last of its changes written to the folder, and the clock below
which compacted change-log entries were removed (``compaction.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Setting

KEY = "sync_state"


def load(s: Session) -> dict[str, Any]:
    row = s.scalar(select(Setting).where(Setting.key == KEY))
    return dict(row.value) if row is not None and isinstance(row.value, dict) else {}


def save(s: Session, **values: Any) -> None:
    row = s.scalar(select(Setting).where(Setting.key == KEY))
    if row is None:
        s.add(Setting(key=KEY, value=dict(values)))
    else:
        row.value = {**(row.value if isinstance(row.value, dict) else {}), **values}


def floor(s: Session) -> int:
    """The highest clock of an entry compaction removed (0: none removed)."""
    return int(load(s).get("floor", 0) or 0)


def sent_seq(s: Session) -> int:
    """The last of this device's changes written to the sync folder."""
    return int(load(s).get("sent", 0) or 0)


def last_sync(s: Session) -> dt.datetime | None:
    value = load(s).get("last")
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else None
