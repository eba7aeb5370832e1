"""Purging 500 erased people of 5 000 (60 000 attendance records): one unit of work."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import insert, update

from app.db.base import utcnow
from app.db.engine import Database
from app.db.models import Activity, Attendance, Consent, Participant, Programme, Session
from app.services.purge import PurgeService


def test_purge_five_hundred(db: Database, benchmark: Any) -> None:
    with db.begin() as s:
        prog = Programme(code="P", name="P", category="prevention")
        s.add(prog)
        s.flush()
        act = Activity(programme_id=prog.id, name="A")
        s.add(act)
        s.flush()
        sessions = [str(uuid.uuid4()) for _ in range(240)]
        start = dt.date(2025, 1, 1)
        s.execute(
            insert(Session),
            [
                {"id": sid, "activity_id": act.id, "date": start + dt.timedelta(days=3 * i),
                 "status": "held"}
                for i, sid in enumerate(sessions)
            ],
        )  # fmt: skip
        people = [str(uuid.uuid4()) for _ in range(5000)]
        s.execute(
            insert(Participant),
            [
                {"id": pid, "given_name": f"P{i}", "birth_date": dt.date(1960 + i % 50, 1 + i % 12,
                 1 + i % 28), "phone": "600000000",
                 "blocked_at": utcnow() if i % 10 == 0 else None}
                for i, pid in enumerate(people)
            ],
        )  # fmt: skip
        s.execute(
            insert(Attendance),
            [
                {"id": str(uuid.uuid4()), "session_id": sessions[(i * 7 + k * 19) % 240],
                 "participant_id": pid, "status": "present"}
                for i, pid in enumerate(people)
                for k in range(12)
            ],
        )  # fmt: skip
        s.execute(
            insert(Consent),
            [{"id": str(uuid.uuid4()), "participant_id": pid, "kind": "data_processing"}
             for pid in people],
        )  # fmt: skip
    erased = people[::10]
    service = PurgeService(db)

    def reset() -> None:
        with db.begin() as s:
            s.execute(update(Participant).where(Participant.id.in_(erased)).values(given_name="X"))

    def purge() -> int:
        return service.purge([c.id for c in service.candidates()])[0].people

    result = benchmark.pedantic(purge, setup=reset, rounds=5)
    assert result == 500
