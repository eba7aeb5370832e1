"""Volunteers, their hours and the safeguarding certificates as the services hand them out, and
the rules: when a certificate is valid, when a session involves minors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.i18n import N_

CERTIFICATE_RESULT_LABELS = {
    "negative": N_("Negative (no record)"),
    "not_negative": N_("Not negative"),
}
CERTIFICATE_RESULTS: tuple[str, ...] = tuple(CERTIFICATE_RESULT_LABELS)
#: The renewal period when the entity has not set one: a year. Neither law sets one (the
#: certificate speaks of the day it was issued); asking for it again every year is what the
#: Catalan and Valencian volunteering guides advise and what funders of work with minors ask.
DEFAULT_RENEWAL_MONTHS = 12
RENEWAL_SETTING = "safeguarding.renewal_months"
ADULT_AGE = 18


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has 28 days


def certificate_valid(
    issue_date: dt.date | None, result: str | None, on: dt.date, renewal_months: int
) -> bool:
    """A negative certificate issued no more than ``renewal_months`` before ``on``."""
    if issue_date is None or result != "negative" or issue_date > on:
        return False
    return on < add_months(issue_date, renewal_months)


def active_on(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    return start <= day and (end is None or day <= end)


@dataclass(frozen=True)
class VolunteerDTO:
    participant_id: str
    start: dt.date
    id: str | None = None
    end: dt.date | None = None
    programme_ids: tuple[str, ...] = ()
    activity_ids: tuple[str, ...] = ()
    tasks: str = ""
    schedule: str = ""
    training: str = ""
    training_hours: float = 0.0
    agreement_signed_on: dt.date | None = None
    insurer: str = ""
    policy_number: str = ""
    insurance_from: dt.date | None = None
    insurance_to: dt.date | None = None
    notes: str = ""
    # Read only: filled in by the service.
    name: str = ""
    programme_codes: tuple[str, ...] = ()
    activity_names: tuple[str, ...] = ()
    hours: float = 0.0
    certificate_date: dt.date | None = None
    certificate_result: str | None = None
    certificate_valid: bool = False

    def active(self, on: dt.date) -> bool:
        return active_on(self.start, self.end, on)

    def insured(self, on: dt.date) -> bool:
        return bool(
            self.policy_number
            and (self.insurance_from is None or self.insurance_from <= on)
            and (self.insurance_to is None or on <= self.insurance_to)
        )


@dataclass(frozen=True)
class VolunteerHoursDTO:
    volunteer_id: str
    date: dt.date
    hours: float
    id: str | None = None
    session_id: str | None = None
    programme_id: str | None = None
    notes: str = ""
    # Read only.
    programme_codes: tuple[str, ...] = ()
    activity_name: str = ""


@dataclass(frozen=True)
class CertificateDTO:
    issue_date: dt.date
    result: str = "negative"
    id: str | None = None
    staff_id: str | None = None
    participant_id: str | None = None


@dataclass(frozen=True)
class CertificateHolder:
    """Someone who works with minors and the state of their latest certificate."""

    name: str
    kind: str  # "staff" or "volunteer"
    staff_id: str | None = None
    participant_id: str | None = None
    issue_date: dt.date | None = None
    result: str | None = None
    valid: bool = False


@dataclass(frozen=True)
class VolunteerFigures:
    """Volunteers of a period, apart from participants: people active in it, and the hours
    they gave by month ("YYYY-MM") and by programme code."""

    volunteers: int = 0
    hours: float = 0.0
    hours_by_month: dict[str, float] = field(default_factory=dict)
    hours_by_programme: dict[str, float] = field(default_factory=dict)
    #: (programme code, month) -> hours
    hours_by_programme_month: dict[tuple[str, str], float] = field(default_factory=dict)
    volunteers_by_programme: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class AgreementData:
    """What the printed commitment agreement shows."""

    entity_name: str
    entity_tax_id: str
    entity_address: str
    logo: bytes | None
    privacy: dict[str, str]
    volunteer_name: str
    volunteer_document: str
    volunteer_address: str
    volunteer_phone: str
    volunteer_email: str
    start: dt.date
    end: dt.date | None
    programmes: tuple[str, ...]
    activities: tuple[str, ...]
    tasks: str
    schedule: str
    training: str
    training_hours: float
    insurer: str
    policy_number: str
    insurance_from: dt.date | None
    insurance_to: dt.date | None
    signed_on: dt.date | None
    today: dt.date
    region: str = "CT"
