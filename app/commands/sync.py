"""``teixit sync``: set up the team's key, pair a device, sync through a folder or with the
office database."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.commands import opened_database
from app.errors import UserError
from app.i18n import _, ngettext

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
    p.add_argument(
        "--retire",
        metavar="DEVICE",
        help=_(
            "retire a lost or replaced device (its name or id): its data is wiped at its next "
            "start, its past changes stay"
        ),
    )
    p.add_argument(
        "--new-key",
        action="store_true",
        help=_(
            "after retiring a device: a new team key and its pairing code (the other devices "
            "pair again with it)"
        ),
    )
    p.add_argument(
        "--rename",
        metavar="NAME",
        help=_("give this device a new name (the others show it after their next sync)"),
    )
    p.add_argument(
        "--compact",
        action="store_true",
        help=_("remove the change-log entries every device has applied (also after each sync)"),
    )
    p.set_defaults(func=run_sync)


def new_key_text() -> str:
    return _(
        "The team has a new sync key: what this device writes from now on cannot be read with "
        "the old one. Type this pairing code on each other device (teixit sync --pair CODE, or "
        "Sync > Sync settings > Pairing code); it is shown only now:"
    )


def run_sync(args: argparse.Namespace) -> int:
    from app.sync import compaction, device, retire, run

    office = args.office_database
    asked = (args.init_key, args.pair, args.folder, office, args.retire, args.compact, args.rename)
    if not any(asked) and not args.new_key:
        raise UserError(
            _(
                "Say what to do: --init-key, --pair CODE, --folder DIR, --database ADDRESS, "
                "--retire DEVICE, --rename NAME or --compact (see teixit sync --help)."
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
    compacted: compaction.CompactionResult | None = None
    with opened_database() as db:
        notice = retire.retired_here(db)
        if notice is not None:
            retire.wipe(db)
            raise UserError(
                _(
                    "This device was retired from the team's sync by “{by}” on {date}: its "
                    "data has been removed."
                ).format(by=notice.by_name or notice.by[:8], date=notice.at.date().isoformat())
            )
        if args.rename:
            renamed = device.rename(db, args.rename)
            print(
                _("This device is now called “{name}”; the others show it after a sync.").format(
                    name=renamed.name
                )
            )
        if args.compact and not (office or args.folder) and db.is_file:
            # A laptop that syncs with the office compacts by the office's record, as its
            # window does after each sync (the folder's rule knows only what the laptop has
            # heard of the other devices, so it keeps more).
            from app.sync import office as office_sync

            office = office_sync.chosen_office(db)
        if office:
            from app.commands import office_login
            from app.sync import office as office_sync

            url = office_login(office)
            if args.join:
                print(office_sync.join_office(db, url).describe())
            else:
                # --compact: by the office's record of what every device has applied.
                synced = office_sync.sync_office(db, url, compact=args.compact)
                print(synced.describe())
                compacted = synced.compacted
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
        if args.retire:
            peer = retire.find_device(db, args.retire)
            retire.retire(db, peer.id, args.folder)
            print(
                _(
                    "“{device}” is retired: its data is wiped the next time it starts Teixit "
                    "with this sync folder; its past changes stay on the other devices."
                ).format(device=peer.name or peer.id[:8])
            )
        if args.new_key:
            code = device.new_key(db)
            print(new_key_text())
            print(code)
        if args.folder and not args.retire:
            sync = run.join if args.join else run.sync
            summary = sync(db, args.folder)
            print(summary.describe())
        if args.compact:
            if compacted is not None:
                result = compacted
                if result.removed and db.is_file:
                    compaction.vacuum_file(db)
            elif not db.is_file:  # the office database's own log (teixit --database ... sync)
                from app.sync import office as office_sync

                result = office_sync.compact_office(db)
            else:
                result = compaction.compact(db, vacuum=True)
            print(
                ngettext(
                    "{removed} change-log entry removed, {kept} kept.",
                    "{removed} change-log entries removed, {kept} kept.",
                    result.removed,
                ).format(removed=result.removed, kept=result.kept)
            )
    return 0
