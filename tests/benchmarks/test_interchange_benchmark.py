"""Export and import of a large entity's year (2 000 sessions, 5 000 people, 60 000
attendances). Run: pytest -p no:cacheprovider tests/benchmarks --benchmark-only"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from app.db.engine import Database, open_database
from app.db.models import Activity, Attendance, Participant, Programme, Session, Staff
from app.services.exchange import ExchangeService


def _id() -> str:
    return str(uuid.uuid4())


def fill_large(db: Database) -> None:
    staff = [{"id": _id(), "name": f"Persona {i}"} for i in range(10)]
    programmes = [
        {"id": _id(), "code": f"P{i}", "name": f"Programa {i}", "category": "prevention"}
        for i in range(5)
    ]
    activities = [
        {"id": _id(), "programme_id": programmes[i % 5]["id"], "name": f"Activitat {i}"}
        for i in range(20)
    ]
    people = [
        {"id": _id(), "given_name": f"Nom {i}", "family_names": "Cognom", "gender": "woman"}
        for i in range(5000)
    ]
    start = dt.date(2026, 1, 1)
    sessions = [
        {
            "id": _id(),
            "activity_id": activities[i % 20]["id"],
            "date": start + dt.timedelta(days=i % 365),
            "start_time": dt.time(17, 0),
            "end_time": dt.time(19, 0),
            "status": "held",
        }
        for i in range(2000)
    ]
    cycle = itertools.cycle(people)
    attendance = [
        {
            "id": _id(),
            "session_id": s["id"],
            "participant_id": next(cycle)["id"],
            "status": "present",
        }
        for s in sessions
        for _ in range(30)
    ]
    with db.begin() as s:
        for model, rows in (
            (Staff, staff),
            (Programme, programmes),
            (Activity, activities),
            (Participant, people),
            (Session, sessions),
            (Attendance, attendance),
        ):
            s.execute(insert(model), rows)


@pytest.fixture
def large_file(tmp_path: Path) -> Path:
    db = open_database(tmp_path / "large" / "teixit.db")
    fill_large(db)
    path = tmp_path / "large.json"
    ExchangeService(db).export_file(path)
    db.close()
    return path


def test_export_large(benchmark: Any, tmp_path: Path) -> None:
    db = open_database(tmp_path / "src" / "teixit.db")
    fill_large(db)
    summary = benchmark(ExchangeService(db).export_file, tmp_path / "out.json")
    assert summary.counts["attendance"] == 60000
    db.close()


def test_import_large_into_empty_database(benchmark: Any, tmp_path: Path, large_file: Path) -> None:
    counter = itertools.count()

    def fresh() -> tuple[tuple[Database, Path], dict[str, Any]]:
        return (open_database(tmp_path / f"dst{next(counter)}" / "teixit.db"), large_file), {}

    def import_file(db: Database, path: Path) -> Any:
        return ExchangeService(db).import_file(path)

    summary = benchmark.pedantic(import_file, setup=fresh, rounds=3)
    assert summary.inserted["attendance"] == 60000
