"""Minors under 14: a parent or legal guardian signs their data-processing consent."""

import datetime as dt

import pytest

from app.db.engine import Database
from app.domain.people import (
    GUARDIAN_AGE,
    ConsentDTO,
    PersonDTO,
    guardian_age_cutoff,
    needs_guardian,
)
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.errors import ValidationError
from app.services.people import PeopleService
from app.services.programmes import ProgrammesService

TODAY = dt.date.today()


def _years_ago(years: int, days: int = 0) -> dt.date:
    return guardian_age_cutoff(TODAY).replace(year=TODAY.year - years) + dt.timedelta(days=days)


def test_guardian_age_cutoff_and_needs_guardian() -> None:
    assert guardian_age_cutoff(dt.date(2028, 2, 29)) == dt.date(2014, 2, 28)
    assert guardian_age_cutoff(dt.date(2026, 11, 26)) == dt.date(2012, 11, 26)
    assert needs_guardian(GUARDIAN_AGE - 1) and not needs_guardian(GUARDIAN_AGE)
    assert not needs_guardian(None)


def test_minor_needs_guardian_name_and_guardian_signature(db: Database) -> None:
    people = PeopleService(db)
    with pytest.raises(ValidationError) as exc:
        people.save(PersonDTO("Nil", birth_date=_years_ago(10)))
    assert set(exc.value.errors) == {"guardian_name"}
    nil, _c = people.save(PersonDTO("Nil", birth_date=_years_ago(10), guardian_name="Rosa"))
    with pytest.raises(ValidationError) as exc:
        people.save_consent(nil.id or "", ConsentDTO("data_processing", signed_by="self"))
    assert set(exc.value.errors) == {"signed_by"}
    assert "14" in exc.value.errors["signed_by"]
    assert people.consents(nil.id or "") == []  # nothing half-saved
    people.save_consent(nil.id or "", ConsentDTO("data_processing", signed_by="guardian"))
    assert people.consents(nil.id or "")[0].signed_by == "guardian"
    # A refusal can be noted whoever says it; a person of 14 signs for themself.
    people.save_consent(nil.id or "", ConsentDTO("image_web", granted=False, signed_by="self"))
    teen, _c = people.save(PersonDTO("Ona", birth_date=_years_ago(14)))
    people.save_consent(teen.id or "", ConsentDTO("data_processing", signed_by="self"))


def test_missing_consent_lists_minors_signed_by_themselves(db: Database) -> None:
    progs, people = ProgrammesService(db), PeopleService(db)
    prog, _c = progs.save(ProgrammeDTO(code="P", name="P", category="prevention"))
    act, _c = progs.save_activity(ActivityDTO(programme_id=prog.id or "", name="Grup"))
    # Consents recorded before the rule (or by an import) are what the home page catches.
    rows = [
        ("Adult", PersonDTO("Adult", birth_year=1990), "self"),
        ("Kid", PersonDTO("Kid", birth_date=_years_ago(9), guardian_name="G"), "self"),
        ("KidOk", PersonDTO("KidOk", birth_date=_years_ago(9), guardian_name="G"), "guardian"),
        ("Year", PersonDTO("Year", birth_year=TODAY.year - 12, guardian_name="G"), "self"),
        ("Turned", PersonDTO("Turned", birth_date=_years_ago(14, -1)), "self"),
    ]
    from app.db.models import Consent

    for _name, dto, signed in rows:
        p, _c = people.save(dto)
        people.enrol(act.id or "", p.id or "")
        with db.begin() as s:
            s.add(Consent(participant_id=p.id, kind="data_processing", signed_by=signed))
    assert sorted(h.name for h in people.missing_consent()) == ["Kid", "Year"]
