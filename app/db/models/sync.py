"""Sync between replicas: the devices this database knows (itself among them), the change log
every write appends to, and the conflicts a merge settled that a person may want to swap."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, DateTime, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Entity, utcnow


class SyncDevice(Base):
    """A device of the team. The row with ``is_self`` is this database's own identity; the
    others are peers, with how far their changes have been applied here."""

    __tablename__ = "sync_device"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    is_self: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The last hybrid-logical-clock value given or observed (own row only).
    last_hlc: Mapped[int] = mapped_column(BigInteger, default=0)
    #: The highest sequence number of this device's changes applied here (every lower one too).
    applied_seq: Mapped[int] = mapped_column(Integer, default=0)
    #: The schema revision the device last wrote with.
    schema_revision: Mapped[str] = mapped_column(String(60), default="")
    #: The team's sync key (own row only): change files are encrypted with it.
    team_key: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ChangeEntry(Base):
    """One row written: table, row id, the fields it set (JSON), insert/update/delete, which
    device and when (hybrid logical clock). Written in the same transaction as the write.

    The office database's table, as here; a SQLite file's is keyed the same, ``WITHOUT ROWID``,
    with a ``row_hash`` column indexed in place of ``ix_change_log_row`` (migration
    ``0018_change_log_keys``, written and looked up by row through app/db/changelog.py), and
    may hold packs of a save's entries until they are read (``changelog.PACK``)."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_row", "table_name", "row_id"),)

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    hlc: Mapped[int] = mapped_column(BigInteger)
    table_name: Mapped[str] = mapped_column(String(40))
    #: The row's id (for a link table, its two ids joined by "|").
    row_id: Mapped[str] = mapped_column(String(80))
    #: insert, update or delete (a tombstone)
    op: Mapped[str] = mapped_column(String(6))
    fields: Mapped[str] = mapped_column(Text, default="{}")
    #: A data-protection write (an erasure, a purge, a revoked consent, a deletion): it wins
    #: over any ordinary edit, whatever the clocks say.
    protect: Mapped[bool] = mapped_column(Boolean, default=False)


class SyncConflict(Entity):
    """A value a merge did not keep, beside the one it kept: who and when for both."""

    __tablename__ = "sync_conflict"

    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(80), index=True)
    field: Mapped[str] = mapped_column(String(60), default="")
    #: field (same field on two devices), deleted (edited while deleted elsewhere), blocked
    #: (edited while erased elsewhere), renumbered (a unique code or number taken twice),
    #: duplicate (a likely duplicate person)
    kind: Mapped[str] = mapped_column(String(20))
    kept_value: Mapped[str] = mapped_column(Text, default="null")
    kept_device: Mapped[str] = mapped_column(String(36), default="")
    kept_hlc: Mapped[int] = mapped_column(BigInteger, default=0)
    lost_value: Mapped[str] = mapped_column(Text, default="null")
    lost_device: Mapped[str] = mapped_column(String(36), default="")
    lost_hlc: Mapped[int] = mapped_column(BigInteger, default=0)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
