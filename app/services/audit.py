"""The audit log: every export, print, erasure, restore or import of personal data."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.db.models import AuditEvent

ACTIONS = ("export", "print", "erase", "restore", "import", "purge", "merge", "backup")


def record(session: Session, action: str, subject: str, details: str = "") -> None:
    """Add an audit event inside the caller's unit of work (it commits or rolls back with it)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    session.add(AuditEvent(action=action, subject=subject, details=details))
