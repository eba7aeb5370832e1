"""The tables of a justification report beyond the figures of DESIGN section 5: per activity,
per month, by neighbourhood and nationality, the annex of held sessions and the network work per
space. They start from the same held sessions and counted records as ``FiguresService``."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session as OrmSession

from app.db.models import (
    Activity,
    Evidence,
    HeadCount,
    NetworkSpace,
    Place,
    Programme,
    Session,
    Staff,
    activity_facilitator,
    session_facilitator,
)
from app.domain.figures import GENDER_CODES, Breakdown, duration_hours
from app.domain.report import (
    NOT_RECORDED,
    ActivityRow,
    AnnexRow,
    MonthRow,
    NetworkRow,
    ReportRequest,
    SessionStatusRow,
)
from app.domain.text import fold
from app.domain.texts import TextBook
from app.services import figure_counts, network_figures
from app.services.figures import counted_attendance, held_sessions
from app.services.network_reads import names


def _months(date_from: dt.date, date_to: dt.date) -> list[tuple[int, int]]:
    out, y, m = [], date_from.year, date_from.month
    while (y, m) <= (date_to.year, date_to.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def session_tables(
    s: OrmSession,
    request: ReportRequest,
    book: TextBook | None = None,
    counts_only: bool = False,
    from_rows: bool = False,
) -> dict[str, Any]:
    """Per activity, per month, per neighbourhood and nationality, and the annex, from the
    same held sessions and counted attendance as the figures (activity names in the document's
    language when ``book`` is given). ``counts_only``: the attendance counted by the office
    database's counting functions (migration 0017_viewer_counts), for a login that may not read
    people; the same tables. ``from_rows``: counted in Python from the rows, the reference
    definition (see ``FiguresService``)."""
    ids, d_from, d_to = request.programme_ids, request.date_from, request.date_to
    held = held_sessions(ids, d_from, d_to)
    held_ids = held.with_only_columns(Session.id).scalar_subquery()
    # Plain Core reads on the session's connection (same snapshot): no ORM row processing.
    conn = s.connection()
    sessions = conn.execute(
        held.add_columns(
            Activity.id.label("activity_id"),
            Activity.name.label("activity"),
            Activity.kind,
            Activity.place_id.label("activity_place"),
            Session.place_id,
            Programme.code,
        ).order_by(Session.date, Session.start_time, Programme.code, Activity.name)
    ).all()
    places = {r[0]: r[1] for r in s.execute(select(Place.id, Place.name))}
    session_staff: dict[str, list[str]] = defaultdict(list)
    for sid, name in s.execute(
        select(session_facilitator.c.session_id, Staff.name)
        .join(Staff, Staff.id == session_facilitator.c.staff_id)
        .where(session_facilitator.c.session_id.in_(held_ids))
        .order_by(Staff.name)
    ):
        session_staff[sid].append(name)
    activity_staff: dict[str, list[str]] = defaultdict(list)
    for aid, name in s.execute(
        select(activity_facilitator.c.activity_id, Staff.name)
        .join(Staff, Staff.id == activity_facilitator.c.staff_id)
        .order_by(Staff.name)
    ):
        activity_staff[aid].append(name)
    heads: dict[str, int] = defaultdict(int)
    heads_by_gender: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for sid, gender, count in s.execute(
        select(HeadCount.session_id, HeadCount.gender, func.sum(HeadCount.count))
        .where(HeadCount.session_id.in_(held_ids))
        .group_by(HeadCount.session_id, HeadCount.gender)
    ):
        heads[sid] += int(count or 0)
        heads_by_gender[sid].append((gender_code(gender), int(count or 0)))

    signed = {
        r[0]: int(r[1] or 0)
        for r in s.execute(
            select(Evidence.session_id, func.count(Evidence.id))
            .where(Evidence.session_id.in_(held_ids), Evidence.kind == "signed_sheet")
            .group_by(Evidence.session_id)
        )
    }
    per_session: dict[str, int] = defaultdict(int)
    act_people: dict[str, set[tuple[str, str]]] = defaultdict(set)
    act_gender_att: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    hood_people: dict[str, set[str]] = defaultdict(set)
    hood_att: dict[str, int] = defaultdict(int)
    nat_people: dict[str, set[str]] = defaultdict(set)
    nat_att: dict[str, int] = defaultdict(int)
    # The same counted attendance as the figures (counted once in a report's read): people
    # there as volunteers are not participants. One row per activity, person and age, and the
    # attendances of each session, counted by the database (``from_rows``: in Python, the
    # reference definition). A login that may not read people (counts_only) gets them from the
    # office database's counting functions below.
    rows: list[figure_counts.Participation] = []
    if from_rows:
        marks = counted_attendance(s, ids, d_from, d_to)
        rows = figure_counts.participation_of_rows(marks)
        per_session.update(figure_counts.session_attendances_of_rows(marks))
    elif not counts_only:
        rows = figure_counts.participation(s, ids, d_from, d_to)
        per_session.update(figure_counts.session_attendances(s, ids, d_from, d_to))
    # A recorded neighbourhood or nationality is tidied once per value.
    hoods: dict[str | None, str] = {}
    nations: dict[str | None, str] = {}
    for aid, pid, _age, n, _first, person_gender, recorded_hood, recorded_nat in rows:
        counted_as = person_gender if person_gender in _GENDERS else "undisclosed"
        act_people[aid].add((pid, counted_as))
        act_gender_att[aid][counted_as] += n
        hood = hoods.get(recorded_hood)
        if hood is None:
            hood = hoods[recorded_hood] = (recorded_hood or "").strip() or NOT_RECORDED
        nat = nations.get(recorded_nat)
        if nat is None:
            nat = nations[recorded_nat] = (recorded_nat or "").strip().upper() or NOT_RECORDED
        hood_people[hood].add(pid)
        hood_att[hood] += n
        nat_people[nat].add(pid)
        nat_att[nat] += n
    if counts_only:
        counted_people = _counted_tables(
            s, ids, d_from, d_to, per_session, act_gender_att, hood_att, nat_att
        )
    anonymous = sum(int(v or 0) for v in heads.values())
    act_n_people = {aid: _gender_counts(people) for aid, people in act_people.items()}
    hood_n = {k: len(v) for k, v in hood_people.items()}
    nat_n = {k: len(v) for k, v in nat_people.items()}
    if counts_only:
        act_n_people, hood_n, nat_n = counted_people
    if anonymous:  # head counts have no neighbourhood or nationality
        hood_att[NOT_RECORDED] += anonymous
        nat_att[NOT_RECORDED] += anonymous
        hood_n.setdefault(NOT_RECORDED, 0)
        nat_n.setdefault(NOT_RECORDED, 0)

    act_info: dict[str, tuple[str, str, str]] = {}
    act_n: dict[str, int] = defaultdict(int)
    act_hours: dict[str, float] = defaultdict(float)
    act_att: dict[str, int] = defaultdict(int)
    month_sessions: dict[tuple[int, int], int] = defaultdict(int)
    month_att: dict[tuple[int, int], int] = defaultdict(int)
    annex = []
    for r in sessions:
        att = per_session[r.id] + int(heads.get(r.id) or 0)
        hours = duration_hours(r.start_time, r.end_time)
        if r.activity_id not in act_info:
            act_info[r.activity_id] = (r.code, _printed(book, r.activity_id, r.activity), r.kind)
        act_n[r.activity_id] += 1
        act_hours[r.activity_id] += hours
        act_att[r.activity_id] += att
        for code, count in heads_by_gender.get(r.id, ()):
            act_gender_att[r.activity_id][code] += count
        key = (r.date.year, r.date.month)
        month_sessions[key] += 1
        month_att[key] += att
        place_id = r.place_id or r.activity_place
        staff = session_staff.get(r.id) or activity_staff.get(r.activity_id, [])
        annex.append(
            AnnexRow(
                date=r.date,
                start=r.start_time,
                end=r.end_time,
                programme_code=r.code,
                activity=act_info[r.activity_id][1],
                place=places.get(place_id or "", ""),
                facilitators=", ".join(staff),
                attendances=att,
                session_id=r.id,
                signed_pages=signed.get(r.id, 0),
            )
        )
    activities = tuple(
        sorted(
            (
                ActivityRow(
                    programme_code=code,
                    name=name,
                    kind=kind,
                    sessions=act_n[aid],
                    hours=act_hours[aid],
                    participants=sum(act_n_people.get(aid, {}).values()),
                    attendances=act_att[aid],
                    by_gender=_by_gender(act_n_people.get(aid, {}), act_gender_att[aid]),
                )
                for aid, (code, name, kind) in act_info.items()
            ),
            key=lambda row: (row.programme_code, natural_key(row.name)),
        )
    )
    monthly = tuple(
        MonthRow(y, m, month_sessions[(y, m)], month_att[(y, m)]) for y, m in _months(d_from, d_to)
    )
    return {
        "activities": activities,
        "monthly": monthly,
        "annex": tuple(annex),
        "by_neighbourhood": _ordered(hood_n, hood_att),
        "by_nationality": _ordered(nat_n, nat_att),
    }


def _counted_tables(
    s: OrmSession,
    ids: Sequence[str] | None,
    date_from: dt.date,
    date_to: dt.date,
    per_session: dict[str, int],
    act_gender_att: dict[str, dict[str, int]],
    hood_att: dict[str, int],
    nat_att: dict[str, int],
) -> tuple[dict[str, dict[str, int]], dict[str, int], dict[str, int]]:
    """The named attendance of the tables counted by the office database (no person read):
    fills the attendances by session, activity and gender, neighbourhood and nationality, and
    returns the people by activity and gender, by neighbourhood, by nationality."""
    arguments = {
        "date_from": date_from,
        "date_to": date_to,
        "ids": None if ids is None else list(ids),
    }
    act_people: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for sid, aid, gender, attendances, people in s.execute(
        text(
            "SELECT session_id, activity_id, gender, attendances, people FROM "
            "teixit_session_counts(:date_from, :date_to, CAST(:ids AS text[]))"
        ),
        arguments,
    ):
        code = gender_code(gender)
        if sid is None:
            act_people[aid][code] += int(people)
        else:
            per_session[sid] += int(attendances)
            act_gender_att[aid][code] += int(attendances)
    hood_people: dict[str, int] = {}
    nat_people: dict[str, int] = {}
    for kind, place, people, attendances in s.execute(
        text(
            "SELECT kind, place, people, attendances FROM "
            "teixit_place_counts(:date_from, :date_to, CAST(:ids AS text[]))"
        ),
        arguments,
    ):
        key = place or NOT_RECORDED
        target, att = (hood_people, hood_att) if kind == "neighbourhood" else (nat_people, nat_att)
        target[key] = target.get(key, 0) + int(people)
        att[key] += int(attendances)
    return act_people, hood_people, nat_people


_GENDERS = frozenset(GENDER_CODES)


def gender_code(gender: str | None) -> str:
    """A person's or a head count's gender as counted (none or unknown: not stated)."""
    return gender if gender in GENDER_CODES else "undisclosed"


def _gender_counts(people: set[tuple[str, str]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for _pid, code in people:
        counts[code] += 1
    return counts


def _by_gender(people: dict[str, int], att: dict[str, int]) -> dict[str, Breakdown]:
    return {code: Breakdown(people.get(code, 0), att.get(code, 0)) for code in GENDER_CODES}


def _printed(book: TextBook | None, activity_id: str, name: str) -> str:
    return book.text("activity", activity_id, "name", name, name) if book else name


def session_status_rows(
    s: OrmSession, request: ReportRequest, book: TextBook | None = None
) -> tuple[SessionStatusRow, ...]:
    """Per activity, the sessions dated in the period by status: planned (every session
    scheduled, whatever became of it), held, cancelled (with the notes of the cancelled
    sessions as their reasons) and still without a record."""
    q = (
        select(
            Activity.id,
            Programme.code,
            Activity.name,
            Session.status,
            Session.date,
            Session.notes,
        )
        .join(Activity, Activity.id == Session.activity_id)
        .join(Programme, Programme.id == Activity.programme_id)
        .where(
            Session.deleted_at.is_(None),
            Activity.deleted_at.is_(None),
            Programme.deleted_at.is_(None),
            Session.date >= request.date_from,
            Session.date <= request.date_to,
        )
        .order_by(Session.date, Session.start_time)
    )
    if request.programme_ids is not None:
        q = q.where(Activity.programme_id.in_(list(request.programme_ids)))
    info: dict[str, tuple[str, str]] = {}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    reasons: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for aid, code, name, status, day, notes in s.connection().execute(q):
        if aid not in info:
            info[aid] = (code, _printed(book, aid, name))
        counts[aid][status] += 1
        if status == "cancelled":
            reasons[aid].append((day, " ".join((notes or "").split())))
    rows = (
        SessionStatusRow(
            programme_code=code,
            activity=name,
            planned=sum(counts[aid].values()),
            held=counts[aid]["held"],
            cancelled=counts[aid]["cancelled"],
            pending=counts[aid]["planned"],
            reasons=tuple(reasons[aid]),
        )
        for aid, (code, name) in info.items()
    )
    return tuple(sorted(rows, key=lambda r: (r.programme_code, natural_key(r.activity))))


def network_rows(
    s: OrmSession, ids: Sequence[str] | None, d_from: dt.date, d_to: dt.date
) -> tuple[NetworkRow, ...]:
    """The spaces that met in tree order: each top-level space with its figures (its commissions
    included, so top-level rows add up to the figures), then its commissions one level deeper."""
    parents = network_figures.live_parents(s)
    per_space = network_figures.figures_per_space(s, d_from, d_to, ids, parents)
    if not per_space:
        return ()
    space_names = names(s, NetworkSpace, per_space)
    children: dict[str | None, list[str]] = defaultdict(list)
    for space_id in per_space:
        children[parents.get(space_id)].append(space_id)
    out: list[NetworkRow] = []

    def walk(parent: str | None, depth: int, network: str) -> None:
        for space_id in sorted(children[parent], key=lambda i: fold(space_names[i])):
            f = per_space[space_id]
            name = space_names[space_id]
            out.append(
                NetworkRow(
                    name,
                    network,
                    f.meetings,
                    f.hours,
                    f.agreements_adopted,
                    f.agreements_done,
                    depth=depth,
                )
            )
            walk(space_id, depth + 1, network or name)

    walk(None, 0, "")
    return tuple(out)


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """ "Grup 2" before "Grup 10"."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.lower())
        for part in re.split(r"(\d+)", text)
        if part
    )


def _ordered(people: dict[str, int], att: dict[str, int]) -> dict[str, Breakdown]:
    """Most participants first, then by name; "not recorded" last."""
    keys = sorted(
        (k for k in people if k != NOT_RECORDED),
        key=lambda k: (-people[k], -att[k], k.lower()),
    )
    if NOT_RECORDED in people:
        keys.append(NOT_RECORDED)
    return {k: Breakdown(people[k], att[k]) for k in keys}
