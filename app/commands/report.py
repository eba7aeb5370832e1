"""``teixit report``: the justification report of a programme as PDF, spreadsheet and JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.commands import add_report_scope, opened_database, report_period
from app.domain.figures import BUILT_IN_BAND_SETS, parse_band_set
from app.errors import UserError
from app.i18n import _, ngettext

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
    add_report_scope(p)
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
        choices=sorted(BUILT_IN_BAND_SETS),
        default="default",
        help=_("age bands of the report"),
    )
    p.add_argument(
        "--bands",
        metavar="BANDS",
        help=_('age bands of the report as a list, e.g. "12-18,19-24,25-30" (instead of a preset)'),
    )
    p.add_argument(
        "--small-numbers",
        action="store_true",
        help=_('show groups of 1 to 4 people as "< 5" (for reports leaving the entity)'),
    )
    p.add_argument(
        "--prorate-targets",
        action="store_true",
        help=_("pro-rate the indicators' targets to the period"),
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
    p.add_argument(
        "--community",
        action="store_true",
        help=_("add the groups accompanied and community mediation"),
    )
    p.add_argument(
        "--needs",
        action="store_true",
        help=_("add the needs detected and what was done about them"),
    )
    p.set_defaults(func=run_report, parser=p)


def run_report(args: argparse.Namespace) -> int:
    from app.domain.report import DEFAULT_SECTIONS, ReportRequest
    from app.services.profile import ProfileService
    from app.services.report_output import ReportFiles, base_name
    from app.services.reports import ReportService

    date_from, date_to = report_period(args)
    bands = None
    if args.bands:
        try:
            bands = parse_band_set(args.bands)
        except ValueError as exc:
            raise UserError(
                _("{band} is not an age band: write them as 12-18, 19-24, 65+ in order.").format(
                    band=exc.args[0]
                )
            ) from exc
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
            sections=(DEFAULT_SECTIONS - ({"economic"} if args.no_economic else set()))
            | ({"community"} if args.community else set())
            | ({"needs"} if args.needs else set()),
            band_set=bands,
            band_set_name=args.bands or "",
            small_numbers=args.small_numbers,
            prorate_targets=args.prorate_targets,
        )
        if not (args.output or args.xlsx or args.json or args.evidence):
            # Nothing named: the PDF in the current folder, named after programme and period.
            args.output = Path(base_name(request, programme.code if programme else None) + ".pdf")
        files = ReportFiles(pdf=args.output, xlsx=args.xlsx, json=args.json)
        if files.xlsx or args.evidence:
            from app.reports.report_xlsx import import_openpyxl_alone

            import_openpyxl_alone()
        missing = service.missing_texts(request)
        if missing:  # said before the files are written, as the window does
            from app.domain.texts import missing_message

            main = ProfileService(db).get()
            print(
                _("Warning: {message}").format(
                    message=missing_message(missing, main.default_lang if main else "ca")
                ),
                file=sys.stderr,
            )
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
