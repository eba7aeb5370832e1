"""Programmes, indicators, activities and categories through the service."""

import datetime as dt

import pytest

from app.db.engine import Database
from app.db.models import Funder, Place, Staff
from app.domain.profile import CategoryDTO
from app.domain.programmes import DEFAULT_CATEGORIES, ActivityDTO, IndicatorDTO, ProgrammeDTO
from app.errors import ValidationError
from app.services.profile import ProfileService
from app.services.programmes import ProgrammesService

#: Each test runs on a SQLite file and on an office (PostgreSQL) database.
BOTH_ENGINES = True


def _refs(db: Database) -> tuple[str, str, str]:
    with db.begin() as s:
        staff, funder, place = Staff(name="Marta"), Funder(name="Ajuntament"), Place(name="Casal")
        s.add_all([staff, funder, place])
        s.flush()
        return staff.id, funder.id, place.id


def test_programme_round_trip_with_every_field(db: Database) -> None:
    staff, funder, _place = _refs(db)
    svc = ProgrammesService(db)
    dto = ProgrammeDTO(
        code="PREV-26",
        name="Prevenció",
        category="prevention",
        description="Desc",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        responsible_staff_id=staff,
        objectives=("Reduir l'aïllament", " ", "Crear xarxa"),
        funder_ids=(funder,),
        indicators=(
            IndicatorDTO("Persones", "participants", 40),
            IndicatorDTO("Satisfacció", "manual", 8, 7.5),
        ),
    )
    saved, changes = svc.save(dto)
    assert changes.areas
    again = svc.get(saved.id or "")
    assert again.objectives == ("Reduir l'aïllament", "Crear xarxa")
    assert again.funder_ids == (funder,)
    assert [(i.name, i.kind, i.target, i.manual_value) for i in again.indicators] == [
        ("Persones", "participants", 40, None),
        ("Satisfacció", "manual", 8, 7.5),
    ]
    # Editing keeps indicator identity and can drop one.
    edited, _c = svc.save(
        ProgrammeDTO(**{**again.__dict__, "indicators": again.indicators[:1], "name": "Nou"})
    )
    assert edited.name == "Nou" and len(edited.indicators) == 1
    assert edited.indicators[0].id == again.indicators[0].id
    assert [p.code for p in svc.all()] == ["PREV-26"]


def test_programme_validation_is_per_field_and_nothing_saved(db: Database) -> None:
    svc = ProgrammesService(db)
    svc.save(ProgrammeDTO(code="A1", name="Primer", category="prevention"))
    with pytest.raises(ValidationError) as err:
        svc.save(
            ProgrammeDTO(
                code="A1",
                name=" ",
                category="nope",
                start=dt.date(2026, 5, 1),
                end=dt.date(2026, 4, 1),
            )
        )
    assert set(err.value.errors) == {"code", "name", "category", "end"}
    assert len(svc.all()) == 1


def test_activity_defaults_and_counts(db: Database) -> None:
    staff, _f, place = _refs(db)
    svc = ProgrammesService(db)
    prog, _c = svc.save(ProgrammeDTO(code="P", name="P", category="prevention"))
    act, _c = svc.save_activity(
        ActivityDTO(
            programme_id=prog.id or "",
            name="Taller de cuina",
            kind="workshop",
            place_id=place,
            start_time=dt.time(17),
            end_time=dt.time(19),
            facilitator_ids=(staff,),
        )
    )
    got = svc.activity(act.id or "")
    assert got.place_id == place and got.facilitator_ids == (staff,)
    assert got.start_time == dt.time(17) and got.programme_code == "P"
    with pytest.raises(ValidationError) as err:
        svc.save_activity(
            ActivityDTO(
                programme_id=prog.id or "", name="", start_time=dt.time(19), end_time=dt.time(18)
            )
        )
    assert set(err.value.errors) == {"name", "end_time"}
    svc.delete_activity(act.id or "")
    assert svc.activities(prog.id) == []


def test_categories_configurable_and_used_ones_kept(db: Database) -> None:
    svc, profile = ProgrammesService(db), ProfileService(db)
    assert len(profile.categories()) == 5
    svc.save(ProgrammeDTO(code="P", name="P", category="prevention"))
    svc.save_categories([CategoryDTO("youth", "Joventut", "Juventud")])
    cats = {c.code: c for c in profile.categories()}
    assert set(cats) == {"youth", "prevention"}
    assert cats["youth"].active and not cats["prevention"].active
    assert [c.code for c in profile.categories(active_only=True)] == ["youth"]
    with pytest.raises(ValidationError):
        svc.save_categories([CategoryDTO("a", "A", "A"), CategoryDTO("a", "B", "B")])


def test_a_new_database_has_the_default_categories(db: Database) -> None:
    rows = ProfileService(db).categories()
    assert [(c.code, c.name_ca, c.name_es) for c in rows] == list(DEFAULT_CATEGORIES)
