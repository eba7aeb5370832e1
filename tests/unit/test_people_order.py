"""Every list of people is in one order: family name, then given name, accents and case ignored
(Ángel Abad comes first, not after Zoe)."""

import datetime as dt

from app.db.engine import Database
from app.domain.people import PersonDTO, sort_key
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import SessionDTO
from app.services.people import PeopleService
from app.services.programmes import ProgrammesService
from app.services.sessions import SessionsService

D = dt.date
#: (given, family) in the order the lists must show them.
EXPECTED = [
    ("Ángel", "Abad Ruiz"),
    ("Marta", "abellán"),
    ("Zoe", "Álvarez"),
    ("Àlex", "Coŀlell"),
    ("Bernat", "Collell"),
    ("Anna", "Puig"),
    ("Èric", "Puig"),
]


def _setup(db: Database) -> tuple[str, str, dict[str, str]]:
    programmes, people, sessions = ProgrammesService(db), PeopleService(db), SessionsService(db)
    prog, _c = programmes.save(ProgrammeDTO(code="P", name="P", category="prevention"))
    act, _c = programmes.save_activity(ActivityDTO(programme_id=prog.id or "", name="Taller"))
    ids: dict[str, str] = {}
    for given, family in reversed(EXPECTED):  # saved in the wrong order on purpose
        saved, _c = people.save(PersonDTO(given, family))
        ids[given] = saved.id or ""
        people.enrol(act.id or "", ids[given], D(2026, 1, 1))
    session, _c = sessions.save(SessionDTO(activity_id=act.id or "", date=D(2026, 3, 2)))
    return act.id or "", session.id or "", ids


def _names(pairs: list[tuple[str, str]]) -> list[str]:
    return [f"{g} {f}" for g, f in pairs]


def test_sort_key_folds_accents_case_and_the_catalan_middle_dot() -> None:
    assert sort_key("Álvarez", "Zoe") < sort_key("Bosch", "Anna")
    assert sort_key("Coŀlell", "Àlex") < sort_key("Collell", "Bernat")
    assert sort_key("abellán", "Marta") > sort_key("Abad Ruiz", "Ángel")


def test_attendance_roster_register_and_people_list_share_the_order(db: Database) -> None:
    activity_id, session_id, _ids = _setup(db)
    expected = _names(EXPECTED)
    sessions, people = SessionsService(db), PeopleService(db)
    assert [r.name for r in sessions.attendance(session_id).rows] == expected
    assert [r.name for r in sessions.register(activity_id).people] == expected
    assert [e.person_name for e in people.roster(activity_id)] == expected
    assert [h.name for h in people.search("")] == expected
    assert [h.name for h in people.missing_consent()] == expected


def test_a_renamed_person_moves_to_their_new_place(db: Database) -> None:
    _a, _s, ids = _setup(db)
    people = PeopleService(db)
    assert people.search("")[0].name == "Ángel Abad Ruiz"  # builds the index
    people.save(PersonDTO("Ángel", "Vidal", id=ids["Ángel"]))
    names = [h.name for h in people.search("")]
    assert names[-1] == "Ángel Vidal" and names[0] == "Marta abellán"
