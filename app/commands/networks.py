"""``teixit minutes``: the minutes (acta) of a network meeting as a PDF."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.commands import opened_database
from app.i18n import DOCUMENT_LANGUAGES, _

NAMES = ("minutes",)


def register(sub: Any) -> None:
    p = sub.add_parser("minutes", help=_("write the minutes of a network meeting as a PDF"))
    p.add_argument("--meeting", required=True, metavar="ID", help=_("the meeting's id"))
    p.add_argument(
        "--lang",
        choices=DOCUMENT_LANGUAGES,
        default=None,
        help=_("language of the minutes; by default, the entity's"),
    )
    p.add_argument(
        "-o", "--output", required=True, metavar="FILE.pdf", type=Path, help=_("the PDF to write")
    )
    p.set_defaults(func=run_minutes)


def run_minutes(args: argparse.Namespace) -> int:
    from app.services.networks import NetworkService

    with opened_database() as db:
        NetworkService(db).write_minutes(args.meeting, args.output, args.lang)
    print(_("Minutes written to {path}").format(path=args.output))
    return 0
