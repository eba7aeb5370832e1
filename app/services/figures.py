"""Computes the figures of DESIGN.md section 5 for programmes and a period.

Counted: sessions with status ``held`` dated in the period, of activities and programmes not
deleted. Named attendance counts with status present or late; head counts always count.
Blocked (erased) people still count: figures already reported must not change.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, Select, String, case, cast, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.sql.functions import FunctionElement

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
from app.domain.figures import (
    AGE_BAND_PRESETS,
    GENDER_CODES,
    UNKNOWN_BAND,
    Breakdown,
    Figures,
    IndicatorFigure,
    band_for_age,
    band_for_band,
)
from app.domain.sessions import COUNTED_STATUSES
from app.services.network_figures import counted_meetings, total

#: A select of any columns (SQLAlchemy 2.1 types selects by their column types).
AnySelect = Select[*tuple[Any, ...]]


def held_sessions(
    programme_ids: Sequence[str] | None, date_from: dt.date, date_to: dt.date
) -> AnySelect:
    """The sessions that count: held, dated in the period, of live activities and programmes.
    Other counts (reports' per-activity and per-month tables) start from this same query."""
    held: AnySelect = (
        select(Session.id, Session.date, Session.start_time, Session.end_time)
        .join(Activity, Activity.id == Session.activity_id)
        .join(Programme, Programme.id == Activity.programme_id)
        .where(
            Session.status == "held",
            Session.deleted_at.is_(None),
            Activity.deleted_at.is_(None),
            Programme.deleted_at.is_(None),
            Session.date >= date_from,
            Session.date <= date_to,
        )
    )
    if programme_ids is not None:
        held = held.where(Activity.programme_id.in_(list(programme_ids)))
    return held


class FiguresService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def compute(
        self,
        programme_ids: Sequence[str] | None,
        date_from: dt.date,
        date_to: dt.date,
        age_bands: tuple[str, ...] = AGE_BAND_PRESETS["default"],
    ) -> Figures:
        """``programme_ids`` None means the whole entity."""
        with self._db.read() as s:
            return self.compute_in(s, programme_ids, date_from, date_to, age_bands)

    def compute_in(
        self,
        s: OrmSession,
        programme_ids: Sequence[str] | None,
        date_from: dt.date,
        date_to: dt.date,
        age_bands: tuple[str, ...] = AGE_BAND_PRESETS["default"],
    ) -> Figures:
        """``compute`` within a caller's read, so its other tables see the same snapshot."""
        indicators = self._indicator_rows(s, programme_ids)
        # Computed indicators take their own programme's figures: counted in the same pass.
        wanted = {ind.programme_id for ind in indicators if ind.kind != "manual"}
        figures, per_programme = self._compute(
            s, programme_ids, date_from, date_to, age_bands, wanted
        )
        out = []
        for ind in indicators:
            achieved = (
                ind.manual_value
                if ind.kind == "manual"
                else per_programme[ind.programme_id].value(ind.kind)
            )
            out.append(
                IndicatorFigure(ind.id, ind.programme_id, ind.name, ind.kind, ind.target, achieved)
            )
        return Figures(**{**figures.__dict__, "indicators": tuple(out)})

    def compute_each(
        self,
        programme_ids: Sequence[str],
        date_from: dt.date,
        date_to: dt.date,
        age_bands: tuple[str, ...] = AGE_BAND_PRESETS["default"],
    ) -> dict[str, Figures]:
        """Each programme's figures (without indicators), all counted in one pass."""
        with self._db.read() as s:
            _whole, each = self._compute(
                s, programme_ids, date_from, date_to, age_bands, set(programme_ids)
            )
        return each

    def _compute(
        self,
        s: OrmSession,
        programme_ids: Sequence[str] | None,
        date_from: dt.date,
        date_to: dt.date,
        age_bands: tuple[str, ...],
        each: set[str] | frozenset[str] = frozenset(),
    ) -> tuple[Figures, dict[str, Figures]]:
        """The figures of ``programme_ids`` (None: the whole entity) and, from the same rows,
        those of each programme in ``each`` (which the first must include)."""
        held = held_sessions(programme_ids, date_from, date_to)
        session_ids = held.with_only_columns(Session.id).scalar_subquery()
        conn = s.connection()
        whole = _Tally()
        tallies = {pid: _Tally() for pid in each}

        # Sessions and their minutes, counted in SQL per programme.
        for programme_id, n, minutes in conn.execute(
            held.with_only_columns(
                Activity.programme_id, func.count(), func.coalesce(func.sum(_MINUTES), 0)
            ).group_by(Activity.programme_id)
        ):
            for tally in (whole, tallies.get(programme_id)):
                if tally is not None:
                    tally.sessions += n
                    tally.minutes += minutes

        # Head counts, summed in SQL per programme, gender and band.
        for programme_id, gender, band_label, count in conn.execute(
            select(
                Activity.programme_id,
                HeadCount.gender,
                HeadCount.age_band,
                func.sum(HeadCount.count),
            )
            .join(Session, Session.id == HeadCount.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .where(HeadCount.session_id.in_(session_ids))
            .group_by(Activity.programme_id, HeadCount.gender, HeadCount.age_band)
        ):
            band = band_for_band(band_label, age_bands)
            for tally in (whole, tallies.get(programme_id)):
                if tally is not None:
                    tally.head_count(gender, band, int(count or 0))

        # Named attendances: one pass over plain tuples in date order (a person's band is their
        # age at the first counted session), dates as the stored ISO text.
        rows = conn.execute(
            select(
                Activity.programme_id,
                Attendance.participant_id,
                cast(Session.date, String),
                Participant.gender,
                cast(Participant.birth_date, String),
                Participant.birth_year,
            )
            .join(Session, Session.id == Attendance.session_id)
            .join(Activity, Activity.id == Session.activity_id)
            .join(Participant, Participant.id == Attendance.participant_id)
            .where(
                Attendance.session_id.in_(session_ids),
                Attendance.status.in_(COUNTED_STATUSES),
                Participant.deleted_at.is_(None),
            )
            .order_by(Session.date)
        )
        counted: list[tuple[str, str, str]] = []
        by_programme: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for programme_id, pid, day, person_gender, birth_date, birth_year in rows.all():
            band = band_for_age(_age_on(day, birth_date, birth_year), age_bands)
            code = person_gender if person_gender in GENDER_CODES else "undisclosed"
            counted.append((pid, code, band))
            if programme_id in tallies:
                by_programme[programme_id].append((pid, code, band))
        whole.attend(counted)
        for programme_id, attended in by_programme.items():
            tallies[programme_id].attend(attended)

        def figures(tally: _Tally, ids: Sequence[str] | None) -> Figures:
            network = total(counted_meetings(s, ids, date_from, date_to))
            return tally.figures(date_from, date_to, age_bands, network)

        return figures(whole, programme_ids), {
            pid: figures(tally, [pid]) for pid, tally in tallies.items()
        }

    def _indicator_rows(
        self, s: OrmSession, programme_ids: Sequence[str] | None
    ) -> list[Indicator]:
        q = (
            select(Indicator)
            .join(Programme, Programme.id == Indicator.programme_id)
            .where(Programme.deleted_at.is_(None))
            .order_by(Programme.code, Indicator.created_at, Indicator.name)
        )
        if programme_ids is not None:
            q = q.where(Indicator.programme_id.in_(list(programme_ids)))
        return list(s.scalars(q))


class _ClockMinutes(FunctionElement[int]):
    """Minutes since midnight of a time, in SQL: SQLite stores it as text ('HH:MM:SS.ffffff'),
    PostgreSQL as a time."""

    type = Integer()
    name = "clock_minutes"
    inherit_cache = True


@compiles(_ClockMinutes)
def _clock_minutes_as_text(element: Any, compiler: Any, **kw: Any) -> str:
    column = compiler.process(next(iter(element.clauses)), **kw)
    return (
        f"(CAST(substr({column}, 1, 2) AS INTEGER) * 60 "
        f"+ CAST(substr({column}, 4, 2) AS INTEGER))"
    )


@compiles(_ClockMinutes, "postgresql")
def _clock_minutes_as_time(element: Any, compiler: Any, **kw: Any) -> str:
    column = compiler.process(next(iter(element.clauses)), **kw)
    return (
        f"(CAST(EXTRACT(HOUR FROM {column}) AS INTEGER) * 60 "
        f"+ CAST(EXTRACT(MINUTE FROM {column}) AS INTEGER))"
    )


class _Greater(FunctionElement[int]):
    """The greater of two numbers: SQLite's two-argument max(), PostgreSQL's GREATEST()."""

    type = Integer()
    name = "max"
    inherit_cache = True


@compiles(_Greater)
def _greater_of_two(element: Any, compiler: Any, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


@compiles(_Greater, "postgresql")
def _greatest(element: Any, compiler: Any, **kw: Any) -> str:
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


def _clock_minutes(column: Any) -> Any:
    return _ClockMinutes(column)


#: A session's minutes as ``duration_hours`` counts them (times missing or reversed: none).
_MINUTES = case(
    (
        Session.start_time.is_not(None) & Session.end_time.is_not(None),
        _Greater(_clock_minutes(Session.end_time) - _clock_minutes(Session.start_time), 0),
    ),
    else_=0,
)


def _age_on(day: str, birth_date: str | None, birth_year: int | None) -> int | None:
    """``age_on`` over ISO dates as stored ('YYYY-MM-DD' compares as text month by day)."""
    if birth_date:
        return int(day[:4]) - int(birth_date[:4]) - (day[5:10] < birth_date[5:10])
    if birth_year is not None:
        return int(day[:4]) - birth_year
    return None


class _Tally:
    """What one set of programmes counts while the rows go by."""

    def __init__(self) -> None:
        self.sessions = 0
        self.minutes = 0
        self.gender_people: dict[str, int] = defaultdict(int)
        self.gender_att: dict[str, int] = defaultdict(int)
        self.band_people: dict[str, int] = defaultdict(int)
        self.band_att: dict[str, int] = defaultdict(int)
        self.participants = 0
        self.named = 0
        self.anonymous = 0

    def attend(self, rows: list[tuple[str, str, str]]) -> None:
        """Named attendances as (person, gender code, band), in date order."""
        self.named += len(rows)
        for code, n in Counter(code for _pid, code, _band in rows).items():
            self.gender_att[code] += n
        for code, n in Counter(code for code, _pid in {(c, p) for p, c, _b in rows}).items():
            self.gender_people[code] = n
        for band, n in Counter(band for _pid, _code, band in rows).items():
            self.band_att[band] += n
        # A person's band is the one of their first counted session (the earliest row wins).
        first = {pid: band for pid, _code, band in reversed(rows)}
        self.participants = len(first)
        for band, n in Counter(first.values()).items():
            self.band_people[band] = n

    def head_count(self, gender: str, band: str, count: int) -> None:
        self.anonymous += count
        self.gender_att[gender if gender in GENDER_CODES else "undisclosed"] += count
        self.band_att[band] += count

    def figures(
        self, date_from: dt.date, date_to: dt.date, age_bands: tuple[str, ...], network: Any
    ) -> Figures:
        return Figures(
            date_from=date_from,
            date_to=date_to,
            sessions=self.sessions,
            hours=self.minutes / 60,
            participants=self.participants,
            attendances=self.named + self.anonymous,
            anonymous_attendances=self.anonymous,
            by_gender={
                code: Breakdown(self.gender_people[code], self.gender_att[code])
                for code in GENDER_CODES
            },
            by_age_band={
                label: Breakdown(self.band_people[label], self.band_att[label])
                for label in (*age_bands, UNKNOWN_BAND)
            },
            meetings=network.meetings,
            meeting_hours=network.hours,
            agreements_adopted=network.agreements_adopted,
            agreements_done=network.agreements_done,
        )
