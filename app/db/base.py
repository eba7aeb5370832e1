"""Declarative base: UUID keys generated in Python, UTC timestamps, a naming convention for
constraints (so Alembic's batch mode on SQLite can find them by name)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import DateTime, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.domain.clock import utcnow as utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


#: Namespace of the ids made from a record's natural key (see ``natural_id``).
NATURAL_NAMESPACE = uuid.UUID("5f0c3a52-6a8e-4d1c-9b8e-7e1f3c0a7d21")


def natural_id(table: str, *parts: object) -> str:
    """The id of a record known by a natural key (a mark per session and person, a head count
    per session, gender and band): the same on every device, so a mark made on two laptops is
    one record when they sync."""
    return str(uuid.uuid5(NATURAL_NAMESPACE, "|".join((table, *map(str, parts)))))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Entity(Base):
    """A record with identity: UUID key and creation/update times."""

    __abstract__ = True

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class SoftDeleted:
    """Records the user sees are hidden, not removed, when deleted."""

    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
