"""The entity itself, its staff, places, funders, the territory's organisations, settings and the
audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Entity, SoftDeleted, utcnow


class EntityProfile(Entity):
    __tablename__ = "entity_profile"

    name: Mapped[str] = mapped_column(String(200))
    tax_id: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    #: ca, es or ca-valencia.
    default_lang: Mapped[str] = mapped_column(String(16), default="ca")
    #: Public holidays: "CT" (Catalonia) or "VC" (Valencian Community).
    region: Mapped[str] = mapped_column(String(2), default="CT")
    privacy_controller: Mapped[str] = mapped_column(Text, default="")
    privacy_purpose: Mapped[str] = mapped_column(Text, default="")
    privacy_legal_basis: Mapped[str] = mapped_column(Text, default="")
    privacy_recipients: Mapped[str] = mapped_column(Text, default="")
    privacy_rights_contact: Mapped[str] = mapped_column(Text, default="")


class Staff(Entity, SoftDeleted):
    __tablename__ = "staff"

    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The person's login on the office database (need-to-know records such as mediation
    #: cases are shown to the logins of the staff on them).
    login: Mapped[str] = mapped_column(String(63), default="", server_default="")


class Place(Entity, SoftDeleted):
    __tablename__ = "place"

    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")


class Funder(Entity, SoftDeleted):
    __tablename__ = "funder"

    name: Mapped[str] = mapped_column(String(200))
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    support_text: Mapped[str] = mapped_column(String(200), default="")


class Organisation(Entity, SoftDeleted):
    __tablename__ = "organisation"

    name: Mapped[str] = mapped_column(String(200))
    #: public_service, association, school, health_centre, other...
    kind: Mapped[str] = mapped_column(String(40), default="other")
    contact: Mapped[str] = mapped_column(Text, default="")


class LocalDay(Entity):
    """Days the entity's series of sessions skip besides the region's public holidays: the
    municipality's local holidays and the school breaks (a single day has the same start and
    end)."""

    __tablename__ = "local_day"

    name: Mapped[str] = mapped_column(String(200))
    date_from: Mapped[dt.date] = mapped_column(Date, index=True)
    date_to: Mapped[dt.date] = mapped_column(Date)
    #: "holiday" (a local public holiday) or "school_break".
    kind: Mapped[str] = mapped_column(String(20), default="holiday")


class Setting(Entity):
    """Small per-database preferences (remembered import mappings, sheet options...)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), unique=True)
    value: Mapped[Any] = mapped_column(JSON)


class AuditEvent(Entity):
    __tablename__ = "audit_event"

    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    #: export, print, erase, restore, import, purge, merge
    action: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(300), default="")
    details: Mapped[str] = mapped_column(Text, default="")
    #: 1, 2, 3… in the order events were written; a gap is a deleted entry.
    seq: Mapped[int | None] = mapped_column(Integer, unique=True)
    #: SHA-256 over the previous entry's chain and this entry (app/domain/audit.py): an entry
    #: edited or removed breaks every chain after it.
    chain: Mapped[str] = mapped_column(String(64), default="", server_default="")


class TextVariant(Entity):
    """A printed text the user typed, in another document language than the one its own column
    holds (DESIGN section 3): the Spanish name of a programme, the Catalan data-protection
    purpose of a Spanish entity... One row per (table, row, field, language); the row's own
    column keeps the text in the entity's language. The entity profile, a single row, is
    ``row_id`` "". The id is made from the four (``natural_id``): the same translation typed on
    two devices is one record when they sync."""

    __tablename__ = "text_variant"
    __table_args__ = (UniqueConstraint("table_name", "row_id", "field", "lang"),)

    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(40))
    #: ca, es or ca-valencia.
    lang: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
