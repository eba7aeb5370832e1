"""``teixit sheet``: attendance sheets as PDF files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.commands import opened_database, parse_date
from app.domain.sheets import MAX_BLANK_ROWS, SheetData, SheetOptions
from app.errors import UserError
from app.i18n import DOCUMENT_LANGUAGES, _, ngettext

NAMES = ("sheet",)


def _blank_rows(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("write a whole number")) from None
    if not 0 <= n <= MAX_BLANK_ROWS:
        raise argparse.ArgumentTypeError(
            _("choose between 0 and {maximum}").format(maximum=MAX_BLANK_ROWS)
        )
    return n


def register(sub: Any) -> None:
    p = sub.add_parser(
        "sheet",
        help=_("print an attendance sheet to a PDF file"),
        description=_(
            "Attendance sheet of a session, register grid of an activity (people x dates), "
            "sheet of a network meeting, or a blank sheet."
        ),
    )
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--session", metavar="ID", help=_("the sheet of one session"))
    what.add_argument(
        "--activity", metavar="ID", help=_("register grid of an activity (needs --from and --to)")
    )
    what.add_argument("--meeting", metavar="ID", help=_("the sheet of a network meeting"))
    what.add_argument("--blank", action="store_true", help=_("a sheet without names"))
    p.add_argument("--from", dest="date_from", metavar="DATE", help=_("first day (YYYY-MM-DD)"))
    p.add_argument("--to", dest="date_to", metavar="DATE", help=_("last day (YYYY-MM-DD)"))
    p.add_argument("--lang", choices=DOCUMENT_LANGUAGES, help=_("language of the document"))
    p.add_argument(
        "--blank-rows",
        type=_blank_rows,
        default=None,
        metavar="N",
        help=_("empty numbered rows for newcomers"),
    )
    p.add_argument(
        "--masked-id", action="store_true", help=_("add a column with a partly hidden ID number")
    )
    p.add_argument("--slips", action="store_true", help=_("one slip per person"))
    p.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE.pdf", help=_("the PDF to write")
    )
    p.set_defaults(func=run_sheet)


def _options(args: argparse.Namespace, lang: str) -> SheetOptions:
    blank_default = 17 if args.blank else 5  # 17: a full page
    return SheetOptions(
        lang=lang,
        blank_rows=blank_default if args.blank_rows is None else args.blank_rows,
        show_masked_id=args.masked_id,
        slips=args.slips,
    )


def _warn(warning: str) -> None:
    if warning:  # said before the file is written, as the window does
        print(_("Warning: {message}").format(message=warning), file=sys.stderr)


def _session_sheet_without_orm(args: argparse.Namespace) -> SheetData | None:
    """A session's sheet on the data folder's file without importing SQLAlchemy (most of this
    short command's time); None when the usual path has to make it
    (app/services/sheets_without_orm.py)."""
    from app.services.sheets_without_orm import Unsure, opened_sheets

    try:
        with opened_sheets() as sheets:
            options = _options(args, args.lang or sheets.default_lang())
            data = sheets.session_sheet(args.session)
            _warn(sheets.missing_warning(data, options.lang))
            sheets.write(data, options, args.output)
            return data
    except Unsure:
        return None


def run_sheet(args: argparse.Namespace) -> int:
    if args.activity and not (args.date_from and args.date_to):
        raise UserError(_("A register grid needs --from and --to."))
    data = _session_sheet_without_orm(args) if args.session else None
    if data is None:
        data = _sheet(args)
    n = len(data.people)
    print(
        ngettext("Wrote {path} ({count} name).", "Wrote {path} ({count} names).", n).format(
            path=args.output, count=n
        )
    )
    return 0


def _sheet(args: argparse.Namespace) -> SheetData:
    from app.services.profile import ProfileService
    from app.services.sheets import SheetService

    with opened_database() as db:
        profile = ProfileService(db).get()
        options = _options(args, args.lang or (profile.default_lang if profile else "ca"))
        service = SheetService(db)
        if args.session:
            data = service.session_sheet(args.session)
        elif args.activity:
            data = service.activity_grid(
                args.activity, parse_date(args.date_from), parse_date(args.date_to)
            )
        elif args.meeting:
            data = service.meeting_sheet(args.meeting)
        else:
            data = service.blank_sheet()
        _warn(service.missing_warning(data, options.lang))
        service.write(data, options, args.output)
    return data
