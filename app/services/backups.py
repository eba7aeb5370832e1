"""Backups and restore of the database file.

Every backup is taken with SQLite's online backup (consistent while the window is open), written
under a temporary name, switched to a self-contained file (no -wal beside it), and proves itself
before it gets its final name and before the rotation deletes anything: opened as Teixit would,
it has a known schema revision, passes ``PRAGMA integrity_check`` and holds, table by table, as
many rows as the source did (``app/db/files.py``). A backup that is listed is a good one.

A file offered for restore must also have exactly the schema the migrations create at its
revision (``app/db/schema_match.py``). The last failure of any backup is kept in a small file in
the data folder until a backup succeeds, so the window can say so on screen and on Home.

Automatic backups are rotated (7 daily, 4 weekly, 12 monthly); backups the user asked for and
the safety copies Teixit takes before a restore or a migration are never removed by the rotation.

Restoring replaces the database file, so the database must be closed (the window disposes of its
engine first; the command line holds the instance lock).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from app.db import files, keys
from app.db.engine import (
    Database,
    NotATeixitDatabase,
    inspect_file,
    make_engine,
    open_database,
)
from app.db.schema_match import schema_difference
from app.domain.backups import BackupFailure, BackupInfo
from app.errors import UserError
from app.i18n import _
from app.paths import make_private_dir
from app.services import audit

STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(
    r"^(?:teixit-(?P<kind>auto|manual)|(?P<safety>before-restore|before-migration)(?:-.+?)?)"
    r"-(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.db$"
)
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12


def integrity_problem(path: Path) -> str | None:
    """None when ``PRAGMA integrity_check`` passes on the file, else what SQLite reported."""
    try:
        con = files.connect_read_only(path)
        try:
            return files.check_integrity(con)
        finally:
            con.close()
    except keys.database_errors() as exc:
        return str(exc)


#: The file in the data folder that remembers the last backup that failed.
FAILURE_FILE = "backup-failed.json"


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def parse_backup_name(name: str) -> tuple[str, dt.datetime] | None:
    """(kind, creation time) from a backup's file name, None for other files."""
    m = _NAME.match(name)
    if not m:
        return None
    kind = m.group("kind") or m.group("safety")
    return kind, dt.datetime.strptime(m.group("stamp"), STAMP)


def backups_to_keep(
    created: Iterable[tuple[Path, dt.datetime]],
    daily: int = KEEP_DAILY,
    weekly: int = KEEP_WEEKLY,
    monthly: int = KEEP_MONTHLY,
) -> set[Path]:
    """The newest backup of each of the last ``daily`` days, ``weekly`` ISO weeks and
    ``monthly`` months that have backups (the same file can count for several)."""
    newest_first = sorted(created, key=lambda pc: pc[1], reverse=True)
    keep: set[Path] = set()
    periods: list[tuple[int, Callable[[dt.datetime], object]]] = [
        (daily, lambda t: t.date()),
        (weekly, lambda t: t.isocalendar()[:2]),
        (monthly, lambda t: (t.year, t.month)),
    ]
    for count, period in periods:
        seen: set[object] = set()
        for path, when in newest_first:
            if len(seen) >= count:
                break
            key = period(when)
            if key not in seen:
                seen.add(key)
                keep.add(path)
    return keep


