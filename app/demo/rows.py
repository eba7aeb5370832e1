"""Rows of the demo before they reach the database: deterministic ids and one list per table."""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import Table

from app.db.base import Base

Row = dict[str, Any]


class Ids:
    """UUIDs derived from the seed and a key, so the same seed gives the same ids."""

    def __init__(self, seed: int) -> None:
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"teixit:demo:{seed}")
        self._prefix = self.namespace.bytes

    def __call__(self, kind: str, key: object) -> str:
        """``str(uuid.uuid5(namespace, f"{kind}:{key}"))``, computed without building UUID
        objects (the large demo makes 90 000 of them)."""
        digest = bytearray(hashlib.sha1(self._prefix + f"{kind}:{key}".encode()).digest()[:16])
        digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
        digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
        h = digest.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class Rows:
    """Rows per table name, kept in the order they were added."""

    def __init__(self) -> None:
        self.tables: dict[str, list[Row]] = defaultdict(list)

    def add(self, target: type[Base] | Table, /, **values: Any) -> Row:
        table = target if isinstance(target, Table) else target.__table__
        assert isinstance(table, Table)
        self.tables[table.name].append(values)
        return values

    def count(self, target: type[Base] | Table) -> int:
        table = target if isinstance(target, Table) else target.__table__
        assert isinstance(table, Table)
        return len(self.tables.get(table.name, ()))
