"""Audit log entries as the settings page shows them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditEntryDTO:
    id: str
    at: dt.datetime  # UTC
    action: str  # one of app.services.audit.ACTIONS
    subject: str
    details: str
    #: The subject in words (a person's name, a session, a meeting), or the subject itself.
    label: str = ""
