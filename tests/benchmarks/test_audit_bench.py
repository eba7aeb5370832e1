"""The settings' audit log: the newest 1 000 of 50 000 events, subjects resolved to names."""

from __future__ import annotations

import uuid
from typing import Any

from app.db.engine import Database
from app.db.models import AuditEvent, Participant
from app.services.audit import AuditService


def test_audit_log_newest_thousand(db: Database, benchmark: Any) -> None:
    with db.begin() as s:
        people = [Participant(id=str(uuid.uuid4()), given_name=f"P{i}") for i in range(5000)]
        s.add_all(people)
        s.flush()
        s.add_all(
            AuditEvent(action="print", subject=f"participant:{people[i % 5000].id}", details="x")
            if i % 2
            else AuditEvent(action="export", subject=f"/tmp/export-{i}.json", details="{}")
            for i in range(50_000)
        )
    service = AuditService(db)
    entries = benchmark(service.recent, 1000)
    assert len(entries) == 1000 and any(e.label.startswith("P") for e in entries)
