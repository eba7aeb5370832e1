"""Reading an interchange file: every record checked (types, dates, codes, references, unique
values) before anything is written. The first problem stops the import with a message that names
the record, e.g. ``participants[1] (id cc30c51b…): birth_date “2011-13-01” is not a valid date``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.text import shown_safely, unsafe_character
from app.errors import UserError
from app.exchange.record_rules import RecordRules
from app.exchange.spec import (
    CATEGORY_CODES,
    FORMAT,
    PROFILE,
    SPECS,
    VERSION,
    Field,
    Kind,
    Spec,
)
from app.i18n import _

#: The canonical form Teixit writes (str(uuid.UUID)): lowercase hex, 8-4-4-4-12.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@dataclass
class Row:
    """One checked record: column values (Python types) and link lists (``*_ids``) it carries."""

    values: dict[str, Any]
    links: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class CheckedFile:
    profile: dict[str, Any] | None
    rows: dict[str, list[Row]]
    #: Per array: natural key in the database -> id, and the ids of frozen (blocked) rows.
    existing: dict[str, dict[str, str]]
    frozen: dict[str, set[str]]


class _Invalid(Exception):
    """A bad value; the message is a translated template completed with record, field, value."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def record_label(key: str, index: int | None, raw: Any, natural: str = "id") -> str:
    if index is None:
        return key
    label = f"{key}[{index}]"
    value = raw.get(natural) if isinstance(raw, dict) else None
    if isinstance(value, str) and value:
        shown = value[:8] + "…" if natural == "id" and len(value) > 9 else value
        label += f" ({natural} {shown})"
    return label


def _shown(value: Any) -> str:
    text = shown_safely(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    return text if len(text) <= 60 else text[:59] + "…"


def _uuid(value: Any) -> str:
    if isinstance(value, str) and _UUID.fullmatch(value):
        return value
    raise _Invalid(_("{record}: {field} “{value}” is not a valid id (a lowercase UUID)."))


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(_("{record}: {field} must be text."))
    return value


def _int(value: Any, minimum: int | None) -> int:
    # SQLite keeps 64-bit integers; anything beyond is a typing mistake, not a count.
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2**63:
        if minimum is None:
            raise _Invalid(_("{record}: {field} must be a whole number."))
        raise _Invalid(
            _("{record}: {field} must be a whole number of at least {minimum}."), minimum=minimum
        )
    if minimum is not None and value < minimum:
        raise _Invalid(
            _("{record}: {field} must be a whole number of at least {minimum}."), minimum=minimum
        )
    return value


def _date(value: Any) -> dt.date:
    try:
        if isinstance(value, str) and _DATE.fullmatch(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise _Invalid(_("{record}: {field} “{value}” is not a valid date (YYYY-MM-DD)."))


def _time(value: Any) -> dt.time:
    try:
        if isinstance(value, str) and _TIME.fullmatch(value):
            return dt.time.fromisoformat(value)
    except ValueError:
        pass
    raise _Invalid(_("{record}: {field} “{value}” is not a valid time (HH:MM)."))


def _datetime(value: Any) -> dt.datetime:
    try:
        if isinstance(value, str) and _DATETIME.match(value):
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is not None:  # stored as naive UTC
                moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
            return moment
    except ValueError:
        pass
    raise _Invalid(
        _("{record}: {field} “{value}” is not a valid date and time (YYYY-MM-DDTHH:MM:SS).")
    )


def _image(value: Any) -> bytes | None:
    if not isinstance(value, str):
        raise _Invalid(_("{record}: {field} must be an image in base64 or null."))
    if not value:
        return None
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        data = b""
    # Documents print logos with ReportLab: PNG, JPEG or GIF.
    if not data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise _Invalid(_("{record}: {field} must be an image in base64 or null."))
    return data


def _required_text(value: Any, f: Field) -> str:
    checked = _text(value)
    if f.required and not checked.strip():
        raise _Invalid(_("{record}: {field} needs a value."))
    return checked


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(_("{record}: {field} must be true or false."))
    return value


def _number(value: Any) -> float | int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, int) and abs(value) >= 2**53)  # beyond a float: not an amount
        or not math.isfinite(value)
    ):
        raise _Invalid(_("{record}: {field} must be a number."))
    return value


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Invalid(_("{record}: {field} must be a list of texts."))
    return list(value)


