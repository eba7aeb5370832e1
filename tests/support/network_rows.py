"""Network meetings written straight to the database, for tests that count them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.db.base import utcnow
from app.db.models import Agreement, NetworkMeeting, meeting_programme


def add_meeting(
    s: Session,
    space_id: str,
    day: dt.date,
    start: dt.time,
    end: dt.time,
    statuses: tuple[str, ...] = (),
    programme_id: str | None = None,
    deleted: bool = False,
    status: str = "held",
) -> str:
    """A meeting of the space (held unless ``status`` says otherwise) with one agreement per
    status in ``statuses`` (numbered 1..n), linked to the programme when given; returns its id."""
    m = NetworkMeeting(
        space_id=space_id,
        date=day,
        start_time=start,
        end_time=end,
        deleted_at=utcnow() if deleted else None,
        status=status,
    )
    s.add(m)
    s.flush()
    if programme_id is not None:
        s.execute(meeting_programme.insert().values(meeting_id=m.id, programme_id=programme_id))
    for n, status in enumerate(statuses, start=1):
        s.add(Agreement(meeting_id=m.id, number=n, text=f"Acord {n}", status=status))
    return m.id
