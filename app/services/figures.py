"""Computes the figures of DESIGN.md section 5 for programmes and a period.

Counted: sessions with status ``held`` dated in the period, of activities and programmes not
deleted. Named attendance counts with status present or late; head counts always count.
Blocked (erased) people still count: figures already reported must not change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from sqlalchemy import Integer, Select, String, case, cast, func, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.functions import FunctionElement

from app.db.engine import Database
from app.db.models import (
    Activity,
    Attendance,
    HeadCount,
    Indicator,
    Organisation,
    Participant,
    Programme,
    Referral,
    Session,
    activity_programme,
)
from app.domain.figures import (
    AGE_BAND_PRESETS,
    COMMUNITY_FIGURES,
    GENDER_CODES,
    NOT_BUILDABLE,
    OUTSIDE_BANDS,
    UNKNOWN_BAND,
    BandCoverage,
    Breakdown,
    Figures,
    IndicatorFigure,
    ReferralRow,
    band_for_age,
    covers_all_ages,
    place_recorded_band,
    prorated_target,
)
from app.domain.sessions import COUNTED_STATUSES
from app.services.community_figures import community_figures
from app.services.network_figures import counted_meetings, total
from app.services.volunteer_figures import (
    VolunteerScopes,
    counted_volunteer_figures,
    programmes_of_activities,
    volunteer_figures,
)

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
        ids = list(programme_ids)
        # An activity coproduced with other programmes counts in each of them too.
        held = held.where(
            Activity.programme_id.in_(ids)
            | Activity.id.in_(
                select(activity_programme.c.activity_id).where(
                    activity_programme.c.programme_id.in_(ids)
                )
            )
        )
    return held


#: ``OrmSession.info`` key of the rows read once and shared within ``sharing_reads``.
_SHARED = "teixit.shared_reads"


@contextmanager
def sharing_reads(s: OrmSession) -> Iterator[None]:
    """Within this block the counted attendance of a period is read once and shared by every
    section that counts it (the figures and the report's tables), all in the caller's read."""
    s.info[_SHARED] = {}
    try:
        yield
    finally:
        s.info.pop(_SHARED, None)


#: A counted named attendance: activity, person, ISO day, the person's gender, ISO birth date
#: and birth year, the session, the person's neighbourhood and nationality.
AttendanceRow = tuple[
    str, str, str, str | None, str | None, int | None, str, str | None, str | None
]


def counted_attendance(
    s: OrmSession,
    programme_ids: Sequence[str] | None,
    date_from: dt.date,
    date_to: dt.date,
    programmes_of: dict[str, tuple[str, ...]] | None = None,
) -> list[AttendanceRow]:
    """The named attendances that count, in date order: of the held sessions of the period,
    present or late, of people not erased from view, leaving out a person there as a volunteer
    of the activity or its programme (not a participant). Read once within ``sharing_reads``."""
    shared: dict[Any, list[AttendanceRow]] | None = s.info.get(_SHARED)
    key = (None if programme_ids is None else tuple(programme_ids), date_from, date_to)
    if shared is not None and key in shared:
        return shared[key]
    held = held_sessions(programme_ids, date_from, date_to)
    session_ids = held.with_only_columns(Session.id).scalar_subquery()
    # Plain tuples, dates as the stored ISO text.
    rows: list[Any] = list(
        s.connection()
        .execute(
            select(
                Session.activity_id,
                Attendance.participant_id,
                cast(Session.date, String),
                Participant.gender,
                cast(Participant.birth_date, String),
                Participant.birth_year,
                Attendance.session_id,
                Participant.neighbourhood,
                Participant.nationality,
            )
            .join(Session, Session.id == Attendance.session_id)
            .join(Participant, Participant.id == Attendance.participant_id)
            .where(
                Attendance.session_id.in_(session_ids),
                Attendance.status.in_(COUNTED_STATUSES),
                Participant.deleted_at.is_(None),
            )
            .order_by(Session.date)
        )
        .all()
    )
    volunteering = VolunteerScopes(s)
    if volunteering:
        if programmes_of is None:
            programmes_of = programmes_of_activities(s)
        helping, of = volunteering.helping, programmes_of
        rows = [r for r in rows if not helping(r[1], r[0], of.get(r[0], ()), r[2])]
    if shared is not None:
        shared[key] = rows
    return rows


class FiguresService:
    def __init__(
        self, db: Database, *, counts_only: bool | None = None, from_rows: bool = False
    ) -> None:
        """``from_rows``: the named attendance counted in Python from ``counted_attendance``'s
        rows, the reference definition (the tests compare it with the counts of
        ``app.services.figure_counts``, which the database makes and the application uses)."""
        self._db = db
        self._counts_only = counts_only
        self.from_rows = from_rows

    @property
    def counts_only(self) -> bool:
        """Whether the figures are counted by the office database's counting functions
        (migration 0012_office_counts) rather than from the rows: a viewer's login may not read
        people, their attendance or referrals, only how many. Same figures either way."""
        if self._counts_only is None:
            if self._db.is_file:
                self._counts_only = False
            else:
                from app.domain.office import VIEWER
                from app.services.office import read_role

                self._counts_only = read_role(self._db) == VIEWER
        return self._counts_only

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
        prorate_targets: bool = False,
    ) -> Figures:
        """``compute`` within a caller's read, so its other tables see the same snapshot."""
        figures, _groups = self.compute_grouped_in(
            s, programme_ids, date_from, date_to, age_bands, {}, prorate_targets
        )
        return figures

    def compute_grouped_in(
        self,
        s: OrmSession,
        programme_ids: Sequence[str] | None,
        date_from: dt.date,
        date_to: dt.date,
        age_bands: tuple[str, ...],
        group_of: dict[str, str],
        prorate_targets: bool = False,
    ) -> tuple[Figures, dict[str, Figures]]:
        """The figures with their indicators and, from the same pass, those of each group of
        programmes (``group_of``: programme id -> group, e.g. its category or prestació; a
        person in two programmes of a group counts once in it). Targets pro-rated to the
        period when asked: target x days of the programme in the period / its days."""
        indicators = self._indicator_rows(s, programme_ids)
        # Computed indicators take their own programme's figures: counted in the same pass.
        wanted = {ind.programme_id for ind in indicators if ind.kind != "manual"}
        groupings = {"programme": {pid: pid for pid in wanted}, "group": group_of}
        figures, grouped = self._compute(s, programme_ids, date_from, date_to, age_bands, groupings)
        # Community work: mediation cases counted by the database for a counts-only login.
        community_kinds = {f.key for f in COMMUNITY_FIGURES}
        figures = with_community(s, figures, programme_ids, self.counts_only)
        per_programme = {
            pid: with_community(s, f, [pid], self.counts_only)
            if any(i.programme_id == pid and i.kind in community_kinds for i in indicators)
            else f
            for pid, f in grouped["programme"].items()
        }
        out = []
        for ind in indicators:
            achieved = (
                ind.manual_value
                if ind.kind == "manual"
                else per_programme[ind.programme_id].value(ind.kind)
            )
            target = ind.target
            if prorate_targets and target is not None:
                target = prorated_target(
                    target, ind.programme.start, ind.programme.end, date_from, date_to
                )
            out.append(
                IndicatorFigure(ind.id, ind.programme_id, ind.name, ind.kind, target, achieved)
            )
        return Figures(**{**figures.__dict__, "indicators": tuple(out)}), grouped["group"]

    def band_coverage_in(
        self,
        s: OrmSession,
        programme_ids: Sequence[str] | None,
        date_from: dt.date,
        date_to: dt.date,
        age_bands: tuple[str, ...],
        attendances: int | None = None,
    ) -> BandCoverage:
        """Whether the head counts of the period can be built into ``age_bands``: the
        attendances recorded in a band the set cannot be built from, by recorded band, and
        their share of all attendances (shown before printing; ``attendances`` when the caller has
        counted them)."""
        held = held_sessions(programme_ids, date_from, date_to)
        session_ids = held.with_only_columns(Session.id).scalar_subquery()
        recorded: dict[str, int] = defaultdict(int)
        for band_label, count in s.execute(
            select(HeadCount.age_band, func.sum(HeadCount.count))
            .where(HeadCount.session_id.in_(session_ids))
            .group_by(HeadCount.age_band)
        ):
            recorded[band_label] += int(count or 0)
        unbuilt = {
            label: n
            for label, n in sorted(recorded.items())
            if n and place_recorded_band(label, age_bands) == NOT_BUILDABLE
        }
        if attendances is not None:  # the caller counted them already (the figures)
            return BandCoverage(attendances=attendances, not_buildable=unbuilt)
        if self.counts_only:
            named = sum(n for *_rest, n in _attendance_counts(s, programme_ids, date_from, date_to))
            return BandCoverage(
                attendances=int(named) + sum(recorded.values()), not_buildable=unbuilt
            )
        from app.services import figure_counts  # which builds on this module

        if self.from_rows:
            named = len(counted_attendance(s, programme_ids, date_from, date_to))
        else:
            named = figure_counts.counted_total(s, programme_ids, date_from, date_to)
        return BandCoverage(attendances=named + sum(recorded.values()), not_buildable=unbuilt)

    def compute_each_in(
        self,
        s: OrmSession,
        programme_ids: Sequence[str],
        date_from: dt.date,
        date_to: dt.date,
    ) -> dict[str, Figures]:
        """Each programme's figures (without indicators) within a caller's read."""
        _whole, grouped = self._compute(
            s,
            programme_ids,
            date_from,
            date_to,
            AGE_BAND_PRESETS["default"],
            {"programme": {pid: pid for pid in programme_ids}},
        )
        return grouped["programme"]

    def compute_each(
        self,
        programme_ids: Sequence[str],
        date_from: dt.date,
        date_to: dt.date,
        age_bands: tuple[str, ...] = AGE_BAND_PRESETS["default"],
    ) -> dict[str, Figures]:
        """Each programme's figures (without indicators), all counted in one pass."""
        with self._db.read() as s:
            _whole, grouped = self._compute(
                s,
                programme_ids,
                date_from,
                date_to,
                age_bands,
                {"programme": {pid: pid for pid in programme_ids}},
            )
        return grouped["programme"]

    def _compute(
        self,
        s: OrmSession,
        programme_ids: Sequence[str] | None,
        date_from: dt.date,
        date_to: dt.date,
        age_bands: tuple[str, ...],
        groupings: dict[str, dict[str, str]] | None = None,
    ) -> tuple[Figures, dict[str, dict[str, Figures]]]:
        """The figures of ``programme_ids`` (None: the whole entity) and, from the same rows,
        those of each group of each grouping (name -> programme id -> group key; the
        programmes must be among the first)."""
        groupings = groupings or {}
        held = held_sessions(programme_ids, date_from, date_to)
        session_ids = held.with_only_columns(Session.id).scalar_subquery()
        conn = s.connection()
        whole = _Tally()
        tallies = {
            name: {key: _Tally() for key in set(group_of.values())}
            for name, group_of in groupings.items()
        }
        # An activity's rows go to each of its programmes (coproduction), once to each tally.
        programmes_of = programmes_of_activities(s)
        activity_routes: dict[str, list[_Tally]] = {}

        def route_activity(activity_id: str) -> list[_Tally]:
            if activity_id not in activity_routes:
                out = [whole]
                for programme_id in programmes_of.get(activity_id, ()):
                    for tally in route(programme_id)[1:]:
                        if tally not in out:
                            out.append(tally)
                activity_routes[activity_id] = out
            return activity_routes[activity_id]

        # The tallies a programme's rows go to: the whole and its group in each grouping.
        routes: dict[str, list[_Tally]] = {}

        def route(programme_id: str) -> list[_Tally]:
            if programme_id not in routes:
                out = [whole]
                for name, group_of in groupings.items():
                    key = group_of.get(programme_id)
                    if key is not None:
                        out.append(tallies[name][key])
                routes[programme_id] = out
            return routes[programme_id]

        # Sessions and their minutes, counted in SQL per activity; open events and estimates.
        for activity_id, n, minutes, estimated, new_people in conn.execute(
            held.with_only_columns(
                Session.activity_id,
                func.count(),
                func.coalesce(func.sum(_MINUTES), 0),
                func.count(Session.new_people),
                func.coalesce(func.sum(Session.new_people), 0),
            ).group_by(Session.activity_id)
        ):
            for tally in route_activity(activity_id):
                tally.sessions += n
                tally.minutes += minutes
                tally.estimated += estimated
                tally.new_people += int(new_people or 0)
        for activity_id, n in conn.execute(
            held.with_only_columns(Session.activity_id, func.count(Session.id))
            .where(
                Session.id.in_(select(HeadCount.session_id).where(HeadCount.count > 0))
                | Session.new_people.is_not(None)
            )
            .group_by(Session.activity_id)
        ):
            for tally in route_activity(activity_id):
                tally.open_events += n

        # Head counts, summed in SQL per activity, gender and band.
        for activity_id, gender, band_label, count in conn.execute(
            select(
                Session.activity_id,
                HeadCount.gender,
                HeadCount.age_band,
                func.sum(HeadCount.count),
            )
            .join(Session, Session.id == HeadCount.session_id)
            .where(HeadCount.session_id.in_(session_ids))
            .group_by(Session.activity_id, HeadCount.gender, HeadCount.age_band)
        ):
            band = place_recorded_band(band_label, age_bands)
            for tally in route_activity(activity_id):
                tally.head_count(gender, band, int(count or 0))

        if self.counts_only:
            members = self._attend_counted(
                s,
                programme_ids,
                date_from,
                date_to,
                age_bands,
                groupings,
                whole,
                tallies,
                route_activity,
            )
        else:
            members = self._attend_rows(
                s,
                programme_ids,
                date_from,
                date_to,
                age_bands,
                groupings,
                whole,
                tallies,
                programmes_of,
            )

        # Volunteers and their hours, apart from the participants (personal data: not on a
        # counts-only login).
        group_ids = {
            (name, key): set(members[name][key]) for name, group in tallies.items() for key in group
        }
        vol_whole, vol_groups = (
            counted_volunteer_figures(s, programme_ids, date_from, date_to, group_ids)
            if self.counts_only
            else volunteer_figures(s, programme_ids, date_from, date_to, programmes_of, group_ids)
        )

        def figures(tally: _Tally, ids: Sequence[str] | None, vol: Any) -> Figures:
            network = total(counted_meetings(s, ids, date_from, date_to))
            out = tally.figures(date_from, date_to, age_bands, network)
            if vol is None:
                return out
            return replace(
                out,
                volunteers=vol.volunteers,
                volunteer_hours=vol.hours,
                volunteer_hours_by_month=vol.hours_by_month,
                volunteer_hours_by_programme=vol.hours_by_programme,
            )

        grouped: dict[str, dict[str, Figures]] = {
            name: {
                key: figures(tally, members[name][key], vol_groups.get((name, key)))
                for key, tally in group.items()
            }
            for name, group in tallies.items()
        }
        return figures(whole, programme_ids, vol_whole), grouped

    @staticmethod
    def _members(groupings: dict[str, dict[str, str]]) -> dict[str, dict[str, list[str]]]:
        """grouping -> group -> its programmes."""
        members: dict[str, dict[str, list[str]]] = {}
        for name, group_of in groupings.items():
            members[name] = defaultdict(list)
            for pid, key in group_of.items():
                members[name][key].append(pid)
        return members

    def _attend_counted(
        self,
        s: OrmSession,
        programme_ids: Sequence[str] | None,
        date_from: dt.date,
        date_to: dt.date,
        age_bands: tuple[str, ...],
        groupings: dict[str, dict[str, str]],
        whole: _Tally,
        tallies: dict[str, dict[str, _Tally]],
        route_activity: Any,
    ) -> dict[str, dict[str, list[str]]]:
        """Named attendances and referrals from the counting functions (no person read): the
        attendances by activity (in each of its programmes), gender and age; each set's people
        (the whole, each group) and referrals counted by the database, a person once per set."""
        for _programme, activity_id, _month, gender, age, n in _attendance_counts(
            s, programme_ids, date_from, date_to
        ):
            code = gender if gender in _GENDERS else "undisclosed"
            band = band_for_age(age, age_bands)
            for tally in route_activity(activity_id):
                tally.attend_count(code, band, int(n))
        members = self._members(groupings)
        sets: list[tuple[_Tally, Sequence[str] | None]] = [(whole, programme_ids)]
        for name in groupings:
            sets += [(tally, members[name][key]) for key, tally in tallies[name].items()]
        for tally, ids in sets:
            for gender, age, n in s.execute(
                text(
                    "SELECT gender, age, people FROM teixit_people_counts"
                    "(:date_from, :date_to, CAST(:ids AS text[]))"
                ),
                _arguments(ids, date_from, date_to),
            ):
                code = gender if gender in _GENDERS else "undisclosed"
                tally.count_people(code, band_for_age(age, age_bands), int(n))
            tally.referrals = int(
                s.execute(
                    text(
                        "SELECT teixit_referral_total(:date_from, :date_to, CAST(:ids AS text[]))"
                    ),
                    _arguments(ids, date_from, date_to),
                ).scalar()
                or 0
            )
        counts: Counter[tuple[str, str, str]] = Counter()
        reached: Counter[tuple[str, str, str]] = Counter()
        for programme_id, org, status, n, n_reached in s.execute(
            text(
                "SELECT programme_id, organisation_id, status, referrals, reached FROM "
                "teixit_referral_counts(:date_from, :date_to, CAST(:ids AS text[]))"
            ),
            _arguments(programme_ids, date_from, date_to),
        ):
            counts[(programme_id or "", org or "", status)] += int(n)
            reached[(programme_id or "", org or "", status)] += int(n_reached or 0)
        whole.referral_rows = self._referral_table(s, counts, reached)
        return members

    def _attend_rows(
        self,
        s: OrmSession,
        programme_ids: Sequence[str] | None,
        date_from: dt.date,
        date_to: dt.date,
        age_bands: tuple[str, ...],
        groupings: dict[str, dict[str, str]],
        whole: _Tally,
        tallies: dict[str, dict[str, _Tally]],
        programmes_of: dict[str, tuple[str, ...]],
    ) -> dict[str, dict[str, list[str]]]:
        """Named attendances and referrals from the rows (whoever may read people), counted by
        the database (``figure_counts``) or, ``from_rows``, in Python."""
        from app.services import figure_counts  # which builds on this module

        # One row per activity, person and age; each activity's partial counts, which each
        # tally then adds up, a person's band being the one of their earliest day in it.
        if self.from_rows:
            rows = figure_counts.participation_of_rows(
                counted_attendance(s, programme_ids, date_from, date_to, programmes_of)
            )
        else:
            rows = figure_counts.participation(s, programme_ids, date_from, date_to)
        partial: dict[str, _Attended] = defaultdict(_Attended)
        for activity_id, pid, age, n, first_day, person_gender, _hood, _nation in rows:
            code = person_gender if person_gender in _GENDERS else "undisclosed"
            partial[activity_id].add(pid, code, band_for_age(age, age_bands), n, first_day)
        whole.attend(partial.values())
        activities_of: dict[str, list[str]] = defaultdict(list)
        for activity_id in partial:
            for programme_id in programmes_of.get(activity_id, ()):
                activities_of[programme_id].append(activity_id)
        members = self._members(groupings)
        for name in groupings:
            for key, tally in tallies[name].items():
                mine = dict.fromkeys(a for p in members[name][key] for a in activities_of[p])
                tally.attend(partial[a] for a in mine)
        every = [whole, *(t for group in tallies.values() for t in group.values())]
        # Each programme's people (for referrals).
        programme_people: dict[str, set[str]] = {
            p: set().union(*(partial[a].first for a in acts)) for p, acts in activities_of.items()
        }

        # Referrals to a service, dated in the period: each under the programmes its person
        # took part in (the whole entity counts every one).
        # A referral that names the programme it came from counts under that programme alone.
        referral_list = self._referrals(s, date_from, date_to)
        own: dict[int, set[str] | None] = {
            id(whole): None if programme_ids is None else set(programme_ids)
        }
        for name, group in tallies.items():
            for key, tally in group.items():
                own[id(tally)] = set(members[name][key])
        for tally in every:
            counted_in = own.get(id(tally))
            tally.referrals = sum(
                1
                for r in referral_list
                if counted_in is None or (r[3] in counted_in if r[3] else r[0] in tally.people)
            )
        people_programmes = {
            r[0]: {p for p, people in programme_people.items() if r[0] in people}
            for r in referral_list
        }
        whole.referral_rows = self._referral_rows(
            s, referral_list, people_programmes, programme_ids
        )
        return members

    @staticmethod
    def _referrals(
        s: OrmSession, date_from: dt.date, date_to: dt.date
    ) -> list[tuple[str, str, str, str, bool | None]]:
        """(person, destination organisation, status, programme it came from or "", whether the
        person reached the service) of each referral to a service dated in the period (erased
        people's too: figures already reported do not change)."""
        return [
            (pid, org or "", status, programme or "", reached)
            for pid, org, status, programme, reached in s.execute(
                select(
                    Referral.participant_id,
                    Referral.to_organisation_id,
                    Referral.status,
                    Referral.programme_id,
                    Referral.reached,
                )
                .join(Participant, Participant.id == Referral.participant_id)
                .where(
                    Referral.to_organisation_id.is_not(None),
                    Referral.date >= date_from,
                    Referral.date <= date_to,
                    Participant.deleted_at.is_(None),
                )
            )
        ]

    @staticmethod
    def _referral_rows(
        s: OrmSession,
        referrals: list[tuple[str, str, str, str, bool | None]],
        people_programmes: dict[str, set[str]],
        programme_ids: Sequence[str] | None,
    ) -> tuple[ReferralRow, ...]:
        """Referrals by programme, destination and status, and how many of them reached the
        service. A referral that names its programme counts under it; otherwise a person in two
        programmes counts under each and, for the whole entity, one who took part in none under
        no programme."""
        if not referrals:
            return ()
        counts: Counter[tuple[str, str, str]] = Counter()
        reached_counts: Counter[tuple[str, str, str]] = Counter()
        for pid, org, status, programme, reached in referrals:
            if programme:
                programmes = (
                    {programme} if programme_ids is None or programme in programme_ids else set()
                )
            else:
                programmes = people_programmes.get(pid, set())
                if not programmes and programme_ids is None:
                    programmes = {""}
            for programme_id in programmes:
                counts[(programme_id, org, status)] += 1
                reached_counts[(programme_id, org, status)] += 1 if reached else 0
        return FiguresService._referral_table(s, counts, reached_counts)

    @staticmethod
    def _referral_table(
        s: OrmSession,
        by_ids: Counter[tuple[str, str, str]],
        reached_by_ids: Counter[tuple[str, str, str]] | None = None,
    ) -> tuple[ReferralRow, ...]:
        """(programme id, organisation id, status) -> referrals (and how many reached the
        service), as the table's rows: by programme code (people in none last), destination and
        status."""
        if not by_ids:
            return ()
        codes = dict(s.execute(select(Programme.id, Programme.code)).all())
        orgs = dict(s.execute(select(Organisation.id, Organisation.name)).all())
        counts: Counter[tuple[str, str, str]] = Counter()
        reached_counts: Counter[tuple[str, str, str]] = Counter()
        for (programme_id, org, status), n in by_ids.items():
            key = (codes.get(programme_id, ""), orgs.get(org, ""), status)
            counts[key] += n
            reached_counts[key] += (reached_by_ids or Counter())[(programme_id, org, status)]
        return tuple(
            ReferralRow(code, destination, status, n, reached_counts[(code, destination, status)])
            for (code, destination, status), n in sorted(
                counts.items(),
                key=lambda kv: (kv[0][0] == "", kv[0][0], kv[0][1].lower(), kv[0][2]),
            )
        )

    def _indicator_rows(
        self, s: OrmSession, programme_ids: Sequence[str] | None
    ) -> list[Indicator]:
        q = (
            select(Indicator)
            .join(Programme, Programme.id == Indicator.programme_id)
            .where(Programme.deleted_at.is_(None))
            .order_by(Programme.code, Indicator.created_at, Indicator.name)
            .options(selectinload(Indicator.programme))
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
        f"(CAST(substr({column}, 1, 2) AS INTEGER) * 60 + CAST(substr({column}, 4, 2) AS INTEGER))"
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


def _arguments(
    programme_ids: Sequence[str] | None, date_from: dt.date, date_to: dt.date
) -> dict[str, Any]:
    ids = None if programme_ids is None else list(programme_ids)
    return {"date_from": date_from, "date_to": date_to, "ids": ids}


def _attendance_counts(
    s: OrmSession, programme_ids: Sequence[str] | None, date_from: dt.date, date_to: dt.date
) -> list[Any]:
    """(programme, activity, month, gender, age, attendances) from the office database's
    counting function."""
    return list(
        s.execute(
            text(
                "SELECT programme_id, activity_id, month, gender, age, attendances FROM "
                "teixit_attendance_counts(:date_from, :date_to, CAST(:ids AS text[]))"
            ),
            _arguments(programme_ids, date_from, date_to),
        ).all()
    )


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


_GENDERS = frozenset(GENDER_CODES)


class _Attended:
    """One activity's named attendances: how many, by gender and band, and each person's
    first (ISO day, gender code, band)."""

    __slots__ = ("cross", "first", "named")

    def __init__(self) -> None:
        self.named = 0
        self.cross: Counter[tuple[str, str]] = Counter()
        self.first: dict[str, tuple[str, str, str]] = {}

    def add(self, pid: str, code: str, band: str, attendances: int, first_day: str) -> None:
        """A person's ``attendances`` in ``band``, the first of them on ``first_day``."""
        self.named += attendances
        self.cross[(code, band)] += attendances
        seen = self.first.get(pid)
        if seen is None or first_day < seen[0]:
            self.first[pid] = (first_day, code, band)


class _Tally:
    """What one set of programmes counts while the rows go by."""

    def __init__(self) -> None:
        self.sessions = 0
        self.minutes = 0
        self.gender_people: dict[str, int] = defaultdict(int)
        self.gender_att: dict[str, int] = defaultdict(int)
        self.band_people: dict[str, int] = defaultdict(int)
        self.band_att: dict[str, int] = defaultdict(int)
        self.cross_people: dict[tuple[str, str], int] = defaultdict(int)
        self.cross_att: dict[tuple[str, str], int] = defaultdict(int)
        self.participants = 0
        self.people: set[str] = set()
        self.named = 0
        self.anonymous = 0
        self.open_events = 0
        self.estimated = 0
        self.new_people = 0
        self.referrals = 0
        self.referral_rows: tuple[ReferralRow, ...] = ()
        self.unbuilt = 0
        self.unbuilt_by_gender: dict[str, int] = defaultdict(int)

    def attend(self, parts: Iterable[_Attended]) -> None:
        """The named attendances of some programmes, from each one's partial counts."""
        first: dict[str, tuple[str, str, str]] = {}
        for part in parts:
            self.named += part.named
            for (code, band), n in part.cross.items():
                self.gender_att[code] += n
                self.band_att[band] += n
                self.cross_att[(code, band)] += n
            if not first:
                first = dict(part.first)
                continue
            for pid, seen in part.first.items():
                mine = first.get(pid)
                if mine is None or seen[0] < mine[0]:
                    first[pid] = seen
        # A person counts once: in the band of their first counted session (the earliest day).
        self.participants = len(first)
        self.people = set(first)
        for (code, band), n in Counter((c, b) for _day, c, b in first.values()).items():
            self.gender_people[code] += n
            self.band_people[band] += n
            self.cross_people[(code, band)] += n

    def attend_count(self, code: str, band: str, count: int) -> None:
        """Named attendances counted by the database (a person's own band on the day)."""
        self.named += count
        self.gender_att[code] += count
        self.band_att[band] += count
        self.cross_att[(code, band)] += count

    def count_people(self, code: str, band: str, count: int) -> None:
        """People counted by the database, each once, in the band of their first day."""
        self.participants += count
        self.gender_people[code] += count
        self.band_people[band] += count
        self.cross_people[(code, band)] += count

    def head_count(self, gender: str, band: str, count: int) -> None:
        code = gender if gender in GENDER_CODES else "undisclosed"
        if band == NOT_BUILDABLE:
            self.unbuilt += count
            self.unbuilt_by_gender[code] += count
        self.anonymous += count
        self.gender_att[code] += count
        self.band_att[band] += count
        self.cross_att[(code, band)] += count

    def figures(
        self, date_from: dt.date, date_to: dt.date, age_bands: tuple[str, ...], network: Any
    ) -> Figures:
        # Bands of the set, then ages outside it (a set that leaves ages out), then unknown.
        # Head counts the set cannot be built from are inside unknown (DESIGN section 5's
        # shape) and also apart, so documents name them: never a silent "unknown".
        for key in (self.band_people, self.band_att):
            key[UNKNOWN_BAND] += key.pop(NOT_BUILDABLE, 0)
        for code in GENDER_CODES:
            self.cross_att[(code, UNKNOWN_BAND)] += self.cross_att.pop((code, NOT_BUILDABLE), 0)
        unbuilt = self.unbuilt
        outside = () if covers_all_ages(age_bands) else (OUTSIDE_BANDS,)
        labels = (*age_bands, *outside, UNKNOWN_BAND)
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
                label: Breakdown(self.band_people[label], self.band_att[label]) for label in labels
            },
            by_gender_age={
                code: {
                    label: Breakdown(
                        self.cross_people[(code, label)], self.cross_att[(code, label)]
                    )
                    for label in labels
                }
                for code in GENDER_CODES
            },
            meetings=network.meetings,
            meeting_hours=network.hours,
            agreements_adopted=network.agreements_adopted,
            agreements_done=network.agreements_done,
            referrals=self.referrals,
            referral_rows=self.referral_rows,
            open_events=self.open_events,
            open_events_estimated=self.estimated,
            people_reached_estimate=self.new_people,
            age_not_buildable=unbuilt,
            age_not_buildable_by_gender={c: self.unbuilt_by_gender[c] for c in GENDER_CODES},
        )


def with_community(
    s: OrmSession,
    figures: Figures,
    programme_ids: Sequence[str] | None,
    counts_only: bool = False,
) -> Figures:
    """``figures`` with the community-work figures of the same programmes and period."""
    c = community_figures(s, programme_ids, figures.date_from, figures.date_to, counts_only)
    return dataclasses.replace(
        figures,
        groups_accompanied=c.groups_accompanied,
        groups_autonomous=c.groups_autonomous_in_period,
        mediation_cases_opened=c.cases_opened,
        mediation_cases_closed=c.cases_closed,
        needs_detected=c.needs_detected,
    )
