"""Audit log entries as the settings page shows them, and what an entry is about.

The subject of an event is stored as text in the ``subject`` column of ``audit_events``; this
module is the one place that writes and reads it (``AuditSubject.encode`` / ``decode``):

- a record: ``<kind>:<id>``, the kinds being ``participant`` (a person), ``sheet:session``,
  ``sheet:grid`` (an activity's register grid), ``sheet:meeting``, ``sheet:blank`` (sheets by
  the session, activity or meeting they are for) and ``minutes`` (a network meeting's minutes);
  a kind with no id is stored alone (``sheet:blank``);
- a fixed word for what is not one record (``FIXED_SUBJECTS``: a justification report, an
  evidence pack, the people or the scans a purge deleted), shown translated;
- anything else (a file's path, a list's title): the text itself.

Older databases hold the minutes as ``minutes <id>`` (a space, not a colon); ``decode`` reads
them too. A text that happens to start like a kind is read as that kind and, when no record has
that id, shown as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from app.i18n import N_

#: What an audit event records.
ACTIONS = (
    "export", "print", "erase", "restore", "import", "purge", "merge", "backup", "encryption",
)  # fmt: skip

PERSON = "participant"
SESSION_SHEET = "sheet:session"
GRID_SHEET = "sheet:grid"
MEETING_SHEET = "sheet:meeting"
BLANK_SHEET = "sheet:blank"
MINUTES = "minutes"
#: Every kind of record a subject can name.
SUBJECT_KINDS: tuple[str, ...] = (
    SESSION_SHEET,
    MEETING_SHEET,
    BLANK_SHEET,
    GRID_SHEET,
    PERSON,
    MINUTES,
)
#: Subjects that are not one record, stored in English and shown in the reader's language.
REPORT = "justification report"
EVIDENCE_PACK = "evidence pack"
PURGED_PEOPLE = "participants"
PURGED_SCANS = "evidence"
ENCRYPTION_ON = "encryption turned on"
NEW_PASSPHRASE = "new passphrase"
NEW_KEY = "new key"
PURGED_INVOICES = "invoice files"
SHOWN_INVOICE = "invoice shown"
FIXED_SUBJECTS: dict[str, str] = {
    REPORT: N_("Justification report"),
    EVIDENCE_PACK: N_("Evidence pack"),
    PURGED_PEOPLE: N_("People's records"),
    PURGED_SCANS: N_("Signed sheets (scans)"),
    ENCRYPTION_ON: N_("Data encrypted"),
    NEW_PASSPHRASE: N_("New passphrase"),
    NEW_KEY: N_("New key and recovery key"),
    PURGED_INVOICES: N_("Invoice files"),
    SHOWN_INVOICE: N_("Invoice file shown in the viewer"),
}
_LEGACY_MINUTES = re.compile(r"^minutes ([0-9a-fA-F-]{32,36})$")


@dataclass(frozen=True)
class AuditSubject:
    """What an audit event is about: a kind of record and its id, or (kind "") free text."""

    kind: str = ""
    ref: str = ""

    @classmethod
    def person(cls, participant_id: str) -> AuditSubject:
        return cls(PERSON, participant_id)

    @classmethod
    def sheet(cls, sheet_kind: str, reference_id: str = "") -> AuditSubject:
        """An attendance sheet by its kind (session, grid, meeting, blank) and what it is for."""
        return cls(f"sheet:{sheet_kind}", reference_id)

    @classmethod
    def minutes(cls, meeting_id: str) -> AuditSubject:
        return cls(MINUTES, meeting_id)

    @classmethod
    def text(cls, value: str) -> AuditSubject:
        """A file, a list's title or anything that is not one record."""
        return cls("", value)

    def encode(self) -> str:
        """The text stored in the audit row."""
        if not self.kind:
            return self.ref
        return f"{self.kind}:{self.ref}" if self.ref else self.kind

    @classmethod
    def decode(cls, stored: str | None) -> AuditSubject:
        """The subject an audit row holds (see the module's description of the encoding)."""
        stored = stored or ""
        for kind in SUBJECT_KINDS:
            if stored == kind:
                return cls(kind)
            if stored.startswith(kind + ":"):
                return cls(kind, stored[len(kind) + 1 :])
        if legacy := _LEGACY_MINUTES.match(stored):
            return cls(MINUTES, legacy.group(1))
        return cls.text(stored)


@dataclass(frozen=True)
class AuditEntryDTO:
    id: str
    at: dt.datetime  # UTC
    action: str  # one of ACTIONS
    subject: str
    details: str
    #: The subject in words (a person's name, a session, a meeting), or the subject itself.
    label: str = ""


def chain_hash(
    previous: str, seq: int, at: dt.datetime, action: str, subject: str, details: str
) -> str:
    """The link of one audit entry: SHA-256 over the previous link and every field of the entry
    (lengths first, so no two different entries read the same). Editing, deleting or inserting
    an entry breaks the chain from there on."""
    import hashlib

    fields = (previous, str(seq), at.isoformat(timespec="microseconds"), action, subject, details)
    payload = "".join(f"{len(f)}:{f}" for f in fields).encode("utf-8", "surrogatepass")
    return hashlib.sha256(payload).hexdigest()


@dataclass(frozen=True)
class NewAuditEntry:
    """The fields of the next entry of the log that its writer does not give: its number, the
    subject as stored and its link."""

    seq: int
    subject: str
    chain: str


def next_entry(
    last: tuple[int | None, str] | None,
    at: dt.datetime,
    action: str,
    subject: AuditSubject | str,
    details: str,
) -> NewAuditEntry:
    """The entry written after ``last`` (the latest entry's number and link; None for an empty
    log), at ``at`` (UTC, naive). Every writer of the log goes through here, so every entry is
    numbered and linked alike."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    stored = subject.encode() if isinstance(subject, AuditSubject) else subject
    seq = (last[0] or 0) + 1 if last is not None else 1
    link = chain_hash(last[1] if last is not None else "", seq, at, action, stored, details)
    return NewAuditEntry(seq, stored, link)


@dataclass(frozen=True)
class AuditChainReport:
    """What checking the audit log found: every entry accounted for, or the first break."""

    entries: int
    #: The sequence number where the chain breaks, or None when it is whole.
    broken_at: int | None = None
    #: "missing" (entries deleted before it), "changed" (it or an earlier one was edited) or
    #: "unnumbered" (an entry written outside Teixit).
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None
