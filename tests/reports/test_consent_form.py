"""The printed consent form read back: a minor's (the guardian signs), an adult's, a blank one,
in Catalan, Spanish, Valencian and bilingual; a person's print is audited, a blank one names
nobody."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pdfplumber
import pytest

from app import cli
from app.db.engine import Database
from app.domain.people import PersonDTO
from app.domain.profile import EntityProfileDTO
from app.services.audit import AuditService
from app.services.people import PeopleService
from app.services.profile import ProfileService


def _text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)


@pytest.fixture
def people(db: Database) -> PeopleService:
    ProfileService(db).save(
        EntityProfileDTO(id="", name="Casal de Benimaclet", region="VC", default_lang="ca-valencia")
    )
    return PeopleService(db)


def _minor(people: PeopleService) -> str:
    today = dt.date.today()
    person, _c = people.save(
        PersonDTO(
            given_name="Aya",
            family_names="El Amrani",
            birth_date=today.replace(year=today.year - 9, day=1),
            guardian_name="Fatima Benali",
        )
    )
    return person.id or ""


def test_a_minors_form_is_signed_by_the_guardian(
    db: Database, people: PeopleService, tmp_path: Path
) -> None:
    minor = _minor(people)
    path = tmp_path / "ca.pdf"
    people.write_consent_form(path, minor, "ca")
    text = _text(path)
    assert "Full de consentiment" in text
    assert "Aya El Amrani" in text and "Fatima Benali" in text
    assert "Com a pare, mare o persona tutora legal de la persona menor" in text
    assert "Dono el meu consentiment perquè Casal de Benimaclet tracti" in text
    assert "Signatura del pare, la mare o la persona tutora legal" in text
    assert "Signatura de la persona" not in text
    assert "Informació bàsica sobre protecció de dades" in text
    entries = AuditService(db).recent(action="print")
    assert len(entries) == 1 and entries[0].label == "Aya El Amrani"

    path = tmp_path / "es.pdf"
    people.write_consent_form(path, minor, "es")
    text = _text(path)
    assert "Hoja de consentimiento" in text and "Firma del padre, la madre" in text
    assert "Doy mi consentimiento para que Casal de Benimaclet trate mis datos" in text


def test_an_adults_form_in_the_entitys_language_valencian(
    people: PeopleService, tmp_path: Path
) -> None:
    adult, _c = people.save(PersonDTO(given_name="Pau", family_names="Gil", birth_year=1980))
    path = tmp_path / "va.pdf"
    people.write_consent_form(path, adult.id)  # the entity's language: Valencian
    text = _text(path)
    assert "Pau Gil" in text and "Signatura de la persona" in text
    assert "tracte les meues dades" in text and "Autoritze" in text
    assert "persona tutora legal de la persona menor" not in text
    assert "Signatura del pare" not in text

    path = tmp_path / "both.pdf"
    people.write_consent_form(path, adult.id, "ca-valencia+es")
    text = _text(path)
    assert "Full de consentiment / Hoja de consentimiento" in text
    assert "Autoritze Casal de Benimaclet" in text and "Autorizo a Casal de Benimaclet" in text


def test_a_blank_form_from_the_command_line(
    db: Database, people: PeopleService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "blank.pdf"
    _minor(people)
    before = AuditService(db).count()
    code = cli.main(["consent-form", "--lang", "es", "-o", str(path)])
    assert code == 0 and str(path) in capsys.readouterr().out
    text = _text(path)
    assert "Hoja de consentimiento" in text
    assert "para una persona menor de 14 años, responde y firma" in text
    assert "Firma de la persona" in text and "Firma del padre, la madre" in text
    assert "Aya" not in text
    assert AuditService(db).count() == before  # a blank form names nobody
    assert AuditService(db).count() == before  # a blank form names nobody
