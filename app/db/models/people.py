"""Participants, their consents, enrolments in activities and referrals."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Entity, SoftDeleted


class Participant(Entity, SoftDeleted):
    __tablename__ = "participant"

    given_name: Mapped[str] = mapped_column(String(200))
    family_names: Mapped[str] = mapped_column(String(200), default="", index=True)
    #: woman, man, nonbinary, other, undisclosed (None counts as undisclosed)
    gender: Mapped[str | None] = mapped_column(String(20), default=None)
    birth_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    birth_year: Mapped[int | None] = mapped_column(Integer, default=None)
    #: dni, nie, passport, other
    id_document_type: Mapped[str | None] = mapped_column(String(20), default=None)
    id_document_number: Mapped[str] = mapped_column(String(40), default="")
    nationality: Mapped[str] = mapped_column(String(2), default="")
    neighbourhood: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    guardian_name: Mapped[str] = mapped_column(String(200), default="")
    guardian_phone: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: Data-protection erasure: hidden from lists and new documents, frozen, counts stay.
    blocked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
    #: Raised by one at every save of the person form: a save made from an older copy is
    #: refused (several people may have the same person open on an office database). Kept by
    #: the service, not SQLAlchemy's version_id_col: that one would demand the version in every
    #: row of a bulk update (an interchange import); writes take turns, so the service's check
    #: and raise happen with no other write in between.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class Consent(Entity):
    __tablename__ = "consent"

    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    #: data_processing, image_internal, image_funder, image_web
    kind: Mapped[str] = mapped_column(String(30))
    granted: Mapped[bool] = mapped_column(Boolean, default=True)
    date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    #: self or guardian
    signed_by: Mapped[str] = mapped_column(String(20), default="self")
    revoked_at: Mapped[dt.date | None] = mapped_column(Date, default=None)


class Enrolment(Entity):
    __tablename__ = "enrolment"

    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[str] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[dt.date | None] = mapped_column(Date, default=None)
    end: Mapped[dt.date | None] = mapped_column(Date, default=None)


class Referral(Entity):
    __tablename__ = "referral"

    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    from_organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), default=None
    )
    to_organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), default=None
    )
    date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    #: open, accepted, closed, rejected
    status: Mapped[str] = mapped_column(String(20), default="open")
    #: Where it came from: the programme and activity (optional).
    programme_id: Mapped[str | None] = mapped_column(
        ForeignKey("programme.id", ondelete="SET NULL"), default=None, index=True
    )
    activity_id: Mapped[str | None] = mapped_column(
        ForeignKey("activity.id", ondelete="SET NULL"), default=None
    )
    #: The follow-up: did the person reach the service (None: not known yet), when it was
    #: checked and what came of it.
    reached: Mapped[bool | None] = mapped_column(Boolean, default=None)
    followed_up_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    follow_up: Mapped[str] = mapped_column(Text, default="", server_default="")
