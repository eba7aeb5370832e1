"""Marks of attendance on an office database, saved in the COMMIT's own message.

A mark is saved at each key press; on an office database each statement is a trip over the
network. The service reads the session and the marks (one query, under the writers' turn, so
nothing changes them until the COMMIT); the marks it then changes are written with the COMMIT
(``notify.with_commit``) instead of by the ORM's flush, and their change-log entries are the
ones the flush would have written (``changelog.record``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from app.db import changelog, notify
from app.db.base import natural_id, utcnow
from app.db.models import Attendance

_TABLE: Table = Attendance.__table__  # type: ignore[assignment]


def write_with_commit(
    s: Session, session_id: str, marks: list[tuple[str, Attendance | None, str | None]]
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
            changelog.record(s, _TABLE, "insert", values["id"], fields, values)
        elif status is None:
            notify.with_commit(s, "attendance", "DELETE FROM attendance WHERE id = {}", row.id)
            changelog.record(s, _TABLE, "delete", row.id, {}, _values(row))
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
            changelog.record(s, _TABLE, "update", row.id, {"status": status}, changed)


def _values(row: Attendance) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in _TABLE.columns}
