"""The audit log: every export, print, erasure, restore or import of personal data."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.base import utcnow
from app.db.engine import Database
from app.db.models import Activity, AuditEvent, NetworkMeeting, NetworkSpace, Participant
from app.db.models import Session as SessionRow
from app.domain.audit import ACTIONS as ACTIONS
from app.domain.audit import (
    FIXED_SUBJECTS,
    MEETING_SHEET,
    MINUTES,
    PERSON,
    SESSION_SHEET,
    AuditChainReport,
    AuditEntryDTO,
    AuditSubject,
    chain_hash,
    next_entry,
)
from app.i18n import _, format_date


def record(session: Session, action: str, subject: AuditSubject | str, details: str = "") -> None:
    """Add an audit event inside the caller's unit of work (it commits or rolls back with it).
    ``subject``: a record (``AuditSubject.person(id)``, ``.sheet(kind, id)``, ``.minutes(id)``)
    or free text (a file, a list's title)."""
    # Writes take turns (SQLite's write lock, the office database's advisory lock), so the last
    # link read here is still the last when this one commits; the query flushes this unit of
    # work's earlier entries first.
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.chain).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    at = utcnow()
    previous = None if last is None else (last.seq, last.chain)
    entry = next_entry(previous, at, action, subject, details)
    session.add(
        AuditEvent(
            at=at,
            action=action,
            subject=entry.subject,
            details=details,
            seq=entry.seq,
            chain=entry.chain,
        )
    )


class AuditService:
    """Reading the log (it is written only through ``record``, never edited)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def recent(self, limit: int = 500, action: str | None = None) -> list[AuditEntryDTO]:
        """The latest events first, at most ``limit`` of them, optionally of one action."""
        query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id).limit(limit)
        if action is not None:
            query = query.where(AuditEvent.action == action)
        with self._db.read() as s:
            events = list(s.scalars(query))
            labels = _Labels(s, [e.subject or "" for e in events])
            return [
                AuditEntryDTO(
                    e.id, e.at, e.action, e.subject or "", e.details or "", labels.of(e.subject)
                )
                for e in events
            ]

    def count(self) -> int:
        with self._db.read() as s:
            return int(s.scalar(select(func.count()).select_from(AuditEvent)) or 0)

    def verify(self) -> AuditChainReport:
        """Walk the whole log in order and recompute every link: the first entry missing,
        edited or written outside Teixit is reported."""
        columns = (
            AuditEvent.seq,
            AuditEvent.at,
            AuditEvent.action,
            AuditEvent.subject,
            AuditEvent.details,
            AuditEvent.chain,
        )
        link, expected, count = "", 1, 0
        with self._db.read() as s:
            unnumbered = s.scalar(select(func.min(AuditEvent.at)).where(AuditEvent.seq.is_(None)))
            rows = s.execute(
                select(*columns).where(AuditEvent.seq.is_not(None)).order_by(AuditEvent.seq)
            ).yield_per(2000)
            for seq, at, action, subject, details, chain in rows:
                count += 1
                if seq != expected:
                    return AuditChainReport(count, expected, "missing")
                link = chain_hash(link, seq, at, action, subject or "", details or "")
                if chain != link:
                    return AuditChainReport(count, seq, "changed")
                expected += 1
        if unnumbered is not None:
            return AuditChainReport(count, expected, "unnumbered")
        return AuditChainReport(count)


class _Labels:
    """Subjects in words, looked up in one query per kind. An erased (blocked) person is not
    named: the log must not bring back what the erasure hid."""

    def __init__(self, s: Session, subjects: list[str]) -> None:
        decoded = [AuditSubject.decode(x) for x in subjects]

        def ids(*kinds: str) -> set[str]:
            return {x.ref for x in decoded if x.kind in kinds and x.ref}

        self.people = {
            p.id: (p.given_name, p.family_names, p.blocked_at)
            for p in s.scalars(select(Participant).where(Participant.id.in_(ids(PERSON))))
        }
        self.sessions: dict[str, tuple[str, dt.date]] = {
            sid: (name, date)
            for sid, name, date in s.execute(
                select(SessionRow.id, Activity.name, SessionRow.date)
                .join(Activity, Activity.id == SessionRow.activity_id)
                .where(SessionRow.id.in_(ids(SESSION_SHEET)))
            )
        }
        self.meetings: dict[str, tuple[str, dt.date]] = {
            mid: (name, date)
            for mid, name, date in s.execute(
                select(NetworkMeeting.id, NetworkSpace.name, NetworkMeeting.date)
                .join(NetworkSpace, NetworkSpace.id == NetworkMeeting.space_id)
                .where(NetworkMeeting.id.in_(ids(MINUTES, MEETING_SHEET)))
            )
        }

    def of(self, stored: str | None) -> str:
        subject = AuditSubject.decode(stored)
        if subject.kind == PERSON and subject.ref:
            person = self.people.get(subject.ref)
            if person is None:
                return _("Person no longer in the database")
            given, family, blocked = person
            return _("Erased person") if blocked else f"{given} {family}".strip()
        if subject.kind == SESSION_SHEET and subject.ref in self.sessions:
            name, date = self.sessions[subject.ref]
            return _("Attendance sheet: {activity}, {date}").format(
                activity=name, date=format_date(date, None, "short")
            )
        if subject.kind in (MINUTES, MEETING_SHEET) and subject.ref in self.meetings:
            name, date = self.meetings[subject.ref]
            what = _("Minutes") if subject.kind == MINUTES else _("Attendance sheet")
            return _("{what}: {space}, {date}").format(
                what=what, space=name, date=format_date(date, None, "short")
            )
        if stored in FIXED_SUBJECTS:
            return _(FIXED_SUBJECTS[stored])
        return stored or ""
