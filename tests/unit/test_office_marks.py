"""Marks of attendance on the office database are read with the write's BEGIN and written with
its COMMIT (app/db/marks.py), not by the ORM: the same data, the same undo and the same
change-log entries as the ORM's writes on a file, mark by mark."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, select

from app.db.engine import Database, open_database, open_url
from app.db.models import Attendance, ChangeEntry
from app.db.models import Session as SessionRow
from app.db.office import upload
from app.domain.sessions import AttendanceUndo
from app.services.container import Services
from app.sync import device
from tests.support.sync_replicas import Seed, seed, settled

pytestmark = pytest.mark.office


@pytest.fixture
def both(tmp_path: Path, office_address: str) -> Iterator[tuple[Seed, Services, Services]]:
    """The same records (same ids) in a file and in an office database, both keeping a change
    log."""
    folder = tmp_path / "file"
    folder.mkdir()
    lite = open_database(folder / "teixit.db")
    made = seed(Services(lite), sessions=2, people=4)
    office = open_url(office_address)
    upload(lite.engine, office.engine)
    for db in (lite, office):
        device.enable(db, "bench")
    yield made, Services(lite), Services(office)
    lite.close()
    office.close()


def _log(db: Database) -> list[tuple[str, str, str, str, bool]]:
    """The entries of marks and sessions written after the baseline (inserts of every record),
    in order."""
    settled(db)
    with db.read() as s:
        rows = s.execute(
            select(
                ChangeEntry.table_name,
                ChangeEntry.row_id,
                ChangeEntry.op,
                ChangeEntry.fields,
                ChangeEntry.protect,
                ChangeEntry.seq,
                ChangeEntry.hlc,
            ).order_by(ChangeEntry.seq)
        ).all()
    baseline = rows[0].hlc
    return [
        (r[0], r[1], r[2], r[3], bool(r[4]))
        for r in rows
        if r.hlc != baseline and r[0] in ("attendance", "session")
    ]


def _state(db: Database) -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str, int]]]:
    with db.read() as s:
        marks = [
            (a.id, a.session_id, a.participant_id, a.status)
            for a in s.scalars(select(Attendance).order_by(Attendance.id))
        ]
        sessions = [
            (x.id, x.status, x.version)
            for x in s.scalars(select(SessionRow).order_by(SessionRow.id))
        ]
    return marks, sessions


def test_marks_on_the_office_are_written_and_logged_as_on_a_file(
    both: tuple[Seed, Services, Services],
) -> None:
    made, lite, office = both
    sid, other = made.session_ids
    p1, p2, p3, p4 = made.people
    lite.people.erase(p4)
    office.people.erase(p4)
    steps: list[dict[str, str | None]] = [
        {p1: "present"},  # a new mark, and the planned past session becomes held
        {p1: "absent"},  # changed
        {p1: "absent"},  # the same: nothing written, nothing logged
        {p2: "late", p3: "excused"},
        {p1: None},  # removed
        {p4: "present", p2: "present"},  # an erased person's mark is frozen
    ]
    undos = {}
    for services in (lite, office):
        undo = undos[id(services)] = AttendanceUndo()
        for statuses in steps:
            services.sessions.set_attendance(sid, statuses, undo)
        services.sessions.set_attendance(other, {p3: "absent"}, undo)  # stays planned
    assert _state(office.db) == _state(lite.db)
    office_log = _log(office.db)
    assert office_log == _log(lite.db)
    assert [op for table, _r, op, _f, _p in office_log if table == "attendance"] == [
        "insert", "update", "insert", "insert", "delete", "update", "insert",
    ]  # fmt: skip
    assert [(table, f) for table, _r, _o, f, _p in office_log if table == "session"] == [
        ("session", '{"status":"held"}')
    ]
    marks, sessions = _state(office.db)
    assert (sid, "held", 2) in sessions
    # Undone step by step, the office as the file.
    for services in (lite, office):
        undo = undos[id(services)]
        while services.sessions.undo_attendance(undo)[0] is not None:
            pass
    assert _state(office.db) == _state(lite.db)
    assert _log(office.db) == _log(lite.db)
    assert _state(office.db)[0] == []


def test_a_mark_is_two_trips_to_the_office(office_address: str) -> None:
    """The read goes with the BEGIN (and the writers' turn), the write with the COMMIT: the
    driver is called twice per save, and SQLAlchemy sends nothing of its own."""
    import psycopg

    db = open_url(office_address)
    services = Services(db)
    made = seed(services, sessions=1, people=1)
    sid, pid = made.session_ids[0], made.people[0]
    services.sessions.set_attendance(sid, {pid: "present"})
    sent: list[str] = []
    calls: list[str] = []

    def statement(_c: object, _cur: object, text: str, *_rest: object) -> None:
        sent.append(text)

    original = psycopg.Cursor.execute

    def counted(self: psycopg.Cursor, query: object, *args: object, **kwargs: object) -> object:
        calls.append(str(query))
        return original(self, query, *args, **kwargs)  # type: ignore[arg-type]

    event.listen(db.engine, "before_cursor_execute", statement)
    psycopg.Cursor.execute = counted  # type: ignore[method-assign]
    try:
        services.sessions.set_attendance(sid, {pid: "late"})
    finally:
        psycopg.Cursor.execute = original  # type: ignore[method-assign]
        event.remove(db.engine, "before_cursor_execute", statement)
    assert sent == []
    assert len(calls) == 2
    assert calls[0].startswith("BEGIN; SELECT pg_advisory_xact_lock")
    assert "UPDATE attendance SET status = 'late'" in calls[1]
    assert calls[1].endswith("COMMIT")
    with db.read() as s:
        assert s.scalar(select(Attendance.status)) == "late"
    db.close()


def test_a_deleted_session_refuses_the_mark_and_writes_nothing(
    both: tuple[Seed, Services, Services],
) -> None:
    from app.errors import UserError

    made, _lite, office = both
    sid = made.session_ids[0]
    office.sessions.delete(sid)
    before = _log(office.db)
    with pytest.raises(UserError):
        office.sessions.set_attendance(sid, {made.people[0]: "present"})
    with pytest.raises(UserError):
        office.sessions.set_attendance("no-such-session", {made.people[0]: "present"})
    assert _log(office.db) == before
    assert _state(office.db)[0] == []
