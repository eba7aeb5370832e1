"""``teixit volunteers``: the volunteers (list), a volunteer's commitment agreement to sign, and
the people who work with minors without a valid sexual-offences register certificate."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.commands import opened_services
from app.i18n import DOCUMENT_LANGUAGES, _, format_date

NAMES = ("volunteers",)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "volunteers",
        help=_("volunteers: list them, print a commitment agreement, check certificates"),
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    ls = actions.add_parser("list", help=_("the volunteers, their hours and certificates"))
    ls.add_argument(
        "--format", choices=("table", "json"), default="table", help=_("how to print them")
    )
    ls.set_defaults(func=run_list)
    ag = actions.add_parser(
        "agreement", help=_("print a volunteer's commitment agreement (full de compromís)")
    )
    ag.add_argument(
        "--volunteer",
        metavar="ID",
        required=True,
        help=_("the volunteer's id (teixit volunteers list)"),
    )
    ag.add_argument("--lang", choices=DOCUMENT_LANGUAGES, help=_("language of the document"))
    ag.add_argument(
        "-o", "--output", metavar="FILE.pdf", type=Path, required=True, help=_("the PDF to write")
    )
    ag.set_defaults(func=run_agreement)
    ce = actions.add_parser(
        "certificates",
        help=_(
            "the staff and volunteers who work with minors without a valid sexual-offences "
            "register certificate"
        ),
    )
    ce.set_defaults(func=run_certificates)


def run_list(args: argparse.Namespace) -> int:
    with opened_services() as services:
        rows = services.volunteers.all()
    if args.format == "json":
        print(
            json.dumps(
                [
                    {
                        "id": v.id,
                        "participant_id": v.participant_id,
                        "name": v.name,
                        "start": v.start.isoformat(),
                        "end": v.end.isoformat() if v.end else None,
                        "programmes": list(v.programme_codes),
                        "hours": round(v.hours, 2),
                        "agreement_signed_on": (
                            v.agreement_signed_on.isoformat() if v.agreement_signed_on else None
                        ),
                        "certificate_valid": v.certificate_valid,
                    }
                    for v in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for v in rows:
        print(
            "\t".join(
                [
                    v.id or "",
                    v.name,
                    format_date(v.start, fmt="short"),
                    ", ".join(v.programme_codes),
                    f"{v.hours:g}",
                    _("certificate valid") if v.certificate_valid else _("no valid certificate"),
                ]
            )
        )
    return 0


def run_agreement(args: argparse.Namespace) -> int:
    with opened_services() as services:
        services.volunteers.write_agreement(args.output, args.volunteer, args.lang)
    print(_("Written: {path}").format(path=args.output))
    return 0


def run_certificates(args: argparse.Namespace) -> int:
    with opened_services() as services:
        missing = services.volunteers.missing_certificates()
    for h in missing:
        issued = format_date(h.issue_date, fmt="short") if h.issue_date else _("none")
        kind = _("staff") if h.kind == "staff" else _("volunteer")
        print(f"{h.name}\t{kind}\t{issued}")
    return 0