class BackupService:
    def __init__(
        self,
        db_path: Path,
        backups_dir: Path,
        *,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        self.db_path = db_path
        self.backups_dir = backups_dir
        self._clock = clock

    # -- taking backups ---------------------------------------------------------------------

    def backup_now(self, kind: str = "manual", to_dir: Path | None = None) -> BackupInfo:
        """Take a verified backup into the backups folder, or into ``to_dir`` (a USB stick).

        A failure is remembered (``last_failure``) until a backup succeeds."""
        if kind not in ("manual", "auto"):
            raise ValueError(f"unknown backup kind {kind!r}")
        if not self._has_database():
            raise UserError(_("There is no data to back up yet."))
        now = self._clock().replace(microsecond=0)
        folder = to_dir or self.backups_dir
        prefix = "teixit-backup" if to_dir else f"teixit-{kind}"
        try:
            target = self._free_name(folder, f"{prefix}-{now.strftime(STAMP)}")
            self._write_verified(self.db_path, target)
        except UserError as exc:
            self._remember_failure(now, exc.message)
            raise
        except OSError as exc:
            self._remember_failure(now, str(exc.strerror or exc))
            raise
        self._forget_failure()
        if to_dir is not None:
            self._copy_key_file(target)
        if kind == "manual":
            self._audit("backup", target.name, str(target) if to_dir else "")
        if kind == "auto":
            self.rotate()
        return BackupInfo(target, now, target.stat().st_size, kind)

    def last_failure(self) -> BackupFailure | None:
        """The last backup that failed, while no backup has succeeded since."""
        try:
            data = json.loads(self._failure_file.read_text(encoding="utf-8"))
            return BackupFailure(dt.datetime.fromisoformat(data["when"]), str(data["reason"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def auto_backup_on_open(self) -> BackupInfo | None:
        """At most one automatic backup a day, taken when the window opens."""
        if not self._has_database():
            return None
        today = self._clock().date()
        if any(b.kind == "auto" and b.created.date() == today for b in self.list_backups()):
            return None
        return self.backup_now("auto")

    def backup_on_close(self) -> BackupInfo | None:
        if not self._has_database():
            return None
        return self.backup_now("auto")

    def rotate(self) -> list[Path]:
        """Delete the automatic backups the rotation no longer keeps; return what was deleted."""
        autos = [(b.path, b.created) for b in self.list_backups() if b.kind == "auto"]
        keep = backups_to_keep(autos)
        removed = [path for path, _when in autos if path not in keep]
        # Copies cut short by a crash or a killed process (never listed, never restored).
        if self.backups_dir.is_dir():
            hour_ago = self._clock().timestamp() - 3600
            removed += [
                p for p in self.backups_dir.glob("*.partial*") if p.stat().st_mtime < hour_ago
            ]
        for path in removed:
            _remove(path)
        return removed

    def list_backups(self) -> list[BackupInfo]:
        """The backups in the backups folder, newest first."""
        if not self.backups_dir.is_dir():
            return []
        found = []
        for path in self.backups_dir.iterdir():
            parsed = parse_backup_name(path.name)
            if parsed and path.is_file():
                kind, created = parsed
                found.append(BackupInfo(path, created, path.stat().st_size, kind))
        return sorted(found, key=lambda b: (b.created, b.path.name), reverse=True)

    def latest_good_backup(self) -> BackupInfo | None:
        """The newest backup that passes the checks, for a damaged database at start-up."""
        for info in self.list_backups():
            if self.is_restorable(info.path):
                return info
        return None

    # -- restoring --------------------------------------------------------------------------

    def restore(self, file: Path) -> BackupInfo | None:
        """Replace the database with ``file``; the current one is set aside (and verified) first.

        Returns the safety copy of the replaced database (None when there was none). The file is
        refused, and nothing changed, when it is not a Teixit database, is damaged, was written
        by a newer version or does not have exactly the schema Teixit's migrations create.
        """
        file = Path(file)
        if not files.is_regular_file(file):
            raise UserError(_("The file {path} does not exist.").format(path=file))
        revision = inspect_file(file)
        if revision is None:
            raise NotATeixitDatabase(
                _("The file {path} is not a Teixit database. It has been left as it is.").format(
                    path=file
                )
            )
        folder = self.db_path.parent
        make_private_dir(folder)
        temp = folder / f".restoring-{os.getpid()}.db"
        try:
            self._write_verified(file, temp, source_label=str(file))
            # The copy is what is installed, so the copy is what is compared.
            difference = schema_difference(temp, revision)
            if difference is not None:
                raise UserError(
                    _(
                        "The file {path} does not have the structure of a Teixit database "
                        "({reason}), so it was not restored. Nothing was changed."
                    ).format(path=file, reason=difference)
                )
            aside = self._set_aside()
            # A -wal left by the old database would be replayed onto the restored one.
            for suffix in ("-wal", "-shm", "-journal"):
                _remove(self.db_path.with_name(self.db_path.name + suffix))
            os.replace(temp, self.db_path)
            files.fsync_path(folder)
            self._take_key_file(file)
        finally:
            _remove(temp)
        # Opening migrates a backup from an older version (after its own safety copy).
        db = open_database(self.db_path, backups=self.backups_dir)
        try:
            with db.begin() as s:
                audit.record(s, "restore", file.name, str(file))
        finally:
            db.close()
        self._forget_failure()  # the data is now exactly a good backup's
        return aside

    def is_restorable(self, file: Path) -> bool:
        """Whether ``restore`` would take ``file`` (it passes every check)."""
        try:
            revision = inspect_file(file)
            return (
                revision is not None
                and integrity_problem(file) is None
                and schema_difference(file, revision) is None
            )
        except (UserError, *keys.driver_errors(), OSError):  # type: ignore[misc]
            return False

    # -- internals --------------------------------------------------------------------------

    def _has_database(self) -> bool:
        return self.db_path.is_file() and self.db_path.stat().st_size > 0

    def _free_name(self, folder: Path, stem: str) -> Path:
        target = folder / f"{stem}.db"
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{stem}-{n}.db"
        return target

    def _write_verified(self, source: Path, target: Path, source_label: str = "") -> None:
        """Copy into a partial file, prove the copy, then give it its name (app/db/files.py)."""
        try:
            make_private_dir(target.parent)
        except OSError as exc:
            raise UserError(
                _("Teixit cannot write in the folder {folder} ({reason}).").format(
                    folder=target.parent, reason=exc.strerror or exc
                )
            ) from exc
        files.write_verified_copy(source, target, source_label)

    def _copy_key_file(self, target: Path) -> None:
        """An encrypted backup taken away (a USB stick) carries the passphrase-sealed key beside
        it (``….db.key``), so the passphrase opens it on another computer too."""
        source = keys.key_file(self.db_path)
        if keys.is_encrypted(target) and source.is_file():
            keys.write_key_file(target, keys.WrappedKey.from_json(source.read_text("utf-8")))

    def _take_key_file(self, file: Path) -> None:
        """An encrypted backup restored into a folder with no key file brings its own."""
        wrapped = keys.read_key_file(file)
        if wrapped is not None and not keys.key_file(self.db_path).exists():
            keys.write_key_file(self.db_path, wrapped)

    def _set_aside(self) -> BackupInfo | None:
        """Copy the current database to before-restore-<stamp>.db, verified like a backup; a
        damaged one byte for byte (with its -wal), verified by digest. Raises UserError, and
        nothing is replaced, when no verified copy can be made."""
        if not self.db_path.exists() or self.db_path.stat().st_size == 0:
            return None
        now = self._clock().replace(microsecond=0)
        make_private_dir(self.backups_dir)
        target = self._free_name(self.backups_dir, f"before-restore-{now.strftime(STAMP)}")
        try:
            files.write_verified_copy(self.db_path, target)
        except UserError:
            # The damaged file (and its -wal) kept as they are, for a specialist to look at.
            try:
                files.copy_bytes_verified(self.db_path, target)
                wal = self.db_path.with_name(self.db_path.name + "-wal")
                if wal.exists():
                    files.copy_bytes_verified(wal, target.with_name(target.name + "-wal"))
                files.fsync_path(target.parent)
            except OSError as exc:
                _remove(target)
                raise UserError(
                    _(
                        "The current data could not be kept aside before the restore ({reason}), "
                        "so nothing was restored. Free some space on the disk and try again."
                    ).format(reason=exc.strerror or exc)
                ) from exc
        return BackupInfo(target, now, target.stat().st_size, "before-restore")

    @property
    def _failure_file(self) -> Path:
        return self.db_path.with_name(FAILURE_FILE)

    def _remember_failure(self, when: dt.datetime, reason: str) -> None:
        # Best effort: the disk that refused the backup may refuse this too; the window still
        # shows the failure it was told about.
        with contextlib.suppress(OSError):
            text = json.dumps({"when": when.isoformat(), "reason": reason})
            self._failure_file.write_text(text, encoding="utf-8")

    def _forget_failure(self) -> None:
        with contextlib.suppress(OSError):
            _remove(self._failure_file)

    def _audit(self, action: str, subject: str, details: str) -> None:
        db = Database(self.db_path, make_engine(self.db_path))
        try:
            with db.begin() as s:
                audit.record(s, action, subject, details)
        finally:
            db.close()
