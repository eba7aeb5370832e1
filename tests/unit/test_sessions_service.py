"""Sessions, series over holidays, attendance with undo, head counts and the register grid."""

import datetime as dt

import pytest
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import EntityProfile, HeadCount, Participant
from app.domain.changes import Area, Changes
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import (
    AttendanceUndo,
    HeadCountDTO,
    SeriesRequest,
    SessionDTO,
    SessionFilter,
)
from app.errors import UserError, ValidationError
from app.services.people import PeopleService
from app.services.programmes import ProgrammesService
from app.services.sessions import SessionsService

#: Each test runs on a SQLite file and on an office (PostgreSQL) database.
BOTH_ENGINES = True

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


def test_series_skips_the_local_holidays_and_school_breaks(db: Database) -> None:
    """València 2026: Sant Vicent Ferrer (13 April, local) and the Easter school break; the
    preview names each skipped day, and only the open days get sessions."""
    from app.domain.profile import LocalDayDTO
    from app.services.profile import ProfileService

    act = _activity(db)
    profile, svc = ProfileService(db), SessionsService(db)
    with db.begin() as s:
        s.add(EntityProfile(name="E", region="VC"))
    profile.save_local_day(LocalDayDTO("", "Sant Vicent Ferrer", D(2026, 4, 13), D(2026, 4, 13)))
    brk, _c = profile.save_local_day(
        LocalDayDTO("", "Vacances de Pasqua", D(2026, 3, 30), D(2026, 4, 6), "school_break")
    )
    assert [d.name for d in profile.local_days(D(2026, 4, 1), D(2026, 4, 30))] == [
        "Vacances de Pasqua",
        "Sant Vicent Ferrer",
    ]
    req = SeriesRequest(act, D(2026, 3, 23), D(2026, 4, 20), frozenset({0}))  # Mondays
    planned = svc.preview_series(req)
    skipped = [(p.date.day, p.skipped) for p in planned if p.skipped]
    assert skipped[0] == (30, "Vacances de Pasqua")
    assert skipped[1][0] == 6 and skipped[1][1] != "Vacances de Pasqua"  # the region's name
    assert skipped[2] == (13, "Sant Vicent Ferrer")
    assert len(skipped) == 3
    ids, _c = svc.create_series(req)
    assert [x.date for x in svc.find(SessionFilter(activity_id=act))] == [
        D(2026, 3, 23),
        D(2026, 4, 20),
    ]
    assert len(ids) == 2
    profile.delete_local_day(brk.id)
    assert [p.date.day for p in svc.preview_series(req) if p.skipped] == [6, 13]
    with pytest.raises(ValidationError) as err:
        profile.save_local_day(LocalDayDTO("", " ", D(2026, 5, 2), D(2026, 5, 1), "other"))
    assert set(err.value.errors) == {"name", "date_to", "kind"}


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
    undo = AttendanceUndo()
    svc.set_attendance(sid, {ids[0]: "late"}, undo)
    svc.everyone_present(sid, undo)
    assert {r.name: r.status for r in svc.attendance(sid).rows} == {
        "Ali": "present",
        "Carla": "late",
    }
    svc.undo_attendance(undo)
    assert {r.name: r.status for r in svc.attendance(sid).rows} == {"Ali": None, "Carla": "late"}
    svc.undo_attendance(undo)
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


def _people(db: Database, activity_id: str, *names: str) -> list[str]:
    """People enrolled in the activity since 2020."""
    with db.begin() as s:
        ps = [Participant(given_name=n) for n in names]
        s.add_all(ps)
        s.flush()
        ids = [p.id for p in ps]
    for pid in ids:
        PeopleService(db).enrol(activity_id, pid, D(2020, 1, 1))
    return ids


def _marks(svc: SessionsService, session_id: str | None) -> dict[str, str | None]:
    return {r.name: r.status for r in svc.attendance(session_id or "").rows}


def test_undo_belongs_to_the_history_it_was_made_in(db: Database) -> None:
    act = _activity(db)
    svc = SessionsService(db)
    ada, biel = _people(db, act, "Ada", "Biel")
    a, _c = svc.save(SessionDTO(activity_id=act, date=D(2026, 3, 2), status="held"))
    b, _c = svc.save(SessionDTO(activity_id=act, date=D(2026, 3, 9), status="held"))
    in_a, in_b = AttendanceUndo(), AttendanceUndo()
    svc.set_attendance(a.id or "", {ada: "present"}, in_a)
    assert in_a.can_undo() and not in_b.can_undo()
    # Nothing done in b's history: undoing there changes nothing anywhere.
    assert svc.undo_attendance(in_b) == (None, Changes.of())
    assert _marks(svc, a.id) == {"Ada": "present", "Biel": None}
    svc.set_attendance(b.id or "", {biel: "late"}, in_b)
    svc.set_attendance(b.id or "", {ada: "absent"})  # no history: cannot be undone
    sid, changes = svc.undo_attendance(in_b)
    assert sid == b.id and changes.areas == {Area.ATTENDANCE}
    assert _marks(svc, b.id) == {"Ada": "absent", "Biel": None}
    assert _marks(svc, a.id) == {"Ada": "present", "Biel": None}
    assert svc.undo_attendance(in_a)[0] == a.id
    assert _marks(svc, a.id) == {"Ada": None, "Biel": None}


