"""Purging erased people: the second step of a data-protection erasure.

Erasing blocks a person (hidden from lists and new documents, frozen). Purging, later, removes
their personal data for good and keeps only what the figures already reported were computed
from, so a report made before the purge gives the same numbers after it (docs/data-protection.md
says what stays and why)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import delete, func, select

from app.db.base import utcnow
from app.db.engine import Database
from app.db.models import (
    Attendance,
    Consent,
    Enrolment,
    Evidence,
    Expense,
    ExpenseAttachment,
    Participant,
    Referral,
    Session,
    Setting,
)
from app.domain.audit import PURGED_INVOICES, PURGED_PEOPLE, PURGED_SCANS
from app.domain.changes import Area, Changes
from app.domain.data_protection import (
    EVIDENCE_RETENTION_YEARS,
    INVOICE_RETENTION_YEARS,
    PURGED_NAME,
    PurgeCandidate,
    PurgeSummary,
    coarse_birth_date,
    validate_invoice_retention,
    validate_retention,
)
from app.errors import ValidationError
from app.services import audit

#: Emptied for good. Kept: gender, birth year (and a coarse birth date, see
#: ``coarse_birth_date``), neighbourhood and nationality, which the report tables count.
_CLEARED = {
    "family_names": "",
    "id_document_type": None,
    "id_document_number": "",
    "phone": "",
    "email": "",
    "guardian_name": "",
    "guardian_phone": "",
    "notes": "",
}

#: The setting that holds the entity's retention of scans, in years.
RETENTION_KEY = "evidence_retention_years"
#: The setting that holds the entity's retention of invoices' files, in years.
INVOICE_RETENTION_KEY = "invoice_retention_years"

_PENDING = (
    Participant.blocked_at.is_not(None),
    Participant.deleted_at.is_(None),
    Participant.given_name != PURGED_NAME,
)


class PurgeService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def candidates(
        self, older_than_days: int | None = None, now: dt.datetime | None = None
    ) -> list[PurgeCandidate]:
        """Erased people not yet purged, erased at least ``older_than_days`` ago (all if None),
        the longest erased first."""
        query = (
            select(
                Participant.id,
                Participant.blocked_at,
                func.count(Attendance.id),
            )
            .outerjoin(Attendance, Attendance.participant_id == Participant.id)
            .where(*_PENDING)
            .group_by(Participant.id)
            .order_by(Participant.blocked_at, Participant.id)
        )
        if older_than_days is not None:
            cutoff = (now or utcnow()) - dt.timedelta(days=older_than_days)
            query = query.where(Participant.blocked_at <= cutoff)
        with self._db.read() as s:
            return [
                PurgeCandidate(pid, blocked, int(n))
                for pid, blocked, n in s.execute(query)
                if blocked is not None  # always, by the query: this tells the type checker
            ]

    def purge(self, person_ids: list[str]) -> tuple[PurgeSummary, Changes]:
        """Remove the personal data of these erased people (others are left alone) in one unit
        of work, and write one audit event that names nobody."""
        consents = referrals = enrolments = 0
        with self._db.begin() as s:
            people = list(
                s.scalars(select(Participant).where(Participant.id.in_(person_ids), *_PENDING))
            )
            ids = [p.id for p in people]
            for p in people:
                if p.birth_date is not None:
                    dates = s.scalars(
                        select(Session.date)
                        .join(Attendance, Attendance.session_id == Session.id)
                        .where(Attendance.participant_id == p.id)
                    )
                    p.birth_date = coarse_birth_date(p.birth_date, dates)
                    p.birth_year = p.birth_date.year
                p.given_name = PURGED_NAME
                for field, value in _CLEARED.items():
                    setattr(p, field, value)
            if ids:
                for model in (Consent, Referral, Enrolment):
                    result = s.execute(delete(model).where(model.participant_id.in_(ids)))
                    n = int(result.rowcount or 0)  # type: ignore[attr-defined]
                    if model is Consent:
                        consents = n
                    elif model is Referral:
                        referrals = n
                    else:
                        enrolments = n
                audit.record(
                    s,
                    "purge",
                    PURGED_PEOPLE,
                    f"{len(ids)} people; {consents} consents, {referrals} referrals, "
                    f"{enrolments} enrolments deleted",
                )
        summary = PurgeSummary(len(ids), consents, referrals, enrolments)
        return summary, (Changes.of(Area.PEOPLE) if ids else Changes.of())

    # -- scans of signed sheets past their retention ----------------------------------------
    def evidence_retention(self) -> int:
        """How many years the entity keeps the scans of signed sheets (Settings > Data
        protection); ``EVIDENCE_RETENTION_YEARS`` until it says."""
        return self._years(RETENTION_KEY, EVIDENCE_RETENTION_YEARS, validate_retention)

    def set_evidence_retention(self, years: int) -> Changes:
        return self._set_years(RETENTION_KEY, years, validate_retention)

    def invoice_retention(self) -> int:
        """How many years the entity keeps the invoices' files kept with expenses (Settings >
        Data protection); ``INVOICE_RETENTION_YEARS`` until it says."""
        return self._years(
            INVOICE_RETENTION_KEY, INVOICE_RETENTION_YEARS, validate_invoice_retention
        )

    def set_invoice_retention(self, years: int) -> Changes:
        return self._set_years(INVOICE_RETENTION_KEY, years, validate_invoice_retention)

    def _years(self, key: str, default: int, validate: Callable[[int], dict[str, str]]) -> int:
        with self._db.read() as s:
            value = s.scalar(select(Setting.value).where(Setting.key == key))
        return value if isinstance(value, int) and not validate(value) else default

    def _set_years(
        self, key: str, years: int, validate: Callable[[int], dict[str, str]]
    ) -> Changes:
        errors = validate(years)
        if errors:
            raise ValidationError(errors)
        with self._db.begin() as s:
            row = s.scalar(select(Setting).where(Setting.key == key))
            if row is None:
                s.add(Setting(key=key, value=years))
            else:
                row.value = years
        return Changes.of(Area.PROFILE)

    @staticmethod
    def evidence_cutoff(years: int, today: dt.date | None = None) -> dt.date:
        """Sessions dated before this day are past a retention of ``years`` years."""
        today = today or dt.date.today()
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    def old_evidence(self, years: int, today: dt.date | None = None) -> tuple[int, int]:
        """(pages, sessions) of signed sheets kept for sessions older than ``years`` years."""
        cutoff = self.evidence_cutoff(years, today)
        with self._db.read() as s:
            pages, sessions = s.execute(
                select(func.count(Evidence.id), func.count(func.distinct(Evidence.session_id)))
                .join(Session, Session.id == Evidence.session_id)
                .where(Session.date < cutoff)
            ).one()
        return int(pages or 0), int(sessions or 0)

    def purge_evidence(self, years: int, today: dt.date | None = None) -> tuple[int, Changes]:
        """Delete for good the scanned pages of signed sheets of sessions dated more than
        ``years`` years ago (the attendance they gave stays), in one unit of work with one audit
        entry. Returns how many pages were deleted."""
        cutoff = self.evidence_cutoff(years, today)
        with self._db.begin() as s:
            old = select(Session.id).where(Session.date < cutoff)
            sessions = int(
                s.scalar(
                    select(func.count(func.distinct(Evidence.session_id))).where(
                        Evidence.session_id.in_(old)
                    )
                )
                or 0
            )
            result = s.execute(delete(Evidence).where(Evidence.session_id.in_(old)))
            pages = int(result.rowcount or 0)  # type: ignore[attr-defined]
            if pages:
                audit.record(
                    s,
                    "purge",
                    PURGED_SCANS,
                    f"{pages} pages of signed sheets of {sessions} sessions dated before "
                    f"{cutoff.isoformat()} deleted (retention {years} years)",
                )
        return pages, (Changes.of(Area.SESSIONS) if pages else Changes.of())

    # -- invoices' files past their retention ------------------------------------------------
    def old_invoices(self, years: int, today: dt.date | None = None) -> tuple[int, int]:
        """(files, expenses) kept for expenses issued more than ``years`` years ago."""
        cutoff = self.evidence_cutoff(years, today)
        with self._db.read() as s:
            files, expenses = s.execute(
                select(
                    func.count(ExpenseAttachment.id),
                    func.count(func.distinct(ExpenseAttachment.expense_id)),
                )
                .join(Expense, Expense.id == ExpenseAttachment.expense_id)
                .where(Expense.issue_date < cutoff)
            ).one()
        return int(files or 0), int(expenses or 0)

    def purge_invoices(self, years: int, today: dt.date | None = None) -> tuple[int, Changes]:
        """Delete for good the invoices' files kept with expenses issued more than ``years``
        years ago (the expenses stay, with their amounts and document numbers), in one unit of
        work with one audit entry. Returns how many files were deleted."""
        cutoff = self.evidence_cutoff(years, today)
        with self._db.begin() as s:
            old = select(Expense.id).where(Expense.issue_date < cutoff)
            expenses = int(
                s.scalar(
                    select(func.count(func.distinct(ExpenseAttachment.expense_id))).where(
                        ExpenseAttachment.expense_id.in_(old)
                    )
                )
                or 0
            )
            result = s.execute(
                delete(ExpenseAttachment).where(ExpenseAttachment.expense_id.in_(old))
            )
            files = int(result.rowcount or 0)  # type: ignore[attr-defined]
            if files:
                audit.record(
                    s,
                    "purge",
                    PURGED_INVOICES,
                    f"{files} invoice files of {expenses} expenses issued before "
                    f"{cutoff.isoformat()} deleted (retention {years} years)",
                )
        return files, (Changes.of(Area.ECONOMICS) if files else Changes.of())
