"""Figures of the network spaces for a period: per space (with its commissions) and for all the
spaces at once, as the space page and the justification report show them.

Same definition as DESIGN.md section 5 (``meetings``, ``meeting_hours``, ``agreements_adopted``,
``agreements_done``): meetings dated in [from, to] that are not deleted, their hours (end - start),
the agreements adopted in them and, of those, the ones done.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import Agreement, NetworkMeeting, NetworkSpace, meeting_programme
from app.domain.networks import MeetingDTO, SpaceFigures


def _hours(start: dt.time | None, end: dt.time | None) -> float:
    return MeetingDTO(None, "", dt.date.min, start, end).hours


def _figures(s: Session, meetings: Sequence[tuple[str, float]]) -> SpaceFigures:
    counts = dict(
        s.execute(
            select(Agreement.status, func.count())
            .where(Agreement.meeting_id.in_([m for m, _h in meetings]))
            .group_by(Agreement.status)
        ).all()
    )
    return SpaceFigures(
        meetings=len(meetings),
        hours=sum(h for _m, h in meetings),
        agreements_adopted=sum(counts.values()),
        agreements_done=counts.get("done", 0),
    )


def _meetings_in(
    s: Session, date_from: dt.date, date_to: dt.date, programme_ids: Sequence[str] | None
) -> list[tuple[str, str, float]]:
    """(meeting id, space id, hours) of the live meetings in the period."""
    q = select(
        NetworkMeeting.id,
        NetworkMeeting.space_id,
        NetworkMeeting.start_time,
        NetworkMeeting.end_time,
    ).where(
        NetworkMeeting.deleted_at.is_(None),
        NetworkMeeting.date >= date_from,
        NetworkMeeting.date <= date_to,
    )
    if programme_ids is not None:
        linked = select(meeting_programme.c.meeting_id).where(
            meeting_programme.c.programme_id.in_(list(programme_ids))
        )
        q = q.where(NetworkMeeting.id.in_(linked))
    return [(r.id, r.space_id, _hours(r.start_time, r.end_time)) for r in s.execute(q)]


def _roots(s: Session) -> dict[str, str]:
    """Each live space's top-level space (itself for a top-level one)."""
    parents = dict(
        s.execute(
            select(NetworkSpace.id, NetworkSpace.parent_id).where(NetworkSpace.deleted_at.is_(None))
        ).all()
    )

    def root(space_id: str) -> str:
        seen = set()
        parent = parents.get(space_id)
        while parent is not None and parent in parents and space_id not in seen:
            seen.add(space_id)
            space_id, parent = parent, parents.get(parent)
        return space_id

    return {space_id: root(space_id) for space_id in parents}


def subtree(s: Session, space_id: str) -> set[str]:
    """The space and every live commission below it."""
    roots_below = {space_id}
    parents = dict(
        s.execute(
            select(NetworkSpace.id, NetworkSpace.parent_id).where(NetworkSpace.deleted_at.is_(None))
        ).all()
    )
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            if parent in roots_below and child not in roots_below:
                roots_below.add(child)
                changed = True
    return roots_below


def space_figures(s: Session, space_id: str, date_from: dt.date, date_to: dt.date) -> SpaceFigures:
    """The space *and its commissions*."""
    ids = subtree(s, space_id)
    meetings = [(m, h) for m, sp, h in _meetings_in(s, date_from, date_to, None) if sp in ids]
    return _figures(s, meetings)


def figures_by_space(
    s: Session,
    date_from: dt.date,
    date_to: dt.date,
    programme_ids: Sequence[str] | None = None,
) -> dict[str, SpaceFigures]:
    """Top-level space id -> its figures (commissions included), for the spaces that met in the
    period; with ``programme_ids``, only meetings linked to those programmes."""
    roots = _roots(s)
    grouped: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for meeting, space, hours in _meetings_in(s, date_from, date_to, programme_ids):
        if space in roots:
            grouped[roots[space]].append((meeting, hours))
    return {root: _figures(s, meetings) for root, meetings in grouped.items()}
