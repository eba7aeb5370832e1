"""An attendance list in a spreadsheet (names or documents, one row per person who came), read
and matched with the people given: the file format only.

People are found by ID document, else by exact name, else by a clearly similar name; a row that
matches nobody (or several people) is shown with its reason and left out. The service
(app.services.attendance_import) checks the session or activity, gives the people and writes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from app.domain.imports import ATTENDANCE_FIELDS, AttendancePlan, AttendanceRow, Table
from app.errors import UserError
from app.exchange.spreadsheet_import import SIMILAR_NAME, guess_mapping
from app.exchange.spreadsheet_read import cell_text, classify_document, normalise, parse_date
from app.i18n import _


def people_lookup(people: Iterable[tuple[str, str, str, str | None]]) -> dict[str, Any]:
    """(id, given name, family names, document) of the people a row may name, for
    ``match_row``: by document and by name."""
    by_doc: dict[str, str] = {}
    by_name: dict[str, list[str]] = defaultdict(list)
    for pid, given, family, doc in people:
        if doc:
            by_doc[doc.upper()] = pid
        by_name[normalise(f"{given} {family}")].append(pid)
    return {"doc": by_doc, "name": by_name, "keys": list(by_name)}


def plan_attendance(
    file_name: str,
    table: Table,
    people: dict[str, Any],
    *,
    session_id: str | None = None,
    activity_id: str | None = None,
    mapping: Iterable[str] | None = None,
    date_problem: Callable[[dt.date], str | None] | None = None,
) -> AttendancePlan:
    """Each row of ``table`` matched with ``people`` (``people_lookup``); for an activity, a
    date column says each row's session, and ``date_problem`` refuses a row whose date cannot
    hold attendance (in the future, outside the programme's period)."""
    cols = (
        tuple(mapping) if mapping is not None else guess_mapping(table.headers, ATTENDANCE_FIELDS)
    )
    if not {"full_name", "given_name", "id_document"} & set(cols):
        raise UserError(_("Choose which column holds the names or the ID documents."))
    if activity_id and "session_date" not in cols:
        raise UserError(_("Choose which column holds the session dates (one session per date)."))
    rows = [match_row(n, cells, cols, people, bool(activity_id)) for n, cells in table.rows]
    if date_problem is not None:
        rows = [_dated(row, date_problem) for row in rows]
    return AttendancePlan(
        file_name=file_name,
        headers=table.headers,
        mapping=cols,
        rows=tuple(rows),
        session_id=session_id,
        activity_id=activity_id,
    )


def _dated(row: AttendanceRow, date_problem: Callable[[dt.date], str | None]) -> AttendanceRow:
    if row.error is not None or row.session_date is None:
        return row
    problem = date_problem(row.session_date)
    return row if problem is None else replace(row, participant_id=None, error=problem)


def match_row(
    number: int,
    cells: tuple[Any, ...],
    cols: tuple[str, ...],
    people: dict[str, Any],
    needs_date: bool,
) -> AttendanceRow:
    from rapidfuzz import fuzz, process

    raw: dict[str, list[str]] = defaultdict(list)
    for value, f in zip(cells, cols, strict=True):
        if f and f != "session_date":
            raw[f].append(cell_text(value))
    full = " ".join(raw["full_name"]) or " ".join(raw["given_name"] + raw["family_names"])
    name = " ".join(full.split())
    session_date: dt.date | None = None
    if needs_date:
        value = cells[cols.index("session_date")]
        try:
            parsed = parse_date(value)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dt.date):
            return AttendanceRow(
                number,
                name,
                None,
                None,
                _("The date “{value}” cannot be read; write it as d/m/yyyy.").format(
                    value=cell_text(value)
                ),
            )
        session_date = parsed
    _type, doc, _problem = classify_document(" ".join(raw["id_document"]))
    if doc and doc.upper() in people["doc"]:
        pid = people["doc"][doc.upper()]
        return AttendanceRow(number, name or doc, pid, session_date, None, _("same ID document"))
    key = normalise(name)
    if not key:
        problem = _("No person has this document.") if doc else _("The name is empty.")
        return AttendanceRow(number, doc, None, session_date, problem)
    found = people["name"].get(key, [])
    if len(found) == 1:
        return AttendanceRow(number, name, found[0], session_date, None, _("same name"))
    if len(found) > 1:
        return AttendanceRow(
            number,
            name,
            None,
            session_date,
            _("Several people are called {name}; add their ID document.").format(name=name),
        )
    best = process.extractOne(
        key, people["keys"], scorer=fuzz.token_sort_ratio, score_cutoff=SIMILAR_NAME
    )
    if best and len(people["name"][best[0]]) == 1:
        pid = people["name"][best[0]][0]
        return AttendanceRow(number, name, pid, session_date, None, _("similar name"))
    return AttendanceRow(
        number, name, None, session_date, _("No person called {name}.").format(name=name)
    )
