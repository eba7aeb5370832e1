"""Purging erased people: what a purge keeps, and the candidates the services hand out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from app.i18n import _

#: Stored in place of a purged person's given name (not translated: it is data, not interface).
#: A purged person is blocked and carries this name; nothing else marks them.
PURGED_NAME = "—"


#: How long the scans of signed sheets are kept unless the entity says otherwise: funders'
#: auditors ask for the signed sheets of up to four years back.
EVIDENCE_RETENTION_YEARS = 4
#: The retention an entity can choose, in years.
EVIDENCE_RETENTION_RANGE = (1, 30)


def validate_retention(years: int) -> dict[str, str]:
    low, high = EVIDENCE_RETENTION_RANGE
    return _outside(years, low, high, _("Keep the scans between {low} and {high} years."))


def _outside(years: int, low: int, high: int, message: str) -> dict[str, str]:
    """The error of a retention outside ``low``..``high`` years (``message`` names them)."""
    if low <= years <= high:
        return {}
    return {"retention": message.format(low=low, high=high)}


#: How long the invoices' files kept with expenses are kept by default: the accounting books
#: and their documents, six years (Código de Comercio, art. 30); a grant's justification can be
#: checked for four years after it (Ley General de Subvenciones, art. 39), which six covers.
INVOICE_RETENTION_YEARS = 6
#: The invoices' retention an entity can choose, in years: never under the four a grant's
#: justification can be checked for.
INVOICE_RETENTION_RANGE = (4, 30)


def validate_invoice_retention(years: int) -> dict[str, str]:
    low, high = INVOICE_RETENTION_RANGE
    return _outside(years, low, high, _("Keep the invoices' files between {low} and {high} years."))


@dataclass(frozen=True)
class PurgeCandidate:
    """An erased (blocked) person whose data is still in the database (no name: erased people
    are not shown by name, not even to be purged)."""

    id: str
    blocked_at: dt.datetime
    attendances: int


@dataclass(frozen=True)
class PurgeSummary:
    people: int
    #: Consents, referrals and enrolments deleted with them.
    consents: int = 0
    referrals: int = 0
    enrolments: int = 0


def coarse_birth_date(birth: dt.date, session_dates: Iterable[dt.date]) -> dt.date:
    """A stand-in birth date in the same year that gives the same age on every date the person
    attended, so figures already reported (ages by band) do not move.

    Only the side of each session's day of the year matters (before or after the birthday),
    so the earliest attended day of the year on or after the birthday will do; with none, the
    last day of the year. What is kept is less than the real date: the day is one of the
    entity's own session days, not the person's."""
    key = (birth.month, birth.day)
    later = sorted({(d.month, d.day) for d in session_dates if (d.month, d.day) >= key})
    for month, day in later:
        try:
            return dt.date(birth.year, month, day)
        except ValueError:
            # 29 February in a year without one: nobody attended between the birthday and it,
            # so the 28th (not before the birthday) keeps every session on the same side.
            return dt.date(birth.year, 2, 28)
    return dt.date(birth.year, 12, 31)
