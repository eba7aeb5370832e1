"""The interchange file: the whole database as one JSON file (DESIGN.md section 7, documented
field by field in docs/data-format.md). The file format only: ``dump`` and ``load`` work inside
the unit of work the service (app.services.exchange) opens, which also writes the audit entry.

Export is deterministic (stable key order, arrays sorted by id, link lists sorted) so that
export -> import into an empty database -> export gives the same bytes. Import checks the whole
file first (app.exchange.validation) and then writes it, merging by id.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.domain.changes import EVERYTHING, Changes
from app.errors import UserError
from app.exchange.spec import (
    BY_KEY,
    FORMAT,
    PROFILE,
    SPECS,
    VERSION,
    WRITE_ORDER,
    Field,
    Kind,
    Spec,
)
from app.exchange.validation import CheckedFile, Row, check_file
from app.i18n import _, ngettext
from app.private_files import write_private

_CHUNK = 500

#: How the summaries name each array, e.g. "2 people".
_LABELS: dict[str, Callable[[int], str]] = {
    "staff": lambda n: ngettext("{count} staff member", "{count} staff members", n),
    "places": lambda n: ngettext("{count} place", "{count} places", n),
    "funders": lambda n: ngettext("{count} funder", "{count} funders", n),
    "programmes": lambda n: ngettext("{count} programme", "{count} programmes", n),
    "indicators": lambda n: ngettext("{count} indicator", "{count} indicators", n),
    "activities": lambda n: ngettext("{count} activity", "{count} activities", n),
    "participants": lambda n: ngettext("{count} person", "{count} people", n),
    "consents": lambda n: ngettext("{count} consent", "{count} consents", n),
    "enrolments": lambda n: ngettext("{count} enrolment", "{count} enrolments", n),
    "sessions": lambda n: ngettext("{count} session", "{count} sessions", n),
    "attendance": lambda n: ngettext("{count} attendance record", "{count} attendance records", n),
    "head_counts": lambda n: ngettext("{count} head count", "{count} head counts", n),
    "organisations": lambda n: ngettext("{count} organisation", "{count} organisations", n),
    "network_spaces": lambda n: ngettext(
        "{count} network or commission", "{count} networks or commissions", n
    ),
    "network_meetings": lambda n: ngettext(
        "{count} network meeting", "{count} network meetings", n
    ),
    "meeting_attendees": lambda n: ngettext(
        "{count} meeting attendee", "{count} meeting attendees", n
    ),
    "agreements": lambda n: ngettext("{count} agreement", "{count} agreements", n),
    "referrals": lambda n: ngettext("{count} referral", "{count} referrals", n),
    "programme_categories": lambda n: ngettext(
        "{count} programme category", "{count} programme categories", n
    ),
    "report_narratives": lambda n: ngettext("{count} report text", "{count} report texts", n),
    "budgets": lambda n: ngettext("{count} budget", "{count} budgets", n),
    "budget_lines": lambda n: ngettext("{count} budget line", "{count} budget lines", n),
    "expenses": lambda n: ngettext("{count} expense", "{count} expenses", n),
    "expense_shares": lambda n: ngettext(
        "{count} share of an expense", "{count} shares of expenses", n
    ),
    "evidence": lambda n: ngettext(
        "{count} page of a signed sheet", "{count} pages of signed sheets", n
    ),
    "local_days": lambda n: ngettext(
        "{count} local holiday or school break", "{count} local holidays or school breaks", n
    ),
    "volunteers": lambda n: ngettext("{count} volunteer", "{count} volunteers", n),
    "volunteer_hours": lambda n: ngettext(
        "{count} record of volunteer hours", "{count} records of volunteer hours", n
    ),
    "safeguarding_certificates": lambda n: ngettext(
        "{count} sexual-offences register certificate",
        "{count} sexual-offences register certificates",
        n,
    ),
    "community_groups": lambda n: ngettext(
        "{count} group accompanied", "{count} groups accompanied", n
    ),
    "group_contacts": lambda n: ngettext(
        "{count} contact person of a group", "{count} contact people of groups", n
    ),
    "group_stages": lambda n: ngettext(
        "{count} stage of a group", "{count} stages of groups", n
    ),
    "mediation_cases": lambda n: ngettext(
        "{count} mediation case", "{count} mediation cases", n
    ),
    "mediation_staff": lambda n: ngettext(
        "{count} staff member on a case", "{count} staff members on cases", n
    ),
    "mediation_parties": lambda n: ngettext(
        "{count} party to a case", "{count} parties to cases", n
    ),
    "mediation_sessions": lambda n: ngettext(
        "{count} session of a case", "{count} sessions of cases", n
    ),
    "needs": lambda n: ngettext("{count} need detected", "{count} needs detected", n),
    "text_variants": lambda n: ngettext(
        "{count} text in another language", "{count} texts in another language", n
    ),
    "age_band_sets": lambda n: ngettext("{count} age-band set", "{count} age-band sets", n),
}


def _items(counts: dict[str, int], profile: bool = False) -> str:
    parts = [_("the entity profile")] if profile else []
    parts += [_LABELS[k](n).format(count=n) for k, n in counts.items() if n]
    return ", ".join(parts)


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    counts: dict[str, int]

    def describe(self) -> str:
        if not any(self.counts.values()):
            return _("Exported an empty database to {file}.").format(file=self.path)
        return _("Exported {items} to {file}.").format(items=_items(self.counts), file=self.path)


@dataclass(frozen=True)
class ImportSummary:
    source: Path | None
    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    #: Blocked people in the database the file tried to change (left as they were).
    skipped_blocked: int = 0
    profile: bool = False
    #: Values of the database kept against older ones of the file (or the other way round),
    #: listed among the sync conflicts.
    conflicts: int = 0

    @property
    def changes(self) -> Changes:
        return EVERYTHING

    def describe(self) -> str:
        totals = {k: self.inserted.get(k, 0) + self.updated.get(k, 0) for k in _LABELS}
        new, changed = sum(self.inserted.values()), sum(self.updated.values())
        items = _items(totals, self.profile)
        if not items:
            line = _("Nothing was imported: the file holds no records.")
        elif self.source is None:
            line = _("Imported {items} ({new} new, {changed} updated).").format(
                items=items, new=new, changed=changed
            )
        else:
            line = _("Imported {items} from {file} ({new} new, {changed} updated).").format(
                items=items, file=self.source, new=new, changed=changed
            )
        if self.skipped_blocked:
            n = self.skipped_blocked
            line += " " + ngettext(
                "{count} blocked person was left unchanged.",
                "{count} blocked people were left unchanged.",
                n,
            ).format(count=n)
        if self.conflicts:
            line += " " + ngettext(
                "{count} value differed from a newer one and is listed among the conflicts.",
                "{count} values differed from newer ones and are listed among the conflicts.",
                self.conflicts,
            ).format(count=self.conflicts)
        return line


# ---- export ---------------------------------------------------------------------------------


def _number(value: float | None) -> float | int | None:
    if value is not None and float(value).is_integer():
        return int(value)
    return value


_DUMP: dict[Kind, Callable[[Any], Any]] = {
    Kind.INT: lambda v: v,
    Kind.NUMBER: _number,
    Kind.BOOL: lambda v: bool(v),
    Kind.DATE: lambda v: v.isoformat(),
    Kind.TIME: lambda v: v.strftime("%H:%M"),
    Kind.DATETIME: lambda v: v.isoformat(),
    Kind.IMAGE: lambda v: base64.b64encode(v).decode("ascii") if v else None,
    Kind.TEXTS: lambda v: list(v or []),
}


def _dump(f: Field, value: Any) -> Any:
    if value is None:
        return "" if f.kind is Kind.TEXT else [] if f.kind is Kind.TEXTS else None
    convert = _DUMP.get(f.kind)
    return convert(value) if convert else value


def _links(s: Session, f: Field) -> dict[str, list[str]]:
    assert f.link is not None
    table = f.link.table
    out: dict[str, list[str]] = defaultdict(list)
    rows = s.execute(
        select(table.c[f.link.owner], table.c[f.link.target]).order_by(table.c[f.link.target])
    )
    for owner, target in rows:
        out[owner].append(target)
    return out


def _export_array(s: Session, spec: Spec) -> list[dict[str, Any]]:
    table = spec.table
    columns = spec.columns
    order = [table.c.position, table.c.code] if spec.key == "programme_categories" else [table.c.id]
    links = {f.name: _links(s, f) for f in spec.fields if f.link is not None}
    at = {f.name: i for i, f in enumerate(columns)}
    id_at = at.get("id", -1)
    # Each field once: where its value is in the row and how it is written: as it is (most
    # fields: text, ids, counts), or converted (dates, times, images, lists); the file's order.
    plan = [
        (f.name, at.get(f.name, -1), f, f.kind in _DUMP, links.get(f.name)) for f in spec.fields
    ]
    out = []
    for row in s.execute(select(*[table.c[f.name] for f in columns]).order_by(*order)):
        record = {}
        for name, i, f, convert, linked in plan:
            if linked is not None:
                record[name] = linked.get(row[id_at], [])
            else:
                value = row[i]
                record[name] = _dump(f, value) if convert or value is None else value
        out.append(record)
    return out


def dump(s: Session) -> dict[str, Any]:
    """The whole database as the interchange structure (JSON-ready), read in ``s``: one
    snapshot, so what others save meanwhile is not half in it."""
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    table = PROFILE.table
    profile = s.execute(
        select(*[table.c[f.name] for f in PROFILE.fields]).order_by(table.c.created_at).limit(1)
    ).first()
    data[PROFILE.key] = (
        {f.name: _dump(f, v) for f, v in zip(PROFILE.fields, profile, strict=True)}
        if profile
        else None
    )
    for spec in SPECS:
        data[spec.key] = _export_array(s, spec)
    return data


def counts(data: dict[str, Any]) -> dict[str, int]:
    """How many records of each kind ``data`` holds."""
    return {spec.key: len(data[spec.key]) for spec in SPECS}


def encode(data: dict[str, Any]) -> bytes:
    """The interchange file's bytes (UTF-8 JSON, indented, newline at the end)."""
    return (indented_json(data) + "\n").encode("utf-8")