def test_undo_history_keeps_the_newest_fifty_changes(db: Database) -> None:
    act = _activity(db)
    svc = SessionsService(db)
    [ada] = _people(db, act, "Ada")
    sess, _c = svc.save(SessionDTO(activity_id=act, date=D(2026, 3, 2), status="held"))
    sid = sess.id or ""
    undo = AttendanceUndo()
    for n in range(AttendanceUndo.LIMIT + 5):
        svc.set_attendance(sid, {ada: "present" if n % 2 else "absent"}, undo)
    while undo.can_undo():
        svc.undo_attendance(undo)
    # The five oldest changes are forgotten: the mark left is the fifth one's.
    assert [r.status for r in svc.attendance(sid).rows] == ["absent"]


def test_undoing_the_mark_that_made_a_session_held_puts_it_back_as_planned(
    db: Database,
) -> None:
    act = _activity(db)
    svc = SessionsService(db)
    ada, biel = _people(db, act, "Ada", "Biel")
    past = dt.date.today() - dt.timedelta(days=3)
    sess, _c = svc.save(SessionDTO(activity_id=act, date=past))
    sid = sess.id or ""
    undo = AttendanceUndo()
    assert svc.set_attendance(sid, {ada: "excused"}, undo).areas == {Area.ATTENDANCE}
    assert svc.get(sid).status == "planned"  # nobody came yet
    changes = svc.set_attendance(sid, {biel: "late"}, undo)
    assert changes.areas == {Area.SESSIONS, Area.ATTENDANCE}
    assert svc.get(sid).status == "held"
    svc.set_attendance(sid, {ada: "present"}, undo)  # already held: nothing more to undo there
    assert svc.undo_attendance(undo) == (sid, Changes.of(Area.ATTENDANCE))
    assert svc.get(sid).status == "held"
    sid_back, changes = svc.undo_attendance(undo)
    assert sid_back == sid and changes.areas == {Area.SESSIONS, Area.ATTENDANCE}
    got = svc.get(sid)
    assert (got.status, got.attendances) == ("planned", 0)
    assert {r.name: r.status for r in svc.attendance(sid).rows} == {"Ada": "excused", "Biel": None}
    # Everyone present is one step: undone, the session is planned again too.
    svc.everyone_present(sid, undo)
    assert svc.get(sid).status == "held"
    assert svc.undo_attendance(undo)[1].areas == {Area.SESSIONS, Area.ATTENDANCE}
    assert svc.get(sid).status == "planned"
    assert {r.name: r.status for r in svc.attendance(sid).rows} == {"Ada": "excused", "Biel": None}


def test_undo_leaves_a_session_held_by_hand_and_a_future_one_planned(db: Database) -> None:
    act = _activity(db)
    svc = SessionsService(db)
    [ada] = _people(db, act, "Ada")
    held, _c = svc.save(SessionDTO(activity_id=act, date=D(2026, 3, 2), status="held"))
    future = dt.date.today() + dt.timedelta(days=3)
    planned, _c = svc.save(SessionDTO(activity_id=act, date=future))
    undo = AttendanceUndo()
    svc.set_attendance(held.id or "", {ada: "present"}, undo)
    svc.set_attendance(planned.id or "", {ada: "present"}, undo)
    assert svc.get(planned.id or "").status == "planned"  # it has not taken place yet
    svc.undo_attendance(undo)
    svc.undo_attendance(undo)
    assert svc.get(held.id or "").status == "held"
    assert svc.get(planned.id or "").status == "planned"


def test_undo_in_a_deleted_session_is_an_error(db: Database) -> None:
    act = _activity(db)
    svc = SessionsService(db)
    [ada] = _people(db, act, "Ada")
    sess, _c = svc.save(SessionDTO(activity_id=act, date=D(2026, 3, 2)))
    undo = AttendanceUndo()
    svc.set_attendance(sess.id or "", {ada: "absent"}, undo)
    svc.delete(sess.id or "")
    with pytest.raises(UserError):
        svc.undo_attendance(undo)
