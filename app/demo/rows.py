"""Rows of the demo before they reach the database: deterministic ids and one list per table."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import Table

from app.db.base import Base

Row = dict[str, Any]


class Ids:
    """UUIDs derived from the seed and a key, so the same seed gives the same ids."""

    def __init__(self, seed: int) -> None:
        self._namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"teixit:demo:{seed}")

    def __call__(self, kind: str, key: object) -> str:
        return str(uuid.uuid5(self._namespace, f"{kind}:{key}"))


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
