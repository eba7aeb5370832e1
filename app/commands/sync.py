"""``teixit sync``: set up the team's key, pair a device, sync through a folder or with the
office database."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.commands import opened_database
from app.errors import UserError
from app.i18n import _

NAMES = ("sync",)


def register(sub: Any) -> None:
    p = sub.add_parser("sync", help=_("sync this device's data with the team's other devices"))
    p.add_argument(
        "--folder",
        metavar="DIR",
        type=Path,
        help=_("the sync folder shared by the team (a shared drive, a cloud folder, a USB stick)"),
    )
    p.add_argument(
        "--database",
        dest="office_database",
        metavar="ADDRESS",
        help=_("sync with the office database (postgresql://LOGIN@SERVER/DATABASE)"),
    )
    p.add_argument(
        "--join",
        action="store_true",
        help=_("a new device: receive the whole data from the sync folder or the office database"),
    )
    p.add_argument(
        "--init-key",
        action="store_true",
        help=_("create the team's sync key on this first device and show its pairing code"),
    )
    p.add_argument(
        "--pair", metavar="CODE", help=_("give this device the team's key: the code shown once")
    )
    p.add_argument("--name", default="", help=_("this device's name, as others see it"))
    p.set_defaults(func=run_sync)


def run_sync(args: argparse.Namespace) -> int:
    from app.sync import device, folder

    office = args.office_database
    if not (args.init_key or args.pair or args.folder or office):
        raise UserError(
            _(
                "Say what to do: --init-key, --pair CODE, --folder DIR or --database ADDRESS "
                "(see teixit sync --help)."
            )
        )
    if args.join and not (args.folder or office):
        raise UserError(
            _(
                "--join needs the sync folder or the office database: teixit sync --join "
                "--folder DIR, or teixit sync --join --database ADDRESS."
            )
        )
    if office and args.folder:
        raise UserError(_("Sync through a folder or with the office database, not both at once."))
    if office:
        from app.db.engine import is_office_url

        if not is_office_url(office):
            raise UserError(
                _("Name the office database with --database postgresql://SERVER/DATABASE.")
            )
    with opened_database() as db:
        if office:
            from app.commands import office_login
            from app.sync import office as office_sync

            url = office_login(office)
            run_office = office_sync.join_office if args.join else office_sync.sync_office
            print(run_office(db, url).describe())
        if args.init_key:
            code = device.create_key(db, args.name)
            print(
                _(
                    "The team's sync key is created. Type this pairing code on each other "
                    "device with teixit sync --pair CODE; it is shown only now:"
                )
            )
            print(code)
        if args.pair:
            device.pair(db, args.pair, args.name)
            print(_("This device has the team's sync key."))
        if args.folder:
            run = folder.join_folder if args.join else folder.sync_folder
            summary = run(db, args.folder)
            print(summary.describe())
    return 0
