"""The audit log cannot be quietly emptied: every entry is linked to the one before, a deleted
or edited entry is found, and a database carrying a trigger or a view Teixit did not make is
not opened."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update

from app.db.engine import DamagedDatabase, Database, make_engine, migrate, open_database
from app.db.models import AuditEvent
from app.services import audit
from app.services.audit import AuditService

#: Each test runs on a SQLite file and on an office (PostgreSQL) database.
BOTH_ENGINES = True


def write_log(db: Database, count: int = 5) -> None:
    for n in range(count):
        with db.begin() as s:
            audit.record(s, "export", f"/tmp/llista-{n}.xlsx", f"{n} rows")


def test_entries_are_numbered_and_linked(db: Database) -> None:
    write_log(db, 3)
    with db.begin() as s:  # several in one unit of work are linked too
        audit.record(s, "print", "sheet", "a")
        audit.record(s, "print", "sheet", "b")
    with db.read() as s:
        rows = s.execute(select(AuditEvent.seq, AuditEvent.chain).order_by(AuditEvent.seq)).all()
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert len({r.chain for r in rows}) == 5 and all(len(r.chain) == 64 for r in rows)
    report = AuditService(db).verify()
    assert report.intact and report.entries == 5


def test_a_deleted_entry_is_found(db: Database) -> None:
    write_log(db)
    with db.begin() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.seq == 3))
    report = AuditService(db).verify()
    assert not report.intact and report.broken_at == 3 and report.problem == "missing"


def test_an_edited_entry_is_found(db: Database) -> None:
    write_log(db)
    with db.begin() as s:
        s.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(details="0 rows"))
    report = AuditService(db).verify()
    assert report.broken_at == 2 and report.problem == "changed"


def test_a_retimed_entry_is_found(db: Database) -> None:
    write_log(db)
    with db.begin() as s:
        s.execute(update(AuditEvent).where(AuditEvent.seq == 4).values(at=dt.datetime(2020, 1, 1)))
    assert AuditService(db).verify().broken_at == 4


def test_an_entry_written_outside_teixit_is_found(db: Database) -> None:
    write_log(db, 2)
    with db.begin() as s:
        s.execute(
            text(
                "INSERT INTO audit_event (id, created_at, updated_at, at, action, subject, "
                "details, chain) VALUES ('00000000-0000-4000-8000-000000000001', :t, :t, :t, "
                "'export', 'x', '', '')"
            ),
            {"t": dt.datetime(2026, 1, 1)},
        )
    report = AuditService(db).verify()
    assert report.problem == "unnumbered" and report.entries == 2


@pytest.mark.sqlite_only
def test_a_planted_trigger_or_view_is_refused_at_start(tmp_path: Path) -> None:
    path = tmp_path / "teixit.db"
    open_database(path).close()
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TRIGGER hide AFTER INSERT ON audit_event BEGIN "
        "DELETE FROM audit_event WHERE id = NEW.id; END"
    )
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(DamagedDatabase, match="trigger hide") as caught:
        open_database(path)
    assert "did not make" in caught.value.message or "no ha fet" in caught.value.message
    assert path.read_bytes() == before  # left as it was
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER hide")
    con.execute("CREATE VIEW everyone AS SELECT given_name FROM participant")
    con.commit()
    con.close()
    with pytest.raises(DamagedDatabase, match="view everyone"):
        open_database(path)


@pytest.mark.sqlite_only
def test_the_upgrade_links_the_entries_already_there(tmp_path: Path) -> None:
    path = tmp_path / "teixit.db"
    engine = make_engine(path)
    migrate(engine, "0005_more_versions")
    with engine.begin() as con:
        for n in range(3):
            con.execute(
                text(
                    "INSERT INTO audit_event (id, created_at, updated_at, at, action, subject, "
                    "details) VALUES (:id, :t, :t, :t, 'print', 'sheet', :d)"
                ),
                {
                    "id": f"00000000-0000-4000-8000-00000000000{n}",
                    "t": dt.datetime(2026, 3, n + 1),
                    "d": f"entry {n}",
                },
            )
    engine.dispose()
    db = open_database(path)
    try:
        with db.read() as s:
            details = s.scalars(select(AuditEvent.details).order_by(AuditEvent.seq)).all()
        assert details == ["entry 0", "entry 1", "entry 2"]
        write_log(db, 1)
        assert AuditService(db).verify().entries == 4
        assert AuditService(db).verify().intact
    finally:
        db.close()
