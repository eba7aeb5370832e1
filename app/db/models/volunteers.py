"""Volunteers (and their hours), the safeguarding certificates of the people who work with
minors, and the coproduction of activities (more programmes, partner organisations)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Date, Float, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, Entity, SoftDeleted
from app.db.models.programmes import Activity, Programme

#: Coproduction: the other programmes an activity also belongs to (its own is
#: ``activity.programme_id``); it counts once in each and once in the entity's total.
activity_programme = Table(
    "activity_programme",
    Base.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("programme_id", ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True),
)

#: Coproduction: the organisations that organise an activity with the entity.
activity_partner = Table(
    "activity_partner",
    Base.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
)

volunteer_programme = Table(
    "volunteer_programme",
    Base.metadata,
    Column("volunteer_id", ForeignKey("volunteer.id", ondelete="CASCADE"), primary_key=True),
    Column("programme_id", ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True),
)

volunteer_activity = Table(
    "volunteer_activity",
    Base.metadata,
    Column("volunteer_id", ForeignKey("volunteer.id", ondelete="CASCADE"), primary_key=True),
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
)


class Volunteer(Entity, SoftDeleted):
    """A person of the register who volunteers with the entity (one record per person; they
    may be a participant elsewhere too). The commitment agreement and its insurance are here."""

    __tablename__ = "volunteer"

    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), unique=True
    )
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date, default=None)
    #: What the volunteer does and when (printed on the agreement).
    tasks: Mapped[str] = mapped_column(Text, default="")
    schedule: Mapped[str] = mapped_column(Text, default="")
    training: Mapped[str] = mapped_column(Text, default="")
    training_hours: Mapped[float] = mapped_column(Float, default=0.0)
    #: The commitment agreement (full de compromís): the day both parties signed it.
    agreement_signed_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    insurer: Mapped[str] = mapped_column(String(200), default="")
    policy_number: Mapped[str] = mapped_column(String(100), default="")
    insurance_from: Mapped[dt.date | None] = mapped_column(Date, default=None)
    insurance_to: Mapped[dt.date | None] = mapped_column(Date, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")

    programmes: Mapped[list[Programme]] = relationship(
        secondary=volunteer_programme, order_by=Programme.code
    )
    activities: Mapped[list[Activity]] = relationship(
        secondary=volunteer_activity, order_by=Activity.name
    )


class VolunteerHours(Entity):
    """Hours a volunteer gave: in a session (``session_id``, dated on it) or in a month
    (``date`` the first of the month, ``programme_id`` the programme)."""

    __tablename__ = "volunteer_hours"

    volunteer_id: Mapped[str] = mapped_column(
        ForeignKey("volunteer.id", ondelete="CASCADE"), index=True
    )
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    session_id: Mapped[str | None] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), default=None, index=True
    )
    programme_id: Mapped[str | None] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), default=None
    )
    hours: Mapped[float] = mapped_column(Float, default=0.0)
    notes: Mapped[str] = mapped_column(Text, default="")


class SafeguardingCertificate(Entity):
    """The certificate of the sexual-offences register (LO 1/1996 art. 13.5, LOPIVI art. 57) of a
    member of staff or of a person of the register (a volunteer): its issue date and result
    only, never its content."""

    __tablename__ = "safeguarding_certificate"

    staff_id: Mapped[str | None] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), default=None, index=True
    )
    participant_id: Mapped[str | None] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), default=None, index=True
    )
    issue_date: Mapped[dt.date] = mapped_column(Date)
    #: negative (no record) or not_negative
    result: Mapped[str] = mapped_column(String(20), default="negative")
