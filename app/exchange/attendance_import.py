"""Importing an attendance list (names or documents, one row per person who came) into a
session, or into an activity with a date column (one session per date, created when missing).

People are found by ID document, else by exact name, else by a clearly similar name; a row that
matches nobody (or several people) is shown with its reason and left out. As with people, the
plan writes nothing; ``execute`` writes everything in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Activity, Attendance, Participant
from app.db.models import Session as SessionRow
from app.domain.changes import Area, Changes
from app.domain.imports import (
    ATTENDANCE_FIELDS,
    AttendancePlan,
    AttendanceRow,
    AttendanceSummary,
)
from app.domain.sessions import COUNTED_STATUSES
from app.errors import UserError
from app.exchange.spreadsheet_import import SIMILAR_NAME, guess_mapping
from app.exchange.spreadsheet_read import (
    cell_text,
    classify_document,
    load_table,
    normalise,
    parse_date,
)
from app.i18n import _
from app.services import audit


class AttendanceImporter:
    def __init__(self, db: Database) -> None:
        self._db = db

    def plan(
        self,
        path: Path,
        *,
        session_id: str | None = None,
        activity_id: str | None = None,
        mapping: Iterable[str] | None = None,
    ) -> AttendancePlan:
        if (session_id is None) == (activity_id is None):
            raise ValueError("give a session or an activity")
        self._check_target(session_id, activity_id)
        table = load_table(Path(path))
        cols = (
            tuple(mapping)
            if mapping is not None
            else guess_mapping(table.headers, ATTENDANCE_FIELDS)
        )
        if not {"full_name", "given_name", "id_document"} & set(cols):
            raise UserError(_("Choose which column holds the names or the ID documents."))
        if activity_id and "session_date" not in cols:
            raise UserError(
                _("Choose which column holds the session dates (one session per date).")
            )
        people = self._people()
        rows = [self._row(n, cells, cols, people, bool(activity_id)) for n, cells in table.rows]
        return AttendancePlan(
            file_name=Path(path).name,
            headers=table.headers,
            mapping=cols,
            rows=tuple(rows),
            session_id=session_id,
            activity_id=activity_id,
        )

    def _check_target(self, session_id: str | None, activity_id: str | None) -> None:
        with self._db.read() as s:
            if session_id:
                row = s.get(SessionRow, session_id)
                if row is None or row.deleted_at is not None:
                    raise UserError(
                        _("There is no session with the id {id}.").format(id=session_id)
                    )
            if activity_id:
                act = s.get(Activity, activity_id)
                if act is None or act.deleted_at is not None:
                    raise UserError(
                        _("There is no activity with the id {id}.").format(id=activity_id)
                    )

    def _people(self) -> dict[str, Any]:
        by_doc: dict[str, str] = {}
        by_name: dict[str, list[str]] = defaultdict(list)
        with self._db.read() as s:
            for pid, given, family, doc in s.execute(
                select(
                    Participant.id,
                    Participant.given_name,
                    Participant.family_names,
                    Participant.id_document_number,
                ).where(Participant.deleted_at.is_(None), Participant.blocked_at.is_(None))
            ):
                if doc:
                    by_doc[doc.upper()] = pid
                by_name[normalise(f"{given} {family}")].append(pid)
        return {"doc": by_doc, "name": by_name, "keys": list(by_name)}

    def _row(
        self,
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
            return AttendanceRow(
                number, name or doc, pid, session_date, None, _("same ID document")
            )
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

    def execute(self, plan: AttendancePlan) -> tuple[AttendanceSummary, Changes]:
        recorded = already = created = 0
        with self._db.begin() as s:
            sessions: dict[dt.date | None, str] = {}
            if plan.session_id:
                sessions[None] = plan.session_id
            else:
                for sid, on in s.execute(
                    select(SessionRow.id, SessionRow.date).where(
                        SessionRow.activity_id == plan.activity_id, SessionRow.deleted_at.is_(None)
                    )
                ):
                    sessions.setdefault(on, sid)
            done: set[tuple[str, str]] = set()
            for r in plan.matched:
                assert r.participant_id is not None
                day: dt.date | None = None if plan.session_id else r.session_date
                if day not in sessions:
                    assert day is not None  # a plan for an activity has a date on every row
                    new = SessionRow(activity_id=plan.activity_id, date=day, status="held")
                    s.add(new)
                    s.flush()
                    sessions[day] = new.id
                    created += 1
                sid = sessions[day]
                if (sid, r.participant_id) in done:
                    already += 1
                    continue
                done.add((sid, r.participant_id))
                existing = s.scalar(
                    select(Attendance).where(
                        Attendance.session_id == sid,
                        Attendance.participant_id == r.participant_id,
                    )
                )
                if existing is None:
                    s.add(
                        Attendance(
                            session_id=sid, participant_id=r.participant_id, status="present"
                        )
                    )
                    recorded += 1
                elif existing.status in COUNTED_STATUSES:
                    already += 1
                else:
                    existing.status = "present"
                    recorded += 1
            # A planned session someone attended took place: held, so it counts in the figures
            # (as when attendance is taken in the window).
            today = dt.date.today()
            attended = {sid for sid, _pid in done}
            for row in s.scalars(select(SessionRow).where(SessionRow.id.in_(attended))):
                if row.status == "planned" and row.date <= today:
                    row.status = "held"
            summary = AttendanceSummary(recorded, already, created, len(plan.unmatched))
            if recorded:
                audit.record(s, "import", plan.file_name, summary.describe())
        return summary, Changes.of(Area.ATTENDANCE, Area.SESSIONS)
