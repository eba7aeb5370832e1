"""Community mediation cases: the staff on the case, the parties (people, groups or a
description), the sessions held (sessions of an activity), the agreements reached (agreements
that belong to the case instead of a meeting), the outcome and closing date.

Need-to-know: only the staff on a case and coordinators see it. On a file there is one person,
a coordinator. On the office database the database itself holds the rule (a row-level policy,
app/db/office.py); this service asks the same question so the window never offers what the
database would refuse."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import cached_property

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from app.db.base import utcnow
from app.db.engine import Database
from app.db.models import (
    Activity,
    Agreement,
    CommunityGroup,
    MediationCase,
    MediationParty,
    MediationSession,
    MediationStaff,
    Participant,
    Staff,
)
from app.db.models import Session as ActivitySession
from app.domain.changes import Area, Changes
from app.domain.community import CASE_OUTCOMES, CONFLICT_KINDS, CaseDTO, PartyDTO
from app.domain.office import COORDINATOR
from app.errors import UserError, ValidationError
from app.i18n import _
from app.services.community import person_name

CASES = Changes.of(Area.COMMUNITY)


class MediationService:
    def __init__(self, db: Database) -> None:
        self._db = db

    @cached_property
    def sees_every_case(self) -> bool:
        """A coordinator (and the one person of a file) sees every case."""
        if self._db.is_file:
            return True
        from app.services.office import read_role

        return read_role(self._db) == COORDINATOR

    def _my_staff(self, s: Session) -> set[str]:
        """The staff records of the person logged in to the office database."""
        if self._db.is_file:
            return set()
        login = s.scalar(text("SELECT current_user"))
        return set(s.scalars(select(Staff.id).where(Staff.login == login, Staff.login != "")))

    def _visible(self, s: Session):  # type: ignore[no-untyped-def]
        q = select(MediationCase).where(MediationCase.deleted_at.is_(None))
        if not self.sees_every_case:
            q = q.where(
                MediationCase.id.in_(
                    select(MediationStaff.case_id).where(
                        MediationStaff.staff_id.in_(self._my_staff(s))
                    )
                )
            )
        return q

    def cases(self) -> list[CaseDTO]:
        """The cases this person may see: open ones first, then by date opened, latest first."""
        with self._db.read() as s:
            rows = list(s.scalars(self._visible(s).order_by(MediationCase.opened_on.desc())))
            dtos = self._dtos(s, rows)
        return sorted(dtos, key=lambda c: c.closed_on is not None)

    def case(self, case_id: str) -> CaseDTO:
        with self._db.read() as s:
            row = s.scalar(self._visible(s).where(MediationCase.id == case_id))
            if row is None:
                raise UserError(_("This case no longer exists or is not one of yours."))
            return self._dtos(s, [row])[0]

    @staticmethod
    def _dtos(s: Session, rows: list[MediationCase]) -> list[CaseDTO]:
        ids = [r.id for r in rows]
        if not ids:
            return []
        staff: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for case_id, staff_id, name in s.execute(
            select(MediationStaff.case_id, Staff.id, Staff.name)
            .join(Staff, Staff.id == MediationStaff.staff_id)
            .where(MediationStaff.case_id.in_(ids))
            .order_by(Staff.name)
        ):
            staff[case_id].append((staff_id, name))
        parties: dict[str, list[PartyDTO]] = defaultdict(list)
        for p, person, group in s.execute(
            select(MediationParty, Participant, CommunityGroup)
            .outerjoin(Participant, Participant.id == MediationParty.participant_id)
            .outerjoin(CommunityGroup, CommunityGroup.id == MediationParty.group_id)
            .where(MediationParty.case_id.in_(ids))
            .order_by(MediationParty.created_at)
        ):
            if person is not None:
                label = person_name(person) if person.blocked_at is None else "—"
            elif group is not None:
                label = group.name
            else:
                label = p.name
            parties[p.case_id].append(PartyDTO(p.id, p.participant_id, p.group_id, p.name, label))
        sessions: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for case_id, session_id, status in s.execute(
            select(MediationSession.case_id, ActivitySession.id, ActivitySession.status)
            .join(ActivitySession, ActivitySession.id == MediationSession.session_id)
            .where(MediationSession.case_id.in_(ids), ActivitySession.deleted_at.is_(None))
            .order_by(ActivitySession.date)
        ):
            sessions[case_id].append((session_id, status))
        agreements: dict[str, list[str]] = defaultdict(list)
        for a in s.scalars(
            select(Agreement).where(Agreement.mediation_case_id.in_(ids)).order_by(Agreement.number)
        ):
            agreements[a.mediation_case_id or ""].append(a.text)
        return [
            CaseDTO(
                id=r.id,
                reference=r.reference,
                opened_on=r.opened_on,
                conflict_kind=r.conflict_kind,
                neighbourhood=r.neighbourhood,
                closed_on=r.closed_on,
                outcome=r.outcome,
                summary=r.summary,
                staff_ids=tuple(i for i, _n in staff.get(r.id, ())),
                parties=tuple(parties.get(r.id, ())),
                session_ids=tuple(i for i, _st in sessions.get(r.id, ())),
                agreements=tuple(agreements.get(r.id, ())),
                staff_names=tuple(n for _i, n in staff.get(r.id, ())),
                sessions_held=sum(1 for _i, st in sessions.get(r.id, ()) if st == "held"),
            )
            for r in rows
        ]

    def session_choices(self, today: dt.date | None = None) -> list[tuple[str, dt.date, str]]:
        """Sessions a case can list as held for it: (id, date, activity), those of attention
        activities (where mediation sessions are kept) first, then the others; from a year ago
        to two months ahead, latest first."""
        today = today or dt.date.today()
        with self._db.read() as s:
            rows = s.execute(
                select(ActivitySession.id, ActivitySession.date, Activity.name, Activity.kind)
                .join(Activity, Activity.id == ActivitySession.activity_id)
                .where(
                    ActivitySession.deleted_at.is_(None),
                    Activity.deleted_at.is_(None),
                    ActivitySession.date >= today - dt.timedelta(days=400),
                    ActivitySession.date <= today + dt.timedelta(days=60),
                )
                .order_by(ActivitySession.date.desc())
            ).all()
        ordered = sorted(rows, key=lambda r: r.kind != "attention")[:400]
        return [(i, d, name) for i, d, name, _kind in ordered]

    def save(self, case: CaseDTO) -> tuple[CaseDTO, Changes]:
        errors: dict[str, str] = {}
        if not case.reference.strip():
            errors["reference"] = _("Write the case's reference (no names).")
        if case.conflict_kind not in CONFLICT_KINDS:
            errors["conflict_kind"] = _("Choose the kind of conflict.")
        if case.outcome is not None and case.outcome not in CASE_OUTCOMES:
            errors["outcome"] = _("Choose the outcome of the case.")
        if case.closed_on is not None and case.outcome is None:
            errors["outcome"] = _("A closed case needs its outcome.")
        if case.outcome is not None and case.closed_on is None:
            errors["closed_on"] = _("Give the date the case was closed.")
        if case.closed_on is not None and case.closed_on < case.opened_on:
            errors["closed_on"] = _("A case cannot close before it opened.")
        if not case.staff_ids:
            errors["staff_ids"] = _("Put at least one staff member on the case.")
        if any(not (p.participant_id or p.group_id or p.name.strip()) for p in case.parties):
            errors["parties"] = _("Each party needs a person, a group or a description.")
        with self._db.begin() as s:
            if not self.sees_every_case and not self._my_staff(s) & set(case.staff_ids):
                errors["staff_ids"] = _(
                    "Put yourself on the case's team: only the staff on a case and "
                    "coordinators can see it."
                )
            for staff_id in case.staff_ids:
                if s.get(Staff, staff_id) is None:
                    errors["staff_ids"] = _("The staff member no longer exists.")
            if errors:
                raise ValidationError(errors)
            if case.id:
                row = s.scalar(self._visible(s).where(MediationCase.id == case.id))
                if row is None:
                    raise UserError(_("This case no longer exists or is not one of yours."))
            else:
                row = MediationCase()
            row.reference = case.reference.strip()
            row.conflict_kind = case.conflict_kind
            row.neighbourhood = case.neighbourhood.strip()
            row.opened_on = case.opened_on
            row.closed_on = case.closed_on
            row.outcome = case.outcome
            row.summary = case.summary.strip()
            s.add(row)
            s.flush()
            # The team first: on the office database the rows that follow are only the
            # writer's to see once they are on it.
            have = {
                m.staff_id: m
                for m in s.scalars(select(MediationStaff).where(MediationStaff.case_id == row.id))
            }
            for staff_id in case.staff_ids:
                if staff_id not in have:
                    s.add(MediationStaff(case_id=row.id, staff_id=staff_id))
            s.flush()
            for staff_id, member in have.items():
                if staff_id not in case.staff_ids:
                    s.delete(member)
            kept = {p.id for p in case.parties if p.id}
            s.execute(
                delete(MediationParty).where(
                    MediationParty.case_id == row.id, MediationParty.id.not_in(kept)
                )
            )
            for p in case.parties:
                party = s.get(MediationParty, p.id) if p.id else None
                if party is None or party.case_id != row.id:
                    party = MediationParty(case_id=row.id)
                party.participant_id = p.participant_id
                party.group_id = p.group_id
                party.name = p.name.strip()
                s.add(party)
            linked = {
                m.session_id: m
                for m in s.scalars(
                    select(MediationSession).where(MediationSession.case_id == row.id)
                )
            }
            for session_id in dict.fromkeys(case.session_ids):
                if session_id not in linked:
                    s.add(MediationSession(case_id=row.id, session_id=session_id))
            for session_id, link in linked.items():
                if session_id not in case.session_ids:
                    s.delete(link)
            existing = list(
                s.scalars(
                    select(Agreement)
                    .where(Agreement.mediation_case_id == row.id)
                    .order_by(Agreement.number)
                )
            )
            texts = [t.strip() for t in case.agreements if t.strip()]
            for number, agreement_text in enumerate(texts, start=1):
                agreement = existing[number - 1] if number <= len(existing) else Agreement()
                agreement.mediation_case_id = row.id
                agreement.number = number
                agreement.text = agreement_text
                agreement.status = "done" if case.closed_on else "open"
                s.add(agreement)
            for extra in existing[len(texts) :]:
                s.delete(extra)
            s.flush()
            dto = self._dtos(s, [row])[0]
        return dto, CASES

    def delete(self, case_id: str) -> Changes:
        with self._db.begin() as s:
            row = s.scalar(self._visible(s).where(MediationCase.id == case_id))
            if row is not None:
                row.deleted_at = utcnow()
        return CASES

    def count_visible(self) -> int:
        with self._db.read() as s:
            return int(s.scalar(select(func.count()).select_from(self._visible(s).subquery())) or 0)
