"""Marks of attendance on an office database: two trips to the server per save.

A mark is saved at each key press; on an office database each statement is a trip over the
network. The session and the marks are read by a query sent with the write's BEGIN, in its
message, once the writers' turn is held (``first_read``, ``Database.begin(first=…)``), so
nothing changes them until the COMMIT; the marks that change, and the session when they make
it held, are written with the COMMIT, in its message (``notify.with_commit``), instead of by
the ORM's flush, and their change-log entries are the ones the flush would have written
(``changelog.record``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session as OrmSession

from app.db import changelog, notify
from app.db.base import natural_id, utcnow
from app.db.engine import first_rows
from app.db.models import Attendance, Session

_TABLE: Table = Attendance.__table__  # type: ignore[assignment]
_SESSIONS: Table = Session.__table__  # type: ignore[assignment]


@dataclass
class SessionRead:
    """What a save of marks needs of its session (``status`` and ``version`` change when the
    marks make it held: ``write_held_with_commit``)."""

    id: str
    status: str
    date: dt.date
    version: int
    deleted_at: dt.datetime | None


@dataclass(frozen=True)
class MarkRead:
    id: str
    session_id: str
    participant_id: str
    status: str


def first_read(session_id: str, people: list[str]) -> str:
    """The query of the session, these people's marks in it and whether they were erased, with
    its values quoted by the driver (it goes in the BEGIN's message, which takes none apart)."""
    from psycopg import sql

    def q(value: Any) -> str:
        return sql.Literal(value).as_string(None)

    listed = ", ".join(q(p) for p in people) or "NULL"
    return (
        "SELECT s.id, s.status, s.date, s.version, s.deleted_at, p.id, p.blocked_at,"
        " a.id, a.status"
        ' FROM "session" AS s'
        f" LEFT OUTER JOIN participant AS p ON p.id IN ({listed})"
        " LEFT OUTER JOIN attendance AS a ON a.session_id = s.id AND a.participant_id = p.id"
        f" WHERE s.id = {q(session_id)}"
    )


def read_first(
    s: OrmSession,
) -> tuple[SessionRead | None, dict[str, MarkRead], set[str]] | None:
    """``first_read``'s rows: the session (None if absent), the marks by person, the erased
    people; None when the query was not sent (a SQLite file)."""
    rows = first_rows(s)
    if rows is None:
        return None
    if not rows:
        return None, {}, set()
    sid, status, date, version, deleted_at = rows[0][:5]
    sess = SessionRead(str(sid), str(status), date, int(version), deleted_at)
    existing = {
        str(pid): MarkRead(str(mid), sess.id, str(pid), str(mark))
        for *_s, pid, _blocked, mid, mark in rows
        if mid is not None
    }
    frozen = {str(pid) for *_s, pid, blocked, _m, _st in rows if blocked is not None}
    return sess, existing, frozen


def write_held_with_commit(s: OrmSession, sess: SessionRead) -> None:
    """The session made held by its marks (``status`` and ``version`` already set on ``sess``)."""
    notify.with_commit(
        s,
        "session",
        'UPDATE "session" SET status = {}, version = {}, updated_at = {} WHERE id = {}',
        sess.status,
        sess.version,
        utcnow(),
        sess.id,
    )
    changelog.record(
        s, _SESSIONS, "update", sess.id, {"status": sess.status}, {"status": sess.status}
    )


def write_with_commit(
    s: OrmSession,
    session_id: str,
    marks: Sequence[tuple[str, Attendance | MarkRead | None, str | None]],
) -> None:
    """Each ``(person, their mark as read or None, the new status or None)`` whose status
    changes: an insert, an update of the status or a deletion, as the ORM would write it."""
    for pid, row, status in marks:
        now = utcnow()
        if row is None:
            if status is None:
                continue
            values: dict[str, Any] = {
                "id": natural_id("attendance", session_id, pid),
                "created_at": now,
                "updated_at": now,
                "session_id": session_id,
                "participant_id": pid,
                "status": status,
            }
            notify.with_commit(
                s,
                "attendance",
                "INSERT INTO attendance (id, created_at, updated_at, session_id, participant_id,"
                " status) VALUES ({}, {}, {}, {}, {}, {})",
                *values.values(),
            )
            fields = {k: values[k] for k in ("session_id", "participant_id", "status")}
            changelog.record(s, _TABLE, "insert", values["id"], fields, values, write=False)
        elif status is None:
            notify.with_commit(s, "attendance", "DELETE FROM attendance WHERE id = {}", row.id)
            changelog.record(s, _TABLE, "delete", row.id, {}, _values(row), write=False)
        elif status != row.status:
            notify.with_commit(
                s,
                "attendance",
                "UPDATE attendance SET status = {}, updated_at = {} WHERE id = {}",
                status,
                now,
                row.id,
            )
            changed = {
                "status": status,
                "session_id": row.session_id,
                "participant_id": row.participant_id,
            }
            changelog.record(
                s, _TABLE, "update", row.id, {"status": status}, changed, write=False
            )
    changelog.write_recorded(s)


def _values(row: Attendance | MarkRead) -> dict[str, Any]:
    return {c.key: getattr(row, c.key, None) for c in _TABLE.columns}
