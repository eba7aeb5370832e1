"""Reading the audit log: newest first, filtered by action, limited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from app.db.engine import Database
from app.db.models import Activity, AuditEvent, Participant
from app.db.models import Session as SessionRow
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


def test_subjects_read_as_names_but_erased_people_stay_unnamed(db: Database) -> None:
    from app.demo import load_demo
    from app.services.networks import NetworkService
    from app.services.people import PeopleService

    load_demo(db, "small")
    with db.read() as s:
        people = list(s.scalars(select(Participant).limit(2)))
        session = s.scalars(select(SessionRow).limit(1)).one()
        activity = s.get(Activity, session.activity_id)
        assert activity is not None
        activity_name, session_date = activity.name, session.date
    kept, erased = people
    meetings = NetworkService(db).meetings()
    PeopleService(db).erase(erased.id)
    with db.begin() as s:
        audit.record(s, "print", f"sheet:session:{session.id}", "names=3")
        audit.record(s, "export", f"participant:{kept.id}", "")
        audit.record(s, "print", f"minutes {meetings[0].id}", "/tmp/acta.pdf")
        audit.record(s, "import", "llista.csv", "")
    labels = {e.subject: e.label for e in AuditService(db).recent()}
    assert labels[f"participant:{kept.id}"] == f"{kept.given_name} {kept.family_names}"
    assert labels[f"participant:{erased.id}"] == "Persona amb les dades suprimides"
    assert labels[f"sheet:session:{session.id}"] == (
        f"Full d'assistència: {activity_name}, {session_date:%d/%m/%Y}"
    )
    minutes = labels[f"minutes {meetings[0].id}"]
    assert minutes.startswith("Acta: ") and minutes.endswith(f"{meetings[0].date:%d/%m/%Y}")
    assert labels["llista.csv"] == "llista.csv"
