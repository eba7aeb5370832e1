"""Spreadsheet import: the fields a column can hold, the names people give those columns, the
gender words they write, and the plan shown to the user before anything is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.i18n import N_, _

#: Fields a column of a people list can be mapped to ("" = ignore the column). Several columns
#: can map to family_names (first and second family name) and are joined.
PEOPLE_FIELDS: dict[str, str] = {
    "full_name": N_("Full name in one column"),
    "given_name": N_("Given name"),
    "family_names": N_("Family names"),
    "gender": N_("Gender"),
    "birth_date": N_("Date of birth"),
    "id_document": N_("ID document: DNI, NIE or passport"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "neighbourhood": N_("Neighbourhood"),
    "nationality": N_("Nationality"),
    "guardian_name": N_("Guardian's name"),
    "guardian_phone": N_("Guardian's phone"),
    "notes": N_("Notes"),
}
#: An attendance list names people (as above) and, for an activity, the session's date.
ATTENDANCE_FIELDS: dict[str, str] = {
    "full_name": PEOPLE_FIELDS["full_name"],
    "given_name": PEOPLE_FIELDS["given_name"],
    "family_names": PEOPLE_FIELDS["family_names"],
    "id_document": PEOPLE_FIELDS["id_document"],
    "session_date": N_("Session date"),
}

_ALIASES: dict[str, tuple[str, ...]] = {
    "given_name": ("nom", "nombre", "name", "first name", "given name", "nom de pila"),
    "family_names": (
        "cognoms", "cognom", "apellidos", "apellido", "surname", "surnames", "last name",
        "family name", "family names", "primer cognom", "segon cognom", "1r cognom",
        "2n cognom", "primer apellido", "segundo apellido", "1er apellido", "2o apellido",
    ),
    "full_name": (
        "nom i cognoms", "nom complet", "nom i cognom", "cognoms i nom", "cognoms nom",
        "nombre y apellidos", "nombre completo", "apellidos y nombre", "apellidos nombre",
        "full name", "persona", "participant", "participante", "persona participant",
        "persona participante", "nom cognoms", "nombre apellidos",
    ),
    "gender": (
        "sexe", "sexo", "genere", "genero", "gender", "sex", "sexe genere", "sexo genero",
        "genere sexe", "genero sexo",
    ),
    "birth_date": (
        "data de naixement", "data naixement", "fecha de nacimiento", "fecha nacimiento",
        "f nacimiento", "naixement", "nacimiento", "birth date", "date of birth", "birthdate",
        "dob", "any de naixement", "ano de nacimiento", "ano nacimiento", "any naixement",
    ),
    "id_document": (
        "dni", "nie", "dni nie", "nif", "dni nie passaport", "dni nie pasaporte", "document",
        "documento", "document d identitat", "documento de identidad", "passaport",
        "pasaporte", "passport", "id document", "dni o nie", "nif nie",
    ),
    "phone": (
        "telefon", "telefono", "phone", "mobil", "movil", "tel", "telf", "tlf", "telefon mobil",
        "telefono movil", "telefons", "telefonos", "mobile",
    ),
    "email": ("email", "e mail", "correu", "correo", "correu electronic", "correo electronico",
              "mail", "adreca electronica"),
    "neighbourhood": ("barri", "barrio", "neighbourhood", "neighborhood"),
    "nationality": ("nacionalitat", "nacionalidad", "nationality", "pais", "pais d origen",
                    "pais de origen", "pais de naixement", "pais de nacimiento"),
    "guardian_name": ("tutor", "tutora", "tutor a", "tutor legal", "nom tutor", "nombre tutor",
                      "persona tutora", "pare mare tutor", "padre madre tutor"),
    "guardian_phone": ("telefon tutor", "telefono tutor", "telefon familia",
                       "telefono familia", "telefon tutor a", "telefono tutor a"),
    "notes": ("observacions", "observaciones", "notes", "notas", "comentaris", "comentarios"),
    "session_date": ("data", "fecha", "date", "dia", "data sessio", "fecha sesion",
                     "data de la sessio", "fecha de la sesion"),
}  # fmt: skip

#: Normalised column name (lower case, no accents) -> field.
FIELD_ALIASES: dict[str, str] = {alias: f for f, names in _ALIASES.items() for alias in names}

#: Normalised cell value -> gender code. "m" depends on the column (see suggest_gender_map).
GENDER_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("d", "dona", "dones", "mujer", "mujeres", "woman", "women", "female", "f", "fem",
         "femeni", "femenina", "femenino", "nena", "noia", "chica", "nina", "w"),
        "woman",
    ),
    **dict.fromkeys(
        ("h", "home", "homes", "hombre", "hombres", "man", "men", "male", "masc", "masculi",
         "masculina", "masculino", "v", "varon", "nen", "noi", "chico", "nino"),
        "man",
    ),
    **dict.fromkeys(
        ("nb", "no binari", "no binaria", "no binario", "nonbinary", "non binary", "x"),
        "nonbinary",
    ),
    **dict.fromkeys(("altre", "altra", "altres", "otro", "otra", "otros", "other"), "other"),
    **dict.fromkeys(
        ("nc", "ns nc", "no consta", "prefereix no dir ho", "prefiere no decirlo",
         "desconegut", "desconocido", "undisclosed"),
        "undisclosed",
    ),
}  # fmt: skip

#: Per-row choices: write a new person, leave the row out, or complete an existing person.
CHOICES = ("import", "skip", "merge")


@dataclass(frozen=True)
class Table:
    """A sheet's header and its non-empty rows, each with its line number in the file."""

    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]


