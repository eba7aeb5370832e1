"""Signed sheets read back, as the scan service hands them to the command line and the window."""

from __future__ import annotations

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
