"""Reading the audit log: newest first, filtered by action, limited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from app.db.engine import Database
from app.db.models import AuditEvent
from app.services import audit
from app.services.audit import AuditService


def test_recent_lists_newest_first_with_filter_and_limit(db: Database) -> None:
    with db.begin() as s:
        audit.record(s, "export", "/tmp/a.json", '{"people": 3}')
        audit.record(s, "print", "sheet", "20 people")
        audit.record(s, "import", "llista.csv", "5 people")
    base = dt.datetime(2026, 11, 2, 9, 0)
    with db.begin() as s:
        for minutes, action in enumerate(("export", "print", "import")):
            s.execute(
                update(AuditEvent)
                .where(AuditEvent.action == action)
                .values(at=base + dt.timedelta(minutes=minutes))
            )
    service = AuditService(db)
    entries = service.recent()
    assert [e.action for e in entries] == ["import", "print", "export"]
    assert entries[2].subject == "/tmp/a.json" and entries[2].details == '{"people": 3}'
    assert entries[0].at == base + dt.timedelta(minutes=2)
    assert [e.subject for e in service.recent(action="print")] == ["sheet"]
    assert len(service.recent(limit=2)) == 2
    assert service.count() == 3


def test_empty_log(db: Database) -> None:
    assert AuditService(db).recent() == [] and AuditService(db).count() == 0
