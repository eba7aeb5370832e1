"""What the backup service returns: one backup file on disk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

#: auto (on opening/closing, rotated), manual ("Back up now", kept), before-restore and
#: before-migration (safety copies taken by Teixit itself, kept apart from the rotation).
KINDS = ("auto", "manual", "before-restore", "before-migration")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime
    size: int
    kind: str


@dataclass(frozen=True)
class BackupFailure:
    """The last backup that failed, kept until one succeeds (shown on Home)."""

    when: dt.datetime
    reason: str