def write_file(path: Path, data: dict[str, Any]) -> None:
    """The interchange file, private to the user (it holds personal data); a failure leaves
    no half file."""
    write_private(Path(path), encode(data))


def indented_json(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, the same text, faster: the standard
    library encodes with indentation in pure Python, one small piece at a time; here each
    string goes through its C escaping and each record is joined once. Takes what an
    interchange file holds (dicts with string keys, lists, strings, numbers, booleans, None)."""
    return _encode(value, "\n")


_escape = json.encoder.encode_basestring  # the C function, as json.dumps with ensure_ascii=False
_INFINITY = float("inf")
_CONSTANTS = {None: "null", True: "true", False: "false"}


def _encode(value: Any, newline: str) -> str:
    kind = type(value)
    if kind is str:
        return _escape(value)
    if value is None or value is True or value is False:
        return _CONSTANTS[value]
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        if value != value:
            return "NaN"
        if value in (_INFINITY, -_INFINITY):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + "  "
        for key in value:
            if not isinstance(key, str):
                raise TypeError(f"keys must be str, not {type(key).__name__}")
        fields = [
            _escape(k) + ": " + (_escape(v) if type(v) is str else _encode(v, inner))
            for k, v in value.items()
        ]
        return "{" + inner + ("," + inner).join(fields) + newline + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + "  "
        items = [_escape(v) if type(v) is str else _encode(v, inner) for v in value]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    if isinstance(value, str | int | float | dict | list | tuple):  # subclasses: as json does
        return _encode(_plain(value), newline)
    raise TypeError(f"Object of type {kind.__name__} is not JSON serializable")


def _plain(value: Any) -> Any:
    """A subclass (a StrEnum value, say) as its plain base value, written as json writes it."""
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int.__index__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, dict):
        return dict(value)
    return list(value)


# ---- import ---------------------------------------------------------------------------------


def _grouped(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Runs of rows carrying the same fields (a record may leave optional fields out), in order,
    so one statement writes each run and parents still come before their children."""
    return [list(run) for _k, run in itertools.groupby(rows, key=lambda r: sorted(r))]


def parents_first(spec: Spec, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order new rows so a row referring to its own table (a commission's network) comes after
    the row it refers to: foreign keys are checked as each row is written. Validation has already
    refused cycles."""
    selfref = [f.name for f in spec.columns if f.kind is Kind.REF and f.ref == spec.key]
    if not selfref:
        return rows
    by_id = {r["id"]: r for r in rows}
    ordered: dict[str, dict[str, Any]] = {}

    def visit(row: dict[str, Any]) -> None:
        for name in selfref:
            parent = by_id.get(row.get(name) or "")
            if parent is not None and parent["id"] not in ordered:
                visit(parent)
        ordered[row["id"]] = row

    for row in rows:
        if row["id"] not in ordered:
            visit(row)
    return list(ordered.values())


def _write_array(
    s: Session,
    spec: Spec,
    rows: list[Row],
    existing: dict[str, str],
    frozen: set[str],
    links_later: list[tuple[Spec, list[Row]]],
) -> tuple[int, int, int]:
    inserts, updates, kept = [], [], []
    skipped = 0
    # One time stamp for the whole import, in naive UTC as the columns keep it.
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for row in rows:
        db_id = existing.get(row.values[spec.natural_key])
        if db_id is None:
            inserts.append({**row.values, "created_at": now, "updated_at": now})
        elif db_id in frozen:
            skipped += 1
            continue
        else:
            updates.append({**row.values, "id": db_id, "updated_at": now})
        kept.append(row)
    table = spec.table
    for group in _grouped(parents_first(spec, inserts)):
        s.execute(insert(table), group)  # Core: no ORM bookkeeping for rows nobody holds
    for group in _grouped(updates):
        s.execute(update(spec.model), group)
    # Links are written once every array's rows are (a link may name a record of a later
    # array: an activity's partner organisations).
    links_later.append((spec, kept))
    return len(inserts), len(updates), skipped


def _write_links(s: Session, spec: Spec, kept: list[Row]) -> None:
    for f in spec.fields:
        if f.link is None:
            continue
        table, owner, target = f.link.table, f.link.owner, f.link.target
        carrying = [r for r in kept if f.name in r.links]
        owners = [r.values["id"] for r in carrying]
        for start in range(0, len(owners), _CHUNK):
            s.execute(delete(table).where(table.c[owner].in_(owners[start : start + _CHUNK])))
        pairs = [{owner: r.values["id"], target: t} for r in carrying for t in r.links[f.name]]
        if pairs:
            s.execute(insert(table), pairs)


def _write(s: Session, checked: CheckedFile, source: Path | None) -> ImportSummary:
    """Write the checked file, merging by id."""
    profile = checked.profile
    if profile is not None:
        table = PROFILE.table
        current = s.scalar(select(table.c.id).order_by(table.c.created_at).limit(1))
        if current is None:
            s.execute(insert(PROFILE.model), [profile])
        else:
            s.execute(update(PROFILE.model), [{**profile, "id": current}])
    inserted: dict[str, int] = {}
    updated: dict[str, int] = {}
    skipped = 0
    # People frozen in the database (erased, perhaps purged) get no consents, enrolments or
    # referrals from a file: an older copy must not bring back what a purge removed. (Read
    # before writing: people blocked in the file itself, as in a restore, keep theirs.)
    people = BY_KEY["participants"].table
    frozen_people = set(s.scalars(select(people.c.id).where(people.c.blocked_at.is_not(None))))
    links_later: list[tuple[Spec, list[Row]]] = []
    for spec in WRITE_ORDER:
        rows = checked.rows[spec.key]
        if spec.key in ("consents", "enrolments", "referrals") and frozen_people:
            rows = [r for r in rows if r.values.get("participant_id") not in frozen_people]
        if not rows:
            continue
        new, changed, kept_blocked = _write_array(
            s, spec, rows, checked.existing[spec.key], checked.frozen[spec.key], links_later
        )
        inserted[spec.key], updated[spec.key] = new, changed
        skipped += kept_blocked
    for spec, kept in links_later:
        _write_links(s, spec, kept)
    return ImportSummary(source, inserted, updated, skipped, profile is not None)


def load(
    s: Session, data: Any, source: Path | None = None, today: dt.date | None = None
) -> ImportSummary:
    """Check ``data`` whole (UserError if invalid), then write it in ``s``, merging by id.
    ``today`` (by default the real one) decides the status of meetings an older file gives
    none (held before today, planned from today on)."""
    return _write(s, check_file(s, data, today), source)


#: An interchange file of the largest entity Teixit is measured with is a few tens of megabytes.
MAX_FILE_BYTES = 512 * 1024 * 1024
#: No number in an interchange file has more digits (ids are text; counts and amounts are small).
MAX_NUMBER_DIGITS = 20


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _NumberTooLong(text)
    return int(text)


def _bounded_float(text: str) -> float:
    value = float(text)
    if len(text) > 64 or not math.isfinite(value):
        raise _NumberTooLong(text)
    return value


def _no_constant(text: str) -> Any:
    raise _NumberTooLong(text)  # NaN, Infinity, -Infinity: not JSON, and no count is infinite


class _NumberTooLong(ValueError):
    pass


class PassphraseNeeded(UserError):
    """The file is an export sealed with a passphrase (app/sealed.py) and none was given."""


def read_file(path: Path, passphrase: str | None = None) -> Any:
    """The interchange structure in ``path``: a JSON file, or one sealed in an AES-256 ZIP
    (``teixit export --encrypt``) opened with ``passphrase``. Bounded in size, depth and
    numbers; every failure is one translated sentence."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UserError(
                _("The file {file} is larger than {size} MB: it is not a Teixit export.").format(
                    file=path, size=MAX_FILE_BYTES // (1024 * 1024)
                )
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(_("The file {file} does not exist.").format(file=path)) from None
    except OSError as exc:
        raise UserError(
            _("Teixit cannot read the file {file} ({reason}).").format(
                file=path, reason=exc.strerror or exc
            )
        ) from exc
    from app import sealed

    if sealed.is_sealed(raw):
        if passphrase is None:
            raise PassphraseNeeded(
                _("The file {file} is sealed with a passphrase: type it to read the file.").format(
                    file=path
                )
            )
        raw = sealed.open_single(raw, passphrase, shown=str(path), max_bytes=MAX_FILE_BYTES)
    try:
        return json.loads(
            raw.decode("utf-8-sig"),
            parse_int=_bounded_int,
            parse_float=_bounded_float,
            parse_constant=_no_constant,
        )
    except _NumberTooLong as exc:
        shown = str(exc)
        raise UserError(
            _("The file {file} holds a number no Teixit record has: {number}.").format(
                file=path, number=shown if len(shown) <= 24 else shown[:20] + "…"
            )
        ) from None
    except RecursionError:
        raise UserError(
            _("The file {file} is nested deeper than any Teixit export: it cannot be read.").format(
                file=path
            )
        ) from None
    except UnicodeDecodeError:
        raise UserError(_("The file {file} is not UTF-8 text.").format(file=path)) from None
    except json.JSONDecodeError as exc:
        raise UserError(
            _("The file {file} is not valid JSON (line {line}, column {column}).").format(
                file=path, line=exc.lineno, column=exc.colno
            )
        ) from None


__all__ = [
    "ExportSummary",
    "ImportSummary",
    "PassphraseNeeded",
    "counts",
    "dump",
    "load",
    "read_file",
    "write_file",
]
