"""Network meetings are planned, held or cancelled: how a meeting gets its status, what only a
held one counts or prints, the upgrade of older databases and backups, and older interchange
files."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from app import paths
from app.db import schema
from app.db.engine import Database, inspect_file, make_engine, migrate, open_database
from app.db.models import NetworkMeeting, Programme, Staff
from app.domain.networks import AttendeeDTO, MeetingDTO, SpaceDTO, status_for_date
from app.errors import UserError, ValidationError
from app.exchange import interchange
from app.services.backups import BackupService
from app.services.exchange import ExchangeService
from app.services.figures import FiguresService
from app.services.networks import NetworkService
from app.services.sheets import SheetService
from tests.support.network_rows import add_meeting

D, T = dt.date, dt.time
TODAY = D(2026, 5, 15)


@pytest.fixture
def svc(db: Database) -> NetworkService:
    return NetworkService(db, today=lambda: TODAY)


@pytest.fixture
def space(svc: NetworkService) -> str:
    saved, _c = svc.save_space(SpaceDTO(None, "Xarxa d'Infància de Sants"))
    return saved.id or ""


def _new(space: str, day: dt.date, **kw: object) -> MeetingDTO:
    return MeetingDTO(None, space, day, T(10), T(12), **kw)  # type: ignore[arg-type]


def test_status_for_date_is_held_before_today_and_planned_from_today() -> None:
    assert status_for_date(D(2026, 5, 14), TODAY) == "held"
    assert status_for_date(TODAY, TODAY) == "planned"
    assert status_for_date(D(2026, 6, 20), TODAY) == "planned"


def test_a_new_meeting_gets_its_status_from_its_date_and_what_it_records(
    db: Database, svc: NetworkService, space: str
) -> None:
    with db.begin() as s:
        staff = Staff(name="Anna Puig")
        s.add(staff)
        s.flush()
        anna = staff.id
    future, _c = svc.save_meeting(_new(space, D(2026, 6, 20)))
    past, _c = svc.save_meeting(_new(space, D(2026, 4, 1)))
    today, _c = svc.save_meeting(_new(space, TODAY))
    assert (future.status, past.status, today.status) == ("planned", "held", "planned")
    # Entering who attended, or the minutes, makes it held even ahead of its date...
    attended, _c = svc.save_meeting(
        _new(space, D(2026, 6, 21), attendees=(AttendeeDTO(staff_id=anna),))
    )
    minutes, _c = svc.save_meeting(_new(space, D(2026, 6, 22), minutes="S'acorda la festa."))
    assert attended.status == minutes.status == "held"
    # ...but someone who only apologised is no record of the meeting happening.
    apologised, _c = svc.save_meeting(
        _new(space, D(2026, 6, 23), attendees=(AttendeeDTO(staff_id=anna, status="apologised"),))
    )
    assert apologised.status == "planned"
    # A status given is kept: the team listed as expected in a planned meeting stays planned.
    expected, _c = svc.save_meeting(
        _new(space, D(2026, 6, 24), status="planned", attendees=(AttendeeDTO(staff_id=anna),))
    )
    assert expected.status == "planned"
    # Saved again without a status, an existing meeting keeps its own.
    again, _c = svc.save_meeting(
        MeetingDTO(**{**svc.meeting(future.id or "").__dict__, "status": None})
    )
    assert again.status == "planned"
    marked, _c = svc.save_meeting(MeetingDTO(**{**again.__dict__, "status": "held"}))
    assert marked.status == "held" and svc.meeting(future.id or "").status == "held"


def test_a_cancelled_meeting_needs_its_reason(svc: NetworkService, space: str) -> None:
    planned, _c = svc.save_meeting(_new(space, D(2026, 6, 20)))
    with pytest.raises(ValidationError) as raised:
        svc.save_meeting(MeetingDTO(**{**planned.__dict__, "status": "cancelled"}))
    assert set(raised.value.errors) == {"cancellation_reason"}
    with pytest.raises(ValidationError):
        svc.cancel_meeting(planned.id or "", "   ")
    with pytest.raises(ValidationError) as raised:
        svc.save_meeting(MeetingDTO(**{**planned.__dict__, "status": "postponed"}))
    assert set(raised.value.errors) == {"status"}
    assert svc.meeting(planned.id or "").status == "planned"

    summary, _c = svc.cancel_meeting(planned.id or "", " Vaga de transports ")
    assert (summary.status, summary.cancellation_reason) == ("cancelled", "Vaga de transports")
    stored = svc.meeting(planned.id or "")
    assert (stored.status, stored.cancellation_reason) == ("cancelled", "Vaga de transports")
    # Marked held again, the reason goes.
    summary, _c = svc.mark_held(planned.id or "")
    assert (summary.status, summary.cancellation_reason) == ("held", "")
    with pytest.raises(UserError):
        svc.set_meeting_status(planned.id or "", "postponed")


def test_only_held_meetings_count_in_every_figure(
    db: Database, svc: NetworkService, space: str
) -> None:
    with db.begin() as s:
        prog = Programme(code="JOV", name="Joves", category="prevention")
        s.add(prog)
        s.flush()
        pid = prog.id
        add_meeting(s, space, D(2026, 3, 10), T(18), T(20), ("done", "open"), pid)
        add_meeting(s, space, D(2026, 6, 2), T(10), T(11), ("open",), pid, status="planned")
        add_meeting(s, space, D(2026, 4, 7), T(10), T(13), ("done",), pid, status="cancelled")
    period = (D(2026, 1, 1), D(2026, 6, 30))
    f = svc.space_figures(space, *period)
    assert (f.meetings, f.hours, f.agreements_adopted, f.agreements_done) == (1, 2.0, 2, 1)
    figures = FiguresService(db).compute([pid], *period)
    assert (figures.meetings, figures.meeting_hours) == (1, 2.0)
    assert (figures.agreements_adopted, figures.agreements_done) == (2, 1)
    ((_space, per_space),) = svc.figures_by_space(*period, [pid])
    assert per_space == f
    # Marking the planned one held counts it, with its hour and its agreement.
    june = next(m for m in svc.meetings(space) if m.status == "planned")
    svc.mark_held(june.id)
    f = svc.space_figures(space, *period)
    assert (f.meetings, f.hours, f.agreements_adopted, f.agreements_done) == (2, 3.0, 3, 1)


def test_minutes_only_for_a_held_meeting_and_the_sheet_before_it(
    db: Database, svc: NetworkService, space: str, tmp_path: Path
) -> None:
    planned, _c = svc.save_meeting(_new(space, D(2026, 6, 20), agenda=("Festa",)))
    target = tmp_path / "acta.pdf"
    with pytest.raises(UserError, match="prevista"):
        svc.write_minutes(planned.id or "", target)
    assert not target.exists()
    # The sheet to sign is what a planned meeting needs.
    sheets = SheetService(db)
    assert sheets.meeting_sheet(planned.id or "").date == D(2026, 6, 20)
    svc.cancel_meeting(planned.id or "", "Vaga")
    with pytest.raises(UserError, match="anul·lar"):
        svc.write_minutes(planned.id or "", target)
    with pytest.raises(UserError, match="anul·lar"):
        sheets.meeting_sheet(planned.id or "")
    svc.mark_held(planned.id or "")
    svc.write_minutes(planned.id or "", target)
    assert target.read_bytes().startswith(b"%PDF")


def test_past_meetings_still_planned_for_home(
    db: Database, svc: NetworkService, space: str
) -> None:
    with db.begin() as s:
        old = add_meeting(s, space, D(2026, 5, 5), T(10), T(11), status="planned")
        add_meeting(s, space, D(2026, 5, 6), T(10), T(11))  # held
        add_meeting(s, space, D(2026, 5, 7), T(10), T(11), status="cancelled")
        add_meeting(s, space, D(2026, 5, 8), T(10), T(11), status="planned", deleted=True)
        add_meeting(s, space, TODAY, T(10), T(11), status="planned")  # not past yet
    (pending,) = svc.unheld_meetings(TODAY)
    assert pending.id == old and pending.space_name == "Xarxa d'Infància de Sants"
    svc.mark_held(old)
    assert svc.unheld_meetings(TODAY) == []


# ---- older databases, backups and files --------------------------------------------------


def _database_at_0001(path: Path, meetings: dict[str, dt.date]) -> None:
    """A database as version 0001 left it, with meetings of these ids and dates."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path)
    migrate(engine, "0001_initial")
    engine.dispose()
    con = sqlite3.connect(path)
    stamp = "2026-01-01 10:00:00"
    con.execute(
        "INSERT INTO network_space (id, name, parent_id, territory, role, active, created_at, "
        "updated_at) VALUES ('s', 'Xarxa', NULL, '', 'member', 1, ?, ?)",
        (stamp, stamp),
    )
    for ident, day in meetings.items():
        con.execute(
            "INSERT INTO network_meeting (id, space_id, date, place, online, agenda, minutes, "
            "created_at, updated_at) VALUES (?, 's', ?, '', 0, '[]', '', ?, ?)",
            (ident, day.isoformat(), stamp, stamp),
        )
    con.commit()
    con.close()


