"""``teixit backup`` and ``teixit restore``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import paths
from app.db.lock import InstanceLock
from app.errors import UserError
from app.i18n import _, format_number

if TYPE_CHECKING:
    from app.services.backups import BackupService

NAMES = ("backup", "restore")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "backup", help=_("take a verified copy of the database, also while the window is open")
    )
    p.add_argument(
        "--to",
        metavar="DIR",
        type=Path,
        help=_("write the copy to this folder, such as a USB stick"),
    )
    p.add_argument(
        "--list", action="store_true", help=_("list the backups in the data folder, newest first")
    )
    p.set_defaults(func=run_backup)

    p = sub.add_parser(
        "restore",
        help=_("replace the database with a backup; the current one is copied aside first"),
    )
    p.add_argument("file", metavar="FILE", type=Path, nargs="?")
    p.add_argument(
        "--latest", action="store_true", help=_("restore the newest backup that passes the checks")
    )
    p.set_defaults(func=run_restore)


def _service() -> BackupService:
    from app.db.engine import is_office_url
    from app.services.backups import BackupService

    address = paths.database_address()
    if address and is_office_url(address):
        raise UserError(
            _(
                "An office database is backed up with teixit office backup --to FILE and "
                "restored with teixit office restore FILE; see docs/office-database.md."
            )
        )

    return BackupService(paths.db_path(), paths.backups_dir())


def _size(size: int) -> str:
    return _("{size} KB").format(size=format_number(round(size / 1024)))


def run_backup(args: argparse.Namespace) -> int:
    service = _service()
    if args.list:
        for info in service.list_backups():
            print(f"{info.created:%Y-%m-%d %H:%M}  {_size(info.size):>10}  {info.path}")
        return 0
    info = service.backup_now("manual", to_dir=args.to)
    print(
        _("Backup written and checked: {path} ({size}).").format(
            path=info.path, size=_size(info.size)
        )
    )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    service = _service()
    file = args.file
    if file is None:
        if not args.latest:
            print(_("Give the backup file to restore, or --latest."))
            return 2
        latest = service.latest_good_backup()
        if latest is None:
            print(_("There is no good backup in {folder}.").format(folder=service.backups_dir))
            return 1
        file = latest.path
    with InstanceLock(paths.db_path()):
        aside = service.restore(file)
    print(_("Restored {path}.").format(path=file))
    if aside is not None:
        print(_("The previous database was kept as {path}.").format(path=aside.path))
    return 0