#: Kinds checked by value alone; codes and references need the file and the database.
_PARSERS: dict[Kind, Callable[[Any, Field], Any]] = {
    Kind.ID: lambda v, f: _uuid(v),
    Kind.TEXT: _required_text,
    Kind.BOOL: lambda v, f: _bool(v),
    Kind.INT: lambda v, f: _int(v, f.minimum),
    Kind.NUMBER: lambda v, f: _number(v),
    Kind.DATE: lambda v, f: _date(v),
    Kind.TIME: lambda v, f: _time(v),
    Kind.DATETIME: lambda v, f: _datetime(v),
    Kind.IMAGE: lambda v, f: _image(v),
    Kind.TEXTS: lambda v, f: _texts(v),
}


#: Arrays whose natural key may repeat a database row under another id when a file is merged
#: into data of its own (the same person marked at the same session on two computers): the
#: merge makes them one record instead of refusing the file.
MERGED_BY_NATURAL_KEY = ("attendance",)
#: Unique values a form keeps (one consent per kind, one head count per band, agreements
#: numbered once per meeting) that a merge leaves to the rules of sync: only a repeat inside
#: the file is refused then.
MERGED_UNIQUE = ("consents", "head_counts", "agreements")


class _Column(NamedTuple):
    """One field of an array, ready to check many records."""

    name: str
    field: Field
    required: bool
    is_link: bool
    parse: Callable[[Any], Any]
    checks_text: bool
    length: int | None
    multiline: bool


