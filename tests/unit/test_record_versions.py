"""Nobody overwrites anybody: sessions, programmes, activities and meetings carry a version like
people; a save made from a copy someone else has saved since is refused whole (StaleRecord names
the record and carries it as it is now), and a save over the current version goes through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from app.db.engine import Database, open_database, open_url
from app.db.models import Agreement, HeadCount, NetworkMeeting, Programme
from app.db.models import Session as SessionRow
from app.domain.networks import AgreementDTO, MeetingDTO, SpaceDTO
from app.domain.people import PersonDTO
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import HeadCountDTO, SessionDTO
from app.errors import StaleRecord
from app.services.container import Services

#: Each test runs on a SQLite file and on an office (PostgreSQL) database.
BOTH_ENGINES = True

D = dt.date


@pytest.fixture
def other_pc(db: Database) -> Iterator[Services]:
    """The same database opened a second time, as another office PC has it."""
    if db.is_file:
        other = open_database(db.path)
    else:
        other = open_url(db.engine.url.render_as_string(hide_password=False))
    yield Services(other)
    other.close()


@pytest.fixture
def mine(db: Database) -> Services:
    return Services(db)


def _session(svc: Services) -> SessionDTO:
    prog, _c = svc.programmes.save(ProgrammeDTO(code="JOV", name="Joves", category="prevention"))
    act, _c = svc.programmes.save_activity(ActivityDTO(prog.id or "", "Taller de cuina"))
    saved, _c = svc.sessions.save(
        SessionDTO(act.id or "", D(2026, 3, 10), start_time=dt.time(17), end_time=dt.time(19))
    )
    return saved


def test_a_stale_session_save_is_refused_naming_it(mine: Services, other_pc: Services) -> None:
    opened = _session(mine)
    assert opened.version == 1
    theirs, _c = other_pc.sessions.save(
        replace(other_pc.sessions.get(opened.id or ""), notes="Portar davantals")
    )
    assert theirs.version == 2
    with pytest.raises(StaleRecord, match="Taller de cuina") as refused:
        mine.sessions.save(replace(opened, start_time=dt.time(18)))
    current = refused.value.current
    assert isinstance(current, SessionDTO)
    assert (current.notes, current.start_time, current.version) == (
        "Portar davantals",
        dt.time(17),
        2,
    )
    # Nothing of mine was written; over the current version it saves, and both changes stand.
    assert mine.sessions.get(opened.id or "").start_time == dt.time(17)
    again, _c = mine.sessions.save(replace(current, start_time=dt.time(18)))
    assert (again.notes, again.start_time, again.version) == ("Portar davantals", dt.time(18), 3)


def test_moving_cancelling_and_holding_a_session_raise_its_version(mine: Services) -> None:
    opened = _session(mine)
    mine.sessions.move(opened.id or "", D(2026, 3, 11))
    assert mine.sessions.get(opened.id or "").version == 2
    mine.sessions.cancel(opened.id or "")
    assert mine.sessions.get(opened.id or "").version == 3
    mine.sessions.mark_held(opened.id or "")
    assert mine.sessions.get(opened.id or "").version == 4
    with pytest.raises(StaleRecord):
        mine.sessions.save(replace(opened, notes="late"))


def test_closing_attendance_over_someone_elses_notes_saves_nothing(
    mine: Services, other_pc: Services, db: Database
) -> None:
    opened = _session(mine)
    other_pc.sessions.close_attendance(opened.id or "", [], "Notes de la Laia")
    counts = [HeadCountDTO("woman", "18-29", 4)]
    with pytest.raises(StaleRecord, match="Taller de cuina") as refused:
        mine.sessions.close_attendance(opened.id or "", counts, "Les meves notes", notes_read="")
    assert isinstance(refused.value.current, SessionDTO)
    assert refused.value.current.notes == "Notes de la Laia"
    with db.read() as s:  # all or nothing: the head counts were not written either
        assert s.scalar(select(func.count()).select_from(HeadCount)) == 0
    # Unchanged notes, or the notes as they are now, close as before.
    mine.sessions.close_attendance(opened.id or "", counts, "Notes de la Laia", notes_read="")
    mine.sessions.close_attendance(
        opened.id or "", counts, "Les dues", notes_read="Notes de la Laia"
    )
    assert mine.sessions.get(opened.id or "").notes == "Les dues"


def test_a_stale_programme_or_activity_save_is_refused(
    mine: Services, other_pc: Services, db: Database
) -> None:
    prog, _c = mine.programmes.save(ProgrammeDTO(code="JOV", name="Joves", category="prevention"))
    act, _c = mine.programmes.save_activity(ActivityDTO(prog.id or "", "Taller"))
    assert (prog.version, act.version) == (1, 1)
    other_pc.programmes.save(replace(other_pc.programmes.get(prog.id or ""), name="Joves 2026"))
    other_pc.programmes.save_activity(replace(act, description="Dimarts"))
    with pytest.raises(StaleRecord, match="JOV") as refused:
        mine.programmes.save(replace(prog, description="Nova"))
    assert isinstance(refused.value.current, ProgrammeDTO)
    assert (refused.value.current.name, refused.value.current.version) == ("Joves 2026", 2)
    with pytest.raises(StaleRecord, match="Taller") as refused_activity:
        mine.programmes.save_activity(replace(act, name="Taller de ràdio"))
    assert isinstance(refused_activity.value.current, ActivityDTO)
    assert refused_activity.value.current.description == "Dimarts"
    with db.read() as s:
        assert s.scalars(select(Programme.description)).all() == [""]
    saved, _c = mine.programmes.save(replace(refused.value.current, description="Nova"))
    assert (saved.name, saved.description, saved.version) == ("Joves 2026", "Nova", 3)


def test_a_stale_meeting_save_writes_neither_minutes_nor_agreements(
    mine: Services, other_pc: Services, db: Database
) -> None:
    space, _c = mine.networks.save_space(SpaceDTO(None, "Xarxa de Sants", role="member"))
    opened, _c = mine.networks.save_meeting(
        MeetingDTO(None, space.id or "", D(2026, 3, 1), dt.time(10), dt.time(12))
    )
    assert opened.version == 1
    theirs, _c = other_pc.networks.save_meeting(
        replace(
            other_pc.networks.meeting(opened.id or ""),
            minutes="Acta de la Marta",
            agreements=(AgreementDTO(None, "Fer el cartell"),),
        )
    )
    assert theirs.version == 2
    mine_edit = replace(
        opened, minutes="La meva acta", agreements=(AgreementDTO(None, "Una altra cosa"),)
    )
    with pytest.raises(StaleRecord, match="Xarxa de Sants") as refused:
        mine.networks.save_meeting(mine_edit)
    current = refused.value.current
    assert isinstance(current, MeetingDTO)
    assert current.minutes == "Acta de la Marta"
    assert [a.text for a in current.agreements] == ["Fer el cartell"]
    with db.read() as s:
        assert s.scalars(select(Agreement.text)).all() == ["Fer el cartell"]
        assert s.scalars(select(NetworkMeeting.minutes)).all() == ["Acta de la Marta"]
    # Marking it held elsewhere raises the version too.
    other_pc.networks.mark_held(opened.id or "")
    with pytest.raises(StaleRecord):
        mine.networks.save_meeting(replace(current, minutes="La meva acta"))
    fresh = mine.networks.meeting(opened.id or "")
    saved, _c = mine.networks.save_meeting(replace(fresh, minutes="La meva acta"))
    assert (saved.minutes, saved.version, [a.text for a in saved.agreements]) == (
        "La meva acta",
        4,
        ["Fer el cartell"],
    )


def test_a_stale_person_carries_the_current_record(mine: Services, other_pc: Services) -> None:
    person, _c = mine.people.save(PersonDTO("Laia", "Serra", phone="600000001"))
    other_pc.people.save(replace(other_pc.people.get(person.id or ""), phone="600000002"))
    with pytest.raises(StaleRecord, match="Laia Serra") as refused:
        mine.people.save(replace(person, notes="Ve amb la mare"))
    assert isinstance(refused.value.current, PersonDTO)
    assert (refused.value.current.phone, refused.value.current.version) == ("600000002", 2)


def test_marks_that_make_a_session_held_raise_its_version(mine: Services, db: Database) -> None:
    opened = _session(mine)
    person, _c = mine.people.save(PersonDTO("Laia", "Serra"))
    mine.sessions.set_attendance(opened.id or "", {person.id or "": "present"})
    with db.read() as s:
        row = s.get(SessionRow, opened.id)
        assert row is not None and (row.status, row.version) == ("held", 2)
    # A session form opened before, still saying "planned", cannot undo that silently.
    with pytest.raises(StaleRecord):
        mine.sessions.save(replace(opened, notes="x"))
