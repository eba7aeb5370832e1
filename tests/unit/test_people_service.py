"""People: validation, search, duplicates, consents, merge and erasure."""

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import AuditEvent, Participant, Referral
from app.domain.people import ConsentDTO, PersonDTO, validate_person
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import SessionDTO
from app.errors import UserError, ValidationError
from app.services.people import PeopleService
from app.services.programmes import ProgrammesService
from app.services.sessions import SessionsService

#: Each test runs on a SQLite file and on an office (PostgreSQL) database.
BOTH_ENGINES = True

D = dt.date
TODAY = D(2026, 11, 26)


def test_validation_of_documents_dates_and_guardians() -> None:
    ok = PersonDTO("Anna", id_document_type="dni", id_document_number="12345678-z")
    assert validate_person(ok, TODAY) == {}
    assert (
        validate_person(
            PersonDTO("X", id_document_type="nie", id_document_number="X1234567L"), TODAY
        )
        == {}
    )
    errors = validate_person(
        PersonDTO(
            "", id_document_type="dni", id_document_number="12345678A", birth_date=D(2027, 1, 1)
        ),
        TODAY,
    )
    assert set(errors) == {"given_name", "id_document_number", "birth_date"}
    child = PersonDTO("Nil", birth_date=D(2016, 5, 1))
    assert set(validate_person(child, TODAY)) == {"guardian_name"}
    assert (
        validate_person(PersonDTO("Nil", birth_date=D(2016, 5, 1), guardian_name="Rosa"), TODAY)
        == {}
    )
    assert validate_person(PersonDTO("Gran", birth_date=D(2010, 5, 1)), TODAY) == {}


def test_names_too_long_or_with_hidden_characters_are_refused_not_cut() -> None:
    errors = validate_person(
        PersonDTO("A" * 201, "Puig\u202egpj.exe", guardian_name="Rosa\x00", notes="a\nb\tc"),
        TODAY,
    )
    assert set(errors) == {"given_name", "family_names", "guardian_name"}
    assert "200" in errors["given_name"] and "U+202E" in errors["family_names"]
    assert validate_person(PersonDTO("A" * 200, notes="Línia\nLínia"), TODAY) == {}
    assert set(validate_person(PersonDTO("Aina", notes="\ud800"), TODAY)) == {"notes"}


def test_search_by_name_document_and_phone_ignores_accents(db: Database) -> None:
    svc = PeopleService(db)
    nuria, _c = svc.save(
        PersonDTO(
            "Núria",
            "Pérez Soler",
            phone="612 34 56 78",
            id_document_type="dni",
            id_document_number="12345678Z",
        )
    )
    svc.save(PersonDTO("Joan", "Soler"))
    assert [h.name for h in svc.search("nuria per")] == ["Núria Pérez Soler"]
    # By family name: Pérez Soler before Soler.
    assert [h.name for h in svc.search("soler")] == ["Núria Pérez Soler", "Joan Soler"]
    assert [h.id for h in svc.search("5678z")] == [nuria.id]
    assert [h.id for h in svc.search("612345")] == [nuria.id]
    assert svc.search("zzz") == []
    # Edits show at once.
    svc.save(PersonDTO(**{**nuria.__dict__, "given_name": "Nuri"}))
    assert [h.name for h in svc.search("nuri p")] == ["Nuri Pérez Soler"]
    with pytest.raises(ValidationError):
        svc.save(PersonDTO("Petit", birth_date=D(2020, 1, 1)))
    assert len(svc.search("")) == 2


def test_duplicates_by_document_birth_date_or_name(db: Database) -> None:
    svc = PeopleService(db)
    a, _c = svc.save(PersonDTO("Mohamed", "El Amrani", birth_date=D(1980, 2, 3)))
    b, _c = svc.save(
        PersonDTO("Laia", "Vidal", id_document_type="nie", id_document_number="X1234567L")
    )
    found = svc.duplicates(PersonDTO("Mohammed", "Amrani", birth_date=D(1980, 2, 3)))
    assert [c.hit.id for c in found] == [a.id]
    found = svc.duplicates(PersonDTO("L.", id_document_type="nie", id_document_number="x1234567l"))
    assert [c.hit.id for c in found] == [b.id]
    assert svc.duplicates(PersonDTO("Pere", "Ferrer")) == []


