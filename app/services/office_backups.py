"""The daily backup of an office database, taken by a coordinator's window when it is due.

The coordinator sets a folder, a time of day and how many copies to keep (Settings → Team,
places and funders); they are kept in the office database's settings, so every PC shows them.
A window open as a coordinator takes ``pg_dump``'s backup (``app/db/office_backup.py``: the same
as ``teixit office backup``) once the time of day has passed and no backup was taken since: a PC
that was off at that time takes it when its window next opens. The oldest copies beyond the
number kept are removed from the folder. The last backup (when, which file, who) is kept in the
database too, so Settings shows it on every PC, in red when older than two days. Once the
backup is taken, the office's change log is compacted (``app.sync.office.compact_office``), so
the backup holds it as it was.

The clock is a parameter (``now``), so tests move time instead of waiting.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from app.db.engine import Database
from app.db.models import Setting
from app.domain.changes import Area, Changes
from app.domain.office_backups import (
    STALE_AFTER,
    OfficeBackupSchedule,
    OfficeBackupStatus,
)
from app.errors import UserError, ValidationError
from app.i18n import _

SCHEDULE_KEY = "office_backup.schedule"
LAST_KEY = "office_backup.last"
#: The window taking the day's backup now: another window finds it and leaves the backup to it.
CLAIM_KEY = "office_backup.claim"
#: A claim older than this was left by a window that stopped half way: the backup is due again.
CLAIM_EXPIRES = dt.timedelta(hours=1)
#: The daily backups' names: teixit-office-YYYYMMDD-HHMMSS.dump (others in the folder are left).
PREFIX, SUFFIX = "teixit-office-", ".dump"
STAMP = "%Y%m%d-%H%M%S"


class OfficeBackupService:
    def __init__(
        self, db: Database, now: Callable[[], dt.datetime] = dt.datetime.now
    ) -> None:
        self._db = db
        #: The clock (a test's own).
        self.now = now

    # --- settings -------------------------------------------------------------------------
    def _setting(self, key: str) -> Any:
        with self._db.read() as s:
            row = s.scalar(select(Setting).where(Setting.key == key))
            return row.value if row is not None else None

    def _write_setting(self, s: Any, key: str, value: Any) -> None:
        row = s.scalar(select(Setting).where(Setting.key == key))
        if row is None:
            s.add(Setting(key=key, value=value))
        else:
            row.value = value

    def schedule(self) -> OfficeBackupSchedule | None:
        return self.schedule_of(self._setting(SCHEDULE_KEY))

    @staticmethod
    def schedule_of(value: Any) -> OfficeBackupSchedule | None:
        if not isinstance(value, dict) or not value.get("folder"):
            return None
        with contextlib.suppress(ValueError, TypeError):
            return OfficeBackupSchedule(
                folder=str(value["folder"]),
                time=dt.time.fromisoformat(str(value["time"])),
                keep=int(value["keep"]),
            )
        return None

    def save_schedule(self, schedule: OfficeBackupSchedule | None) -> Changes:
        """Set (or, with None, stop) the daily backup; a coordinator's (the database refuses
        the others)."""
        value: dict[str, Any] | None = None
        if schedule is not None:
            errors = {}
            if not schedule.folder.strip():
                errors["folder"] = _("Choose the folder where the backups are kept.")
            elif not Path(schedule.folder).expanduser().is_absolute():
                errors["folder"] = _(
                    "Write the whole path of the folder (for example D:\\Backups\\Teixit or "
                    "/srv/backups/teixit)."
                )
            if not 1 <= schedule.keep <= 365:
                errors["keep"] = _("Keep from 1 to 365 copies.")
            if errors:
                raise ValidationError(errors)
            value = {
                "folder": schedule.folder.strip(),
                "time": schedule.time.strftime("%H:%M"),
                "keep": schedule.keep,
            }
        with self._db.begin() as s:
            self._write_setting(s, SCHEDULE_KEY, value)
        return Changes.of(Area.PROFILE)

    # --- status ---------------------------------------------------------------------------
    def status(self) -> OfficeBackupStatus:
        schedule = self.schedule()
        last = self._setting(LAST_KEY)
        last_at: dt.datetime | None = None
        if isinstance(last, dict):
            with contextlib.suppress(ValueError, TypeError):
                last_at = dt.datetime.fromisoformat(str(last.get("at")))
        stale = schedule is not None and (last_at is None or self.now() - last_at > STALE_AFTER)
        return OfficeBackupStatus(
            schedule=schedule,
            last_at=last_at,
            last_file=str(last.get("file", "")) if isinstance(last, dict) else "",
            last_by=str(last.get("by", "")) if isinstance(last, dict) else "",
            stale=stale,
        )

    def due(self) -> bool:
        """Whether a backup is set up and none was taken since its time last came (today's if
        it has passed, else yesterday's)."""
        status = self.status()
        if status.schedule is None:
            return False
        return self._due_after(status.schedule, status.last_at)

    def _due_after(self, schedule: OfficeBackupSchedule, last_at: dt.datetime | None) -> bool:
        now = self.now()
        moment = dt.datetime.combine(now.date(), schedule.time)
        if now < moment:
            moment -= dt.timedelta(days=1)
        return last_at is None or last_at < moment

    # --- taking it ------------------------------------------------------------------------
    def take_if_due(self) -> Path | None:
        """The daily backup when due (None when not): written and checked by pg_dump and
        pg_restore, recorded in the database and its audit log, older copies rotated. Taken
        once whatever the number of coordinators' windows open: the one that claims it first
        takes it, the others find the claim (or the backup recorded) and leave it."""
        if not self.due() or not self._claim():
            return None
        try:
            taken = self.take()
            from app.sync.office import compact_office

            compact_office(self._db)
            return taken
        finally:
            with self._db.begin() as s:
                s.execute(delete(Setting).where(Setting.key == CLAIM_KEY))

    def _claim(self) -> bool:
        """Claim the day's backup for this window, in one write (writes to the office database
        take turns: two windows never both find it unclaimed). False when another window has
        claimed it within the hour or it was taken meanwhile."""
        now = self.now()
        with self._db.begin() as s:
            values: dict[str, Any] = dict(
                s.execute(
                    select(Setting.key, Setting.value).where(
                        Setting.key.in_((SCHEDULE_KEY, LAST_KEY, CLAIM_KEY))
                    )
                ).all()
            )
            last, claim = values.get(LAST_KEY), values.get(CLAIM_KEY)
            last_at = None
            if isinstance(last, dict):
                with contextlib.suppress(ValueError, TypeError):
                    last_at = dt.datetime.fromisoformat(str(last.get("at")))
            schedule = self.schedule_of(values.get(SCHEDULE_KEY))
            if schedule is None or not self._due_after(schedule, last_at):
                return False
            if isinstance(claim, dict):
                with contextlib.suppress(ValueError, TypeError):
                    claimed_at = dt.datetime.fromisoformat(str(claim.get("at")))
                    if abs(now - claimed_at) < CLAIM_EXPIRES:
                        return False
            login = self._db.engine.url.username or ""
            self._write_setting(
                s, CLAIM_KEY, {"at": now.isoformat(timespec="seconds"), "by": login}
            )
        return True

    def take(self) -> Path:
        from app.db.office_backup import backup
        from app.services import audit

        schedule = self.schedule()
        if schedule is None:
            raise UserError(_("No daily backup of the office database is set up."))
        now = self.now()
        folder = Path(schedule.folder).expanduser()
        if not folder.is_dir():
            raise UserError(
                _(
                    "The backup folder {folder} does not exist on this computer (a disk or a "
                    "shared drive not connected?). Connect it, or choose another folder in "
                    "Settings."
                ).format(folder=folder)
            )
        target = folder / f"{PREFIX}{now.strftime(STAMP)}{SUFFIX}"
        address = self._db.engine.url.render_as_string(hide_password=False)
        result = backup(address, target)
        login = self._db.engine.url.username or ""
        with self._db.begin() as s:
            self._write_setting(
                s,
                LAST_KEY,
                {"at": now.isoformat(timespec="seconds"), "file": result.path.name, "by": login},
            )
            audit.record(s, "backup", result.path.name, str(result.path))
        self.rotate(folder, schedule.keep)
        return result.path

    @staticmethod
    def rotate(folder: Path, keep: int) -> list[Path]:
        """Remove the daily backups beyond the ``keep`` newest (other files are left)."""
        ours = sorted(
            (p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file()),
            key=lambda p: p.name,
            reverse=True,
        )
        removed = []
        for old in ours[keep:]:
            with contextlib.suppress(OSError):
                old.unlink()
                removed.append(old)
        return removed