class _Checker:
    def __init__(
        self, session: Session, data: dict[str, Any], today: dt.date, merging: bool = False
    ) -> None:
        self.s = session
        self.today = today
        self.merging = merging
        # Natural keys present in the file, gathered first so references can point forwards.
        self.in_file: dict[str, set[str]] = {}
        for spec in SPECS:
            records = data.get(spec.key)
            keys = {
                r[spec.natural_key]
                for r in (records if isinstance(records, list) else [])
                if isinstance(r, dict) and isinstance(r.get(spec.natural_key), str)
            }
            self.in_file[spec.key] = keys
        self._existing: dict[str, dict[str, str]] = {}
        self.categories: tuple[str, ...] = tuple(
            sorted(
                set(self.existing("programme_categories")) | self.in_file["programme_categories"]
            )
        )
        self.rules = RecordRules(session, today, self.categories)
        self._plans: dict[str, list[_Column]] = {}

    def existing(self, key: str) -> dict[str, str]:
        """Natural key -> id of every row of the array's table in the database."""
        if key not in self._existing:
            spec = next(s for s in SPECS if s.key == key)
            table = spec.table
            rows = self.s.execute(select(table.c[spec.natural_key], table.c.id))
            self._existing[key] = {k: i for k, i in rows}
        return self._existing[key]

    def frozen(self, spec: Spec) -> set[str]:
        if not spec.frozen_by:
            return set()
        table = spec.table
        return set(self.s.scalars(select(table.c.id).where(table.c[spec.frozen_by].is_not(None))))

    def exists(self, key: str, value: str) -> bool:
        return value in self.in_file[key] or value in self.existing(key)

    def value(self, f: Field, value: Any) -> Any:
        if value is None:
            if f.nullable:
                return None
            if f.kind is Kind.TEXT and not f.required:
                return ""
            if f.kind is Kind.TEXTS:
                return []
            raise _Invalid(_("{record}: {field} needs a value."))
        kind = f.kind
        parse = _PARSERS.get(kind)
        if parse is not None:
            return parse(value, f)
        if kind is Kind.CODE:
            codes = self.categories if f.codes == CATEGORY_CODES else f.codes
            if not isinstance(value, str) or value not in codes:
                raise _Invalid(
                    _("{record}: {field} “{value}” is not an accepted code ({codes})."),
                    codes=", ".join(codes),
                )
            return value
        if kind is Kind.REF:
            return self._ref(f, value)
        if kind is Kind.REFS:
            if not isinstance(value, list):
                raise _Invalid(_("{record}: {field} must be a list of ids."))
            return list(dict.fromkeys(self._ref(f, v) for v in value))
        raise AssertionError(kind)

    def _ref(self, f: Field, value: Any) -> str:
        ident = _uuid(value)
        if not self.exists(f.ref, ident):
            raise _Invalid(
                _(
                    "{record}: {field} refers to “{value}”, which is neither in the file "
                    "({target}) nor in the database."
                ),
                target=f.ref,
            )
        return ident

    def _plan(self, spec: Spec) -> list[_Column]:
        """Each field of ``spec`` with its check made once: the file's records are many (60 000
        attendances), its fields few."""
        plan = self._plans.get(spec.key)
        if plan is None:
            plan = self._plans[spec.key] = [self._column(spec, f) for f in spec.fields]
        return plan

    def _column(self, spec: Spec, f: Field) -> _Column:
        column = spec.table.c.get(f.name)
        length = getattr(column.type, "length", None) if column is not None else None
        kind = f.kind
        # Texts are checked against their column (length, characters a form cannot type). An id
        # that passed the UUID check is 36 hex digits and dashes: nothing to check then.
        checks_text = kind in (Kind.TEXT, Kind.CODE) or (
            kind in (Kind.ID, Kind.REF) and length is not None and length < 36
        )
        return _Column(
            f.name,
            f,
            f.required,
            f.link is not None,
            self._parser(f),
            checks_text,
            length,
            length is None,
        )

    def _parser(self, f: Field) -> Callable[[Any], Any]:
        """``value`` for one field, its common cases made direct (the others, and every
        problem, go through ``value`` itself: the same checks, the same messages)."""
        value = self.value
        kind = f.kind
        fullmatch = _UUID.fullmatch
        if kind is Kind.ID:

            def an_id(v: Any) -> Any:
                return v if type(v) is str and fullmatch(v) else value(f, v)

            return an_id
        if kind is Kind.REF:
            assert f.ref is not None
            in_file, existing = self.in_file[f.ref], self.existing(f.ref)

            def a_ref(v: Any) -> Any:
                if type(v) is str and (v in in_file or v in existing) and fullmatch(v):
                    return v
                return value(f, v)

            return a_ref
        if kind is Kind.TEXT:
            required = f.required

            def a_text(v: Any) -> Any:
                if type(v) is str and not (required and not v.strip()):
                    return v
                return value(f, v)

            return a_text
        if kind is Kind.CODE and f.codes != CATEGORY_CODES:
            codes = frozenset(f.codes)

            def a_code(v: Any) -> Any:
                return v if type(v) is str and v in codes else value(f, v)

            return a_code
        return lambda v: value(f, v)

    def record(self, spec: Spec, index: int | None, raw: Any) -> Row:
        def label() -> str:  # built only for a message: most records are fine
            return record_label(spec.key, index, raw, spec.natural_key)

        if not isinstance(raw, dict):
            raise UserError(_("{record} is not a JSON object.").format(record=label()))
        values: dict[str, Any] = {}
        row = Row(values)
        for name, f, required, is_link, parse, checks_text, length, multiline in self._plan(spec):
            if name not in raw:
                if required:
                    raise UserError(
                        _("{record}: the field {field} is missing.").format(
                            record=label(), field=name
                        )
                    )
                continue
            value = raw[name]
            try:
                parsed = parse(value)
            except _Invalid as bad:
                params = {"record": label(), "field": name, "value": _shown(value), **bad.params}
                raise UserError(bad.message.format(**params)) from None
            if (
                checks_text
                and parsed
                and isinstance(parsed, str)
                and (
                    (length is not None and len(parsed) > length)
                    or unsafe_character(parsed, multiline) is not None
                )
            ):
                self._stored_text(spec, f, parsed, label)
            if is_link:
                row.links[name] = parsed
            else:
                values[name] = parsed
        problem = self.rules.problem(spec.key, values)
        if problem is not None:
            field_name, sentence = problem
            raise UserError(
                _("{record}, {field}: {problem}").format(
                    record=label(), field=field_name, problem=sentence
                )
            )
        return row

    @staticmethod
    def _stored_text(spec: Spec, f: Field, text: str, label: Callable[[], str]) -> None:
        """A text fits its column: no longer than it, and no character a form cannot type (a
        column with a length holds one line; a Text column several)."""
        column = spec.table.c.get(f.name)
        length = getattr(column.type, "length", None) if column is not None else None
        if length is not None and len(text) > length:
            raise UserError(
                _("{record}: {field} is longer than {length} characters.").format(
                    record=label(), field=f.name, length=length
                )
            )
        bad = unsafe_character(text, multiline=length is None)
        if bad is not None:
            raise UserError(
                _("{record}: {field} holds an invisible or control character ({code}).").format(
                    record=label(), field=f.name, code=f"U+{ord(bad):04X}"
                )
            )

    def array(self, spec: Spec, records: list[Any]) -> list[Row]:
        natural = spec.natural_key
        in_file = self.in_file[spec.key]
        table = spec.table
        # The natural key may repeat a database row (that is a merge) but not another record of
        # the file; other unique values may repeat neither. Database rows the file overwrites
        # do not count: their values are about to change.
        groups = (*spec.unique, (natural,))
        taken: list[dict[tuple[Any, ...], str]] = [{} for _g in groups]
        for names, db_taken in zip(spec.unique, taken, strict=False):
            if self.merging and spec.key in (*MERGED_BY_NATURAL_KEY, *MERGED_UNIQUE):
                continue
            query = select(table.c[natural], *[table.c[n] for n in names])
            db_taken.update(
                {tuple(r[1:]): r[0] for r in self.s.execute(query) if r[0] not in in_file}
            )
        owners: list[dict[tuple[Any, ...], int]] = [{} for _g in groups]
        rows = []
        late = [f for f in spec.columns if f.missing is not None]
        for index, raw in enumerate(records):
            row = self.record(spec, index, raw)
            for f in late:
                if f.name not in row.values and row.values[natural] not in self.existing(spec.key):
                    assert f.missing is not None
                    row.values[f.name] = f.missing(row.values, self.today)
            for names, db_taken, file_taken in zip(groups, taken, owners, strict=True):
                value = tuple(row.values.get(n) for n in names)
                if None in value:  # as in SQL: an empty part makes no two values the same
                    continue
                if value in file_taken or value in db_taken:
                    self._repeated(spec, records, index, names, value, file_taken, db_taken)
                file_taken[value] = index
            rows.append(row)
        self._no_loops(spec, records, rows)
        return rows

    def _repeated(
        self,
        spec: Spec,
        records: list[Any],
        index: int,
        names: tuple[str, ...],
        value: tuple[Any, ...],
        in_file: dict[tuple[Any, ...], int],
        in_db: dict[tuple[Any, ...], str],
    ) -> None:
        label = record_label(spec.key, index, records[index], spec.natural_key)
        shown = " / ".join(str(v) for v in value)
        if value in in_file:
            other = in_file[value]
            raise UserError(
                _("{record}: {field} “{value}” is already used by {other}.").format(
                    record=label,
                    field=", ".join(names),
                    value=shown,
                    other=record_label(spec.key, other, records[other], spec.natural_key),
                )
            )
        raise UserError(
            _(
                "{record}: {field} “{value}” is already used by another record in "
                "the database (id {other})."
            ).format(record=label, field=", ".join(names), value=shown, other=in_db[value])
        )

    def _no_loops(self, spec: Spec, records: list[Any], rows: list[Row]) -> None:
        """A record referring to its own table (a commission's network) must not end up inside
        itself, counting the database rows the file leaves as they are."""
        table = spec.table
        for f in spec.columns:
            if f.kind is not Kind.REF or f.ref != spec.key:
                continue
            parent = {i: p for i, p in self.s.execute(select(table.c.id, table.c[f.name]))}
            parent.update({r.values["id"]: r.values[f.name] for r in rows if f.name in r.values})
            for index, row in enumerate(rows):
                seen = {row.values["id"]}
                current = parent.get(row.values["id"])
                while current is not None:
                    if current in seen:
                        label = record_label(spec.key, index, records[index])
                        raise UserError(
                            _(
                                "{record}: {field} “{value}” makes the record part of itself "
                                "(directly or through other records)."
                            ).format(record=label, field=f.name, value=row.values.get(f.name))
                        )
                    seen.add(current)
                    current = parent.get(current)


