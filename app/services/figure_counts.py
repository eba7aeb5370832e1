"""The counted named attendance, counted by the database: the one place where the figures
(``app.services.figures``) and the report's tables (``app.services.report_tables``) ask SQL to
count, on a SQLite file and on the office database alike (a viewer's login, which may not read
people, has the office's counting functions of migration 0017_viewer_counts instead).

Why: reading every counted attendance into Python (60 000 rows for a large entity's year, by
their text ids) and counting there was most of a report's data. The database now reduces them to
one row per activity, person and age (how many attendances, the first day), and one per session;
Python adds those partial counts up for each set of programmes (the entity, each programme, each
category), because the sets overlap (an activity coproduced by two programmes counts in each of
them and once in the total) and a person counts once in each set, in the band of their first day
in it.

The rules are those of ``counted_attendance`` (app/services/figures.py), which stays the
reference definition in Python; ``tests/unit/test_figure_counts.py`` checks on random data, on
both engines, that the two agree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Integer, String, cast, exists, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from app.db.models import (
    Activity,
    Attendance,
    Participant,
    Programme,
    Session,
    Volunteer,
    activity_programme,
    volunteer_activity,
    volunteer_programme,
)
from app.domain.sessions import COUNTED_STATUSES
from app.services.figures import _SHARED, _age_on, held_sessions

#: One person's counted attendance at one activity at one age: activity, person, age on the day
#: (None: no birth date nor year), attendances, first day (ISO), the person's gender,
#: neighbourhood and nationality as recorded. Age is part of the key because each attendance
#: counts in the band of the person's age on its own day.
Participation = tuple[str, str, int | None, int, str, str | None, str | None, str | None]


class _AgeOn(FunctionElement[int]):
    """A person's age in whole years on a session's day, as ``app.domain.figures.age_on``:
    from the birth date, else the birth year, else NULL. SQLite keeps dates as ISO text, so the
    day of the year compares as text 'MM-DD'; PostgreSQL has dates."""

    type = Integer()
    name = "age_on"
    inherit_cache = True


def _age_sql(
    element: Any,
    compiler: Any,
    kw: Any,
    year_of: Callable[[str], str],
    month_day: Callable[[str], str],
) -> str:
    """The age on the day in one dialect's spelling of a date's year and 'MM-DD'."""
    day, born, year = (compiler.process(c, **kw) for c in element.clauses)
    return (
        f"(CASE WHEN {born} IS NOT NULL THEN {year_of(day)} - {year_of(born)}"
        f" - (CASE WHEN {month_day(day)} < {month_day(born)} THEN 1 ELSE 0 END)"
        f" WHEN {year} IS NOT NULL THEN {year_of(day)} - {year} END)"
    )


@compiles(_AgeOn)
def _age_on_text(element: Any, compiler: Any, **kw: Any) -> str:
    return _age_sql(
        element,
        compiler,
        kw,
        lambda d: f"CAST(substr({d}, 1, 4) AS INTEGER)",
        lambda d: f"substr({d}, 6, 5)",
    )


@compiles(_AgeOn, "postgresql")
def _age_on_date(element: Any, compiler: Any, **kw: Any) -> str:
    return _age_sql(
        element,
        compiler,
        kw,
        lambda d: f"CAST(EXTRACT(YEAR FROM {d}) AS INTEGER)",
        lambda d: f"to_char({d}, 'MM-DD')",
    )


def _age() -> Any:
    return _AgeOn(Session.date, Participant.birth_date, Participant.birth_year)


def _volunteering() -> Any:
    """Whether the mark's person was, on the session's day, a volunteer of its activity or of
    one of the activity's live programmes (its own or one it is coproduced with): then they
    were there to help, not as a participant (``VolunteerScopes.helping``)."""
    # The subqueries name what they read; every other table is the outer query's row
    # (SQLAlchemy correlates only one level up by itself).
    coproducer = aliased(Programme)  # not the outer query's programme
    of_activity = (
        select(activity_programme.c.programme_id)
        .join(coproducer, coproducer.id == activity_programme.c.programme_id)
        .where(activity_programme.c.activity_id == Activity.id, coproducer.deleted_at.is_(None))
        .correlate_except(activity_programme, coproducer)
    )
    return exists().where(
        Volunteer.participant_id == Attendance.participant_id,
        Volunteer.deleted_at.is_(None),
        Volunteer.start <= Session.date,
        or_(Volunteer.end.is_(None), Volunteer.end >= Session.date),
        or_(
            exists()
            .where(
                volunteer_activity.c.volunteer_id == Volunteer.id,
                volunteer_activity.c.activity_id == Activity.id,
            )
            .correlate_except(volunteer_activity),
            exists()
            .where(
                volunteer_programme.c.volunteer_id == Volunteer.id,
                or_(
                    volunteer_programme.c.programme_id == Activity.programme_id,
                    volunteer_programme.c.programme_id.in_(of_activity),
                ),
            )
            .correlate_except(volunteer_programme),
        ),
    ).correlate_except(Volunteer)


def counted_marks(
    programme_ids: Sequence[str] | None, date_from: dt.date, date_to: dt.date, *columns: Any
) -> Any:
    """A select of ``columns`` over the counted named attendance: marks present or late at the
    held sessions of the period (``held_sessions``), of people not erased from view, leaving
    out people there as volunteers. The person's row is not joined (``participation`` joins it
    for their gender and age): the erased are the few left out by a list the database makes
    once, where a join looks every mark's person up, which was half the time of a count."""
    erased = select(Participant.id).where(Participant.deleted_at.is_not(None))
    return (
        held_sessions(programme_ids, date_from, date_to)
        .with_only_columns(*columns)
        .join(Attendance, Attendance.session_id == Session.id)
        .where(
            Attendance.status.in_(COUNTED_STATUSES),
            Attendance.participant_id.not_in(erased),
            ~_volunteering(),
        )
    )


