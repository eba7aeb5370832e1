"""Territorial networks: spaces and commissions, meetings, attendees and agreements."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Integer, String, Table, Text, Time
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Entity, SoftDeleted

meeting_programme = Table(
    "meeting_programme",
    Base.metadata,
    Column("meeting_id", ForeignKey("network_meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("programme_id", ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True),
)


class NetworkSpace(Entity, SoftDeleted):
    __tablename__ = "network_space"

    name: Mapped[str] = mapped_column(String(300))
    #: Commissions are children of a space.
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("network_space.id", ondelete="CASCADE"), default=None, index=True
    )
    territory: Mapped[str] = mapped_column(String(200), default="")
    #: member, driving_group, coordination
    role: Mapped[str] = mapped_column(String(20), default="member")
    representative_staff_id: Mapped[str | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), default=None
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class NetworkMeeting(Entity, SoftDeleted):
    __tablename__ = "network_meeting"

    #: The space the meeting belongs to, or none when it is a meeting of an accompanied group.
    space_id: Mapped[str | None] = mapped_column(
        ForeignKey("network_space.id", ondelete="CASCADE"), default=None, index=True
    )
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    start_time: Mapped[dt.time | None] = mapped_column(Time, default=None)
    end_time: Mapped[dt.time | None] = mapped_column(Time, default=None)
    place: Mapped[str] = mapped_column(String(300), default="")
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    agenda: Mapped[list[str]] = mapped_column(JSON, default=list)
    minutes: Mapped[str] = mapped_column(Text, default="")
    #: planned, held, cancelled: only held meetings count in the figures.
    status: Mapped[str] = mapped_column(String(20), default="planned", server_default="planned")
    #: Why a cancelled meeting was called off.
    cancellation_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: Raised by one at every save of its details (kept by the service, as a person's): a save
    #: made from an older copy is refused and both versions are shown.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: A meeting of a group the entity accompanies (instead of a network space).
    group_id: Mapped[str | None] = mapped_column(
        ForeignKey("community_group.id", ondelete="CASCADE"), default=None, index=True
    )


class MeetingAttendee(Entity):
    __tablename__ = "meeting_attendee"

    meeting_id: Mapped[str] = mapped_column(
        ForeignKey("network_meeting.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[str | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), default=None
    )
    person_name: Mapped[str] = mapped_column(String(200), default="")
    organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), default=None
    )
    #: attended, apologised
    status: Mapped[str] = mapped_column(String(20), default="attended")


class Agreement(Entity):
    __tablename__ = "agreement"

    #: The meeting where it was adopted; none for an agreement of a mediation case.
    meeting_id: Mapped[str | None] = mapped_column(
        ForeignKey("network_meeting.id", ondelete="CASCADE"), default=None, index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    owner_staff_id: Mapped[str | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), default=None
    )
    owner_organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), default=None
    )
    due_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    #: open, done, dropped
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    closed_in_meeting_id: Mapped[str | None] = mapped_column(
        ForeignKey("network_meeting.id", ondelete="SET NULL"), default=None
    )
    #: An agreement reached in a community mediation case (need-to-know, as the case).
    mediation_case_id: Mapped[str | None] = mapped_column(
        ForeignKey("mediation_case.id", ondelete="CASCADE"), default=None, index=True
    )
