"""Programmes (with their configurable categories, funders and indicators) and their activities."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, Entity, SoftDeleted
from app.db.models.core import Funder, Staff

programme_funder = Table(
    "programme_funder",
    Base.metadata,
    Column("programme_id", ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True),
    Column("funder_id", ForeignKey("funder.id", ondelete="CASCADE"), primary_key=True),
)

activity_facilitator = Table(
    "activity_facilitator",
    Base.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("staff_id", ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
)


class ProgrammeCategory(Entity):
    """The configurable list of categories (default: the five *prestacions*)."""

    __tablename__ = "programme_category"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_ca: Mapped[str] = mapped_column(String(200))
    name_es: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Programme(Entity, SoftDeleted):
    __tablename__ = "programme"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[dt.date | None] = mapped_column(Date, default=None)
    end: Mapped[dt.date | None] = mapped_column(Date, default=None)
    responsible_staff_id: Mapped[str | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), default=None
    )
    objectives: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Indirect beneficiaries the entity estimates (families of the participants, people the
    #: programme reaches through others): reported apart from the direct ones, never added.
    indirect_beneficiaries: Mapped[int | None] = mapped_column(Integer, default=None)
    #: Raised by one at every save of its details (kept by the service, as a person's): a save
    #: made from an older copy is refused and both versions are shown.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    funders: Mapped[list[Funder]] = relationship(secondary=programme_funder, order_by=Funder.name)
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="Indicator.created_at"
    )


class Indicator(Entity):
    __tablename__ = "indicator"

    programme_id: Mapped[str] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    #: A figure name of DESIGN section 5 (participants, sessions, ...) or "manual".
    kind: Mapped[str] = mapped_column(String(40), default="manual")
    target: Mapped[float | None] = mapped_column(Float, default=None)
    manual_value: Mapped[float | None] = mapped_column(Float, default=None)

    programme: Mapped[Programme] = relationship(back_populates="indicators")


class Activity(Entity, SoftDeleted):
    __tablename__ = "activity"

    programme_id: Mapped[str] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    #: workshop, event, participatory_process, self_organisation, attention, other
    kind: Mapped[str] = mapped_column(String(40), default="workshop")
    description: Mapped[str] = mapped_column(Text, default="")
    place_id: Mapped[str | None] = mapped_column(
        ForeignKey("place.id", ondelete="SET NULL"), default=None
    )
    start_time: Mapped[dt.time | None] = mapped_column(Time, default=None)
    end_time: Mapped[dt.time | None] = mapped_column(Time, default=None)
    #: Raised by one at every save of its details (kept by the service, as a person's): a save
    #: made from an older copy is refused and both versions are shown.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    facilitators: Mapped[list[Staff]] = relationship(
        secondary=activity_facilitator, order_by=Staff.name
    )


class ReportNarrative(Entity):
    """Narrative texts of a justification report, kept per programme and period."""

    __tablename__ = "report_narrative"

    programme_id: Mapped[str | None] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), default=None, index=True
    )
    period_from: Mapped[dt.date] = mapped_column(Date)
    period_to: Mapped[dt.date] = mapped_column(Date)
    #: assessment, difficulties, changes, proposals
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, default="")


class AgeBandSet(Entity):
    """A set of age bands a coordinator defines for a funder's form (the built-in sets are in
    app.domain.figures). ``bands`` as labels: ["12-18", "19-24", "25-30"]."""

    __tablename__ = "age_band_set"

    name: Mapped[str] = mapped_column(String(200))
    bands: Mapped[list[str]] = mapped_column(JSON, default=list)
    funder_id: Mapped[str | None] = mapped_column(
        ForeignKey("funder.id", ondelete="CASCADE"), default=None, index=True
    )
