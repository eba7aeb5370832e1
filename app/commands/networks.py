"""``teixit minutes``: the minutes (acta) of a network meeting as a PDF."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.commands import opened_database
from app.errors import UserError
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
    from app.reports.minutes import build_minutes
    from app.services.networks import NetworkService
    from app.services.profile import ProfileService

    with opened_database() as db:
        service = NetworkService(db)
        data = service.minutes_data(args.meeting)
        profile = ProfileService(db).get()
        lang = args.lang or (profile.default_lang if profile else "ca")
        try:
            with args.output.open("wb") as fh:
                build_minutes(data, lang, fh)
        except OSError as exc:
            raise UserError(
                _("Cannot write {path}: {reason}").format(path=args.output, reason=exc.strerror)
            ) from None
        service.record_minutes_printed(args.meeting, str(args.output))
    print(_("Minutes written to {path}").format(path=args.output))
    return 0
