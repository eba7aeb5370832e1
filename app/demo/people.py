"""The demo's participants: a few written by hand (to show every case a team meets: names in
Arabic and Chinese script, minors with guardians, a person who asked to be erased...) and the rest
drawn from the neighbourhood's names."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from app.demo import names

NOTES = (
    "Prefereix que la truquin a la tarda.",
    "Necessita traducció a l'urdú a les sessions.",
    "Derivada pel Centre de Serveis Socials de Sants.",
    "Ve acompanyada de la seva filla petita.",
    "Té mobilitat reduïda: cal un espai accessible.",
    "Vol col·laborar com a persona voluntària.",
)


@dataclass
class Person:
    """A participant row being built, with what the builder needs to place the person."""

    index: int
    origin: str
    given_name: str
    family_names: str
    gender: str | None
    age: int
    nationality: str
    birth_date: dt.date | None = None
    birth_year: int | None = None
    id_document_type: str | None = None
    id_document_number: str = ""
    neighbourhood: str = "Sants"
    phone: str = ""
    email: str = ""
    guardian_name: str = ""
    guardian_phone: str = ""
    notes: str = ""
    blocked: bool = False
    consent: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def foreign_born(self) -> bool:
        return self.origin not in ("catalan", "spanish")

    def row(self) -> dict[str, Any]:
        return {
            "given_name": self.given_name,
            "family_names": self.family_names,
            "gender": self.gender,
            "birth_date": self.birth_date,
            "birth_year": self.birth_year,
            "id_document_type": self.id_document_type,
            "id_document_number": self.id_document_number,
            "nationality": self.nationality,
            "neighbourhood": self.neighbourhood,
            "phone": self.phone,
            "email": self.email,
            "guardian_name": self.guardian_name,
            "guardian_phone": self.guardian_phone,
            "notes": self.notes,
        }


#: (given, family, gender, age, origin, nationality, document, extra flags)
SHOWCASE: tuple[tuple[str, str, str | None, int, str, str, str, str], ...] = (
    ("Núria", "Gel·labert Ferrer", "woman", 38, "catalan", "ES", "dni", ""),
    ("فاطمة", "الزهراء", "woman", 34, "moroccan", "MA", "nie", ""),
    ("芳", "王", "woman", 41, "chinese", "CN", "nie", ""),
    ("明轩", "李", "man", 9, "chinese", "CN", "", "guardian:王芳"),
    ("عائشہ", "چوہدری", "woman", 29, "pakistani", "PK", "passport", ""),
    ("Marcel·la", "Vilaseca i Pujol", "woman", 71, "catalan", "ES", "dni", ""),
    ("Àlex", "Serra Vidal", "nonbinary", 23, "catalan", "ES", "dni", ""),
    ("Rowena", "Dela Cruz Santos", "woman", 45, "filipino", "PH", "nie", ""),
    ("Yulissa", "Quispe Mamani", "woman", 36, "latin_american", "PE", "nie", ""),
    ("Muhammad Imran", "Chaudhry", "man", 48, "pakistani", "PK", "nie", ""),
    ("Hamza", "Ouali", "man", 27, "moroccan", "MA", "nie", "blocked"),
    ("Salma", "El Amrani", "woman", 11, "moroccan", "ES", "", "guardian:Khadija Tahiri"),
    ("Kim", "Roca Prat", None, 52, "catalan", "ES", "", "birth_year"),
    ("Dolores", "Fernández Ruiz", "undisclosed", 80, "spanish", "ES", "dni", "no_consent"),
)

#: (lowest age, highest age, weight)
AGE_BANDS = ((6, 13, 17), (14, 17, 11), (18, 29, 16), (30, 64, 42), (65, 88, 14))


def _ascii(text: str) -> str:
    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in flat.lower() if c.isalnum() or c == ".")


def _birth(rng: random.Random, today: dt.date, age: int) -> dt.date:
    latest = dt.date(today.year - age, today.month, min(today.day, 28))
    return latest - dt.timedelta(days=rng.randrange(0, 365))


def _document(rng: random.Random, person: Person, kind: str) -> None:
    if kind == "dni":
        person.id_document_type, person.id_document_number = "dni", names.dni(rng)
    elif kind == "nie":
        person.id_document_type, person.id_document_number = "nie", names.nie(rng)
    elif kind == "passport":
        person.id_document_type = "passport"
        person.id_document_number = names.passport(rng, person.nationality)


def _guardian(rng: random.Random, person: Person) -> None:
    o = names.origin(person.origin)
    parent_gender = "woman" if rng.random() < 0.7 else "man"
    first_family = person.family_names.split(" i ")[0].split(" ")[0]
    if person.origin in ("moroccan", "pakistani", "chinese", "filipino"):
        first_family = person.family_names
    if not person.family_names.isascii():
        # Written in the family's script too: a parent's name from the same script.
        script = [n for n in names.SCRIPT_NAMES if n[3] == person.origin]
        parent = rng.choice([n[0] for n in script if n[0] != person.given_name] or ["?"])
        chinese = person.origin == "chinese"
        sep = "" if chinese else " "
        pair = (person.family_names, parent) if chinese else (parent, person.family_names)
        person.guardian_name = sep.join(pair)
    else:
        parent = names.given_name(rng, o, parent_gender, person.age + 30)
        person.guardian_name = f"{parent} {first_family}"
    person.guardian_phone = names.phone(rng)


def _finish(rng: random.Random, person: Person, today: dt.date) -> None:
    """Fill what follows from age and origin: birth, contact, documents, guardian."""
    if person.birth_year is None:
        person.birth_date = _birth(rng, today, person.age)
    person.neighbourhood = rng.choice(names.NEIGHBOURHOODS)
    if person.age >= 14 and rng.random() < 0.85:
        person.phone = names.phone(rng)
    if person.age < 18:
        _guardian(rng, person)
    latin = person.given_name.isascii() or person.origin in ("catalan", "spanish")
    if person.age >= 18 and latin and rng.random() < 0.25:
        family = person.family_names.split(" ")[0]
        person.email = f"{_ascii(person.given_name)}.{_ascii(family)}@gmail.com"
    if rng.random() < 0.08:
        person.notes = rng.choice(NOTES)


def showcase(rng: random.Random, today: dt.date) -> list[Person]:
    people = []
    for i, (given, family, gender, age, origin, nat, doc, flag) in enumerate(SHOWCASE):
        p = Person(i, origin, given, family, gender, age, nat)
        if flag == "birth_year":
            p.birth_year = today.year - age
        _finish(rng, p, today)
        _document(rng, p, doc)
        if flag.startswith("guardian:"):
            p.guardian_name = flag.split(":", 1)[1]
        p.blocked = flag == "blocked"
        p.consent = flag != "no_consent"
        people.append(p)
    return people


def generated(rng: random.Random, start: int, count: int, today: dt.date) -> list[Person]:
    people = []
    for i in range(start, start + count):
        o = names.pick_origin(rng)
        roll = rng.random()
        gender: str | None = "woman" if roll < 0.6 else "man"
        if roll > 0.985:
            gender = rng.choice(("nonbinary", "undisclosed", None))
        low, high, _weight = rng.choices(AGE_BANDS, weights=[b[2] for b in AGE_BANDS])[0]
        age = rng.randint(low, high)
        nationality = rng.choice(o.nationalities)
        if age < 14 and o.key != "catalan" and rng.random() < 0.5:
            nationality = "ES"  # born here
        scripts = [s for s in names.SCRIPT_NAMES if s[3] == o.key and s[2] == gender]
        if scripts and rng.random() < 0.06:
            given, family = rng.choice(scripts)[:2]
        else:
            given, family = names.given_name(rng, o, gender, age), names.family_names(rng, o)
        p = Person(i, o.key, given, family, gender, age, nationality)
        if age >= 18 and rng.random() < 0.1:
            p.birth_year = today.year - age
        _finish(rng, p, today)
        if age >= 14 and rng.random() < 0.8:
            if nationality == "ES":
                kind = "dni" if age >= 18 or rng.random() < 0.4 else ""
            else:
                kind = rng.choices(("nie", "passport", ""), weights=(70, 15, 15))[0]
            _document(rng, p, kind)
        p.consent = rng.random() > 0.04
        people.append(p)
    return people


def make_people(rng: random.Random, count: int, today: dt.date) -> list[Person]:
    fixed = showcase(rng, today)
    return fixed + generated(rng, len(fixed), count - len(fixed), today)
