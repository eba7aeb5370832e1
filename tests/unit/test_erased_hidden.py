"""An erased (blocked) person never shows in a new list or document; the attendance already
recorded stays counted, without the name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.db.engine import Database
from app.db.models import Organisation, Referral
from app.domain.people import PersonDTO
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import SessionDTO
from app.services.figures import FiguresService
from app.services.people import PeopleService
from app.services.people_import import PeopleImportService
from app.services.programmes import ProgrammesService
from app.services.referrals import ReferralService
from app.services.sessions import SessionsService
from app.services.sheets import SheetService

D = dt.date
ERASED = "Persona amb les dades suprimides"  # "Erased person" in Catalan (the tests' language)


@pytest.fixture
def world(db: Database) -> dict[str, str]:
    progs, people, sessions = ProgrammesService(db), PeopleService(db), SessionsService(db)
    prog, _c = progs.save(ProgrammeDTO(code="P", name="P", category="prevention"))
    act, _c = progs.save_activity(ActivityDTO(programme_id=prog.id or "", name="Grup"))
    kept, _c = people.save(PersonDTO("Aina", "Vidal", birth_year=1990))
    gone, _c = people.save(
        PersonDTO("Zoraida", "Amagada", birth_year=1980, id_document_type="dni",
                  id_document_number="12345678Z", phone="600111222")
    )  # fmt: skip
    sess, _c = sessions.save(
        SessionDTO(
            activity_id=act.id or "",
            date=D(2026, 3, 2),
            start_time=dt.time(17),
            end_time=dt.time(19),
            status="held",
        )
    )
    later, _c = sessions.save(SessionDTO(activity_id=act.id or "", date=D(2026, 4, 6)))
    for p in (kept, gone):
        people.enrol(act.id or "", p.id or "")
    sessions.set_attendance(sess.id or "", {kept.id or "": "present", gone.id or "": "present"})
    with db.begin() as s:
        org = Organisation(name="Serveis Socials")
        s.add(org)
        s.flush()
        s.add(Referral(participant_id=gone.id, to_organisation_id=org.id, date=D(2026, 3, 3)))
        s.add(Referral(participant_id=kept.id, to_organisation_id=org.id, date=D(2026, 3, 4)))
    figures = FiguresService(db).compute(None, D(2026, 1, 1), D(2026, 12, 31)).as_dict()
    people.erase(gone.id or "")
    assert FiguresService(db).compute(None, D(2026, 1, 1), D(2026, 12, 31)).as_dict() == figures
    return {
        "activity": act.id or "",
        "session": sess.id or "",
        "later": later.id or "",
        "gone": gone.id or "",
        "kept": kept.id or "",
        "org": org.id,
    }


def test_people_lists_search_duplicates_roster(db: Database, world: dict[str, str]) -> None:
    people = PeopleService(db)
    assert [h.name for h in people.search("")] == ["Aina Vidal"]
    assert people.search("zoraida") == people.search("12345678Z") == people.search("600111") == []
    assert people.duplicates(PersonDTO("Zoraida", "Amagada", birth_year=1980)) == []
    dup = PersonDTO("Z", id_document_type="dni", id_document_number="12345678Z")
    assert people.duplicates(dup) == []
    assert [e.person_name for e in people.roster(world["activity"])] == ["Aina Vidal"]
    assert [h.name for h in people.missing_consent()] == ["Aina Vidal"]


def test_attendance_and_register_show_marks_without_the_name(
    db: Database, world: dict[str, str]
) -> None:
    sessions = SessionsService(db)
    rows = sessions.attendance(world["session"]).rows
    assert [(r.name, r.status) for r in rows] == [("Aina Vidal", "present"), (ERASED, "present")]
    # A new session: the erased person is not on it at all.
    assert [r.name for r in sessions.attendance(world["later"]).rows] == ["Aina Vidal"]
    grid = sessions.register(world["activity"])
    assert [r.name for r in grid.people] == ["Aina Vidal", ERASED]
    assert "Zoraida" not in repr(grid)


def test_sheets_leave_erased_people_out(db: Database, world: dict[str, str]) -> None:
    sheets = SheetService(db)
    for data in (
        sheets.session_sheet(world["later"]),
        sheets.session_sheet(world["session"]),
        sheets.activity_grid(world["activity"], D(2026, 1, 1), D(2026, 12, 31)),
    ):
        assert [(p.given_name, p.family_names) for p in data.people] == [("Aina", "Vidal")]


def test_referrals_of_an_organisation_leave_erased_people_out(
    db: Database, world: dict[str, str]
) -> None:
    listed = ReferralService(db).for_organisation(world["org"])
    assert [r.participant_id for r in listed] == [world["kept"]]


def test_import_does_not_match_or_name_erased_people(
    db: Database, world: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "llista.csv"
    path.write_text("Nom;Cognoms;DNI\nZoraida;Amagada;12345678Z\nAina;Vidal;\n", encoding="utf-8")
    plan = PeopleImportService(db).plan(path)
    by_name = {r.values.given_name: r for r in plan.rows if r.values}
    assert by_name["Zoraida"].duplicates == ()
    assert by_name["Aina"].duplicates[0].participant_id == world["kept"]


def test_an_erased_persons_attendance_is_frozen(db: Database, world: dict[str, str]) -> None:
    sessions = SessionsService(db)
    sessions.set_attendance(world["session"], {world["gone"]: None, world["kept"]: "late"})
    rows = {r.participant_id: r.status for r in sessions.attendance(world["session"]).rows}
    assert rows == {world["kept"]: "late", world["gone"]: "present"}
    sessions.set_attendance(world["later"], {world["gone"]: "present"})
    assert [r.name for r in sessions.attendance(world["later"]).rows] == ["Aina Vidal"]
