"""The counted attendance counted by the database (app/services/figure_counts.py, what the
application uses) agrees with the same counted in Python from the rows (``from_rows``, the
reference definition) and with DESIGN.md section 5 read literally over the data the test made,
on random data of several seeds, on a SQLite file and on the office database: volunteers there
to help left out, coproduced activities counted in each programme and once in the total,
referrals, age bands of several band sets, people without a birth date or gender, sessions not
held, the period's first and last days, head counts. Each rule broken on one side makes the
check fail (``test_a_rule_broken_on_one_side_is_caught``)."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import false, null

from app.db.base import new_id
from app.db.engine import Database
from app.db.models import (
    Activity,
    Attendance,
    HeadCount,
    Organisation,
    Participant,
    Programme,
    Referral,
    Session,
    Volunteer,
    activity_programme,
    volunteer_activity,
    volunteer_programme,
)
from app.domain.figures import (
    AGE_BAND_PRESETS,
    GENDER_CODES,
    UNKNOWN_BAND,
    age_on,
    band_for_age,
    band_for_band,
    duration_hours,
)
from app.domain.report import ReportRequest
from app.services import figure_counts, figures
from app.services.figures import FiguresService, counted_attendance
from app.services.report_tables import session_tables
from app.services.volunteer_figures import VolunteerScopes

BOTH_ENGINES = True

D = dt.date
FROM, TO = D(2026, 2, 1), D(2026, 5, 31)
PERIODS = ((FROM, TO), (D(2026, 3, 1), D(2026, 3, 31)))
#: A set that covers every age and one that leaves ages out (a youth programme's funder).
BAND_SETS = (AGE_BAND_PRESETS["default"], ("12-18", "19-24", "25-30"))
DELETED = dt.datetime(2026, 1, 1)


@dataclass
class Data:
    """What the test put in the database, as plain values: the literal definition counts these."""

    programmes: dict[str, bool] = field(default_factory=dict)  # id -> deleted
    activities: dict[str, tuple[str, list[str], bool]] = field(default_factory=dict)
    sessions: dict[str, tuple[str, dt.date, str, dt.time | None, dt.time | None, bool]] = field(
        default_factory=dict
    )
    people: dict[str, tuple[str | None, dt.date | None, int | None, bool]] = field(
        default_factory=dict
    )
    marks: list[tuple[str, str, str]] = field(default_factory=list)
    heads: list[tuple[str, str, str, int]] = field(default_factory=list)
    # person, start, end, deleted, programmes, activities
    volunteers: list[tuple[str, dt.date, dt.date | None, bool, set[str], set[str]]] = field(
        default_factory=list
    )
    # person, organisation, day, programme it came from
    referrals: list[tuple[str, str | None, dt.date, str | None]] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)

    def live(self) -> list[str]:
        return sorted(p for p, gone in self.programmes.items() if not gone)


def _make(rng: random.Random) -> Data:
    data = Data()
    programmes = [new_id() for _ in range(5)]
    for i, pid in enumerate(programmes):
        data.programmes[pid] = i == 4  # the last one deleted
    activities = [new_id() for _ in range(9)]
    for i, aid in enumerate(activities):
        own = programmes[i % 4] if i < 8 else programmes[4]
        also = [p for p in rng.sample(programmes, rng.randrange(0, 3)) if p != own]
        data.activities[aid] = (own, also, i == 7)  # activity 7 deleted, 8 of a deleted programme
    # Coproduced for sure: activity 0 also in programme 1 and in the deleted one.
    data.activities[activities[0]] = (programmes[0], [programmes[1], programmes[4]], False)

    def day() -> dt.date:
        return FROM + dt.timedelta(days=rng.randrange(-12, (TO - FROM).days + 12))

    def clock() -> dt.time | None:
        return rng.choice([None, dt.time(rng.randrange(8, 21), rng.choice([0, 15, 30]))])

    sessions = [new_id() for _ in range(45)]
    edges = [FROM, TO, FROM - dt.timedelta(days=1), TO + dt.timedelta(days=1), D(2026, 3, 1)]
    for i, sid in enumerate(sessions):
        status = rng.choice(["held", "held", "held", "planned", "cancelled"])
        when = edges[i] if i < len(edges) else day()
        activity = activities[i % 9] if i < 18 else rng.choice(activities)
        held = "held" if i < len(edges) + 4 else status
        data.sessions[sid] = (activity, when, held, clock(), clock(), i == 44)
    people = [new_id() for _ in range(30)]
    for i, pid in enumerate(people):
        born = rng.choice([None, D(rng.randrange(1940, 2022), rng.randrange(1, 13), 1)])
        if born and rng.random() < 0.5:
            # Birthdays on a session's day, the day before and after (age changes that day).
            ref = data.sessions[rng.choice(sessions)][1]
            born = D(rng.randrange(1940, 2022), ref.month, ref.day) + dt.timedelta(
                days=rng.choice([-1, 0, 1])
            )
        year = rng.choice([None, rng.randrange(1940, 2022)])
        gender = rng.choice([None, *GENDER_CODES, "x"])
        data.people[pid] = (gender, born, year, i == 29)  # the last one erased
    # A person known by birth year alone, one by nothing at all, one who comes of age on the
    # period's first day (17 the day before: another band).
    data.people[people[0]] = ("woman", None, 1990, False)
    data.people[people[1]] = (None, None, None, False)
    data.people[people[12]] = ("man", D(2008, FROM.month, FROM.day), None, False)
    for sid in sessions:
        for pid in rng.sample(people, rng.randrange(2, 12)):
            data.marks.append((sid, pid, rng.choice(["present", "present", "late", "absent"])))
    for pid in (people[0], people[1], people[12], people[29]):  # the period's first day
        data.marks.append((sessions[0], pid, "late" if pid == people[0] else "present"))
    data.marks = list({(s, p): (s, p, st) for s, p, st in data.marks}.values())
    for sid in rng.sample(sessions, 8):
        data.heads.append(
            (
                sid,
                rng.choice([*GENDER_CODES, "x"]),
                rng.choice(["0-17", "30-64", "65+", "0-2", "12-17", "18-24", "25-29", "??"]),
                rng.randrange(0, 9),
            )
        )
    # Volunteers of an activity, of its own programme, of a programme it is coproduced with,
    # of the deleted programme it is coproduced with (which does not count), for part of the
    # period or all of it; one deleted.
    first_activity = data.sessions[sessions[0]][0]
    own, also, _gone = data.activities[first_activity]
    for k, pid in enumerate(people[2:12]):
        start = FROM + dt.timedelta(days=rng.randrange(-20, 60))
        end = rng.choice([None, start + dt.timedelta(days=rng.randrange(0, 90))])
        programmes_of = {rng.choice([own, *also, *programmes])} if k % 2 else set()
        activities_of = {first_activity} if k % 3 == 0 else set(rng.sample(activities, 1))
        data.volunteers.append((pid, start, end, k == 9, programmes_of, activities_of))
        # They come to the first edge session and to others (helping or not).
        data.marks.append((sessions[0], pid, "present"))
        for sid in rng.sample(sessions[1:], 4):
            data.marks.append((sid, pid, "present"))
    since = FROM - dt.timedelta(days=30)
    data.volunteers[0] = (people[2], since, None, False, set(), {first_activity})
    data.marks = list({(s, p): (s, p, st) for s, p, st in data.marks}.values())
    orgs = data.organisations = [new_id() for _ in range(2)]
    for _ in range(14):
        data.referrals.append(
            (
                rng.choice(people),
                rng.choice([None, *orgs, *orgs]),
                day(),
                rng.choice([None, None, *data.live()]),
            )
        )
    return data


def _store(db: Database, data: Data) -> None:
    with db.begin() as s:
        s.add_all(
            Programme(id=pid, code=f"P{i}", name=f"P{i}", category="ab"[i % 2],
                      deleted_at=DELETED if gone else None)
            for i, (pid, gone) in enumerate(data.programmes.items())
        )  # fmt: skip
        s.add_all(Organisation(id=oid, name=f"O{i}") for i, oid in enumerate(data.organisations))
        s.flush()
        s.add_all(
            Activity(id=aid, programme_id=own, name=f"A{i}", deleted_at=DELETED if gone else None)
            for i, (aid, (own, _also, gone)) in enumerate(data.activities.items())
        )
        s.add_all(
            Participant(id=pid, given_name=f"N{i}", family_names="F", gender=gender,
                        birth_date=born, birth_year=year, deleted_at=DELETED if gone else None,
                        neighbourhood=[" Sants", "Sants", "", "Gràcia"][i % 4],
                        nationality=["es", "ES", "", "ma"][i % 4])
            for i, (pid, (gender, born, year, gone)) in enumerate(data.people.items())
        )  # fmt: skip
        s.flush()
        for aid, (_own, also, _gone) in data.activities.items():
            for pid in also:
                s.execute(activity_programme.insert().values(activity_id=aid, programme_id=pid))
        s.add_all(
            Session(id=sid, activity_id=aid, date=day, status=status, start_time=start,
                    end_time=end, deleted_at=DELETED if gone else None)
            for sid, (aid, day, status, start, end, gone) in data.sessions.items()
        )  # fmt: skip
        s.flush()
        s.add_all(
            Attendance(session_id=sid, participant_id=pid, status=status)
            for sid, pid, status in data.marks
        )
        s.add_all(
            HeadCount(session_id=sid, gender=gender, age_band=band, count=n)
            for sid, gender, band, n in data.heads
        )
        for pid, start, end, gone, programmes, activities in data.volunteers:
            vid = new_id()
            s.add(Volunteer(id=vid, participant_id=pid, start=start, end=end,
                            deleted_at=DELETED if gone else None))  # fmt: skip
            s.flush()
            for p in programmes:
                s.execute(volunteer_programme.insert().values(volunteer_id=vid, programme_id=p))
            for a in activities:
                s.execute(volunteer_activity.insert().values(volunteer_id=vid, activity_id=a))
        s.add_all(
            Referral(participant_id=pid, to_organisation_id=org, date=day, status="open",
                     programme_id=programme)
            for pid, org, day, programme in data.referrals
        )  # fmt: skip


def _literal(
    data: Data, ids: list[str] | None, period: tuple[dt.date, dt.date], bands: tuple[str, ...]
) -> dict[str, Any]:
    """DESIGN.md section 5 and docs/volunteers.md read literally over the test's own data."""
    d_from, d_to = period

    def programmes_of(aid: str) -> set[str]:
        own, also, _gone = data.activities[aid]
        return {p for p in (own, *also) if not data.programmes[p]}

    def helping(pid: str, aid: str, day: dt.date) -> bool:
        return any(
            who == pid and not gone and start <= day and (end is None or day <= end)
            and (aid in activities or programmes & programmes_of(aid))
            for who, start, end, gone, programmes, activities in data.volunteers
        )  # fmt: skip

    held = {
        sid: (aid, day, start, end)
        for sid, (aid, day, status, start, end, gone) in data.sessions.items()
        if status == "held" and not gone and d_from <= day <= d_to
        and not data.activities[aid][2] and not data.programmes[data.activities[aid][0]]
        and (ids is None or programmes_of(aid) & set(ids))
    }  # fmt: skip
    counted = sorted(
        (held[sid][1], pid)
        for sid, pid, status in data.marks
        if sid in held and status in ("present", "late") and not data.people[pid][3]
        and not helping(pid, held[sid][0], held[sid][1])
    )  # fmt: skip
    gender_people: dict[str, set[str]] = defaultdict(set)
    gender_att: dict[str, int] = defaultdict(int)
    band_att: dict[str, int] = defaultdict(int)
    first_band: dict[str, str] = {}
    for day, pid in counted:
        gender, born, year, _gone = data.people[pid]
        code = gender if gender in GENDER_CODES else "undisclosed"
        gender_people[code].add(pid)
        gender_att[code] += 1
        band = band_for_age(age_on(day, born, year), bands)
        band_att[band] += 1
        first_band.setdefault(pid, band)  # in date order: the first day's band
    anonymous = 0
    for sid, gender, label, n in data.heads:
        if sid in held:
            anonymous += n
            gender_att[gender if gender in GENDER_CODES else "undisclosed"] += n
            band_att[band_for_band(label, bands)] += n
    band_people: dict[str, int] = defaultdict(int)
    for band in first_band.values():
        band_people[band] += 1
    referrals = sum(
        1
        for pid, org, day, programme in data.referrals
        if org is not None and d_from <= day <= d_to and not data.people[pid][3]
        and (ids is None or (programme in ids if programme else pid in first_band))
    )  # fmt: skip
    return {
        "sessions": len(held),
        "hours": sum(duration_hours(start, end) for _a, _d, start, end in held.values()),
        "participants": len(first_band),
        "attendances": len(counted) + anonymous,
        "anonymous_attendances": anonymous,
        "by_gender": {c: (len(gender_people[c]), gender_att[c]) for c in GENDER_CODES},
        "by_age_band": {
            b: (band_people[b], band_att[b]) for b in {*band_people, *band_att, UNKNOWN_BAND}
        },
        "referrals": referrals,
    }


