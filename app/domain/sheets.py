"""Attendance sheets as the sheet service hands them to the PDF builders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from app.domain.audit import AuditSubject

#: session: one session's sheet; grid: people x dates of an activity; meeting: a network
#: meeting's sheet; blank: no names, for unplanned events.
SHEET_KINDS = ("session", "grid", "meeting", "blank")
DEFAULT_BLANK_ROWS = 5
MAX_BLANK_ROWS = 200


@dataclass(frozen=True)
class SheetOptions:
    lang: str = "ca"
    #: Numbered empty rows after the names, for newcomers.
    blank_rows: int = DEFAULT_BLANK_ROWS
    #: Print a masked ID column (***4567**) — only when a funder requires it.
    show_masked_id: bool = False
    #: One person per slip, so nobody sees the other names (sensitive groups).
    slips: bool = False

    def with_(self, **changes: object) -> SheetOptions:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class SheetPerson:
    given_name: str
    family_names: str = ""
    #: Already masked (never the full number); empty when the person has none.
    masked_id: str = ""
    #: The meeting sheet's "entity or service represented".
    organisation: str = ""
    #: The participant's id: what a page's roster fingerprint is made of (never printed).
    key: str = ""


@dataclass(frozen=True)
class SheetFunder:
    name: str
    support_text: str = ""
    logo: bytes | None = None
    id: str = ""


@dataclass(frozen=True)
class EntityHeader:
    name: str
    logo: bytes | None = None
    privacy_controller: str = ""
    privacy_purpose: str = ""
    privacy_legal_basis: str = ""
    privacy_recipients: str = ""
    privacy_rights_contact: str = ""


@dataclass(frozen=True)
class SheetData:
    kind: str
    entity: EntityHeader
    programme: str = ""
    activity: str = ""
    #: The network space for a meeting sheet.
    space: str = ""
    date: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: str = ""
    facilitators: tuple[str, ...] = ()
    #: The session or meeting id the QR code carries.
    reference_id: str = ""
    #: The database's short id (app.scan.payload.database_code); a session sheet's QR codes
    #: then carry the page, its rows and their fingerprint so the signed scan can be read back.
    database_code: str = ""
    people: tuple[SheetPerson, ...] = ()
    funders: tuple[SheetFunder, ...] = ()
    #: Grid only: the session dates (columns) and the period asked for.
    dates: tuple[dt.date, ...] = ()
    period: tuple[dt.date, dt.date] | None = None
    #: The activity's partner organisations (coproduction), printed in the header.
    partners: tuple[str, ...] = ()
    #: The records whose texts the header prints (their versions in the sheet's language).
    programme_id: str = ""
    activity_id: str = ""

    @property
    def has_names(self) -> bool:
        return bool(self.people)


def mask_id(number: str, doc_type: str | None = None) -> str:
    """An ID number with only four characters showing, as the Spanish data-protection authority
    recommends for publication: DNI 12345678Z -> ***4567**, NIE X1234567L -> ****4567*; other
    documents keep the four characters before the last one. Never the full number."""
    value = "".join(number.split()).upper().replace("-", "")
    if not value:
        return ""
    if len(value) <= 5:
        return "*" * len(value)
    if doc_type == "nie" or (len(value) == 9 and value[0] in "XYZ" and value[1:8].isdigit()):
        return "****" + value[4:8] + "*" * (len(value) - 8)
    if doc_type == "dni" or (len(value) == 9 and value[:8].isdigit()):
        return "***" + value[3:7] + "*" * (len(value) - 7)
    return "*" * (len(value) - 5) + value[-5:-1] + "*"


def print_entry(sheet: SheetData, options: SheetOptions) -> tuple[AuditSubject, str]:
    """The subject and details of the audit entry of a printed sheet that shows names."""
    details = (
        f"names={len(sheet.people)} lang={options.lang} "
        f"masked_id={'yes' if options.show_masked_id else 'no'} "
        f"slips={'yes' if options.slips else 'no'}"
    )
    return AuditSubject.sheet(sheet.kind, sheet.reference_id), details
