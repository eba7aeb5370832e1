"""``teixit import-people`` and ``teixit import-attendance``: spreadsheets (CSV or XLSX) in.

Both show what would be done (valid rows, invalid rows with their reason, likely duplicates)
and write only with ``--yes``, all in one transaction.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.commands import opened_services
from app.i18n import _, ngettext

NAMES = ("import-people", "import-attendance")


def register(sub: Any) -> None:
    p = sub.add_parser("import-people", help=_("import people from a spreadsheet, CSV or XLSX"))
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument(
        "--yes", action="store_true", help=_("write the valid rows; by default they are only shown")
    )
    p.add_argument(
        "--with-duplicates",
        action="store_true",
        help=_("also import rows that look like people already there; by default they are skipped"),
    )
    p.set_defaults(func=run_import_people)

    p = sub.add_parser(
        "import-attendance",
        help=_("record attendance from a list of names or ID documents, CSV or XLSX"),
    )
    p.add_argument("file", metavar="FILE", type=Path)
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--session", metavar="ID", help=_("the session everyone attended"))
    target.add_argument(
        "--activity", metavar="ID", help=_("the activity; a date column gives each session")
    )
    p.add_argument(
        "--yes", action="store_true", help=_("write the attendance; by default it is only shown")
    )
    p.set_defaults(func=run_import_attendance)


def run_import_people(args: argparse.Namespace) -> int:
    with opened_services() as services:
        importer = services.people_import
        plan = importer.plan(args.file)
        for r in plan.invalid_rows:
            print(_("Row {row}: {reason}").format(row=r.row, reason=" ".join(r.errors)))
        for r in plan.duplicate_rows:
            d = r.duplicates[0]
            where = _("row {row}").format(row=d.row) if d.row else _("already in the database")
            print(
                _("Row {row}: {name} looks like {other} ({where}: {reason}).").format(
                    row=r.row,
                    name=r.values.full_name if r.values else "",
                    other=d.name,
                    where=where,
                    reason=d.reason,
                )
            )
        choices = plan.default_choices()
        if args.with_duplicates:
            choices.update({r.row: "import" for r in plan.duplicate_rows})
        to_write = sum(1 for c in choices.values() if c == "import")
        print(
            _("Valid rows: {valid}; invalid: {invalid}; likely duplicates: {duplicates}.").format(
                valid=len(plan.valid_rows),
                invalid=len(plan.invalid_rows),
                duplicates=len(plan.duplicate_rows),
            )
        )
        if not args.yes:
            print(
                ngettext(
                    "Nothing written. Run again with --yes to import {count} person.",
                    "Nothing written. Run again with --yes to import {count} people.",
                    to_write,
                ).format(count=to_write)
            )
            return 0
        summary, _changes = importer.execute(plan, choices)
    print(summary.describe())
    return 0


def run_import_attendance(args: argparse.Namespace) -> int:
    with opened_services() as services:
        importer = services.attendance_import
        plan = importer.plan(args.file, session_id=args.session, activity_id=args.activity)
        for r in plan.unmatched:
            print(_("Row {row}: {reason}").format(row=r.row, reason=r.error))
        print(
            _("Rows matching a person: {matched}; without a match: {unmatched}.").format(
                matched=len(plan.matched), unmatched=len(plan.unmatched)
            )
        )
        if not args.yes:
            print(_("Nothing written. Run again with --yes to record the attendance."))
            return 0
        summary, _changes = importer.execute(plan)
    print(summary.describe())
    return 0
