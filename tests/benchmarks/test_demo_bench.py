"""How long the large demo (5 000 people, ~2 000 sessions, ~60 000 attendance records) takes to
load into a fresh database."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

from app.db.engine import Database, open_database
from app.demo import load_demo

TODAY = dt.date(2026, 11, 26)


def test_load_large_demo(benchmark: Any, tmp_path: Path) -> None:
    counter = itertools.count()
    opened: list[Database] = []

    def setup() -> tuple[tuple[Database], dict[str, Any]]:
        db = open_database(tmp_path / f"bench-{next(counter)}.db")
        opened.append(db)
        return (db,), {}

    def load(db: Database) -> int:
        return load_demo(db, size="large", today=TODAY).attendances

    attendances = benchmark.pedantic(load, setup=setup, rounds=2, iterations=1)
    for db in opened:
        db.close()
    assert attendances > 50_000
