"""Computes the figures of DESIGN.md section 5 for programmes and a period.

Counted: sessions with status ``held`` dated in the period, of activities and programmes not
deleted. Named attendance counts with status present or late; head counts always count.
Blocked (erased) people still count: figures already reported must not change.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session as OrmSession

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
    age_on,
    band_for_age,
    band_for_band,
    duration_hours,
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
        figures = self._compute(s, programme_ids, date_from, date_to, age_bands)
        indicators = self._indicators(s, programme_ids, date_from, date_to, age_bands, figures)
        return Figures(**{**figures.__dict__, "indicators": indicators})

    def _compute(
        self,
        s: OrmSession,
        programme_ids: Sequence[str] | None,
        date_from: dt.date,
        date_to: dt.date,
        age_bands: tuple[str, ...],
    ) -> Figures:
        held = held_sessions(programme_ids, date_from, date_to)
        sessions = s.execute(held).all()
        session_ids = held.with_only_columns(Session.id).scalar_subquery()
        hours = sum(duration_hours(r.start_time, r.end_time) for r in sessions)

        attendance_rows = s.execute(
            select(
                Attendance.participant_id,
                Session.date,
                Participant.gender,
                Participant.birth_date,
                Participant.birth_year,
            )
            .join(Session, Session.id == Attendance.session_id)
            .join(Participant, Participant.id == Attendance.participant_id)
            .where(
                Attendance.session_id.in_(session_ids),
                Attendance.status.in_(COUNTED_STATUSES),
                Participant.deleted_at.is_(None),
            )
            .order_by(Session.date)
        ).all()
        head_rows = s.execute(
            select(HeadCount.gender, HeadCount.age_band, func.sum(HeadCount.count))
            .where(HeadCount.session_id.in_(session_ids))
            .group_by(HeadCount.gender, HeadCount.age_band)
        ).all()

        gender_people: dict[str, set[str]] = defaultdict(set)
        gender_att: dict[str, int] = defaultdict(int)
        band_people: dict[str, set[str]] = defaultdict(set)
        band_att: dict[str, int] = defaultdict(int)
        first_seen: set[str] = set()
        for pid, day, gender, birth_date, birth_year in attendance_rows:
            code = gender if gender in GENDER_CODES else "undisclosed"
            gender_people[code].add(pid)
            gender_att[code] += 1
            band = band_for_age(age_on(day, birth_date, birth_year), age_bands)
            band_att[band] += 1
            if pid not in first_seen:  # rows come by date: the first is the first counted session
                first_seen.add(pid)
                band_people[band].add(pid)
        anonymous = 0
        for gender, band_label, count in head_rows:
            count = int(count or 0)
            anonymous += count
            gender_att[gender if gender in GENDER_CODES else "undisclosed"] += count
            band_att[band_for_band(band_label, age_bands)] += count

        by_gender = {
            code: Breakdown(len(gender_people[code]), gender_att[code]) for code in GENDER_CODES
        }
        by_band = {
            label: Breakdown(len(band_people[label]), band_att[label])
            for label in (*age_bands, UNKNOWN_BAND)
        }
        network = total(counted_meetings(s, programme_ids, date_from, date_to))
        return Figures(
            date_from=date_from,
            date_to=date_to,
            sessions=len(sessions),
            hours=hours,
            participants=len(first_seen),
            attendances=len(attendance_rows) + anonymous,
            anonymous_attendances=anonymous,
            by_gender=by_gender,
            by_age_band=by_band,
            meetings=network.meetings,
            meeting_hours=network.hours,
            agreements_adopted=network.agreements_adopted,
            agreements_done=network.agreements_done,
        )

    def _indicators(
        self,
        s: OrmSession,
        programme_ids: Sequence[str] | None,
        date_from: dt.date,
        date_to: dt.date,
        age_bands: tuple[str, ...],
        figures: Figures,
    ) -> tuple[IndicatorFigure, ...]:
        q = (
            select(Indicator)
            .join(Programme, Programme.id == Indicator.programme_id)
            .where(Programme.deleted_at.is_(None))
            .order_by(Programme.code, Indicator.created_at, Indicator.name)
        )
        if programme_ids is not None:
            q = q.where(Indicator.programme_id.in_(list(programme_ids)))
        rows = list(s.scalars(q))
        per_programme: dict[str, Figures] = {}
        out = []
        for ind in rows:
            if ind.kind == "manual":
                achieved = ind.manual_value
            else:
                # An indicator belongs to one programme: its value is that programme's figure.
                if programme_ids is not None and list(programme_ids) == [ind.programme_id]:
                    own = figures
                else:
                    if ind.programme_id not in per_programme:
                        per_programme[ind.programme_id] = self._compute(
                            s, [ind.programme_id], date_from, date_to, age_bands
                        )
                    own = per_programme[ind.programme_id]
                achieved = own.value(ind.kind)
            out.append(
                IndicatorFigure(ind.id, ind.programme_id, ind.name, ind.kind, ind.target, achieved)
            )
        return tuple(out)
