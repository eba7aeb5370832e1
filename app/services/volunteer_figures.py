"""What the figures need of volunteers and coproduction, defined once: the programmes each
activity belongs to, whether a person was there as a volunteer (then not as a participant), and
the volunteers and their hours of a period.

Counting rules (docs/volunteers.md):
- an activity counts in its own programme and in each other programme it also belongs to, once
  in each, and once in the entity's total;
- a person's attendance at a session does not count (neither as a participant nor as an
  attendance) when, on the session's day, they were a volunteer of the session's activity or of
  one of its programmes: they were there to help, and their time counts as volunteer hours;
- volunteers of a period: people whose volunteering overlaps it, in the programmes they help in
  (their programmes, their activities' programmes, and those they gave hours in);
- volunteer hours: by session (dated on it, in each of its activity's programmes) or by month (in
  the programme recorded).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session as OrmSession

from app.db.models import (
    Activity,
    Programme,
    Session,
    Volunteer,
    VolunteerHours,
    activity_programme,
    volunteer_activity,
    volunteer_programme,
)
from app.domain.volunteers import VolunteerFigures


def programmes_of_activities(s: OrmSession) -> dict[str, tuple[str, ...]]:
    """Each live activity's programmes: its own first, then the others it also belongs to
    (deleted programmes left out)."""
    out: dict[str, list[str]] = {}
    for aid, pid in s.execute(
        select(Activity.id, Activity.programme_id)
        .join(Programme, Programme.id == Activity.programme_id)
        .where(Activity.deleted_at.is_(None), Programme.deleted_at.is_(None))
    ):
        out[aid] = [pid]
    for aid, pid in s.execute(
        select(activity_programme.c.activity_id, activity_programme.c.programme_id)
        .join(Programme, Programme.id == activity_programme.c.programme_id)
        .where(Programme.deleted_at.is_(None))
        .order_by(Programme.code)
    ):
        if aid in out and pid not in out[aid]:
            out[aid].append(pid)
    return {aid: tuple(pids) for aid, pids in out.items()}


@dataclass(frozen=True)
class _Scope:
    start: str  # ISO dates, as the figures' rows carry them
    end: str | None
    programmes: frozenset[str]
    activities: frozenset[str]


class VolunteerScopes:
    """Who volunteered where and when: answers "was this person there as a volunteer?"."""

    def __init__(self, s: OrmSession) -> None:
        programmes: dict[str, set[str]] = defaultdict(set)
        activities: dict[str, set[str]] = defaultdict(set)
        for vid, pid in s.execute(select(volunteer_programme)):
            programmes[vid].add(pid)
        for vid, aid in s.execute(select(volunteer_activity)):
            activities[vid].add(aid)
        self._by_person: dict[str, list[_Scope]] = defaultdict(list)
        for vid, person, start, end in s.execute(
            select(Volunteer.id, Volunteer.participant_id, Volunteer.start, Volunteer.end).where(
                Volunteer.deleted_at.is_(None)
            )
        ):
            self._by_person[person].append(
                _Scope(
                    start.isoformat(),
                    end.isoformat() if end else None,
                    frozenset(programmes[vid]),
                    frozenset(activities[vid]),
                )
            )

    def __bool__(self) -> bool:
        return bool(self._by_person)

    def helping(self, person: str, activity: str, programmes: Iterable[str], day: str) -> bool:
        """Whether ``person`` was a volunteer of ``activity`` (or of one of its ``programmes``)
        on ``day`` (ISO)."""
        scopes = self._by_person.get(person)
        if not scopes:
            return False
        for scope in scopes:
            if day < scope.start or (scope.end is not None and day > scope.end):
                continue
            if activity in scope.activities or not scope.programmes.isdisjoint(programmes):
                return True
        return False


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def volunteer_figures(
    s: OrmSession,
    programme_ids: Sequence[str] | None,
    date_from: dt.date,
    date_to: dt.date,
    programmes_of: dict[str, tuple[str, ...]] | None = None,
    groups: dict[tuple[str, str], set[str]] | None = None,
) -> tuple[VolunteerFigures, dict[tuple[str, str], VolunteerFigures]]:
    """The volunteers and hours of ``programme_ids`` (None: the whole entity) in the period and
    of each group of ``groups`` (key -> programme ids). Hours of a session or month in two of
    the programmes count once in the whole and once in each group."""
    programmes_of = programmes_of if programmes_of is not None else programmes_of_activities(s)
    codes = dict(s.execute(select(Programme.id, Programme.code)).all())
    wanted = set(programme_ids) if programme_ids is not None else None
    groups = groups or {}

    # Each volunteer's programmes: their own, their activities', those they gave hours in.
    people: dict[str, set[str]] = {}
    for (vid,) in s.execute(
        select(Volunteer.id).where(
            Volunteer.deleted_at.is_(None),
            Volunteer.start <= date_to,
            (Volunteer.end.is_(None)) | (Volunteer.end >= date_from),
        )
    ):
        people[vid] = set()
    for vid, pid in s.execute(select(volunteer_programme)):
        if vid in people:
            people[vid].add(pid)
    for vid, aid in s.execute(select(volunteer_activity)):
        if vid in people:
            people[vid].update(programmes_of.get(aid, ()))

    # Hours entries of the period and the programmes each counts in.
    entries: list[tuple[str, str, float, set[str]]] = []
    for vid, day, hours, pid, aid in s.execute(
        select(
            VolunteerHours.volunteer_id,
            VolunteerHours.date,
            VolunteerHours.hours,
            VolunteerHours.programme_id,
            Session.activity_id,
        )
        .join(Volunteer, Volunteer.id == VolunteerHours.volunteer_id)
        .outerjoin(Session, Session.id == VolunteerHours.session_id)
        .where(
            Volunteer.deleted_at.is_(None),
            VolunteerHours.date >= date_from,
            VolunteerHours.date <= date_to,
            Session.deleted_at.is_(None),
            Session.id.is_(None) | (Session.status == "held"),
        )
    ):
        programmes = set(programmes_of.get(aid, ())) if aid else ({pid} if pid else set())
        entries.append((vid, _month(day), float(hours or 0), programmes))
        if vid in people:
            people[vid].update(programmes)

    def tally(scope: set[str] | None) -> VolunteerFigures:
        def inside(programmes: set[str]) -> bool:
            return scope is None or not programmes.isdisjoint(scope)

        counted = {vid for vid, programmes in people.items() if inside(programmes)}
        by_month: dict[str, float] = defaultdict(float)
        by_programme: dict[str, float] = defaultdict(float)
        by_both: dict[tuple[str, str], float] = defaultdict(float)
        total = 0.0
        for _vid, month, hours, programmes in entries:
            if not inside(programmes):
                continue
            total += hours
            by_month[month] += hours
            for pid in programmes:
                if scope is None or pid in scope:
                    code = codes.get(pid, "")
                    by_programme[code] += hours
                    by_both[(code, month)] += hours
        per_programme: dict[str, int] = defaultdict(int)
        for vid in counted:
            for pid in people[vid]:
                if scope is None or pid in scope:
                    per_programme[codes.get(pid, "")] += 1
        return VolunteerFigures(
            volunteers=len(counted),
            hours=total,
            hours_by_month=dict(sorted(by_month.items())),
            hours_by_programme=dict(sorted(by_programme.items())),
            hours_by_programme_month=dict(sorted(by_both.items())),
            volunteers_by_programme=dict(sorted(per_programme.items())),
        )

    return tally(wanted), {key: tally(set(ids)) for key, ids in groups.items()}


def counted_volunteer_figures(
    s: OrmSession,
    programme_ids: Sequence[str] | None,
    date_from: dt.date,
    date_to: dt.date,
    groups: dict[tuple[str, str], set[str]] | None = None,
) -> tuple[VolunteerFigures, dict[tuple[str, str], VolunteerFigures]]:
    """``volunteer_figures`` counted by the office database's counting functions (migration
    0017_viewer_counts), for a login that may not read volunteers: the same figures."""
    codes = dict(s.execute(select(Programme.id, Programme.code)).all())

    def tally(scope: Sequence[str] | None) -> VolunteerFigures:
        arguments = {
            "date_from": date_from,
            "date_to": date_to,
            "ids": None if scope is None else list(scope),
        }
        volunteers = 0
        per_programme: dict[str, int] = defaultdict(int)
        for pid, n in s.execute(
            text(
                "SELECT programme_id, volunteers FROM "
                "teixit_volunteer_counts(:date_from, :date_to, CAST(:ids AS text[]))"
            ),
            arguments,
        ):
            if pid is None:
                volunteers = int(n)
            else:
                per_programme[codes.get(pid, "")] += int(n)
        by_month: dict[str, float] = defaultdict(float)
        by_programme: dict[str, float] = defaultdict(float)
        by_both: dict[tuple[str, str], float] = defaultdict(float)
        for pid, month, hours in s.execute(
            text(
                "SELECT programme_id, month, hours FROM "
                "teixit_volunteer_hours(:date_from, :date_to, CAST(:ids AS text[]))"
            ),
            arguments,
        ):
            if pid is None:
                by_month[month] += float(hours)
            else:
                code = codes.get(pid, "")
                by_programme[code] += float(hours)
                by_both[(code, month)] += float(hours)
        return VolunteerFigures(
            volunteers=volunteers,
            hours=sum(by_month.values()),
            hours_by_month=dict(sorted(by_month.items())),
            hours_by_programme=dict(sorted(by_programme.items())),
            hours_by_programme_month=dict(sorted(by_both.items())),
            volunteers_by_programme=dict(sorted(per_programme.items())),
        )

    groups = groups or {}
    return tally(programme_ids), {key: tally(sorted(ids)) for key, ids in groups.items()}
