"""Sessions, series over holidays, attendance with undo, head counts and the register grid."""

import datetime as dt

import pytest
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import EntityProfile, HeadCount, Participant
from app.domain.changes import Area
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import HeadCountDTO, SeriesRequest, SessionDTO, SessionFilter
from app.errors import UserError, ValidationError
from app.services.people import PeopleService
from app.services.programmes import ProgrammesService
from app.services.sessions import SessionsService

D = dt.date


def _activity(db: Database) -> str:
    svc = ProgrammesService(db)
    prog, _c = svc.save(ProgrammeDTO(code="P", name="P", category="prevention"))
    act, _c = svc.save_activity(
        ActivityDTO(
            programme_id=prog.id or "", name="Taller", start_time=dt.time(17), end_time=dt.time(19)
        )
    )
    return act.id or ""


def test_series_skips_regional_holidays_and_excluded_dates(db: Database) -> None:
    act = _activity(db)
    svc = SessionsService(db)
    # Catalonia: 11 September (Diada) is a Friday in 2026; Valencia does not keep it.
    req = SeriesRequest(
        act, D(2026, 9, 1), D(2026, 9, 30), frozenset({4}), excluded=frozenset({D(2026, 9, 18)})
    )
    planned = svc.preview_series(req)
    assert [p.date.day for p in planned] == [4, 11, 18, 25]
    assert [p.date.day for p in planned if p.skipped] == [11, 18]
    ids, _c = svc.create_series(req)
    assert len(ids) == 2
    sessions = svc.find(SessionFilter(activity_id=act))
    assert [x.date.day for x in sessions] == [4, 25]
    assert sessions[0].start_time == dt.time(17) and sessions[0].hours() == 2
    with db.begin() as s:
        s.add(EntityProfile(name="E", region="VC"))
    assert [p.date.day for p in svc.preview_series(req) if p.skipped] == [18]
    with pytest.raises(ValidationError) as err:
        svc.preview_series(SeriesRequest(act, D(2026, 6, 5), D(2026, 6, 1), frozenset()))
    assert set(err.value.errors) == {"date_to", "weekdays"}


def test_attendance_set_everyone_present_undo_and_held(db: Database) -> None:
    act = _activity(db)
    svc, people = SessionsService(db), PeopleService(db)
    with db.begin() as s:
        ps = [Participant(given_name=n) for n in ("Carla", "Ali", "Bea")]
        s.add_all(ps)
        s.flush()
        ids = [p.id for p in ps]
    for pid in ids[:2]:
        people.enrol(act, pid, D(2026, 1, 1))
    people.enrol(act, ids[2], D(2026, 1, 1), D(2026, 1, 31))  # left before the session
    sess, _c = svc.save(SessionDTO(activity_id=act, date=D(2026, 3, 4)))
    sid = sess.id or ""
    sheet = svc.attendance(sid)
    assert [r.name for r in sheet.rows] == ["Ali", "Carla"]
    svc.set_attendance(sid, {ids[0]: "late"})
    svc.everyone_present(sid)
    assert {r.name: r.status for r in svc.attendance(sid).rows} == {
        "Ali": "present",
        "Carla": "late",
    }
    svc.undo_attendance()
    assert {r.name: r.status for r in svc.attendance(sid).rows} == {"Ali": None, "Carla": "late"}
    svc.undo_attendance()
    assert all(r.status is None for r in svc.attendance(sid).rows)
    # A walk-in gets a record and shows as not enrolled.
    svc.set_attendance(sid, {ids[2]: "present"})
    walk_in = [r for r in svc.attendance(sid).rows if r.participant_id == ids[2]][0]
    assert walk_in.status == "present" and not walk_in.enrolled
    assert [x.id for x in svc.unrecorded(D(2026, 12, 1))] == []
    svc.set_head_counts(sid, [HeadCountDTO("woman", "18-29", 4), HeadCountDTO("man", "65+", 0)])
    assert svc.attendance(sid).head_counts == (HeadCountDTO("woman", "18-29", 4),)
    svc.mark_held(sid, "Bona sessió")
    got = svc.get(sid)
    assert got.status == "held" and got.notes == "Bona sessió"


def test_unrecorded_move_cancel_and_register(db: Database) -> None:
    act = _activity(db)
    svc = SessionsService(db)
    a, _c = svc.save(SessionDTO(activity_id=act, date=D(2026, 3, 2)))
    b, _c = svc.save(SessionDTO(activity_id=act, date=D(2026, 3, 9)))
    assert [x.id for x in svc.unrecorded(D(2026, 3, 5))] == [a.id]
    svc.move(b.id or "", D(2026, 3, 10))
    svc.cancel(a.id or "")
    assert svc.get(a.id or "").status == "cancelled"
    with db.begin() as s:
        p = Participant(given_name="Joana")
        s.add(p)
        s.flush()
        pid = p.id
    svc.set_attendance(b.id or "", {pid: "excused"})
    grid = svc.register(act)
    assert [x.date for x in grid.sessions] == [D(2026, 3, 10)]
    assert grid.cells == {(pid, b.id): "excused"}
    assert [p.name for p in grid.people] == ["Joana"]


def test_closing_the_attendance_saves_all_or_nothing(db: Database) -> None:
    act = _activity(db)
    svc = SessionsService(db)
    sess, _c = svc.save(SessionDTO(activity_id=act, date=D(2026, 3, 2)))
    sid = sess.id or ""
    svc.set_head_counts(sid, [HeadCountDTO("woman", "18-29", 4)])
    changes = svc.close_attendance(sid, [HeadCountDTO("man", "65+", 2)], "Pluja", held=True)
    assert Area.SESSIONS in changes.areas
    got = svc.get(sid)
    assert (got.status, got.notes) == ("held", "Pluja")
    assert svc.attendance(sid).head_counts == (HeadCountDTO("man", "65+", 2),)
    # The session deleted meanwhile (another window): an error, and nothing written.
    svc.delete(sid)
    with pytest.raises(UserError):
        svc.close_attendance(sid, [HeadCountDTO("woman", "0-17", 9)], "Canvi")
    with db.read() as s:
        counts = s.scalars(select(HeadCount.count).where(HeadCount.session_id == sid)).all()
    assert counts == [2]


def test_lists_show_attendances_as_the_figures_count_them(db: Database) -> None:
    act = _activity(db)
    svc = SessionsService(db)
    with db.begin() as s:
        ps = [Participant(given_name=n) for n in ("Carla", "Ali", "Bea")]
        s.add_all(ps)
        s.flush()
        ids = [p.id for p in ps]
    sess, _c = svc.save(SessionDTO(activity_id=act, date=D(2026, 3, 4), status="held"))
    sid = sess.id or ""
    svc.set_attendance(sid, {ids[0]: "present", ids[1]: "late", ids[2]: "absent"})
    svc.set_head_counts(sid, [HeadCountDTO("woman", "30-64", 4), HeadCountDTO("man", "0-17", 1)])
    [row] = svc.find(SessionFilter(activity_id=act))
    assert row.recorded == 3  # three marks recorded, one of them an absence
    assert row.attendances == 2 + 5
