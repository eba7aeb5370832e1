"""Sessions of activities, named attendance and anonymous head counts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, Entity, SoftDeleted
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

    facilitators: Mapped[list[Staff]] = relationship(
        secondary=session_facilitator, order_by=Staff.name
    )


class Attendance(Entity):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("session_id", "participant_id"),)

    session_id: Mapped[str] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"))
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    #: present, late, excused, absent
    status: Mapped[str] = mapped_column(String(20))


class HeadCount(Entity):
    __tablename__ = "head_count"

    session_id: Mapped[str] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), index=True
    )
    gender: Mapped[str] = mapped_column(String(20))
    age_band: Mapped[str] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(Integer, default=0)
