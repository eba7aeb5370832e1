"""The figures counted in one pass (SQL GROUP BY and a pass over plain tuples) agree with the
definition of DESIGN.md section 5 applied in plain Python to the same random data: whole entity,
a programme, a set of programmes, and each programme's computed indicators."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from app.db.engine import Database, open_database
from app.db.models import (
    Activity,
    Attendance,
    HeadCount,
    Indicator,
    Participant,
    Programme,
    Session,
)
from app.domain.figures import (
    GENDER_CODES,
    UNKNOWN_BAND,
    age_on,
    band_for_age,
    band_for_band,
    duration_hours,
)
from app.domain.sessions import ATTENDANCE_STATUSES, COUNTED_STATUSES, SESSION_STATUSES
from app.services.figures import FiguresService

D = dt.date
FROM, TO = D(2026, 1, 1), D(2026, 3, 31)
BANDS = ("0-17", "18-29", "30-64", "65+")
DELETED = dt.datetime(2026, 1, 1)
#: Mostly live and held, so most examples count something.
gone = st.sampled_from([False, False, False, True])
statuses = st.sampled_from(["held", "held", "held", *SESSION_STATUSES])


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(Path(tmp_path_factory.mktemp("figures")) / "teixit.db")
    yield db
    db.close()


times = st.one_of(st.none(), st.builds(dt.time, st.integers(8, 21), st.sampled_from([0, 15, 30])))
people = st.lists(
    st.tuples(
        st.sampled_from([*GENDER_CODES, None]),
        st.one_of(st.none(), st.dates(D(1930, 1, 1), D(2025, 12, 31))),
        st.one_of(st.none(), st.integers(1930, 2025)),
        gone,
    ),
    min_size=1,
    max_size=6,
)
sessions = st.lists(
    st.tuples(
        st.integers(0, 3),  # activity
        st.dates(D(2025, 12, 20), D(2026, 4, 10)),
        statuses,
        times,
        times,
        gone,
    ),
    min_size=1,
    max_size=8,
)
marks = st.lists(
    st.tuples(st.integers(0, 7), st.integers(0, 5), st.sampled_from(ATTENDANCE_STATUSES)),
    max_size=25,
)
heads = st.lists(
    st.tuples(
        st.integers(0, 7),
        st.sampled_from([*GENDER_CODES, "x"]),
        st.sampled_from([*BANDS, "0-3", "4-18", "70+", "??"]),
        st.integers(0, 9),
    ),
    max_size=5,
)
programmes = st.lists(gone, min_size=1, max_size=3)
activities = st.lists(st.tuples(st.integers(0, 2), gone), min_size=4, max_size=4)


def _fill(
    db: Database, progs: list[bool], acts: Any, ps: Any, ss: Any, ms: Any, hs: Any
) -> list[str]:
    with db.begin() as s:
        for model in (Attendance, HeadCount, Session, Indicator, Activity, Programme, Participant):
            s.execute(delete(model))
        programme_rows = [
            Programme(
                code=f"P{i}", name=f"P{i}", category="c", deleted_at=DELETED if gone else None
            )
            for i, gone in enumerate(progs)
        ]
        s.add_all(programme_rows)
        s.flush()
        activity_rows = [
            Activity(
                programme_id=programme_rows[p % len(progs)].id,
                name=f"A{i}",
                deleted_at=DELETED if gone else None,
            )
            for i, (p, gone) in enumerate(acts)
        ]
        person_rows = [
            Participant(
                given_name=f"N{i}",
                family_names="F",
                gender=gender,
                birth_date=born,
                birth_year=year,
                deleted_at=DELETED if gone else None,
            )
            for i, (gender, born, year, gone) in enumerate(ps)
        ]
        s.add_all(activity_rows + person_rows)
        s.flush()
        session_rows = [
            Session(
                activity_id=activity_rows[a].id,
                date=day,
                status=status,
                start_time=start,
                end_time=end,
                deleted_at=DELETED if gone else None,
            )
            for a, day, status, start, end, gone in ss
        ]
        s.add_all(session_rows)
        s.flush()
        seen = set()
        for si, pi, status in ms:
            key = (si % len(session_rows), pi % len(person_rows))
            if key not in seen:
                seen.add(key)
                s.add(
                    Attendance(
                        session_id=session_rows[key[0]].id,
                        participant_id=person_rows[key[1]].id,
                        status=status,
                    )
                )
        for si, gender, band, count in hs:
            s.add(
                HeadCount(
                    session_id=session_rows[si % len(session_rows)].id,
                    gender=gender,
                    age_band=band,
                    count=count,
                )
            )
        for p in programme_rows:
            s.add(Indicator(programme_id=p.id, name="n", kind="attendances", target=1))
            s.add(Indicator(programme_id=p.id, name="h", kind="hours", target=1))
        return [p.id for p in programme_rows]


def _plain(db: Database, ids: Sequence[str] | None) -> dict[str, Any]:
    """Section 5 read literally, object by object."""
    with db.read() as s:
        held = [
            x
            for x in s.query(Session).all()
            if x.status == "held"
            and x.deleted_at is None
            and FROM <= x.date <= TO
            and (act := s.get(Activity, x.activity_id)) is not None
            and act.deleted_at is None
            and s.get(Programme, act.programme_id).deleted_at is None  # type: ignore[union-attr]
            and (ids is None or act.programme_id in ids)
        ]
        by_id = {x.id: x for x in held}
        named = sorted(
            (
                (by_id[a.session_id].date, s.get(Participant, a.participant_id))
                for a in s.query(Attendance).all()
                if a.session_id in by_id and a.status in COUNTED_STATUSES
            ),
            key=lambda pair: pair[0],
        )
        named = [(day, p) for day, p in named if p is not None and p.deleted_at is None]
        heads = [h for h in s.query(HeadCount).all() if h.session_id in by_id]
        gender_people: dict[str, set[str]] = defaultdict(set)
        gender_att: dict[str, int] = defaultdict(int)
        band_att: dict[str, int] = defaultdict(int)
        first_band: dict[str, str] = {}
        for day, p in named:
            code = p.gender if p.gender in GENDER_CODES else "undisclosed"
            gender_people[code].add(p.id)
            gender_att[code] += 1
            band = band_for_age(age_on(day, p.birth_date, p.birth_year), BANDS)
            band_att[band] += 1
            first_band.setdefault(p.id, band)
        for h in heads:
            gender_att[h.gender if h.gender in GENDER_CODES else "undisclosed"] += h.count
            band_att[band_for_band(h.age_band, BANDS)] += h.count
        anonymous = sum(h.count for h in heads)
        return {
            "sessions": len(held),
            "hours": sum(duration_hours(x.start_time, x.end_time) for x in held),
            "participants": len(first_band),
            "attendances": len(named) + anonymous,
            "anonymous_attendances": anonymous,
            "by_gender": {c: (len(gender_people[c]), gender_att[c]) for c in GENDER_CODES},
            "by_age_band": {
                b: (sum(1 for v in first_band.values() if v == b), band_att[b])
                for b in (*BANDS, UNKNOWN_BAND)
            },
        }


def _counted(figures: Any) -> dict[str, Any]:
    return {
        "sessions": figures.sessions,
        "hours": figures.hours,
        "participants": figures.participants,
        "attendances": figures.attendances,
        "anonymous_attendances": figures.anonymous_attendances,
        "by_gender": {k: (v.participants, v.attendances) for k, v in figures.by_gender.items()},
        "by_age_band": {k: (v.participants, v.attendances) for k, v in figures.by_age_band.items()},
    }


def _same(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert math.isclose(got.pop("hours"), want.pop("hours"), abs_tol=1e-9)
    assert got == want


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(programmes, activities, people, sessions, marks, heads)
def test_one_pass_agrees_with_the_definition(
    database: Database, progs: Any, acts: Any, ps: Any, ss: Any, ms: Any, hs: Any
) -> None:
    ids = _fill(database, progs, acts, ps, ss, ms, hs)
    service = FiguresService(database)
    whole = service.compute(None, FROM, TO, BANDS)
    _same(_counted(whole), _plain(database, None))
    _same(_counted(service.compute(ids[:2], FROM, TO, BANDS)), _plain(database, ids[:2]))
    live = [pid for pid, gone in zip(ids, progs, strict=True) if not gone]
    for indicator in whole.indicators:
        own = _plain(database, [indicator.programme_id])
        assert indicator.programme_id in live
        assert math.isclose(indicator.achieved or 0, own[indicator.kind], abs_tol=1e-9)
    for pid, figures in service.compute_each(ids, FROM, TO, BANDS).items():
        _same(_counted(figures), _plain(database, [pid]))