def test_merge_moves_everything_and_is_audited(db: Database) -> None:
    progs, sessions, svc = ProgrammesService(db), SessionsService(db), PeopleService(db)
    prog, _c = progs.save(ProgrammeDTO(code="P", name="P", category="prevention"))
    act, _c = progs.save_activity(ActivityDTO(programme_id=prog.id or "", name="Grup"))
    s1, _c = sessions.save(SessionDTO(activity_id=act.id or "", date=D(2026, 3, 2)))
    s2, _c = sessions.save(SessionDTO(activity_id=act.id or "", date=D(2026, 3, 9)))
    keep, _c = svc.save(PersonDTO("Rosa", "Mir"))
    other, _c = svc.save(PersonDTO("Rosa", "Mir Pons", phone="600111222", notes="Ve amb la filla"))
    svc.enrol(act.id or "", keep.id or "", D(2026, 3, 1))
    svc.enrol(act.id or "", other.id or "", D(2026, 2, 1))
    sessions.set_attendance(s1.id or "", {keep.id or "": "absent"})
    sessions.set_attendance(s1.id or "", {other.id or "": "present"})
    sessions.set_attendance(s2.id or "", {other.id or "": "late"})
    svc.save_consent(other.id or "", ConsentDTO("image_web", True, D(2026, 2, 1)))
    with db.begin() as s:
        s.add(Referral(participant_id=other.id, date=D(2026, 2, 2)))
    svc.merge(keep.id or "", other.id or "")
    merged = svc.get(keep.id or "")
    assert merged.phone == "600111222" and merged.notes == "Ve amb la filla"
    assert [(r.date, r.status) for r in svc.history(keep.id or "")] == [
        (D(2026, 3, 9), "late"),
        (D(2026, 3, 2), "present"),
    ]
    assert [(e.start, e.activity_name) for e in svc.enrolments(keep.id or "")] == [
        (D(2026, 2, 1), "Grup")
    ]
    assert [c.kind for c in svc.consents(keep.id or "")] == ["image_web"]
    assert [h.id for h in svc.search("rosa")] == [keep.id]
    with db.read() as s:
        assert s.scalar(select(Referral.participant_id)) == keep.id
        assert s.scalar(select(AuditEvent.action)) == "merge"
        assert s.get(Participant, other.id).deleted_at is not None


def test_erase_blocks_and_missing_consent(db: Database) -> None:
    progs, svc = ProgrammesService(db), PeopleService(db)
    prog, _c = progs.save(ProgrammeDTO(code="P", name="P", category="prevention"))
    act, _c = progs.save_activity(ActivityDTO(programme_id=prog.id or "", name="Grup"))
    a, _c = svc.save(PersonDTO("Aina"))
    b, _c = svc.save(PersonDTO("Biel"))
    for p in (a, b):
        svc.enrol(act.id or "", p.id or "")
    svc.save_consent(a.id or "", ConsentDTO("data_processing", True, D(2026, 1, 1)))
    assert [h.name for h in svc.missing_consent()] == ["Biel"]
    svc.erase(b.id or "")
    assert svc.missing_consent() == [] and [h.name for h in svc.search("")] == ["Aina"]
    assert svc.get(b.id or "").blocked
    with pytest.raises(UserError, match="bloquejades"):
        svc.save(PersonDTO(**{**svc.get(b.id or "").__dict__, "given_name": "B"}))


def test_a_stale_save_is_refused_naming_the_person(db: Database) -> None:
    from app.services.people import StaleRecord

    svc = PeopleService(db)
    saved, _ = svc.save(PersonDTO("Laia", "Serra"))
    assert saved.version == 1
    mine, theirs = svc.get(saved.id), svc.get(saved.id)
    theirs_saved, _ = svc.save(replace(theirs, phone="600111222"))
    assert theirs_saved.version == 2
    with pytest.raises(StaleRecord, match="Laia Serra"):
        svc.save(replace(mine, phone="699999999"))
    # The other person's change is kept; a fresh copy saves.
    assert svc.get(saved.id).phone == "600111222"
    again, _ = svc.save(replace(svc.get(saved.id), notes="Ok"))
    assert (again.phone, again.notes, again.version) == ("600111222", "Ok", 3)
    with db.read() as s:
        assert s.scalars(select(Participant.version)).all() == [3]
