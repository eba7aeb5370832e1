"""The network figures of DESIGN.md section 5, defined once for the figures, the space page and
the justification report's table of network work (rules in docs/figures.md):

- a meeting counts when it was held (status ``held``: planned and cancelled ones never count),
  it is dated in [from, to], neither it nor its space is deleted, and, when programmes are
  given, it is linked to one of them;
- ``meetings`` counts them, ``meeting_hours`` sums end - start, ``agreements_adopted`` counts the
  agreements adopted in them and ``agreements_done`` those of them now done;
- a space's figures include its commissions (every live space below it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import Agreement, NetworkMeeting, NetworkSpace, meeting_programme
from app.domain.figures import duration_hours
from app.domain.networks import SpaceFigures


@dataclass(frozen=True)
class CountedMeeting:
    id: str
    space_id: str
    hours: float
    agreements_adopted: int
    agreements_done: int


def counted_meetings(
    s: Session,
    programme_ids: Sequence[str] | None,
    date_from: dt.date,
    date_to: dt.date,
) -> list[CountedMeeting]:
    """The meetings that count, with their hours and agreements."""
    q = (
        select(
            NetworkMeeting.id,
            NetworkMeeting.space_id,
            NetworkMeeting.start_time,
            NetworkMeeting.end_time,
        )
        .join(NetworkSpace, NetworkSpace.id == NetworkMeeting.space_id)
        .where(
            NetworkMeeting.status == "held",
            NetworkMeeting.deleted_at.is_(None),
            NetworkSpace.deleted_at.is_(None),
            NetworkMeeting.date >= date_from,
            NetworkMeeting.date <= date_to,
        )
    )
    if programme_ids is not None:
        linked = select(meeting_programme.c.meeting_id).where(
            meeting_programme.c.programme_id.in_(list(programme_ids))
        )
        q = q.where(NetworkMeeting.id.in_(linked))
    rows = s.execute(q).all()
    adopted: dict[str, int] = defaultdict(int)
    done: dict[str, int] = defaultdict(int)
    if rows:
        # Agreements of the counted meetings, by joining the same query (no long IN list).
        ids = q.with_only_columns(NetworkMeeting.id).scalar_subquery()
        for meeting_id, status, n in s.execute(
            select(Agreement.meeting_id, Agreement.status, func.count())
            .where(Agreement.meeting_id.in_(ids))
            .group_by(Agreement.meeting_id, Agreement.status)
        ):
            adopted[meeting_id or ""] += n
            if status == "done":
                done[meeting_id or ""] += n
    return [
        CountedMeeting(
            r.id,
            r.space_id,
            duration_hours(r.start_time, r.end_time),
            adopted[r.id],
            done[r.id],
        )
        for r in rows
    ]


def total(meetings: Iterable[CountedMeeting]) -> SpaceFigures:
    meetings = list(meetings)
    return SpaceFigures(
        meetings=len(meetings),
        hours=sum(m.hours for m in meetings),
        agreements_adopted=sum(m.agreements_adopted for m in meetings),
        agreements_done=sum(m.agreements_done for m in meetings),
    )


def live_parents(s: Session) -> dict[str, str | None]:
    """Each live space's parent; a commission whose parent is gone counts as top-level."""
    parents: dict[str, str | None] = dict(
        s.execute(
            select(NetworkSpace.id, NetworkSpace.parent_id).where(NetworkSpace.deleted_at.is_(None))
        ).all()
    )
    return {sid: (p if p in parents else None) for sid, p in parents.items()}


def ancestry(parents: dict[str, str | None], space_id: str) -> list[str]:
    """The space and its ancestors, the space first, the top-level space last."""
    chain = [space_id]
    parent = parents.get(space_id)
    while parent is not None and parent not in chain:  # a cycle would be a data error
        chain.append(parent)
        parent = parents.get(parent)
    return chain


def subtree(s: Session, space_id: str) -> set[str]:
    """The space and every live commission below it."""
    parents = live_parents(s)
    return {sid for sid in parents if space_id in ancestry(parents, sid)} | {space_id}


def space_figures(s: Session, space_id: str, date_from: dt.date, date_to: dt.date) -> SpaceFigures:
    """The space *and its commissions*."""
    ids = subtree(s, space_id)
    return total(m for m in counted_meetings(s, None, date_from, date_to) if m.space_id in ids)


def figures_per_space(
    s: Session,
    date_from: dt.date,
    date_to: dt.date,
    programme_ids: Sequence[str] | None = None,
    parents: dict[str, str | None] | None = None,
) -> dict[str, SpaceFigures]:
    """Every live space that has counted meetings in it or below it -> its figures, commissions
    included. Top-level spaces' figures add up to the whole entity's."""
    parents = live_parents(s) if parents is None else parents
    grouped: dict[str, list[CountedMeeting]] = defaultdict(list)
    for m in counted_meetings(s, programme_ids, date_from, date_to):
        for space in ancestry(parents, m.space_id):
            grouped[space].append(m)
    return {space: total(meetings) for space, meetings in grouped.items()}


def figures_by_space(
    s: Session,
    date_from: dt.date,
    date_to: dt.date,
    programme_ids: Sequence[str] | None = None,
) -> dict[str, SpaceFigures]:
    """Top-level space id -> its figures (commissions included), for the spaces that met in the
    period; with ``programme_ids``, only meetings linked to those programmes."""
    parents = live_parents(s)
    per_space = figures_per_space(s, date_from, date_to, programme_ids, parents)
    return {sid: f for sid, f in per_space.items() if parents.get(sid) is None}
