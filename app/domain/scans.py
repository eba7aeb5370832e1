"""Signed sheets read back, as the scan service hands them to the command line and the window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

PRESENT, ABSENT, UNSURE = "present", "absent", "unsure"


@dataclass(frozen=True)
class ScanRow:
    #: The row's number on the printed sheet (1-based, as printed).
    number: int
    #: The person printed on the row; None for a blank row (someone who came unannounced).
    participant_id: str | None
    name: str
    #: What Teixit proposes: present, absent (nothing) or unsure.
    verdict: str
    #: Ink found in the signature cell (mm²).
    ink: float
    #: The signature cell as scanned (PNG), for the person to check.
    cell_png: bytes = b""
    #: A blank row's whole line as scanned (PNG): the name a newcomer wrote by hand.
    line_png: bytes = b""


@dataclass(frozen=True)
class ScanPage:
    source: str
    index: int
    session_id: str | None = None
    page: int = 0
    rows: tuple[ScanRow, ...] = ()
    #: Why nothing is proposed for this page (translated); empty when everything was read.
    problem: str = ""
    #: Something to know that does not stop the page (translated), e.g. already kept.
    notice: str = ""
    #: The page as it will be kept (JPEG).
    jpeg: bytes = b""
    #: No code could be read (or an old sheet's): the person may say which session and page it
    #: is, and it is read from its corner marks alone.
    choosable: bool = False


@dataclass(frozen=True)
class SessionScan:
    """Every page read for one session, and the rows proposed, unsure first."""

    session_id: str
    title: str
    status: str
    pages: tuple[ScanPage, ...]

    @property
    def rows(self) -> tuple[ScanRow, ...]:
        rows = [r for p in self.pages for r in p.rows]
        return tuple(sorted(rows, key=lambda r: (r.verdict != UNSURE, r.number)))


@dataclass(frozen=True)
class ScanResult:
    sessions: tuple[SessionScan, ...] = ()
    #: Pages that belong to no session Teixit could tell, with their problem.
    unmatched: tuple[ScanPage, ...] = ()
    #: Files that could not be read at all: (file, problem).
    failed: tuple[tuple[str, str], ...] = ()
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SessionChoice:
    """A session a page without a readable code may belong to (recent ones, newest first)."""

    session_id: str
    title: str


@dataclass(frozen=True)
class UnsignedSession:
    """A held session whose signed sheet was not kept: the register is its only evidence."""

    session_id: str
    date: dt.date
    programme_code: str
    activity: str
