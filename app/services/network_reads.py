"""Reading meetings and agreements into DTOs, and gathering the data the minutes print."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.db.models import (
    Agreement,
    CommunityGroup,
    EntityProfile,
    MeetingAttendee,
    NetworkMeeting,
    NetworkSpace,
    Organisation,
    Programme,
    Staff,
    meeting_programme,
)
from app.domain.networks import (
    AgreementDTO,
    AttendeeDTO,
    MeetingDTO,
    MinutesAgreement,
    MinutesData,
    MinutesPerson,
)
from app.errors import UserError
from app.i18n import _


def names(s: Session, model: type, ids: Iterable[str | None]) -> dict[str, str]:
    """Id -> name of the rows of ``model`` (anything with ``id`` and ``name``) among ``ids``."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = s.execute(select(model.id, model.name).where(model.id.in_(wanted)))  # type: ignore[attr-defined]
    return {r.id: r.name for r in rows}


def agreement_query() -> Select:  # type: ignore[type-arg]
    """Agreements of live meetings of live spaces or live accompanied groups, with their
    meeting's date, space and group. A group's meeting has no space: its agreements go by the
    group's name (in ``space_name``) and are followed up alike."""
    return (
        select(
            Agreement,
            NetworkMeeting.date,
            NetworkMeeting.space_id,
            func.coalesce(NetworkSpace.name, CommunityGroup.name),
            NetworkMeeting.group_id,
        )
        .join(NetworkMeeting, NetworkMeeting.id == Agreement.meeting_id)
        .outerjoin(NetworkSpace, NetworkSpace.id == NetworkMeeting.space_id)
        .outerjoin(CommunityGroup, CommunityGroup.id == NetworkMeeting.group_id)
        .where(
            NetworkMeeting.deleted_at.is_(None),
            ((NetworkSpace.id.is_not(None)) & NetworkSpace.deleted_at.is_(None))
            | ((CommunityGroup.id.is_not(None)) & CommunityGroup.deleted_at.is_(None)),
        )
        .order_by(NetworkMeeting.date, Agreement.number)
    )


def agreement_dtos(s: Session, q: Select) -> list[AgreementDTO]:  # type: ignore[type-arg]
    rows = s.execute(q).all()
    staff = names(s, Staff, {a.owner_staff_id for a, *_r in rows if a.owner_staff_id})
    orgs = names(
        s, Organisation, {a.owner_organisation_id for a, *_r in rows if a.owner_organisation_id}
    )
    closing = {a.closed_in_meeting_id for a, *_r in rows if a.closed_in_meeting_id}
    closed_dates = (
        dict(
            s.execute(
                select(NetworkMeeting.id, NetworkMeeting.date).where(NetworkMeeting.id.in_(closing))
            ).all()
        )
        if closing
        else {}
    )
    return [
        AgreementDTO(
            id=a.id,
            text=a.text,
            owner_staff_id=a.owner_staff_id,
            owner_organisation_id=a.owner_organisation_id,
            due_date=a.due_date,
            status=a.status,
            number=a.number,
            meeting_id=a.meeting_id,
            meeting_date=date,
            space_id=space_id,
            space_name=space_name or "",
            group_id=group_id,
            owner_name=staff.get(a.owner_staff_id or "", "")
            or orgs.get(a.owner_organisation_id or "", ""),
            closed_in_meeting_id=a.closed_in_meeting_id,
            closed_in_date=closed_dates.get(a.closed_in_meeting_id),
        )
        for a, date, space_id, space_name, group_id in rows
    ]


def _live_meeting(s: Session, meeting_id: str) -> NetworkMeeting:
    row = s.get(NetworkMeeting, meeting_id)
    if row is None or row.deleted_at is not None:
        raise UserError(_("This meeting no longer exists."))
    return row