def check_file(
    session: Session, data: Any, today: dt.date | None = None, *, merging: bool = False
) -> CheckedFile:
    """Check the whole file against itself and the database; UserError on the first problem.
    ``today`` (by default the real one) completes fields older files leave out. ``merging``:
    the file is merged field by field into the data (app/sync/importing.py), so a mark of the
    database under another id is no clash."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError(_("This is not a Teixit interchange file: “format” must be “teixit”."))
    version = data.get("version")
    if version != VERSION or isinstance(version, bool):
        raise UserError(
            _(
                "This file uses version {version} of the interchange format; this version of "
                "Teixit reads version {supported}."
            ).format(version=_shown(version), supported=VERSION)
        )
    for spec in SPECS:
        if spec.key in data and not isinstance(data[spec.key], list):
            raise UserError(_("“{key}” must be a list of records.").format(key=spec.key))
    checker = _Checker(session, data, today or dt.date.today(), merging)
    profile = None
    if data.get(PROFILE.key) is not None:
        profile = checker.record(PROFILE, None, data[PROFILE.key]).values
    rows = {spec.key: checker.array(spec, data.get(spec.key) or []) for spec in SPECS}
    existing = {spec.key: checker.existing(spec.key) for spec in SPECS if rows[spec.key]}
    frozen = {spec.key: checker.frozen(spec) for spec in SPECS if rows[spec.key]}
    return CheckedFile(profile, rows, existing, frozen)
