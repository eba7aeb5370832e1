"""``teixit report``: the justification report of a programme as PDF, spreadsheet and JSON."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from app.commands import opened_database, parse_date
from app.domain.figures import AGE_BAND_PRESETS
from app.errors import UserError
from app.i18n import DOCUMENT_LANGUAGES, _, ngettext

NAMES = ("report",)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "report",
        help=_("write a programme's justification report (PDF, spreadsheet, JSON figures)"),
        description=_(
            "Write the justification report of a programme for a period (by default, the "
            "current calendar year)."
        ),
    )
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--programme", metavar="CODE", help=_("the programme's code"))
    scope.add_argument(
        "--all", action="store_true", help=_("the report of the whole entity (every programme)")
    )
    p.add_argument("--from", dest="date_from", metavar="DATE", help=_("first day (YYYY-MM-DD)"))
    p.add_argument("--to", dest="date_to", metavar="DATE", help=_("last day (YYYY-MM-DD)"))
    p.add_argument(
        "--lang",
        choices=DOCUMENT_LANGUAGES,
        default=None,
        help=_("language of the report (default: the entity's)"),
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE.pdf",
        type=Path,
        help=_(
            "write the PDF here (default, when no other file is asked for: a name made of "
            "the programme and the period, in the current folder)"
        ),
    )
    p.add_argument("--xlsx", metavar="FILE", type=Path, help=_("write the spreadsheet here"))
    p.add_argument("--json", metavar="FILE", type=Path, help=_("write the figures as JSON here"))
    p.add_argument(
        "--age-preset",
        choices=sorted(AGE_BAND_PRESETS),
        default="default",
        help=_("age bands of the report"),
    )
    p.add_argument(
        "--fold-gender",
        action="store_true",
        help=_("fold gender into the woman / man / other columns"),
    )
    p.add_argument(
        "--evidence",
        metavar="FILE.zip",
        type=Path,
        help=_("also write the evidence pack: the report and every attendance sheet"),
    )
    p.add_argument(
        "--no-economic",
        action="store_true",
        help=_("leave out the economic part (budget and expenses)"),
    )
    p.set_defaults(func=run_report, parser=p)


def run_report(args: argparse.Namespace) -> int:
    from app.domain.report import SECTIONS, ReportRequest
    from app.services.profile import ProfileService
    from app.services.report_output import ReportFiles, base_name
    from app.services.reports import ReportService

    # Default: the current calendar year; one end given, the calendar year of that end.
    date_to = parse_date(args.date_to) if args.date_to else None
    year = date_to.year if date_to else dt.date.today().year
    date_from = parse_date(args.date_from) if args.date_from else dt.date(year, 1, 1)
    date_to = date_to or dt.date(date_from.year, 12, 31)
    if date_to < date_from:
        raise UserError(_("The period ends before it starts."))
    with opened_database() as db:
        service = ReportService(db)
        programme = service.programme_by_code(args.programme) if args.programme else None
        lang = args.lang
        if lang is None:
            profile = ProfileService(db).get()
            lang = profile.default_lang if profile else "ca"
        request = ReportRequest(
            programme_ids=(programme.id,) if programme else None,
            date_from=date_from,
            date_to=date_to,
            lang=lang,
            age_preset=args.age_preset,
            fold_gender=args.fold_gender,
            sections=frozenset(SECTIONS) - ({"economic"} if args.no_economic else set()),
        )
        if not (args.output or args.xlsx or args.json or args.evidence):
            # Nothing named: the PDF in the current folder, named after programme and period.
            args.output = Path(base_name(request, programme.code if programme else None) + ".pdf")
        files = ReportFiles(pdf=args.output, xlsx=args.xlsx, json=args.json)
        if files.pdf or files.xlsx or files.json:
            service.export(request, files)
        if args.evidence:
            members = service.evidence_pack(request, args.evidence)
            print(
                ngettext(
                    "Evidence pack: {path} ({count} file)",
                    "Evidence pack: {path} ({count} files)",
                    len(members),
                ).format(path=args.evidence, count=len(members))
            )
    for path in (args.output, args.xlsx, args.json):
        if path:
            print(_("Written: {path}").format(path=path))
    return 0
