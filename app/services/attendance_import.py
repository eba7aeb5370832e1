"""Importing an attendance list into a session, or into an activity with a date column (one
session per date, created when missing). The file is read and matched by
app.exchange.attendance_import; as with people, the plan writes nothing and ``execute`` writes
everything in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Activity, Attendance, Participant, Programme
from app.db.models import Session as SessionRow
from app.domain.changes import Area, Changes
from app.domain.imports import AttendancePlan, AttendanceSummary
from app.domain.sessions import COUNTED_STATUSES, attendance_date_problem
from app.errors import UserError
from app.exchange.attendance_import import people_lookup, plan_attendance
from app.exchange.spreadsheet_read import load_table
from app.i18n import _
from app.services import audit


class AttendanceImportService:
    def __init__(self, db: Database, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._db = db
        self._today = today

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
        period = self._check_target(session_id, activity_id)
        table = load_table(Path(path))
        today = self._today()
        with self._db.read() as s:
            rows = s.execute(
                select(
                    Participant.id,
                    Participant.given_name,
                    Participant.family_names,
                    Participant.id_document_number,
                ).where(Participant.deleted_at.is_(None), Participant.blocked_at.is_(None))
            ).all()
        people = people_lookup((pid, given, family, doc) for pid, given, family, doc in rows)
        return plan_attendance(
            Path(path).name,
            table,
            people,
            session_id=session_id,
            activity_id=activity_id,
            mapping=mapping,
            date_problem=lambda day: attendance_date_problem(day, today, *period),
        )

    def _check_target(
        self, session_id: str | None, activity_id: str | None
    ) -> tuple[dt.date | None, dt.date | None]:
        """The programme's period (start, end) of the session or activity; UserError if it
        does not exist, or if the session cannot hold attendance yet (future, outside it)."""
        with self._db.read() as s:
            if session_id:
                row = s.get(SessionRow, session_id)
                if row is None or row.deleted_at is not None:
                    raise UserError(
                        _("There is no session with the id {id}.").format(id=session_id)
                    )
                activity_id, session_date = row.activity_id, row.date
            act = s.get(Activity, activity_id) if activity_id else None
            if act is None or act.deleted_at is not None:
                raise UserError(_("There is no activity with the id {id}.").format(id=activity_id))
            programme = s.get(Programme, act.programme_id)
            period = (programme.start, programme.end) if programme else (None, None)
            if session_id:
                problem = attendance_date_problem(session_date, self._today(), *period)
                if problem is not None:
                    raise UserError(problem)
            return period

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
                    problem = attendance_date_problem(day, self._today(), None, None)
                    if problem is not None:  # a plan made before midnight, or by hand
                        raise UserError(problem)
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
            today = self._today()
            attended = {sid for sid, _pid in done}
            for row in s.scalars(select(SessionRow).where(SessionRow.id.in_(attended))):
                if row.status == "planned" and row.date <= today:
                    row.status = "held"
            summary = AttendanceSummary(recorded, already, created, len(plan.unmatched))
            if recorded:
                audit.record(s, "import", plan.file_name, summary.describe())
        return summary, Changes.of(Area.ATTENDANCE, Area.SESSIONS)
