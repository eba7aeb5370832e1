"""``teixit list``: find the ids the other commands ask for (programmes, activities, sessions,
network meetings, people) as a table, CSV or JSON.

People are listed by name only unless ``--with-contact``; every people list is written in the
audit log (names are personal data).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any

from app.commands import opened_services, parse_date
from app.errors import UserError
from app.i18n import N_, _, format_time_range

NAMES = ("list",)

KINDS = ("programmes", "activities", "sessions", "meetings", "people")
FORMATS = ("table", "csv", "json")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "list",
        help=_("list programmes, activities, sessions, meetings or people with their ids"),
        description=_(
            "List what the other commands ask for by id or code. People are listed by name "
            "only; their phone and email only with --with-contact. Every list of people is "
            "written in the audit log."
        ),
    )
    p.add_argument(
        "kind",
        choices=KINDS,
        metavar="WHAT",
        help=_("what to list: {kinds}").format(kinds=", ".join(KINDS)),
    )
    p.add_argument("--programme", metavar="CODE", help=_("only this programme (its code)"))
    p.add_argument("--from", dest="date_from", metavar="DATE", help=_("first day (YYYY-MM-DD)"))
    p.add_argument("--to", dest="date_to", metavar="DATE", help=_("last day (YYYY-MM-DD)"))
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help=_("table to read (default), or CSV or JSON for another program"),
    )
    p.add_argument(
        "--with-contact",
        action="store_true",
        help=_("people: also their phone and email (written in the audit log)"),
    )
    p.set_defaults(func=run_list)


#: Each kind's columns: (key in CSV and JSON, header of the table).
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "programmes": (
        ("code", N_("Code")),
        ("name", N_("Name")),
        ("category", N_("Category")),
        ("start", N_("Start date")),
        ("end", N_("End date")),
        ("activities", N_("Activities")),
    ),
    "activities": (
        ("id", N_("Id")),
        ("programme", N_("Programme")),
        ("name", N_("Name")),
        ("time", N_("Time")),
        ("enrolled", N_("Enrolled")),
    ),
    "sessions": (
        ("id", N_("Id")),
        ("date", N_("Date")),
        ("time", N_("Time")),
        ("programme", N_("Programme")),
        ("activity", N_("Activity")),
        ("status", N_("Status")),
        ("attendances", N_("Attendances")),
    ),
    "meetings": (
        ("id", N_("Id")),
        ("date", N_("Date")),
        ("time", N_("Time")),
        ("space", N_("Space")),
        ("status", N_("Status")),
    ),
    "people": (("id", N_("Id")), ("name", N_("Name"))),
}
CONTACT_COLUMNS = (("phone", N_("Phone")), ("email", N_("Email")))


def run_list(args: argparse.Namespace) -> int:
    date_from = parse_date(args.date_from) if args.date_from else None
    date_to = parse_date(args.date_to) if args.date_to else None
    if args.with_contact and args.kind != "people":
        raise UserError(_("--with-contact is for the list of people only."))
    with opened_services() as services:
        programme_id = None
        if args.programme:
            if args.kind == "meetings":
                raise UserError(
                    _(
                        "Meetings belong to network spaces, not to programmes: leave out "
                        "--programme."
                    )
                )
            programme = services.programmes.by_code(args.programme)
            if programme is None:
                raise UserError(
                    _("There is no programme with the code {code}.").format(code=args.programme)
                )
            programme_id = programme.id
        rows = _rows(services, args.kind, programme_id, date_from, date_to, args.with_contact)
    columns = COLUMNS[args.kind] + (CONTACT_COLUMNS if args.with_contact else ())
    _write(rows, columns, args.format)
    return 0


def _rows(  # type: ignore[no-untyped-def]
    services, kind: str, programme_id: str | None, date_from: Any, date_to: Any, contact: bool
) -> list[dict[str, Any]]:
    if kind == "programmes":
        from app.domain.profile import CategoryDTO

        categories: dict[str, CategoryDTO] = {c.code: c for c in services.profile.categories()}
        from app.i18n import current_language

        lang = current_language()
        out = []
        for p in services.programmes.all():
            if programme_id is not None and p.id != programme_id:
                continue
            if date_from is not None and p.end is not None and p.end < date_from:
                continue
            if date_to is not None and p.start is not None and p.start > date_to:
                continue
            category = categories.get(p.category)
            out.append(
                {
                    "code": p.code,
                    "name": p.name,
                    "category": category.label(lang) if category else p.category,
                    "start": p.start.isoformat() if p.start else "",
                    "end": p.end.isoformat() if p.end else "",
                    "activities": p.activity_count,
                }
            )
        return out
    if kind == "activities":
        return [
            {
                "id": a.id,
                "programme": a.programme_code,
                "name": a.name,
                "time": format_time_range(a.start_time, a.end_time),
                "enrolled": a.enrolled,
            }
            for a in services.programmes.activities(programme_id)
        ]
    if kind == "sessions":
        from app.domain.sessions import SESSION_STATUS_LABELS, SessionFilter

        found = services.sessions.find(
            SessionFilter(programme_id=programme_id, date_from=date_from, date_to=date_to)
        )
        return [
            {
                "id": x.id,
                "date": x.date.isoformat(),
                "time": format_time_range(x.start_time, x.end_time),
                "programme": x.programme_code,
                "activity": x.activity_name,
                "status": _(SESSION_STATUS_LABELS.get(x.status, x.status)),
                "attendances": x.attendances,
            }
            for x in sorted(found, key=lambda x: (x.date, x.start_time or 0, x.activity_name))
        ]
    if kind == "meetings":
        from app.domain.networks import MEETING_STATUSES

        meetings = [
            m
            for m in services.networks.meetings()
            if (date_from is None or m.date >= date_from) and (date_to is None or m.date <= date_to)
        ]
        return [
            {
                "id": m.id,
                "date": m.date.isoformat(),
                "time": format_time_range(m.start_time, m.end_time),
                "space": m.space_name,
                "status": _(MEETING_STATUSES.get(m.status, m.status)),
            }
            for m in sorted(meetings, key=lambda m: (m.date, m.start_time or 0, m.space_name))
        ]
    people = services.people.listing(
        programme_id=programme_id,
        date_from=date_from,
        date_to=date_to,
        with_contact=contact,
        purpose=_("teixit list people (command line)"),
    )
    out = [{"id": p.id, "name": p.name} for p in people]
    if contact:
        for row, p in zip(out, people, strict=True):
            row.update(phone=p.phone, email=p.email)
    return out


def _width(text: str) -> int:
    """Columns a text takes in a terminal (wide East Asian characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _write(rows: list[dict[str, Any]], columns: Sequence[tuple[str, str]], fmt: str) -> None:
    keys = [key for key, _label in columns]
    if fmt == "json":
        json.dump(
            [{k: row[k] for k in keys} for row in rows], sys.stdout, ensure_ascii=False, indent=2
        )
        sys.stdout.write("\n")
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(keys)
        for row in rows:
            writer.writerow([row[k] for k in keys])
        return
    if not rows:
        print(_("Nothing to list."))
        return
    table = [[_(label) for _key, label in columns]]
    table += [[str(row[k]) for k in keys] for row in rows]
    widths = [max(_width(line[i]) for line in table) for i in range(len(keys))]
    for n, line in enumerate(table):
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(line)]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
