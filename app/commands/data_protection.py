"""``teixit purge``: remove for good the personal data of people erased (blocked) earlier.
``teixit consent-form``: the consent form to sign on paper, for one person or blank."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.commands import opened_services
from app.i18n import DOCUMENT_LANGUAGES, _, format_date, ngettext

NAMES = ("purge", "consent-form")


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("write a whole number of days")) from None
    if days < 0:
        raise argparse.ArgumentTypeError(_("write a whole number of days"))
    return days


def _years(value: str) -> int:
    try:
        years = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("write a whole number of years")) from None
    if years < 1:
        raise argparse.ArgumentTypeError(_("write a whole number of years"))
    return years


#: ``--scans-older-than`` / ``--invoices-older-than`` without a number: the stored retention.
STORED = 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "purge",
        help=_(
            "remove for good the personal data of erased people; attendance stays counted "
            "without a name"
        ),
    )
    p.add_argument(
        "--older-than",
        metavar="DAYS",
        type=_days,
        help=_("only people erased at least this many days ago (default: all erased people)"),
    )
    p.add_argument(
        "--scans-older-than",
        metavar="YEARS",
        type=_years,
        nargs="?",
        const=STORED,
        help=_(
            "also delete the kept scans of signed sheets of sessions older than this many "
            "years (the attendance stays); without YEARS, the entity's retention (Settings > "
            "Data protection)"
        ),
    )
    p.add_argument(
        "--invoices-older-than",
        metavar="YEARS",
        type=_years,
        nargs="?",
        const=STORED,
        help=_(
            "also delete the invoices' files kept with expenses issued more than this many "
            "years ago (the expenses stay); without YEARS, the entity's retention (Settings > "
            "Data protection, 6 years unless changed)"
        ),
    )
    p.add_argument(
        "--yes", action="store_true", help=_("purge; without it, only list who would be purged")
    )
    p.set_defaults(func=run_purge)

    c = sub.add_parser(
        "consent-form",
        help=_("print the consent form (data processing, image rights) for a person or blank"),
    )
    c.add_argument(
        "--person",
        metavar="ID",
        help=_("the person's id (teixit list people); without it, a blank form"),
    )
    c.add_argument("--lang", choices=DOCUMENT_LANGUAGES, help=_("language of the document"))
    c.add_argument(
        "-o", "--output", metavar="FILE.pdf", type=Path, required=True, help=_("the PDF to write")
    )
    c.set_defaults(func=run_consent_form)


def _purge_scans(service: Any, years: int, yes: bool) -> None:
    pages, sessions = service.old_evidence(years)
    if not pages:
        none = _("There are no scans of signed sheets older than {years} years.")
        print(none.format(years=years))
        return
    if not yes:
        print(
            ngettext(
                "Nothing deleted. Run again with --yes to delete {count} scanned page of "
                "signed sheets ({sessions} sessions older than {years} years).",
                "Nothing deleted. Run again with --yes to delete {count} scanned pages of "
                "signed sheets ({sessions} sessions older than {years} years).",
                pages,
            ).format(count=pages, sessions=sessions, years=years)
        )
        return
    deleted, _changes = service.purge_evidence(years)
    print(
        ngettext(
            "Deleted {count} scanned page of signed sheets older than {years} years.",
            "Deleted {count} scanned pages of signed sheets older than {years} years.",
            deleted,
        ).format(count=deleted, years=years)
    )


def _purge_invoices(service: Any, years: int, yes: bool) -> None:
    files, expenses = service.old_invoices(years)
    if not files:
        none = _("There are no invoice files of expenses older than {years} years.")
        print(none.format(years=years))
        return
    if not yes:
        print(
            ngettext(
                "Nothing deleted. Run again with --yes to delete {count} invoice file "
                "({expenses} expenses older than {years} years).",
                "Nothing deleted. Run again with --yes to delete {count} invoice files "
                "({expenses} expenses older than {years} years).",
                files,
            ).format(count=files, expenses=expenses, years=years)
        )
        return
    deleted, _changes = service.purge_invoices(years)
    print(
        ngettext(
            "Deleted {count} invoice file of expenses older than {years} years.",
            "Deleted {count} invoice files of expenses older than {years} years.",
            deleted,
        ).format(count=deleted, years=years)
    )


def run_purge(args: argparse.Namespace) -> int:
    with opened_services() as services:
        service = services.purge
        scans, invoices = args.scans_older_than, args.invoices_older_than
        if scans is not None:
            years = service.evidence_retention() if scans == STORED else scans
            _purge_scans(service, years, args.yes)
        if invoices is not None:
            years = service.invoice_retention() if invoices == STORED else invoices
            _purge_invoices(service, years, args.yes)
        candidates = service.candidates(args.older_than)
        for c in candidates:
            # Names are not printed: erased people stay hidden, also here.
            print(
                ngettext(
                    "Erased on {date}: {count} attendance record ({id})",
                    "Erased on {date}: {count} attendance records ({id})",
                    c.attendances,
                ).format(
                    date=format_date(c.blocked_at.date(), None, "short"),
                    count=c.attendances,
                    id=c.id,
                )
            )
        if not candidates:
            print(_("There are no erased people to purge."))
            return 0
        if not args.yes:
            print(
                ngettext(
                    "Nothing purged. Run again with --yes to purge {count} erased person.",
                    "Nothing purged. Run again with --yes to purge {count} erased people.",
                    len(candidates),
                ).format(count=len(candidates))
            )
            return 0
        summary, _changes = service.purge([c.id for c in candidates])
    print(
        ngettext(
            "Purged {count} erased person: their personal data is gone for good.",
            "Purged {count} erased people: their personal data is gone for good.",
            summary.people,
        ).format(count=summary.people)
    )
    return 0


def run_consent_form(args: argparse.Namespace) -> int:
    with opened_services() as services:
        services.people.write_consent_form(args.output, args.person, args.lang)
    print(_("Written: {path}").format(path=args.output))
    return 0
