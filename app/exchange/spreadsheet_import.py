"""A list of people in a spreadsheet, read and checked: the file format only.

``plan_people`` maps the columns of a table read from the file, validates each row and marks
likely duplicates of the people given (those already in the database) and within the file. The
service (app.services.people_import) reads the database, remembers the mapping and writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from app.domain.imports import (
    FIELD_ALIASES,
    GENDER_WORDS,
    PEOPLE_FIELDS,
    DuplicateMatch,
    PeoplePlan,
    PersonValues,
    RowPlan,
    Table,
)
from app.domain.people import NAME_MAX, text_problem
from app.errors import UserError
from app.exchange.spreadsheet_read import (
    cell_text,
    classify_document,
    normalise,
    normalise_phone,
    parse_date,
)
from app.i18n import _

SIMILAR_NAME = 90
_PARTICLES = {"de", "del", "la", "las", "los", "i", "y", "da", "dos", "van", "von", "el"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def header_signature(headers: Iterable[str]) -> str:
    joined = "|".join(normalise(h) for h in headers)
    return hashlib.sha1(joined.encode()).hexdigest()[:16]


def guess_mapping(headers: Iterable[str], fields: Iterable[str] = PEOPLE_FIELDS) -> tuple[str, ...]:
    allowed = set(fields)
    guessed = []
    for h in headers:
        f = FIELD_ALIASES.get(normalise(h), "")
        guessed.append(f if f in allowed else "")
    return tuple(guessed)


def suggest_gender_map(
    values: Iterable[Any], known: dict[str, str] | None = None
) -> dict[str, str]:
    """Normalised value -> code for the values of a gender column. "M" is a woman (mujer) next
    to "H" and a man (masculino) next to "F"; alone it is left for the user to map."""
    seen = {normalise(v) for v in values if cell_text(v)}
    mapping = {v: GENDER_WORDS[v] for v in seen if v in GENDER_WORDS}
    if "m" in seen:
        if seen & {"h", "hombre", "home"}:
            mapping["m"] = "woman"
        elif seen & {"f", "femenino", "femeni"}:
            mapping["m"] = "man"
    # What the user mapped before fills the gaps; the words above and the context win.
    mapping.update({k: v for k, v in (known or {}).items() if k in seen and k not in mapping})
    return mapping


def split_full_name(text: str) -> tuple[str, str]:
    """(given, family): "Puig Soler, Aina" or "Aina Puig Soler" (the last two family names,
    with particles such as "de la" kept with the name they precede)."""
    text = " ".join(text.split())
    if "," in text:
        family, given = (p.strip() for p in text.split(",", 1))
        return given, family
    tokens = text.split(" ")
    if len(tokens) <= 2:
        return tokens[0], " ".join(tokens[1:])
    units: list[list[str]] = []
    for tok in tokens:
        if units and units[-1][-1].lower() in _PARTICLES:
            units[-1].append(tok)
        else:
            units.append([tok])
    if len(units) <= 2:
        return " ".join(units[0]), " ".join(" ".join(u) for u in units[1:])
    return " ".join(" ".join(u) for u in units[:-2]), " ".join(" ".join(u) for u in units[-2:])


def _countries() -> dict[str, str]:
    from babel import Locale

    names: dict[str, str] = {}
    for loc in ("en", "es", "ca"):
        for code, name in Locale.parse(loc).territories.items():
            if len(code) == 2 and code.isalpha():
                names[normalise(name)] = code
                names[code.lower()] = code
    return names


@dataclass
class ExistingPerson:
    """A person a row may duplicate: one already in the database, or an earlier row."""

    id: str
    name: str
    key: str
    birth_date: dt.date | None
    birth_year: int | None
    document: str


def existing_person(
    pid: str,
    given: str,
    family: str,
    birth_date: dt.date | None,
    birth_year: int | None,
    document: str | None,
) -> ExistingPerson:
    name = f"{given} {family}".strip()
    return ExistingPerson(pid, name, normalise(name), birth_date, birth_year, document or "")


def plan_people(
    file_name: str,
    table: Table,
    mapping: Iterable[str],
    existing: Iterable[ExistingPerson],
    *,
    known_genders: dict[str, str] | None = None,
    gender_map: dict[str, str] | None = None,
    today: Callable[[], dt.date] = dt.date.today,
) -> PeoplePlan:
    """Each row of ``table`` read with ``mapping`` (one field per column), checked, and compared
    with the ``existing`` people and the rows above it. ``known_genders`` are the words the
    user mapped before; ``gender_map`` what they chose now."""
    cols = tuple(mapping)
    if len(cols) != len(table.headers):
        raise ValueError("the mapping needs one field per column")
    names = {"full_name", "given_name"}
    if not names & set(cols):
        raise UserError(_("Choose which column holds the names of the people."))
    gender_cols = [i for i, f in enumerate(cols) if f == "gender"]
    gender_values = [cells[i] for _n, cells in table.rows for i in gender_cols]
    genders = suggest_gender_map(gender_values, known_genders)
    genders.update(gender_map or {})
    unknown = sorted(
        {normalise(v) for v in gender_values if cell_text(v)} - set(genders),
    )
    reader = _RowReader(today)
    rows = [reader.row(n, cells, cols, genders) for n, cells in table.rows]
    rows = mark_duplicates(rows, existing)
    return PeoplePlan(
        file_name=file_name,
        headers=table.headers,
        mapping=cols,
        gender_map=genders,
        rows=tuple(rows),
        unknown_genders=tuple(unknown),
    )


class _RowReader:
    def __init__(self, today: Callable[[], dt.date]) -> None:
        self._today = today
        self._countries: dict[str, str] | None = None

    def row(
        self, number: int, cells: tuple[Any, ...], cols: tuple[str, ...], genders: dict[str, str]
    ) -> RowPlan:
        raw: dict[str, list[Any]] = defaultdict(list)
        for value, f in zip(cells, cols, strict=True):
            if f:
                raw[f].append(value)

        def text(f: str) -> str:
            return " ".join(t for t in (cell_text(v) for v in raw.get(f, [])) if t)

        errors: list[str] = []
        warnings: list[str] = []
        given, family = text("given_name"), text("family_names")
        if not given and text("full_name"):
            given, family2 = split_full_name(text("full_name"))
            family = family or family2
        if not given:
            errors.append(_("The name is empty."))
        for label, value in (
            (_("Given name"), given),
            (_("Family names"), family),
            (_("Parent or legal guardian"), text("guardian_name")),
        ):
            problem = text_problem(value, NAME_MAX)
            if problem:
                errors.append(f"{label}: {problem}")
        gender = None
        if text("gender"):
            gender = genders.get(normalise(text("gender")))
            if gender is None:
                errors.append(
                    _("The gender “{value}” is not known; map it to a gender.").format(
                        value=text("gender")
                    )
                )
        birth_date, birth_year = None, None
        for value in raw.get("birth_date", []):
            try:
                parsed = parse_date(value, self._today())
            except ValueError:
                errors.append(
                    _("The date of birth “{value}” cannot be read; write it as d/m/yyyy.").format(
                        value=cell_text(value)
                    )
                )
                continue
            if isinstance(parsed, int):
                birth_year = parsed
            elif parsed is not None:
                birth_date, birth_year = parsed, None
            when = birth_date or (dt.date(birth_year, 1, 1) if birth_year else None)
            if when and not (dt.date(1900, 1, 1) <= when <= self._today()):
                errors.append(
                    _("The date of birth {value} is in the future or too far back.").format(
                        value=cell_text(value)
                    )
                )
        doc_type, doc_number, problem = classify_document(text("id_document"))
        if problem:
            errors.append(problem)
        phone, ok = normalise_phone(text("phone"))
        if not ok:
            warnings.append(
                _("The phone “{value}” does not look like a phone number; kept as written.").format(
                    value=phone
                )
            )
        guardian_phone, _ok = normalise_phone(text("guardian_phone"))
        email = text("email")
        if email and not _EMAIL.match(email):
            warnings.append(
                _("The email “{value}” does not look like an address; kept as written.").format(
                    value=email
                )
            )
        nationality = ""
        if text("nationality"):
            if self._countries is None:
                self._countries = _countries()
            nationality = self._countries.get(normalise(text("nationality")), "")
            if not nationality:
                warnings.append(
                    _("The country “{value}” is not known; the nationality is left empty.").format(
                        value=text("nationality")
                    )
                )
        values = PersonValues(
            given_name=given[:200],
            family_names=family[:200],
            gender=gender,
            birth_date=birth_date,
            birth_year=birth_year,
            id_document_type=doc_type,
            id_document_number=doc_number,
            phone=phone[:40],
            email=email[:200],
            neighbourhood=text("neighbourhood")[:100],
            nationality=nationality,
            guardian_name=text("guardian_name")[:200],
            guardian_phone=guardian_phone[:40],
            notes=text("notes"),
        )
        return RowPlan(number, values if given else None, tuple(errors), tuple(warnings))


def mark_duplicates(rows: list[RowPlan], existing: Iterable[ExistingPerson]) -> list[RowPlan]:
    """The rows, each with the people (given or an earlier row) it may be a duplicate of."""
    from rapidfuzz import fuzz

    by_doc: dict[str, ExistingPerson] = {}
    by_birth: dict[object, list[ExistingPerson]] = defaultdict(list)
    by_key: dict[str, list[ExistingPerson]] = defaultdict(list)

    def index(e: ExistingPerson) -> None:
        if e.document:
            by_doc.setdefault(e.document, e)
        by_key[e.key].append(e)
        born = e.birth_date or e.birth_year
        if born:
            by_birth[born].append(e)

    for e in existing:
        index(e)

    marked = []
    for r in rows:
        if not r.valid or r.values is None:
            marked.append(r)
            continue
        v = r.values
        key = normalise(v.full_name)
        born = v.birth_date or v.birth_year
        found: dict[str, ExistingPerson] = {}
        reasons: dict[str, str] = {}
        if v.id_document_number and v.id_document_number in by_doc:
            e = by_doc[v.id_document_number]
            found[e.id], reasons[e.id] = e, _("same ID document")
        for e in by_birth.get(born, []) if born else []:
            if e.id not in found and fuzz.token_sort_ratio(key, e.key) >= SIMILAR_NAME:
                found[e.id], reasons[e.id] = e, _("similar name and same date of birth")
        for e in by_key.get(key, []):
            if e.id not in found and not (born and (e.birth_date or e.birth_year)):
                found[e.id], reasons[e.id] = e, _("same name")
        matches = tuple(
            DuplicateMatch(
                name=e.name,
                reason=reasons[e.id],
                participant_id=None if e.id.startswith("row:") else e.id,
                row=int(e.id[4:]) if e.id.startswith("row:") else None,
            )
            for e in found.values()
        )
        marked.append(replace(r, duplicates=matches))
        # Later rows are compared with this one too (duplicates within the file).
        index(
            ExistingPerson(
                f"row:{r.row}",
                v.full_name,
                key,
                v.birth_date,
                v.birth_year,
                v.id_document_number,
            )
        )
    return marked
