"""Figures of DESIGN.md section 5 against a small dataset built here."""

import datetime as dt

from app.db.engine import Database
from app.db.models import (
    Activity,
    Attendance,
    HeadCount,
    Indicator,
    Participant,
    Programme,
    Session,
)
from app.services.figures import FiguresService

#: Each test runs on a SQLite file and on an office (PostgreSQL) database.
BOTH_ENGINES = True

D = dt.date


def _build(db: Database) -> dict[str, str]:
    with db.begin() as s:
        prog = Programme(code="P", name="Prog", category="prevention")
        other = Programme(code="Q", name="Other", category="prevention")
        s.add_all([prog, other])
        s.flush()
        act = Activity(programme_id=prog.id, name="Taller")
        act2 = Activity(programme_id=other.id, name="Altre")
        anna = Participant(
            given_name="Anna", family_names="Puig", gender="woman", birth_date=D(2010, 3, 1)
        )
        joan = Participant(given_name="Joan", family_names="Mas", gender=None, birth_year=1950)
        nob = Participant(given_name="Pol", family_names="Roca", gender="man")
        s.add_all([act, act2, anna, joan, nob])
        s.flush()
        t = dt.time
        held1 = Session(
            activity_id=act.id, date=D(2026, 2, 28), start_time=t(17), end_time=t(19), status="held"
        )
        held2 = Session(
            activity_id=act.id,
            date=D(2026, 3, 2),
            start_time=t(17),
            end_time=t(18, 30),
            status="held",
        )
        cancelled = Session(activity_id=act.id, date=D(2026, 3, 3), status="cancelled")
        before = Session(
            activity_id=act.id,
            date=D(2025, 12, 31),
            start_time=t(10),
            end_time=t(11),
            status="held",
        )
        elsewhere = Session(
            activity_id=act2.id, date=D(2026, 3, 2), start_time=t(10), end_time=t(11), status="held"
        )
        s.add_all([held1, held2, cancelled, before, elsewhere])
        s.flush()
        s.add_all(
            [
                Attendance(session_id=held1.id, participant_id=anna.id, status="present"),
                Attendance(session_id=held2.id, participant_id=anna.id, status="late"),
                Attendance(session_id=held1.id, participant_id=joan.id, status="excused"),
                Attendance(session_id=held2.id, participant_id=joan.id, status="present"),
                Attendance(session_id=held2.id, participant_id=nob.id, status="absent"),
                Attendance(session_id=cancelled.id, participant_id=nob.id, status="present"),
                Attendance(session_id=before.id, participant_id=nob.id, status="present"),
                Attendance(session_id=elsewhere.id, participant_id=nob.id, status="present"),
                HeadCount(session_id=held2.id, gender="man", age_band="30-64", count=3),
                HeadCount(session_id=held2.id, gender="woman", age_band="0-17", count=2),
                Indicator(programme_id=prog.id, name="Persones", kind="participants", target=10),
                Indicator(
                    programme_id=prog.id, name="Entitats", kind="manual", target=5, manual_value=6
                ),
            ]
        )
        return {"prog": prog.id}


def test_programme_figures(db: Database) -> None:
    ids = _build(db)
    f = FiguresService(db).compute([ids["prog"]], D(2026, 1, 1), D(2026, 12, 31))
    assert f.sessions == 2
    assert f.hours == 3.5
    assert f.participants == 2  # Anna, Joan; Pol only absent here
    assert f.attendances == 3 + 5
    assert f.anonymous_attendances == 5
    assert f.by_gender["woman"].participants == 1
    assert f.by_gender["woman"].attendances == 2 + 2
    assert f.by_gender["undisclosed"].participants == 1  # Joan has no gender
    assert f.by_gender["man"].attendances == 3
    # Anna is 15 on 2026-02-28; Joan 76 (birth year only)
    assert f.by_age_band["0-17"].participants == 1
    assert f.by_age_band["0-17"].attendances == 2 + 2
    assert f.by_age_band["65+"].participants == 1
    assert f.by_age_band["30-64"].attendances == 3
    achieved = {i.name: i.achieved for i in f.indicators}
    assert achieved == {"Persones": 2.0, "Entitats": 6.0}


def test_whole_entity_counts_every_programme(db: Database) -> None:
    _build(db)
    f = FiguresService(db).compute(None, D(2026, 1, 1), D(2026, 12, 31))
    assert f.sessions == 3
    assert f.participants == 3
    assert f.as_dict()["by_gender"]["man"] == {"participants": 1, "attendances": 4}