@dataclass(frozen=True)
class PersonValues:
    given_name: str
    family_names: str = ""
    gender: str | None = None
    birth_date: dt.date | None = None
    birth_year: int | None = None
    id_document_type: str | None = None
    id_document_number: str = ""
    phone: str = ""
    email: str = ""
    neighbourhood: str = ""
    nationality: str = ""
    guardian_name: str = ""
    guardian_phone: str = ""
    notes: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_names}".strip()


@dataclass(frozen=True)
class DuplicateMatch:
    """A person in the database (participant_id) or an earlier row of the file (row)."""

    name: str
    reason: str
    participant_id: str | None = None
    row: int | None = None


@dataclass(frozen=True)
class RowPlan:
    row: int
    values: PersonValues | None
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    duplicates: tuple[DuplicateMatch, ...] = ()

    @property
    def valid(self) -> bool:
        return self.values is not None and not self.errors

    @property
    def default_choice(self) -> str:
        return "import" if self.valid and not self.duplicates else "skip"

    def allowed_choices(self) -> tuple[str, ...]:
        if not self.valid:
            return ("skip",)
        if any(d.participant_id for d in self.duplicates):
            return CHOICES
        return ("import", "skip")


@dataclass(frozen=True)
class PeoplePlan:
    file_name: str
    headers: tuple[str, ...]
    mapping: tuple[str, ...]
    gender_map: dict[str, str]
    rows: tuple[RowPlan, ...]
    #: Column values the gender map does not know yet (the wizard asks for them).
    unknown_genders: tuple[str, ...] = ()

    @property
    def valid_rows(self) -> list[RowPlan]:
        return [r for r in self.rows if r.valid]

    @property
    def invalid_rows(self) -> list[RowPlan]:
        return [r for r in self.rows if not r.valid]

    @property
    def duplicate_rows(self) -> list[RowPlan]:
        return [r for r in self.rows if r.valid and r.duplicates]

    def default_choices(self) -> dict[int, str]:
        return {r.row: r.default_choice for r in self.rows}


@dataclass(frozen=True)
class ImportSummary:
    imported: int = 0
    merged: int = 0
    skipped: int = 0
    invalid: int = 0
    details: tuple[str, ...] = field(default=())

    def describe(self) -> str:
        return _(
            "{imported} people imported, {merged} merged into existing people, {skipped} rows "
            "skipped, {invalid} invalid rows."
        ).format(
            imported=self.imported, merged=self.merged, skipped=self.skipped, invalid=self.invalid
        )


@dataclass(frozen=True)
class AttendanceRow:
    row: int
    name: str
    participant_id: str | None
    session_date: dt.date | None
    error: str | None = None
    #: How the person was found: "document", "name" or "similar name" (translated).
    matched_by: str = ""


@dataclass(frozen=True)
class AttendancePlan:
    file_name: str
    headers: tuple[str, ...]
    mapping: tuple[str, ...]
    rows: tuple[AttendanceRow, ...]
    session_id: str | None = None
    activity_id: str | None = None

    @property
    def matched(self) -> list[AttendanceRow]:
        return [r for r in self.rows if r.error is None]

    @property
    def unmatched(self) -> list[AttendanceRow]:
        return [r for r in self.rows if r.error is not None]


@dataclass(frozen=True)
class AttendanceSummary:
    recorded: int
    already: int
    sessions_created: int
    unmatched: int

    def describe(self) -> str:
        return _(
            "{recorded} attendances recorded ({already} were already recorded), {created} new "
            "sessions, {unmatched} rows without a matching person."
        ).format(
            recorded=self.recorded,
            already=self.already,
            created=self.sessions_created,
            unmatched=self.unmatched,
        )