def read_meeting(s: Session, meeting_id: str) -> MeetingDTO:
    row = _live_meeting(s, meeting_id)
    attendees = list(
        s.scalars(
            select(MeetingAttendee)
            .where(MeetingAttendee.meeting_id == meeting_id)
            .order_by(MeetingAttendee.created_at)
        )
    )
    staff = names(s, Staff, {a.staff_id for a in attendees if a.staff_id})
    orgs = names(s, Organisation, {a.organisation_id for a in attendees if a.organisation_id})
    programmes = s.scalars(
        select(meeting_programme.c.programme_id).where(meeting_programme.c.meeting_id == meeting_id)
    )
    agreements = agreement_dtos(s, agreement_query().where(Agreement.meeting_id == meeting_id))
    closures = [
        (a.id, a.status)
        for a in s.scalars(
            select(Agreement).where(
                Agreement.closed_in_meeting_id == meeting_id, Agreement.meeting_id != meeting_id
            )
        )
    ]
    space = s.get(NetworkSpace, row.space_id) if row.space_id else None
    # A meeting of an accompanied group has no space: it goes by the group's name.
    group = s.get(CommunityGroup, row.group_id) if row.group_id else None
    return MeetingDTO(
        id=row.id,
        space_id=row.space_id or "",
        date=row.date,
        start_time=row.start_time,
        end_time=row.end_time,
        place=row.place,
        online=row.online,
        agenda=tuple(row.agenda or ()),
        minutes=row.minutes,
        programme_ids=tuple(sorted(programmes)),
        attendees=tuple(
            AttendeeDTO(
                staff_id=a.staff_id,
                person_name=a.person_name,
                organisation_id=a.organisation_id,
                status=a.status,
                name=staff.get(a.staff_id or "", "") or a.person_name,
                organisation_name=orgs.get(a.organisation_id or "", ""),
            )
            for a in attendees
        ),
        agreements=tuple(agreements),
        closures=tuple(closures),
        status=row.status,
        cancellation_reason=row.cancellation_reason,
        space_name=space.name if space else (group.name if group else ""),
        version=row.version,
    )


def minutes_data(s: Session, meeting_id: str) -> MinutesData:
    m = read_meeting(s, meeting_id)
    profile = s.scalar(select(EntityProfile).limit(1))
    space = s.get(NetworkSpace, m.space_id) if m.space_id else None
    parent = s.get(NetworkSpace, space.parent_id) if space and space.parent_id else None
    entity = profile.name if profile else ""

    def person(a: AttendeeDTO) -> MinutesPerson:
        # Our staff represent the entity itself.
        org = a.organisation_name or (entity if a.staff_id else "")
        return MinutesPerson(a.name, org)

    # A group's meeting follows up the group's earlier agreements, a network's its space's.
    group_id = s.scalar(select(NetworkMeeting.group_id).where(NetworkMeeting.id == m.id))
    group = s.get(CommunityGroup, group_id) if group_id else None
    same_body = (
        NetworkMeeting.group_id == group_id if group_id else NetworkMeeting.space_id == m.space_id
    )
    follow = agreement_dtos(
        s,
        agreement_query().where(
            same_body,
            NetworkMeeting.date < m.date,
            Agreement.meeting_id != m.id,
            (Agreement.status == "open") | (Agreement.closed_in_meeting_id == m.id),
        ),
    )
    programmes = s.scalars(
        select(Programme.name).where(Programme.id.in_(m.programme_ids)).order_by(Programme.code)
    )
    notice = {
        "controller": (profile.privacy_controller or profile.name) if profile else "",
        "purpose": profile.privacy_purpose if profile else "",
        "legal_basis": profile.privacy_legal_basis if profile else "",
        "recipients": profile.privacy_recipients if profile else "",
        "rights_contact": profile.privacy_rights_contact if profile else "",
    }
    return MinutesData(
        entity_name=entity,
        space_name=m.space_name,
        parent_space_name=parent.name if parent else "",
        group_kind=group.kind if group else "",
        group_neighbourhood=group.neighbourhood if group else "",
        date=m.date,
        start_time=m.start_time,
        end_time=m.end_time,
        place=m.place,
        online=m.online,
        attendees=tuple(person(a) for a in m.attendees if a.status == "attended"),
        apologies=tuple(person(a) for a in m.attendees if a.status == "apologised"),
        agenda=m.agenda,
        summary=m.minutes,
        agreements=tuple(
            MinutesAgreement(a.number, a.text, a.owner_name, a.due_date, m.date, a.status)
            for a in m.agreements
        ),
        follow_up=tuple(
            MinutesAgreement(a.number, a.text, a.owner_name, a.due_date, a.meeting_date, a.status)
            for a in follow
        ),
        programmes=tuple(programmes),
        privacy=notice,
        logo=profile.logo if profile else None,
    )
