"""``teixit demo``, ``teixit export`` and ``teixit import``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.commands import opened_database, opened_services
from app.commands.security import add_encrypt_option, export_passphrase, import_passphrase
from app.i18n import _

NAMES = ("demo", "export", "import")


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help=_("fill an empty database with the demo data"))
    p.add_argument("--size", choices=("small", "large"), default="small")
    p.add_argument(
        "--force", action="store_true", help=_("replace the data already in the database")
    )
    p.set_defaults(func=run_demo)

    p = sub.add_parser("export", help=_("write all the data to an interchange JSON file"))
    p.add_argument("file", metavar="FILE.json", type=Path)
    add_encrypt_option(p)
    p.set_defaults(func=run_export)

    p = sub.add_parser(
        "import",
        help=_(
            "read an interchange JSON file into the database (one sealed with a passphrase "
            "too: export --encrypt)"
        ),
    )
    p.add_argument("file", metavar="FILE.json", type=Path)
    p.set_defaults(func=run_import)


def run_demo(args: argparse.Namespace) -> int:
    from app.demo import load_demo

    with opened_database() as db:
        summary = load_demo(db, size=args.size, force=args.force)
    print(summary.describe())
    return 0


def run_export(args: argparse.Namespace) -> int:
    with opened_services() as services:
        passphrase = export_passphrase() if args.encrypt else None
        summary = services.exchange.export_file(args.file, passphrase)
    print(summary.describe())
    return 0


def run_import(args: argparse.Namespace) -> int:
    with opened_services() as services:
        sealed = services.exchange.is_sealed_file(args.file)
        summary = services.exchange.import_file(
            args.file, import_passphrase() if sealed else None
        )
    print(summary.describe())
    return 0
