"""Sessions (one, or a series skipping the region's public holidays), attendance with undo (in
the caller's own undo history), anonymous head counts and the register grid of an activity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row, Select, delete, func, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import selectinload

from app.db import marks
from app.db.base import natural_id, utcnow
from app.db.engine import Database
from app.db.models import (
    Activity,
    Attendance,
    Enrolment,
    EntityProfile,
    HeadCount,
    LocalDay,
    Participant,
    Place,
    Programme,
    Session,
    Staff,
)
from app.domain.changes import Area, Changes
from app.domain.people import sort_key
from app.domain.sessions import (
    ATTENDANCE_STATUSES,
    COUNTED_STATUSES,
    MAX_SERIES,
    SESSION_STATUSES,
    AttendanceRow,
    AttendanceSheet,
    AttendanceStep,
    AttendanceUndo,
    HeadCountDTO,
    PlannedDate,
    RegisterGrid,
    SeriesRequest,
    SessionDTO,
    SessionFilter,
    plan_series,
    validate_series,
    validate_session,
)
from app.errors import StaleRecord, UserError, ValidationError
from app.i18n import _, current_language, format_date

_PERSON_COLUMNS = (
    Participant.id,
    Participant.given_name,
    Participant.family_names,
    Participant.blocked_at,
)


def _row(
    pid: str,
    given: str,
    family: str,
    blocked: dt.datetime | None,
    status: str | None,
    enrolled: bool,
) -> AttendanceRow:
    """An erased person's marks stay (they are counted) but their name does not show; they
    go last."""
    if blocked is not None:
        return AttendanceRow(pid, _("Erased person"), status, enrolled, ("\uffff", pid))
    return AttendanceRow(pid, _full_name(given, family), status, enrolled, sort_key(family, given))


def _full_name(given: str, family: str) -> str:
    return f"{given} {family}".strip()


#: ``close_attendance`` leaves the session's estimate of new people as it is.
KEEP_NEW_PEOPLE = -1


class SessionsService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- reading --------------------------------------------------------------------------
    def _query(self) -> Select[Any]:
        recorded = (
            select(func.count())
            .where(Attendance.session_id == Session.id)
            .correlate(Session)
            .scalar_subquery()
        )
        # Attendances as the figures count them: present or late, plus the head counts.
        came = (
            select(func.count())
            .where(Attendance.session_id == Session.id, Attendance.status.in_(COUNTED_STATUSES))
            .correlate(Session)
            .scalar_subquery()
        )
        heads = (
            select(func.coalesce(func.sum(HeadCount.count), 0))
            .where(HeadCount.session_id == Session.id)
            .correlate(Session)
            .scalar_subquery()
        )
        return (
            select(
                Session,
                Activity.name,
                Programme.id,
                Programme.code,
                Place.name,
                recorded,
                came + heads,
            )
            .join(Activity, Activity.id == Session.activity_id)
            .join(Programme, Programme.id == Activity.programme_id)
            .outerjoin(Place, Place.id == Session.place_id)
            .where(
                Session.deleted_at.is_(None),
                Activity.deleted_at.is_(None),
                Programme.deleted_at.is_(None),
            )
            # The facilitators of every session found in one more query, not one per session.
            .options(selectinload(Session.facilitators))
        )

    @staticmethod
    def _dto(row: Row[Any]) -> SessionDTO:
        sess, activity_name, programme_id, code, place_name, recorded, attendances = tuple(row)
        return SessionDTO(
            id=sess.id,
            activity_id=sess.activity_id,
            date=sess.date,
            start_time=sess.start_time,
            end_time=sess.end_time,
            place_id=sess.place_id,
            status=sess.status,
            notes=sess.notes,
            facilitator_ids=tuple(f.id for f in sess.facilitators),
            activity_name=activity_name,
            programme_id=programme_id,
            programme_code=code,
            place_name=place_name or "",
            recorded=recorded or 0,
            attendances=attendances or 0,
            version=sess.version,
            new_people=sess.new_people,
        )

    def find(self, f: SessionFilter | None = None) -> list[SessionDTO]:
        with self._db.read() as s:
            return self._find(s, f or SessionFilter())

    def _find(self, s: OrmSession, f: SessionFilter) -> list[SessionDTO]:
        q = self._query()
        if f.programme_id:
            q = q.where(Activity.programme_id == f.programme_id)
        if f.activity_id:
            q = q.where(Session.activity_id == f.activity_id)
        if f.date_from:
            q = q.where(Session.date >= f.date_from)
        if f.date_to:
            q = q.where(Session.date <= f.date_to)
        if f.status:
            q = q.where(Session.status == f.status)
        q = q.order_by(Session.date, Session.start_time, Activity.name)
        if f.limit:
            q = q.limit(f.limit)
        return [self._dto(r) for r in s.execute(q).all()]

    def get(self, session_id: str) -> SessionDTO:
        with self._db.read() as s:
            return self._get(s, session_id)

    def _get(self, s: OrmSession, session_id: str) -> SessionDTO:
        row = s.execute(self._query().where(Session.id == session_id)).first()
        if row is None:
            raise UserError(_("This session no longer exists."))
        return self._dto(row)

    def unrecorded(self, before: dt.date, limit: int = 50) -> list[SessionDTO]:
        """Past sessions not cancelled with no attendance and no head count recorded yet."""
        counted = select(HeadCount.session_id)
        q = (
            self._query()
            .where(Session.date < before, Session.status != "cancelled")
            .where(~Session.id.in_(select(Attendance.session_id)), ~Session.id.in_(counted))
            .order_by(Session.date.desc())
            .limit(limit)
        )
        with self._db.read() as s:
            return [self._dto(r) for r in s.execute(q).all()]

    # --- writing --------------------------------------------------------------------------
    def save(self, dto: SessionDTO) -> tuple[SessionDTO, Changes]:
        errors = validate_session(dto)
        if errors:
            raise ValidationError(errors)
        with self._db.begin() as s:
            self._activity(s, dto.activity_id)
            row = Session() if dto.id is None else self._session(s, dto.id)
            if dto.id is None:
                s.add(row)
            else:
                self._check_version(s, row, dto.version)
                row.version += 1
            row.activity_id, row.date = dto.activity_id, dto.date
            row.start_time, row.end_time = dto.start_time, dto.end_time
            row.place_id, row.status, row.notes = dto.place_id, dto.status, dto.notes
            row.facilitators = list(
                s.scalars(select(Staff).where(Staff.id.in_(dto.facilitator_ids)))
            )
            s.flush()
            return self._get(s, row.id), Changes.of(Area.SESSIONS)

    def defaults_for(self, activity_id: str, day: dt.date) -> SessionDTO:
        """A new session of an activity with its default place, times and facilitators."""
        with self._db.read() as s:
            a = self._activity(s, activity_id)
            return SessionDTO(
                activity_id=a.id,
                date=day,
                start_time=a.start_time,
                end_time=a.end_time,
                place_id=a.place_id,
                facilitator_ids=tuple(f.id for f in a.facilitators),
                activity_name=a.name,
            )

    def move(self, session_id: str, day: dt.date) -> Changes:
        with self._db.begin() as s:
            row = self._session(s, session_id)
            row.date = day
            row.version += 1
        return Changes.of(Area.SESSIONS)

    def set_status(self, session_id: str, status: str) -> Changes:
        if status not in SESSION_STATUSES:
            raise UserError(_("Choose a valid status."))
        with self._db.begin() as s:
            row = self._session(s, session_id)
            if row.status != status:
                row.status = status
                row.version += 1
        return Changes.of(Area.SESSIONS, Area.ATTENDANCE)

    def cancel(self, session_id: str) -> Changes:
        return self.set_status(session_id, "cancelled")

    def delete(self, session_id: str) -> Changes:
        with self._db.begin() as s:
            self._session(s, session_id).deleted_at = utcnow()
        return Changes.of(Area.SESSIONS, Area.ATTENDANCE)

    # --- series ---------------------------------------------------------------------------
    def region(self) -> str:
        with self._db.read() as s:
            return s.scalar(select(EntityProfile.region).limit(1)) or "CT"

    def holidays(self, date_from: dt.date, date_to: dt.date) -> dict[dt.date, str]:
        """The days a series skips: the public holidays of the entity's region (Catalonia or
        the Valencian Community), then the entity's own local holidays and school breaks
        (Settings > Calendar), each with its name."""
        lang = "es" if current_language() == "es" else "ca"
        years = range(date_from.year, date_to.year + 1)
        import holidays as holidays_lib  # a large package: only when a calendar is asked for

        found = holidays_lib.country_holidays(
            "ES", subdiv=self.region(), years=years, language=lang
        )
        out = {d: str(name) for d, name in found.items() if date_from <= d <= date_to}
        with self._db.read() as s:
            rows = s.scalars(
                select(LocalDay).where(LocalDay.date_to >= date_from, LocalDay.date_from <= date_to)
            ).all()
            local = [(r.date_from, r.date_to, r.name) for r in rows]
        for first, last, name in local:
            day = max(first, date_from)
            while day <= min(last, date_to):
                out.setdefault(day, name)
                day += dt.timedelta(days=1)
        return out

    def preview_series(self, req: SeriesRequest) -> list[PlannedDate]:
        errors = validate_series(req)
        if errors:
            raise ValidationError(errors)
        planned = plan_series(req, self.holidays(req.date_from, req.date_to))
        if sum(1 for p in planned if not p.skipped) > MAX_SERIES:
            raise ValidationError(
                {
                    "date_to": _("A series can have {count} sessions at most.").format(
                        count=MAX_SERIES
                    )
                }
            )
        return planned

    def create_series(self, req: SeriesRequest) -> tuple[list[str], Changes]:
        dates = [p.date for p in self.preview_series(req) if not p.skipped]
        with self._db.begin() as s:
            a = self._activity(s, req.activity_id)
            staff = list(a.facilitators)
            ids = []
            for day in dates:
                row = Session(
                    activity_id=a.id,
                    date=day,
                    start_time=req.start_time or a.start_time,
                    end_time=req.end_time or a.end_time,
                    place_id=req.place_id or a.place_id,
                    status="planned",
                )
                row.facilitators = list(staff)
                s.add(row)
                s.flush()
                ids.append(row.id)
        return ids, Changes.of(Area.SESSIONS)

    # --- attendance -----------------------------------------------------------------------
    def attendance(self, session_id: str) -> AttendanceSheet:
        """Enrolled people on the session's date plus anyone with a record, by name."""
        with self._db.read() as s:
            return self._attendance(s, session_id)

    def _attendance(self, s: OrmSession, session_id: str) -> AttendanceSheet:
        session = self._get(s, session_id)
        recorded = dict(
            s.execute(
                select(Attendance.participant_id, Attendance.status).where(
                    Attendance.session_id == session_id
                )
            ).all()
        )
        enrolled = set(
            s.scalars(
                select(Enrolment.participant_id).where(
                    Enrolment.activity_id == session.activity_id,
                    (Enrolment.start.is_(None)) | (Enrolment.start <= session.date),
                    (Enrolment.end.is_(None)) | (Enrolment.end >= session.date),
                )
            )
        )
        ids = enrolled | set(recorded)
        people = s.execute(
            select(*_PERSON_COLUMNS).where(
                Participant.id.in_(ids),
                Participant.deleted_at.is_(None),
                Participant.blocked_at.is_(None) | Participant.id.in_(list(recorded)),
            )
        ).all()
        rows = sorted(
            (
                _row(pid, g, f, blocked, recorded.get(pid), pid in enrolled)
                for pid, g, f, blocked in people
            ),
            key=lambda r: r.sort,
        )
        counts = tuple(
            HeadCountDTO(h.gender, h.age_band, h.count)
            for h in s.scalars(select(HeadCount).where(HeadCount.session_id == session_id))
        )
        return AttendanceSheet(session, tuple(rows), counts)

    def set_attendance(
        self,
        session_id: str,
        statuses: dict[str, str | None],
        undo: AttendanceUndo | None = None,
    ) -> Changes:
        """Set the status of some people (None removes the record); with ``undo``, the change
        can be undone from that history."""
        if any(st is not None and st not in ATTENDANCE_STATUSES for st in statuses.values()):
            raise UserError(_("Choose a valid attendance status."))
        if not self._db.is_file and statuses:
            return _remember(self._set_attendance_office(session_id, statuses), undo)
        with self._db.begin() as s:
            sess, before = self._marks(s, session_id, statuses)
            held_from = _mark_held_if_attended(sess, statuses.values())
            step = AttendanceStep(sess.id, before, held_from)
        return _remember(step, undo)

    def _set_attendance_office(
        self, session_id: str, statuses: dict[str, str | None]
    ) -> AttendanceStep:
        """What :meth:`set_attendance` does, in two trips to an office database: the read with
        the BEGIN, the writes with the COMMIT (app/db/marks.py). The same reads, checks and
        writes as the ORM's, and the same change-log entries."""
        with self._db.begin(first=marks.first_read(session_id, list(statuses))) as s:
            found = marks.read_first(s)
            if found is None:  # not sent: read as on a file
                orm_sess, was = self._marks(s, session_id, statuses)
                held_from = _mark_held_if_attended(orm_sess, statuses.values())
                return AttendanceStep(orm_sess.id, was, held_from)
            sess, existing, frozen = found
            if sess is None or sess.deleted_at is not None:
                raise UserError(_("This session no longer exists."))
            before: dict[str, str | None] = {}
            changed: list[tuple[str, marks.MarkRead | None, str | None]] = []
            for pid, status in statuses.items():
                if pid in frozen:
                    continue
                row = existing.get(pid)
                before[pid] = row.status if row else None
                if before[pid] != status:
                    changed.append((pid, row, status))
            marks.write_with_commit(s, session_id, changed)
            held_from = _mark_held_if_attended(sess, statuses.values())
            if held_from is not None:
                marks.write_held_with_commit(s, sess)
            return AttendanceStep(sess.id, before, held_from)

    def write_attendance_in(
        self, s: OrmSession, session_id: str, statuses: dict[str, str | None]
    ) -> None:
        """What :meth:`set_attendance` does, inside the caller's unit of work (a signed sheet
        read back: the marks, its evidence and the audit entry are saved together)."""
        if any(st is not None and st not in ATTENDANCE_STATUSES for st in statuses.values()):
            raise UserError(_("Choose a valid attendance status."))
        sess, _before = self._marks(s, session_id, statuses)
        _mark_held_if_attended(sess, statuses.values())

    def _write_statuses(
        self, s: OrmSession, session_id: str, statuses: dict[str, str | None]
    ) -> dict[str, str | None]:
        return self._marks(s, session_id, statuses)[1]

    def _marks(
        self, s: OrmSession, session_id: str, statuses: dict[str, str | None]
    ) -> tuple[Session, dict[str, str | None]]:
        """Write the statuses; the session and the statuses as they were. One query reads the
        session, these people's marks in it and whether they were erased (on an office
        database each query is a trip over the network, and a mark is saved per key press)."""
        people = list(statuses)
        found = s.execute(
            select(Session, Participant.id, Participant.blocked_at, Attendance)
            .select_from(Session)
            .outerjoin(Participant, Participant.id.in_(people))
            .outerjoin(
                Attendance,
                (Attendance.session_id == Session.id)
                & (Attendance.participant_id == Participant.id),
            )
            .where(Session.id == session_id)
        ).all()
        sess = found[0][0] if found else None
        if sess is None or sess.deleted_at is not None:
            raise UserError(_("This session no longer exists."))
        existing = {mark.participant_id: mark for *_x, mark in found if mark is not None}
        # An erased person's attendance is frozen: it stays counted as it was reported.
        frozen = {pid for _x, pid, blocked, _m in found if blocked is not None}
        before: dict[str, str | None] = {}
        for pid, status in statuses.items():
            if pid in frozen:
                continue
            row = existing.get(pid)
            before[pid] = row.status if row else None
            if status is None:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(Attendance(session_id=session_id, participant_id=pid, status=status))
            else:
                row.status = status
        return sess, before

    def everyone_present(self, session_id: str, undo: AttendanceUndo | None = None) -> Changes:
        """Everyone on the list without a status becomes present (statuses set stay); with
        ``undo``, one step of that history. One unit of work, so a status someone sets meanwhile
        is never overwritten."""
        with self._db.begin() as s:
            sheet = self._attendance(s, session_id)
            todo: dict[str, str | None] = {
                r.participant_id: "present" for r in sheet.rows if not r.status
            }
            if not todo:
                return Changes.of()
            sess = self._session(s, session_id)
            before = self._write_statuses(s, session_id, todo)
            held_from = _mark_held_if_attended(sess, todo.values())
            step = AttendanceStep(sess.id, before, held_from)
        return _remember(step, undo)

    def undo_attendance(self, undo: AttendanceUndo) -> tuple[str | None, Changes]:
        """Undo the newest change of ``undo``, in one unit of work: each person's status as it
        was and, when that change made the session held, the session's status before it.
        Returns the session (None when there was nothing to undo)."""
        step = undo.pop()
        if step is None:
            return None, Changes.of()
        with self._db.begin() as s:
            sess = self._session(s, step.session_id)
            self._write_statuses(s, sess.id, dict(step.before))
            reopened = False
            if step.session_status_before is not None and sess.status == "held":
                sess.status, reopened = step.session_status_before, True
                sess.version += 1
        areas = (Area.SESSIONS, Area.ATTENDANCE) if reopened else (Area.ATTENDANCE,)
        return step.session_id, Changes.of(*areas)

    def set_head_counts(self, session_id: str, counts: list[HeadCountDTO]) -> Changes:
        _check_counts(counts)
        with self._db.begin() as s:
            self._session(s, session_id)
            _write_head_counts(s, session_id, counts)
        return Changes.of(Area.ATTENDANCE)

    def close_attendance(
        self,
        session_id: str,
        counts: list[HeadCountDTO],
        notes: str,
        *,
        held: bool = False,
        notes_read: str | None = None,
        new_people: int | None = KEEP_NEW_PEOPLE,
    ) -> Changes:
        """What the attendance window saves when it closes, all or nothing: the head counts,
        the session's notes, the estimate of new people at an open event (None: not
        estimated; by default kept as it is) and, with ``held``, the held status.

        ``notes_read`` are the notes as the window read them: when someone else has saved other
        notes since (the session's own marks raise its version too, so the notes themselves
        are compared), nothing is saved and StaleRecord carries the session as it is now."""
        _check_counts(counts)
        if new_people is not None and new_people < 0 and new_people != KEEP_NEW_PEOPLE:
            raise ValidationError({"new_people": _("An estimate of people cannot be negative.")})
        changes = Changes.of(Area.ATTENDANCE)
        with self._db.begin() as s:
            sess = self._session(s, session_id)
            if notes_read is not None and sess.notes not in (notes_read, notes):
                raise self._stale(s, sess)
            _write_head_counts(s, session_id, counts)
            if new_people != KEEP_NEW_PEOPLE:
                sess.new_people = new_people
            if sess.notes != notes or (held and sess.status != "held"):
                sess.notes = notes
                sess.status = "held" if held else sess.status
                sess.version += 1
                changes = Changes.of(Area.SESSIONS, Area.ATTENDANCE)
        return changes

    def mark_held(self, session_id: str, notes: str | None = None) -> Changes:
        with self._db.begin() as s:
            sess = self._session(s, session_id)
            sess.status = "held"
            if notes is not None:
                sess.notes = notes
            sess.version += 1
        return Changes.of(Area.SESSIONS, Area.ATTENDANCE)

    # --- register grid --------------------------------------------------------------------
    def register(
        self, activity_id: str, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> RegisterGrid:
        with self._db.read() as s:  # one snapshot: the dates and the marks agree
            wanted = SessionFilter(activity_id=activity_id, date_from=date_from, date_to=date_to)
            sessions = [x for x in self._find(s, wanted) if x.status != "cancelled"]
            ids = [x.id for x in sessions]
            cells = {
                (pid, sid): st
                for sid, pid, st in s.execute(
                    select(
                        Attendance.session_id, Attendance.participant_id, Attendance.status
                    ).where(Attendance.session_id.in_(ids))
                ).all()
            }
            # Enrolled at some point of the period (people who left before it or start after
            # it are not on this register), plus anyone with a mark in it.
            in_period = select(Enrolment.participant_id).where(Enrolment.activity_id == activity_id)
            if date_to is not None:
                in_period = in_period.where(
                    Enrolment.start.is_(None) | (Enrolment.start <= date_to)
                )
            if date_from is not None:
                in_period = in_period.where(Enrolment.end.is_(None) | (Enrolment.end >= date_from))
            enrolled = set(s.scalars(in_period))
            marked = {pid for pid, _sid in cells}
            people = s.execute(
                select(*_PERSON_COLUMNS).where(
                    Participant.id.in_(enrolled | marked),
                    Participant.deleted_at.is_(None),
                    Participant.blocked_at.is_(None) | Participant.id.in_(list(marked)),
                )
            ).all()
        rows = sorted(
            (_row(pid, g, f, blocked, None, pid in enrolled) for pid, g, f, blocked in people),
            key=lambda r: r.sort,
        )
        return RegisterGrid(activity_id, tuple(sessions), tuple(rows), cells)

    # --- helpers --------------------------------------------------------------------------
    def _check_version(self, s: OrmSession, row: Session, version: int | None) -> None:
        """Refuse a save made from a copy older than the stored session (None: not checked)."""
        if version is not None and version != row.version:
            raise self._stale(s, row)

    def _stale(self, s: OrmSession, row: Session) -> StaleRecord:
        """Someone else saved the session after this copy was read: it as it is now."""
        current = self._get(s, row.id)
        return StaleRecord(
            _(
                "Someone else has changed the session of {activity} on {date} since you opened "
                "it, so your changes have not been saved yet. Compare both versions and choose "
                "what to keep."
            ).format(activity=current.activity_name, date=format_date(row.date, None, "short")),
            current=current,
        )

    def _session(self, s: OrmSession, session_id: str) -> Session:
        row = s.get(Session, session_id)
        if row is None or row.deleted_at is not None:
            raise UserError(_("This session no longer exists."))
        return row

    def _activity(self, s: OrmSession, activity_id: str) -> Activity:
        a = s.get(Activity, activity_id)
        if a is None or a.deleted_at is not None:
            raise UserError(_("This activity no longer exists."))
        return a


def _mark_held_if_attended(
    sess: Session | marks.SessionRead, statuses: Iterable[str | None]
) -> str | None:
    """Someone present or late at a past (or today's) planned session: it took place, so it
    becomes held and counts in the figures. Otherwise attendance typed in a register grid or
    closed with Escape would leave the home page's reminder and never reach a report.
    Returns the status the session had when this made it held, else None."""
    if sess.status != "planned" or sess.date > dt.date.today():
        return None
    if not any(st in COUNTED_STATUSES for st in statuses):
        return None
    before, sess.status = sess.status, "held"
    sess.version += 1
    return before


def _remember(step: AttendanceStep, undo: AttendanceUndo | None) -> Changes:
    """Keep a committed change in the caller's undo history; what it changed."""
    if undo is not None:
        undo.push(step)
    if step.session_status_before is not None:
        return Changes.of(Area.SESSIONS, Area.ATTENDANCE)
    return Changes.of(Area.ATTENDANCE)


def _check_counts(counts: list[HeadCountDTO]) -> None:
    if any(c.count < 0 for c in counts):
        raise ValidationError({"head_counts": _("A head count cannot be negative.")})


def _write_head_counts(s: OrmSession, session_id: str, counts: list[HeadCountDTO]) -> None:
    s.execute(delete(HeadCount).where(HeadCount.session_id == session_id))
    # One count per gender and band (the last given), under an id made of the three: the same
    # count taken on two synced devices is one record.
    cells = {(c.gender, c.age_band): c for c in counts}
    for c in cells.values():
        if c.count:
            s.add(
                HeadCount(
                    id=natural_id("head_count", session_id, c.gender, c.age_band),
                    session_id=session_id,
                    gender=c.gender,
                    age_band=c.age_band,
                    count=c.count,
                )
            )