def _summary(f: Any) -> dict[str, Any]:
    return {
        "sessions": f.sessions,
        "hours": f.hours,
        "participants": f.participants,
        "attendances": f.attendances,
        "anonymous_attendances": f.anonymous_attendances,
        "by_gender": {k: (v.participants, v.attendances) for k, v in f.by_gender.items()},
        "by_age_band": {
            k: (v.participants, v.attendances)
            for k, v in f.by_age_band.items()
            if v.participants or v.attendances or k == UNKNOWN_BAND
        },
        "referrals": f.referrals,
    }


def _agrees(got: Any, want: dict[str, Any], where: Any) -> None:
    mine = _summary(got)
    assert math.isclose(mine.pop("hours"), want.pop("hours"), abs_tol=1e-9), where
    want["by_age_band"] = {k: v for k, v in want["by_age_band"].items() if v != (0, 0) or
                           k == UNKNOWN_BAND}  # fmt: skip
    assert mine == want, where


def _check(db: Database, data: Data) -> None:
    """The database's counts, the reference rows and the literal definition agree."""
    in_sql, in_python = FiguresService(db), FiguresService(db, from_rows=True)
    assert not in_sql.from_rows
    live = data.live()
    id_sets: list[list[str] | None] = [None, live[:1], live[1:3], live]
    for period in PERIODS:
        with db.read() as s:
            for ids in id_sets:
                rows = counted_attendance(s, ids, *period)
                # The counted rows themselves, grouped: the same on both sides.
                assert sorted(figure_counts.participation(s, ids, *period), key=str) == sorted(
                    figure_counts.participation_of_rows(rows), key=str
                ), (ids, period)
                assert figure_counts.session_attendances(
                    s, ids, *period
                ) == figure_counts.session_attendances_of_rows(rows)
                assert figure_counts.counted_total(s, ids, *period) == len(rows)
                request = ReportRequest(
                    programme_ids=None if ids is None else tuple(ids),
                    date_from=period[0],
                    date_to=period[1],
                    lang="ca",
                )
                assert session_tables(s, request) == session_tables(s, request, from_rows=True)
            for bands in BAND_SETS:
                assert in_sql.band_coverage_in(s, None, *period, bands) == (
                    in_python.band_coverage_in(s, None, *period, bands)
                )
                group_of = {p: "g" + str(i % 2) for i, p in enumerate(live)}
                sql_grouped = in_sql.compute_grouped_in(s, live, *period, bands, group_of)
                assert sql_grouped == in_python.compute_grouped_in(
                    s, live, *period, bands, group_of
                ), period
        for bands in BAND_SETS:
            for ids in id_sets:
                by_sql = in_sql.compute(ids, *period, bands)
                assert by_sql == in_python.compute(ids, *period, bands), (ids, period, bands)
                _agrees(by_sql, _literal(data, ids, period, bands), (ids, period, bands))
            each = in_sql.compute_each(live, *period, bands)
            assert each == in_python.compute_each(live, *period, bands)
            for pid, f in each.items():
                _agrees(f, _literal(data, [pid], period, bands), (pid, period, bands))


