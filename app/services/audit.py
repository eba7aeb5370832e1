"""The audit log: every export, print, erasure, restore or import of personal data."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import AuditEvent
from app.domain.audit import AuditEntryDTO

ACTIONS = ("export", "print", "erase", "restore", "import", "purge", "merge", "backup")


def record(session: Session, action: str, subject: str, details: str = "") -> None:
    """Add an audit event inside the caller's unit of work (it commits or rolls back with it)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    session.add(AuditEvent(action=action, subject=subject, details=details))


class AuditService:
    """Reading the log (it is written only through ``record``, never edited)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def recent(self, limit: int = 500, action: str | None = None) -> list[AuditEntryDTO]:
        """The latest events first, at most ``limit`` of them, optionally of one action."""
        query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id).limit(limit)
        if action is not None:
            query = query.where(AuditEvent.action == action)
        with self._db.read() as s:
            return [
                AuditEntryDTO(e.id, e.at, e.action, e.subject or "", e.details or "")
                for e in s.scalars(query)
            ]

    def count(self) -> int:
        with self._db.read() as s:
            return int(s.scalar(select(func.count()).select_from(AuditEvent)) or 0)
