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