# Two seeds in the default run, the others with the slow tests.
@pytest.mark.parametrize(
    "seed", [1, 2, pytest.param(3, marks=pytest.mark.slow), pytest.param(4, marks=pytest.mark.slow)]
)
def test_the_database_counts_the_figures_of_the_definition(db: Database, seed: int) -> None:
    data = _make(random.Random(seed))
    _store(db, data)
    # (That the data reach every rule is what test_a_rule_broken_on_one_side_is_caught shows.)
    whole = FiguresService(db).compute(None, FROM, TO)
    assert whole.participants > 5 and whole.referrals > 0 and whole.anonymous_attendances >= 0
    _check(db, data)


def _without_coproduction(
    programmes_of: Callable[[Any], dict[str, tuple[str, ...]]],
) -> Callable[[Any], dict[str, tuple[str, ...]]]:
    """Each activity in its own programme alone."""
    return lambda s: {aid: pids[:1] for aid, pids in programmes_of(s).items()}


#: One rule broken on one side at a time: in the database's counts, in the reference rows, or
#: in the code both share (then the literal definition tells).
MUTATIONS: dict[str, tuple[Any, str, Any]] = {
    "the database counts volunteers": (figure_counts, "_volunteering", lambda: false()),
    "the database forgets the birth year": (
        figure_counts,
        "_age",
        lambda: figure_counts._AgeOn(Session.date, Participant.birth_date, null()),
    ),
    "the database leaves late marks out": (figure_counts, "COUNTED_STATUSES", ("present",)),
    "the rows count volunteers": (VolunteerScopes, "helping", lambda *_a: False),
    "the rows ignore birthdays": (
        figure_counts,
        "_age_on",
        lambda day, born, year: (
            int(day[:4]) - int(born[:4]) if born else year and int(day[:4]) - year
        ),
    ),
    "both forget coproduction": (
        figures,
        "programmes_of_activities",
        _without_coproduction(figures.programmes_of_activities),
    ),
}


def test_a_rule_broken_on_one_side_is_caught(db: Database) -> None:
    data = _make(random.Random(1))
    _store(db, data)
    _check(db, data)  # whole, it passes
    for broken, (target, name, replacement) in sorted(MUTATIONS.items()):
        with pytest.MonkeyPatch.context() as patched:
            patched.setattr(target, name, replacement)
            with pytest.raises(AssertionError):
                _check(db, data)
                pytest.fail(f"not caught: {broken}")
