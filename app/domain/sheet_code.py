"""What the QR code on every page of a printed sheet carries, and how it is read back.

``TX1:<database>:<session>:<page>:<first row>:<rows>:<fingerprint>``: the database's short id,
the session id (a UUID without dashes), the page number (1-based), the number of the page's first
row (0-based over the whole sheet), how many rows the page has and a short fingerprint of the
people printed on those rows (blank rows count as empty names). So a scanned page matches exactly
one page of one session of one database, and a page of a sheet reprinted after the roster changed
is recognised.

Sheets printed before this format carry the session id alone (a UUID with dashes): they are still
read, with no page, row or fingerprint information (:attr:`SheetCode.legacy`).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

PREFIX = "TX1"
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@dataclass(frozen=True)
class SheetCode:
    database: str
    session_id: str
    page: int = 0
    first_row: int = 0
    rows: int = 0
    fingerprint: str = ""

    @property
    def legacy(self) -> bool:
        """A sheet printed before pages were numbered in the code: the session alone."""
        return self.page == 0

    def text(self) -> str:
        # Upper case and colons only: the QR code's alphanumeric mode, the smallest symbol.
        sid = self.session_id.replace("-", "")
        fields = [PREFIX, self.database, sid, self.page, self.first_row, self.rows]
        fields.append(self.fingerprint)
        return ":".join(str(f) for f in fields).upper()


def database_code(database_id: str) -> str:
    """The short id of a database printed in the codes (8 hexadecimal characters)."""
    return hashlib.sha256(database_id.encode()).hexdigest()[:8] if database_id else "0"


def fingerprint(row_keys: Sequence[str]) -> str:
    """A short fingerprint of one page's rows (participant ids in order, "" for a blank row)."""
    return hashlib.sha256("\n".join(row_keys).encode()).hexdigest()[:8]


def decode(text: str) -> SheetCode | None:
    """The code read from a QR symbol; None when it is not one of Teixit's sheet codes."""
    text = text.strip()
    if _UUID.match(text):
        return SheetCode(database="", session_id=str(uuid.UUID(text)))
    parts = text.upper().split(":")
    if len(parts) != 7 or parts[0] != PREFIX:
        return None
    _, database, sid, page, first, rows, fp = parts
    try:
        session_id = str(uuid.UUID(sid))
        return SheetCode(database.lower(), session_id, int(page), int(first), int(rows), fp.lower())
    except ValueError:
        return None
