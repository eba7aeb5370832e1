"""The groups and associations the entity accompanies: the register, their contact people
(people already in Teixit or a name alone), dated stage changes, and their meetings (network
meetings that belong to a group instead of a space, with minutes and agreements)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.db.base import utcnow
from app.db.engine import Database
from app.db.models import (
    Agreement,
    CommunityGroup,
    GroupContact,
    GroupStage,
    NetworkMeeting,
    Organisation,
    Participant,
    Programme,
    Staff,
)
from app.domain.changes import Area, Changes
from app.domain.community import (
    GROUP_KINDS,
    GROUP_STAGES,
    CommunityFigures,
    GroupContactDTO,
    GroupDTO,
    GroupMeetingDTO,
    StageChangeDTO,
)
from app.domain.networks import MEETING_STATUSES
from app.errors import UserError, ValidationError
from app.i18n import _

COMMUNITY = Changes.of(Area.COMMUNITY)


def person_name(p: Participant) -> str:
    return f"{p.given_name} {p.family_names}".strip()


def live_group(s: Session, group_id: str) -> CommunityGroup:
    row = s.get(CommunityGroup, group_id)
    if row is None or row.deleted_at is not None:
        raise UserError(_("This group no longer exists."))
    return row


class CommunityService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ---- the register -------------------------------------------------------------------

    def groups(self) -> list[GroupDTO]:
        """Every live group, by name, with its current stage."""
        with self._db.read() as s:
            rows = list(
                s.scalars(
                    select(CommunityGroup)
                    .where(CommunityGroup.deleted_at.is_(None))
                    .order_by(func.lower(CommunityGroup.name))
                )
            )
            return self._dtos(s, rows)

    def group(self, group_id: str) -> GroupDTO:
        with self._db.read() as s:
            return self._dtos(s, [live_group(s, group_id)])[0]

    @staticmethod
    def _dtos(s: Session, rows: list[CommunityGroup]) -> list[GroupDTO]:
        ids = [r.id for r in rows]
        if not ids:
            return []
        history: dict[str, list[StageChangeDTO]] = defaultdict(list)
        for st in s.scalars(
            select(GroupStage)
            .where(GroupStage.group_id.in_(ids))
            .order_by(GroupStage.date, GroupStage.created_at)
        ):
            history[st.group_id].append(StageChangeDTO(st.id, st.stage, st.date, st.notes))
        contacts: dict[str, list[GroupContactDTO]] = defaultdict(list)
        for c, p in s.execute(
            select(GroupContact, Participant)
            .outerjoin(Participant, Participant.id == GroupContact.participant_id)
            .where(GroupContact.group_id.in_(ids))
            .order_by(GroupContact.created_at)
        ):
            shown = person_name(p) if p is not None and p.blocked_at is None else c.person_name
            contacts[c.group_id].append(
                GroupContactDTO(c.id, c.participant_id, c.person_name, c.phone, c.role, shown)
            )
        meetings = dict(
            s.execute(
                select(NetworkMeeting.group_id, func.count())
                .where(NetworkMeeting.group_id.in_(ids), NetworkMeeting.deleted_at.is_(None))
                .group_by(NetworkMeeting.group_id)
            ).all()
        )
        out = []
        for r in rows:
            h = history.get(r.id, [])
            out.append(
                GroupDTO(
                    id=r.id,
                    name=r.name,
                    kind=r.kind,
                    neighbourhood=r.neighbourhood,
                    staff_id=r.staff_id,
                    organisation_id=r.organisation_id,
                    programme_id=r.programme_id,
                    notes=r.notes,
                    contacts=tuple(contacts.get(r.id, ())),
                    stage=h[-1].stage if h else "",
                    stage_date=h[-1].date if h else None,
                    history=tuple(h),
                    meetings=int(meetings.get(r.id, 0)),
                )
            )
        return out

    def save_group(
        self, group: GroupDTO, first_stage: str = "first_contact", since: dt.date | None = None
    ) -> tuple[GroupDTO, Changes]:
        """Create or update a group and its contact people. A new group starts at
        ``first_stage`` on ``since`` (today by default)."""
        errors: dict[str, str] = {}
        if not group.name.strip():
            errors["name"] = _("Write the group's name.")
        if group.kind not in GROUP_KINDS:
            errors["kind"] = _("Choose what kind of group it is.")
        if group.id is None and first_stage not in GROUP_STAGES:
            errors["stage"] = _("Choose the stage of the accompaniment.")
        for c in group.contacts:
            if not c.participant_id and not c.person_name.strip():
                errors["contacts"] = _("Each contact person needs a name.")
        with self._db.begin() as s:
            if group.staff_id and s.get(Staff, group.staff_id) is None:
                errors["staff_id"] = _("The staff member no longer exists.")
            if group.programme_id and s.get(Programme, group.programme_id) is None:
                errors["programme_id"] = _("The programme no longer exists.")
            if group.organisation_id and s.get(Organisation, group.organisation_id) is None:
                errors["organisation_id"] = _("The organisation no longer exists.")
            for c in group.contacts:
                if c.participant_id and s.get(Participant, c.participant_id) is None:
                    errors["contacts"] = _("This person no longer exists.")
            if errors:
                raise ValidationError(errors)
            row = live_group(s, group.id) if group.id else CommunityGroup()
            row.name = group.name.strip()
            row.kind = group.kind
            row.neighbourhood = group.neighbourhood.strip()
            row.staff_id = group.staff_id
            row.organisation_id = group.organisation_id
            row.programme_id = group.programme_id
            row.notes = group.notes.strip()
            s.add(row)
            s.flush()
            if group.id is None:
                s.add(GroupStage(group_id=row.id, stage=first_stage, date=since or dt.date.today()))
            kept = {c.id for c in group.contacts if c.id}
            s.execute(
                delete(GroupContact).where(
                    GroupContact.group_id == row.id, GroupContact.id.not_in(kept)
                )
            )
            for c in group.contacts:
                contact = s.get(GroupContact, c.id) if c.id else None
                if contact is None or contact.group_id != row.id:
                    contact = GroupContact(group_id=row.id)
                contact.participant_id = c.participant_id
                contact.person_name = c.person_name.strip()
                contact.phone = c.phone.strip()
                contact.role = c.role.strip()
                s.add(contact)
            s.flush()
            return self._dtos(s, [row])[0], COMMUNITY

    def delete_group(self, group_id: str) -> Changes:
        with self._db.begin() as s:
            live_group(s, group_id).deleted_at = utcnow()
        return COMMUNITY

    def figures(self, date_from: dt.date, date_to: dt.date) -> CommunityFigures:
        """The community figures of the whole entity in a period (services/community_figures)."""
        from app.services.community_figures import community_figures

        with self._db.read() as s:
            return community_figures(s, None, date_from, date_to)

    # ---- stages ---------------------------------------------------------------------------

    def change_stage(
        self, group_id: str, stage: str, date: dt.date, notes: str = ""
    ) -> tuple[GroupDTO, Changes]:
        """Record that the group reached ``stage`` on ``date`` (the latest is the current)."""
        if stage not in GROUP_STAGES:
            raise ValidationError({"stage": _("Choose the stage of the accompaniment.")})
        with self._db.begin() as s:
            row = live_group(s, group_id)
            first = s.scalar(select(func.min(GroupStage.date)).where(GroupStage.group_id == row.id))
            if first is not None and date < first:
                raise ValidationError(
                    {"date": _("The change cannot come before the accompaniment began.")}
                )
            s.add(GroupStage(group_id=row.id, stage=stage, date=date, notes=notes.strip()))
            s.flush()
            return self._dtos(s, [row])[0], COMMUNITY

    def delete_stage(self, stage_id: str) -> Changes:
        """Remove a stage change recorded by mistake (a group keeps at least one)."""
        with self._db.begin() as s:
            row = s.get(GroupStage, stage_id)
            if row is None:
                return COMMUNITY
            count = s.scalar(select(func.count()).where(GroupStage.group_id == row.group_id))
            if (count or 0) <= 1:
                raise UserError(_("A group keeps at least one stage."))
            s.delete(row)
        return COMMUNITY

    # ---- meetings -------------------------------------------------------------------------

    def meetings(self, group_id: str) -> list[GroupMeetingDTO]:
        """The group's meetings, latest first, with their agreements."""
        with self._db.read() as s:
            rows = list(
                s.scalars(
                    select(NetworkMeeting)
                    .where(NetworkMeeting.group_id == group_id, NetworkMeeting.deleted_at.is_(None))
                    .order_by(NetworkMeeting.date.desc())
                )
            )
            agreements: dict[str, list[str]] = defaultdict(list)
            for a in s.scalars(
                select(Agreement)
                .where(Agreement.meeting_id.in_([r.id for r in rows]))
                .order_by(Agreement.number)
            ):
                agreements[a.meeting_id or ""].append(a.text)
            return [
                GroupMeetingDTO(
                    r.id,
                    group_id,
                    r.date,
                    r.place,
                    r.minutes,
                    r.status,
                    tuple(agreements.get(r.id, ())),
                )
                for r in rows
            ]

    def save_meeting(self, meeting: GroupMeetingDTO) -> tuple[GroupMeetingDTO, Changes]:
        """A meeting of the group with its minutes and numbered agreements (the same records as
        a network meeting's: the minutes print and the agreements are followed up alike)."""
        if meeting.status not in MEETING_STATUSES:
            raise ValidationError({"status": _("Choose the status of the meeting.")})
        with self._db.begin() as s:
            live_group(s, meeting.group_id)
            row = s.get(NetworkMeeting, meeting.id) if meeting.id else None
            if row is None or row.group_id != meeting.group_id:
                row = NetworkMeeting(group_id=meeting.group_id)
            row.date = meeting.date
            row.place = meeting.place.strip()
            row.minutes = meeting.minutes.strip()
            row.status = meeting.status
            row.version = (row.version or 0) + 1
            s.add(row)
            s.flush()
            existing = list(
                s.scalars(
                    select(Agreement)
                    .where(Agreement.meeting_id == row.id)
                    .order_by(Agreement.number)
                )
            )
            texts = [t.strip() for t in meeting.agreements if t.strip()]
            for number, text in enumerate(texts, start=1):
                agreement = existing[number - 1] if number <= len(existing) else Agreement()
                agreement.meeting_id = row.id
                agreement.number = number
                agreement.text = text
                s.add(agreement)
            for extra in existing[len(texts) :]:
                s.delete(extra)
            meeting_id = row.id
        saved = next(m for m in self.meetings(meeting.group_id) if m.id == meeting_id)
        return saved, COMMUNITY | Changes.of(Area.NETWORKS)

    def delete_meeting(self, meeting_id: str) -> Changes:
        with self._db.begin() as s:
            row = s.get(NetworkMeeting, meeting_id)
            if row is not None and row.group_id:
                row.deleted_at = utcnow()
        return COMMUNITY
