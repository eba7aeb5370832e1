"""Community work beyond programmes and networks: the groups and associations the entity
accompanies (with their dated stages), community mediation cases (need-to-know), and the needs
and challenges detected in the territory with what was done about them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Entity, SoftDeleted


class CommunityGroup(Entity, SoftDeleted):
    """A neighbourhood group, residents' community or association the entity accompanies."""

    __tablename__ = "community_group"

    name: Mapped[str] = mapped_column(String(300))
    #: residents_community, neighbourhood_group, association, collective, other
    kind: Mapped[str] = mapped_column(String(30), default="neighbourhood_group")
    neighbourhood: Mapped[str] = mapped_column(String(100), default="")
    #: The staff member who accompanies it.
    staff_id: Mapped[str | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), default=None
    )
    #: The programme whose work it is (its figures count the group); optional.
    programme_id: Mapped[str | None] = mapped_column(
        ForeignKey("programme.id", ondelete="SET NULL"), default=None, index=True
    )
    #: Once constituted, the group as an organisation of the territory (optional).
    organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), default=None
    )
    notes: Mapped[str] = mapped_column(Text, default="")


class GroupContact(Entity):
    """A contact person of a group: a person already in Teixit, or a name and phone alone."""

    __tablename__ = "group_contact"

    group_id: Mapped[str] = mapped_column(
        ForeignKey("community_group.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[str | None] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), default=None
    )
    person_name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    #: What the person does in the group (president, spokesperson...).
    role: Mapped[str] = mapped_column(String(100), default="")


class GroupStage(Entity):
    """A dated change of a group's stage of accompaniment; the latest is the current one."""

    __tablename__ = "group_stage"

    group_id: Mapped[str] = mapped_column(
        ForeignKey("community_group.id", ondelete="CASCADE"), index=True
    )
    #: first_contact, forming, meeting_regularly, constituted, registered, autonomous
    stage: Mapped[str] = mapped_column(String(30))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    notes: Mapped[str] = mapped_column(Text, default="")


class MediationCase(Entity, SoftDeleted):
    """A community mediation case. Need-to-know: only the staff on the case and coordinators
    see it (on the office database the database itself enforces it, docs/office-database.md)."""

    __tablename__ = "mediation_case"

    reference: Mapped[str] = mapped_column(String(100))
    #: neighbours, public_space, coexistence, other
    conflict_kind: Mapped[str] = mapped_column(String(30), default="neighbours")
    neighbourhood: Mapped[str] = mapped_column(String(100), default="")
    opened_on: Mapped[dt.date] = mapped_column(Date, index=True)
    closed_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    #: None while open; agreement, partial_agreement, no_agreement, withdrawn, referred
    outcome: Mapped[str | None] = mapped_column(String(30), default=None)
    summary: Mapped[str] = mapped_column(Text, default="")


class MediationStaff(Entity):
    """A staff member on a case (who may see it)."""

    __tablename__ = "mediation_staff"

    case_id: Mapped[str] = mapped_column(
        ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)


class MediationParty(Entity):
    """A party to a case: a person or a group, with the minimum data needed."""

    __tablename__ = "mediation_party"

    case_id: Mapped[str] = mapped_column(
        ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[str | None] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), default=None
    )
    group_id: Mapped[str | None] = mapped_column(
        ForeignKey("community_group.id", ondelete="CASCADE"), default=None
    )
    #: When the party is neither: a name or description ("neighbours of the 3rd floor").
    name: Mapped[str] = mapped_column(String(200), default="")


class MediationSession(Entity):
    """A session (of the mediation activity) held for a case."""

    __tablename__ = "mediation_session"

    case_id: Mapped[str] = mapped_column(
        ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[str] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), index=True
    )


class Need(Entity, SoftDeleted):
    """A need or challenge detected in the territory, who raised it and what was done."""

    __tablename__ = "need"

    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    #: Where: a neighbourhood, a street, a facility.
    place: Mapped[str] = mapped_column(String(200), default="")
    detected_on: Mapped[dt.date] = mapped_column(Date, index=True)
    #: Raised at a meeting, in an activity, by a group (any may be empty).
    meeting_id: Mapped[str | None] = mapped_column(
        ForeignKey("network_meeting.id", ondelete="SET NULL"), default=None
    )
    activity_id: Mapped[str | None] = mapped_column(
        ForeignKey("activity.id", ondelete="SET NULL"), default=None
    )
    group_id: Mapped[str | None] = mapped_column(
        ForeignKey("community_group.id", ondelete="SET NULL"), default=None
    )
    #: none, activity, referral, network_agreement, passed_on
    response: Mapped[str] = mapped_column(String(30), default="none")
    response_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    #: The activity started, the agreement adopted, the service it was passed on to.
    response_activity_id: Mapped[str | None] = mapped_column(
        ForeignKey("activity.id", ondelete="SET NULL"), default=None
    )
    response_agreement_id: Mapped[str | None] = mapped_column(
        ForeignKey("agreement.id", ondelete="SET NULL"), default=None
    )
    response_organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), default=None
    )
    response_notes: Mapped[str] = mapped_column(Text, default="")
