"""Sessions of activities, named attendance and anonymous head counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, Entity, SoftDeleted, natural_id
from app.db.models.core import Staff

session_facilitator = Table(
    "session_facilitator",
    Base.metadata,
    Column("session_id", ForeignKey("session.id", ondelete="CASCADE"), primary_key=True),
    Column("staff_id", ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
)


class Session(Entity, SoftDeleted):
    __tablename__ = "session"

    activity_id: Mapped[str] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    start_time: Mapped[dt.time | None] = mapped_column(Time, default=None)
    end_time: Mapped[dt.time | None] = mapped_column(Time, default=None)
    place_id: Mapped[str | None] = mapped_column(
        ForeignKey("place.id", ondelete="SET NULL"), default=None
    )
    #: planned, held, cancelled
    status: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    #: Raised by one at every save of its details (kept by the service, as a person's): a save
    #: made from an older copy is refused and both versions are shown.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: At an open event (head counts): of the people counted, how many are new this year, as
    #: estimated by the staff (head counts are attendances, not people). None: not estimated.
    new_people: Mapped[int | None] = mapped_column(Integer, default=None)

    facilitators: Mapped[list[Staff]] = relationship(
        secondary=session_facilitator, order_by=Staff.name
    )


def _attendance_id(context: Any) -> str:
    row = context.get_current_parameters()
    return natural_id("attendance", row["session_id"], row["participant_id"])


class Attendance(Entity):
    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "participant_id"),
        # The figures count the marks of sessions by status and person from this index alone
        # (app/services/figure_counts.py; migration 0020_figure_indexes).
        Index("ix_attendance_counted", "session_id", "status", "participant_id"),
    )

    #: Made from the session and the person: the same mark on two devices is one record.
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_attendance_id)

    session_id: Mapped[str] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"))
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    #: present, late, excused, absent
    status: Mapped[str] = mapped_column(String(20))


class HeadCount(Entity):
    """Head counts are written by the session's form with ids made from the session, gender
    and band (``natural_id``): the same count on two devices is one record when they sync."""

    __tablename__ = "head_count"

    session_id: Mapped[str] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), index=True
    )
    gender: Mapped[str] = mapped_column(String(20))
    age_band: Mapped[str] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(Integer, default=0)


class Evidence(Entity):
    """A file kept with its record (DESIGN section 12): a page of a signed attendance sheet,
    scanned. Kept inside the database file, so it is as private as the rest of the data (the
    file is 0600), goes into every backup and leaves with its session."""

    __tablename__ = "evidence"

    session_id: Mapped[str] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), index=True
    )
    #: signed_sheet
    kind: Mapped[str] = mapped_column(String(20))
    #: The page of the printed sheet (1-based; 0 when the page is not known).
    page: Mapped[int] = mapped_column(Integer)
    #: The file it came from and the page in that file, as the person gave them.
    source: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(50))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    #: SHA-256 of the content: the same scan given twice is recognised.
    sha256: Mapped[str] = mapped_column(String(64), index=True)