def _shared(s: OrmSession, key: tuple[Any, ...], count: Any) -> Any:
    """``count()``, once per key within ``sharing_reads`` (the figures and a report's tables
    ask for the same counts in one read)."""
    shared: dict[Any, Any] | None = s.info.get(_SHARED)
    if shared is None:
        return count()
    if key not in shared:
        shared[key] = count()
    return shared[key]


def participation(
    s: OrmSession, programme_ids: Sequence[str] | None, date_from: dt.date, date_to: dt.date
) -> list[Participation]:
    """The counted attendance, one row per activity, person and age (see ``Participation``).
    Grouped by the person's key, so PostgreSQL lets their other columns be read beside it."""
    ids = None if programme_ids is None else tuple(programme_ids)

    def count() -> list[Participation]:
        age = _age()
        query = counted_marks(
            programme_ids,
            date_from,
            date_to,
            Session.activity_id,
            Participant.id,
            age,
            func.count(),
            cast(func.min(Session.date), String),
            Participant.gender,
            Participant.neighbourhood,
            Participant.nationality,
        )
        query = query.join(Participant, Participant.id == Attendance.participant_id).group_by(
            Session.activity_id, Participant.id, age
        )
        return [tuple(r) for r in s.connection().execute(query)]

    return _shared(s, ("participation", ids, date_from, date_to), count)  # type: ignore[no-any-return]


def session_attendances(
    s: OrmSession, programme_ids: Sequence[str] | None, date_from: dt.date, date_to: dt.date
) -> dict[str, int]:
    """The counted named attendances of each held session of the period (the report's annex)."""
    ids = None if programme_ids is None else tuple(programme_ids)

    def count() -> dict[str, int]:
        query = counted_marks(
            programme_ids, date_from, date_to, Attendance.session_id, func.count()
        ).group_by(Attendance.session_id)
        return {sid: int(n) for sid, n in s.connection().execute(query)}

    return _shared(s, ("sessions", ids, date_from, date_to), count)  # type: ignore[no-any-return]


def counted_total(
    s: OrmSession, programme_ids: Sequence[str] | None, date_from: dt.date, date_to: dt.date
) -> int:
    """How many counted named attendances the period has."""
    query = counted_marks(programme_ids, date_from, date_to, func.count())
    return int(s.connection().execute(query).scalar() or 0)


# -- the same from the reference rows (Python) -----------------------------------------------


def participation_of_rows(rows: Sequence[Any]) -> list[Participation]:
    """``participation`` counted in Python from ``figures.counted_attendance``'s rows (the
    reference definition), in the same shape."""
    counts: Counter[tuple[str, str, int | None]] = Counter()
    first: dict[tuple[str, str, int | None], str] = {}
    person: dict[str, tuple[str | None, str | None, str | None]] = {}
    for aid, pid, day, gender, born, year, _sid, hood, nation in rows:
        key = (aid, pid, _age_on(day, born, year))
        counts[key] += 1
        if key not in first or day < first[key]:
            first[key] = day
        person[pid] = (gender, hood, nation)
    return [(*key, n, first[key], *person[key[1]]) for key, n in counts.items()]


def session_attendances_of_rows(rows: Sequence[Any]) -> dict[str, int]:
    """``session_attendances`` counted in Python from the reference rows."""
    return dict(Counter(r[6] for r in rows))