def _statuses(db: Database) -> dict[str, str]:
    with db.read() as s:
        return dict(s.execute(select(NetworkMeeting.id, NetworkMeeting.status)).all())


def _around_today() -> dict[str, dt.date]:
    today = dt.date.today()
    return {
        "past": today - dt.timedelta(days=30),
        "yesterday": today - dt.timedelta(days=1),
        "today": today,
        "future": today + dt.timedelta(days=30),
    }


def test_the_upgrade_makes_past_meetings_held_and_later_ones_planned(tmp_path: Path) -> None:
    path = tmp_path / "old" / "teixit.db"
    _database_at_0001(path, _around_today())
    assert inspect_file(path) == "0001_initial"
    db = open_database(path)
    try:
        assert _statuses(db) == {
            "past": "held",
            "yesterday": "held",
            "today": "planned",
            "future": "planned",
        }
        with db.read() as s:
            assert {m.cancellation_reason for m in s.scalars(select(NetworkMeeting))} == {""}
    finally:
        db.close()
    # Upgraded to the newest revision, through 0002_meeting_status (later ones may follow).
    assert inspect_file(path) == schema.HEAD
    assert schema.REVISIONS.index("0002_meeting_status") >= 1


def test_a_backup_of_version_0001_restores_and_is_upgraded(tmp_path: Path) -> None:
    open_database(paths.db_path()).close()  # the current database, at the newest version
    backup = tmp_path / "old-backup" / "teixit-manual-2026-01-01.db"
    _database_at_0001(backup, _around_today())
    service = BackupService(paths.db_path(), paths.backups_dir())
    assert service.is_restorable(backup)
    service.restore(backup)
    assert inspect_file(paths.db_path()) == schema.HEAD
    db = open_database(paths.db_path())
    try:
        assert _statuses(db)["past"] == "held" and _statuses(db)["future"] == "planned"
    finally:
        db.close()


