"""People as the services hand them out, their checks (documents, ages, guardians) and the
normalised text the search matches against."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import NamedTuple

from app.domain.figures import age_on
from app.domain.text import fold, unsafe_character
from app.domain.text import sort_key as sort_key  # every list of people orders by it
from app.i18n import N_, _

DOCUMENT_LABELS = {
    "dni": N_("DNI"),
    "nie": N_("NIE"),
    "passport": N_("Passport"),
    "other": N_("Other document"),
}
DOCUMENT_TYPES: tuple[str, ...] = tuple(DOCUMENT_LABELS)
CONSENT_LABELS = {
    "data_processing": N_("Data processing"),
    "image_internal": N_("Image: internal use"),
    "image_funder": N_("Image: reports to funders"),
    "image_web": N_("Image: web and social networks"),
}
CONSENT_KINDS: tuple[str, ...] = tuple(CONSENT_LABELS)
SIGNED_BY_LABELS = {"self": N_("The person"), "guardian": N_("Parent or legal guardian")}
SIGNED_BY: tuple[str, ...] = tuple(SIGNED_BY_LABELS)
GUARDIAN_AGE = 14
#: Nobody alive was born before: an earlier birth date is a typing mistake.
EARLIEST_BIRTH_YEAR = 1900
#: The longest name a form, a file or a sheet accepts (what the name columns hold).
NAME_MAX = 200
#: A person's notes are a few paragraphs, not a document.
NOTES_MAX = 10_000
_NON_DIGITS = re.compile(r"\D+")


@dataclass(frozen=True)
class PersonDTO:
    given_name: str
    family_names: str = ""
    id: str | None = None
    gender: str | None = None
    birth_date: dt.date | None = None
    birth_year: int | None = None
    id_document_type: str | None = None
    id_document_number: str = ""
    nationality: str = ""
    neighbourhood: str = ""
    phone: str = ""
    email: str = ""
    guardian_name: str = ""
    guardian_phone: str = ""
    notes: str = ""
    blocked: bool = False
    #: The record's version when it was read (None: not checked, as for a new person).
    version: int | None = None

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_names}".strip()

    def age(self, on: dt.date) -> int | None:
        return age_on(on, self.birth_date, self.birth_year)


@dataclass(frozen=True)
class ConsentFormData:
    """What a printed consent form shows: the entity and its data-protection notice, and the
    person (nobody for a blank form, filled in by hand)."""

    entity_name: str
    privacy: dict[str, str]
    today: dt.date
    logo: bytes | None = None
    person_id: str = ""
    person_name: str = ""
    birth_date: dt.date | None = None
    guardian_name: str = ""
    #: True: the guardian signs; False: the person signs; None (a blank form): both parts are
    #: printed and the guardian's says it is for people under ``GUARDIAN_AGE``.
    minor: bool | None = None


@dataclass(frozen=True)
class PersonListRow:
    """A person as ``teixit list people`` shows them: the name, and the contact only when
    asked for it."""

    id: str
    name: str
    phone: str = ""
    email: str = ""


class PersonHit(NamedTuple):
    """A row of the people list and the search results.

    A named tuple, not a frozen dataclass: the People page builds one for each of 50 000 people
    before it shows, and a tuple is made in one call (a frozen dataclass sets each field)."""

    id: str
    name: str
    document: str
    phone: str
    birth_date: dt.date | None
    #: Family name then given name, folded (``sort_key``): the list order.
    sort: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class ConsentDTO:
    kind: str
    granted: bool = True
    date: dt.date | None = None
    signed_by: str = "self"
    revoked_at: dt.date | None = None
    id: str | None = None


@dataclass(frozen=True)
class EnrolmentDTO:
    participant_id: str
    activity_id: str
    start: dt.date | None = None
    end: dt.date | None = None
    id: str | None = None
    #: Filled by the service.
    person_name: str = ""
    activity_name: str = ""
    #: The person's ``sort_key`` (rosters list people by family name).
    person_sort: tuple[str, str] = ("", "")

    def is_active(self, on: dt.date) -> bool:
        """Enrolled on that day: started (or no start) and not yet left (or no end)."""
        return (self.start is None or self.start <= on) and (self.end is None or self.end >= on)


@dataclass(frozen=True)
class AttendanceRecord:
    """A line of a person's attendance history."""

    session_id: str
    date: dt.date
    activity_name: str
    status: str


@dataclass(frozen=True)
class DuplicateCandidate:
    hit: PersonHit
    #: Why it looks like the same person (translated).
    reason: str
    score: float


def digits(text: str) -> str:
    return _NON_DIGITS.sub("", text)


def search_text(name: str, document: str, phone: str) -> str:
    """What a search matches: folded name, document without separators, phone digits."""
    doc = fold(document).replace(" ", "").replace("-", "")
    return f"{fold(name)} {doc} {digits(phone)}"


