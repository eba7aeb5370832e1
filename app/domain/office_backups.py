"""The daily backup of an office database: when, where, how many copies, and the last one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: A backup older than this is shown in red in Settings.
STALE_AFTER = dt.timedelta(days=2)
#: Copies kept in the folder unless the coordinator chooses otherwise.
DEFAULT_KEEP = 14
DEFAULT_TIME = dt.time(13, 30)


@dataclass(frozen=True)
class OfficeBackupSchedule:
    """Where and when the coordinator's window takes the daily backup (``folder`` as seen from
    the PC that takes it: a folder of that PC or a shared drive)."""

    folder: str
    time: dt.time = DEFAULT_TIME
    keep: int = DEFAULT_KEEP


@dataclass(frozen=True)
class OfficeBackupStatus:
    schedule: OfficeBackupSchedule | None
    #: The last daily backup taken (None: none yet), its file name and who took it.
    last_at: dt.datetime | None
    last_file: str = ""
    last_by: str = ""
    #: True when a backup is set up and the last one is older than STALE_AFTER (or missing).
    stale: bool = False