def test_interchange_files_carry_the_status_and_older_files_follow_the_date(
    db: Database,
) -> None:
    space = "339d5ab6-2e96-55dd-babf-c634d7dc56d6"

    def meeting(ident: str, day: str, **extra: object) -> dict[str, object]:
        return {"id": ident, "space_id": space, "date": day, **extra}

    ids = [f"00000000-0000-4000-8000-00000000000{n}" for n in range(6)]
    data = {
        "format": "teixit",
        "version": 1,
        "network_spaces": [{"id": space, "name": "Xarxa"}],
        "network_meetings": [
            meeting(ids[0], "2026-05-14"),  # older file: no status
            meeting(ids[1], "2026-05-15"),
            meeting(ids[2], "2026-06-01"),
            meeting(ids[3], "2026-06-01", status="held"),
            meeting(ids[4], "2026-03-01", status="cancelled", cancellation_reason="Vaga"),
            meeting(ids[5], "2026-03-01", status="planned"),
        ],
    }
    with db.begin() as s:
        interchange.load(s, data, today=TODAY)
    assert _statuses(db) == {
        ids[0]: "held",
        ids[1]: "planned",
        ids[2]: "planned",
        ids[3]: "held",
        ids[4]: "cancelled",
        ids[5]: "planned",
    }
    # Imported again without a status, an existing meeting keeps the one it has.
    NetworkService(db).mark_held(ids[2])
    with db.begin() as s:
        interchange.load(s, {**data, "network_meetings": [meeting(ids[2], "2026-06-01")]})
    assert _statuses(db)[ids[2]] == "held"
    # The export writes both fields, and a bad status is refused naming the record.
    exported = ExchangeService(db).export_data()["network_meetings"]
    cancelled = next(m for m in exported if m["id"] == ids[4])
    assert (cancelled["status"], cancelled["cancellation_reason"]) == ("cancelled", "Vaga")
    bad = {**data, "network_meetings": [meeting(ids[0], "2026-05-14", status="postponed")]}
    with pytest.raises(UserError, match=r"network_meetings\[0\].*status"), db.begin() as s:
        interchange.load(s, bad)


def test_the_demo_plans_its_future_meetings(db: Database) -> None:
    from app.demo import load_demo

    today = D(2026, 11, 26)
    load_demo(db, today=today)
    with db.read() as s:
        rows = s.execute(select(NetworkMeeting.date, NetworkMeeting.status)).all()
    assert {status for day, status in rows if day < today} == {"held"}
    future = [status for day, status in rows if day >= today]
    assert len(future) >= 5 and set(future) == {"planned"}