def normalise_document(kind: str | None, number: str) -> str:
    compact = number.strip().upper().replace(" ", "").replace("-", "").replace(".", "")
    return compact if kind in ("dni", "nie") else number.strip()


def mask_document(number: str) -> str:
    """Lists show only the last characters of an ID number."""
    return "" if not number else "•" * max(len(number) - 4, 0) + number[-4:]


def text_problem(value: str, max_length: int, multiline: bool = False) -> str | None:
    """Why ``value`` cannot be stored as typed (too long, or a character no keyboard types on
    purpose: a control character, a direction override, a lone surrogate), or None."""
    if len(value) > max_length:
        return _("This text is longer than {count} characters.").format(count=max_length)
    bad = unsafe_character(value, multiline)
    if bad is not None:
        return _("This text holds an invisible or control character ({code}).").format(
            code=f"U+{ord(bad):04X}"
        )
    return None


def validate_person(p: PersonDTO, today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name in ("given_name", "family_names", "guardian_name"):
        problem = text_problem(getattr(p, name), NAME_MAX)
        if problem:
            errors[name] = problem
    notes_problem = text_problem(p.notes, NOTES_MAX, multiline=True)
    if notes_problem:
        errors["notes"] = notes_problem
    if not p.given_name.strip():
        errors.setdefault("given_name", _("Write at least the given name."))
    if p.birth_date is not None and p.birth_date > today:
        errors["birth_date"] = _("The birth date cannot be in the future.")
    elif p.birth_date is not None and p.birth_date.year < EARLIEST_BIRTH_YEAR:
        errors["birth_date"] = _("The birth date must be between 1900 and today.")
    if p.birth_year is not None and not (EARLIEST_BIRTH_YEAR <= p.birth_year <= today.year):
        errors["birth_year"] = _("The year of birth must be between 1900 and this year.")
    if p.birth_date and p.birth_year and p.birth_date.year != p.birth_year:
        errors["birth_year"] = _("The year of birth does not match the birth date.")
    # python-stdnum is imported where it is used (a printed sheet sorts names with this module).
    from stdnum.es import dni, nie

    number = normalise_document(p.id_document_type, p.id_document_number)
    if number and not p.id_document_type:
        errors["id_document_type"] = _("Choose the kind of document.")
    elif p.id_document_type == "dni" and number and not dni.is_valid(number):
        errors["id_document_number"] = _(
            "This is not a valid DNI: 8 digits and the right check letter (e.g. 12345678Z)."
        )
    elif p.id_document_type == "nie" and number and not nie.is_valid(number):
        errors["id_document_number"] = _(
            "This is not a valid NIE: X, Y or Z, 7 digits and the right check letter."
        )
    if needs_guardian(p.age(today)) and not p.guardian_name.strip():
        errors["guardian_name"] = _(
            "People under {age} need a parent or legal guardian: write their name."
        ).format(age=GUARDIAN_AGE)
    if p.email and "@" not in p.email:
        errors["email"] = _("This email address is missing the @.")
    if p.phone and len(digits(p.phone)) < 6:
        errors["phone"] = _("The phone number looks too short.")
    return errors


def needs_guardian(age: int | None) -> bool:
    """Under 14 a parent or legal guardian consents for the person (LOPDGDD art. 7)."""
    return age is not None and 0 <= age < GUARDIAN_AGE


def guardian_age_cutoff(today: dt.date) -> dt.date:
    """People born after this day are under ``GUARDIAN_AGE`` today."""
    try:
        return today.replace(year=today.year - GUARDIAN_AGE)
    except ValueError:  # 29 February
        return today.replace(year=today.year - GUARDIAN_AGE, day=28)


def validate_consent(c: ConsentDTO, today: dt.date, age: int | None = None) -> dict[str, str]:
    """``age``: the person's age today, when known (a minor's consent is their guardian's)."""
    errors: dict[str, str] = {}
    if c.kind not in CONSENT_KINDS:
        errors["kind"] = _("Choose the kind of consent.")
    if c.signed_by not in SIGNED_BY:
        errors["signed_by"] = _("Choose who signed.")
    elif c.granted and c.signed_by != "guardian" and needs_guardian(age):
        errors["signed_by"] = _(
            "This person is under {age}: a parent or legal guardian must sign the consent."
        ).format(age=GUARDIAN_AGE)
    if c.date is not None and c.date > today:
        errors["date"] = _("The date cannot be in the future.")
    if c.revoked_at is not None and c.date is not None and c.revoked_at < c.date:
        errors["revoked_at"] = _("A consent cannot be revoked before the date it was given.")
    return errors


def validate_enrolment(start: dt.date | None, end: dt.date | None) -> dict[str, str]:
    """An enrolment's period: it cannot end before it starts."""
    if start and end and end < start:
        return {"end": _("The end date cannot be before the start date.")}
    return {}
