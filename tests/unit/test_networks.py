"""Network service rules: spaces tree, numbering, follow-up, closing, board, figures, referrals."""

from __future__ import annotations

import datetime as dt

import pytest

from app.db.engine import Database
from app.db.models import EntityProfile, Participant, Staff
from app.domain.networks import (
    AgreementDTO,
    AttendeeDTO,
    MeetingDTO,
    OrganisationDTO,
    ReferralDTO,
    SpaceDTO,
)
from app.errors import UserError, ValidationError
from app.services.networks import NetworkService
from app.services.referrals import ReferralService

#: Each test runs on a SQLite file and on an office (PostgreSQL) database.
BOTH_ENGINES = True

D = dt.date
T = dt.time


@pytest.fixture
def svc(db: Database) -> NetworkService:
    return NetworkService(db)


@pytest.fixture
def base(db: Database, svc: NetworkService) -> dict[str, str]:
    with db.begin() as s:
        s.add(EntityProfile(name="Associació Sants"))
        anna, pau = Staff(name="Anna Puig"), Staff(name="Pau Roca")
        s.add_all([anna, pau])
        s.flush()
        ids = {"anna": anna.id, "pau": pau.id}
    xarxa, _c = svc.save_space(SpaceDTO(None, "Xarxa d'Infància de Sants", role="member"))
    com, _c = svc.save_space(
        SpaceDTO(None, "Comissió de comunicació", parent_id=xarxa.id, role="driving_group")
    )
    cap, _c = svc.save_organisation(OrganisationDTO(None, "CAP Numància", "health_centre", "93 1"))
    ids.update(xarxa=xarxa.id or "", com=com.id or "", cap=cap.id or "")
    return ids


def meeting(space: str, day: D, *agreements: AgreementDTO, **kw: object) -> MeetingDTO:
    return MeetingDTO(
        None,
        space,
        day,
        T(10),
        T(12),
        "Casal de Barri",
        agreements=agreements,
        **kw,  # type: ignore[arg-type]
    )


def test_spaces_tree_order_and_validation(svc: NetworkService, base: dict[str, str]) -> None:
    svc.save_space(SpaceDTO(None, "Taula Radars de Sants", active=False))
    spaces = svc.spaces()
    assert [(s.name, s.depth) for s in spaces] == [
        ("Taula Radars de Sants", 0),
        ("Xarxa d'Infància de Sants", 0),
        ("Comissió de comunicació", 1),
    ]
    assert [s.name for s in svc.spaces(active_only=True)][0] == "Xarxa d'Infància de Sants"
    with pytest.raises(ValidationError) as e:
        svc.save_space(SpaceDTO(None, "  ", role="boss"))
    assert set(e.value.errors) == {"name", "role"}
    xarxa = svc.space(base["xarxa"])
    with pytest.raises(ValidationError) as e:
        svc.save_space(SpaceDTO(xarxa.id, xarxa.name, parent_id=base["com"]))
    assert "parent_id" in e.value.errors


def test_delete_space_refused_when_it_has_meetings(svc: NetworkService, base: dict) -> None:
    svc.save_meeting(meeting(base["com"], D(2026, 3, 1)))
    with pytest.raises(UserError):
        svc.delete_space(base["xarxa"])
    other, _c = svc.save_space(SpaceDTO(None, "TAST"))
    svc.delete_space(other.id or "")
    assert "TAST" not in [s.name for s in svc.spaces()]


def test_organisations_search_ignores_case_and_accents(svc: NetworkService, base: dict) -> None:
    svc.save_organisation(OrganisationDTO(None, "Escola Jaume I", "school", "escola@x.cat"))
    assert [o.name for o in svc.organisations("numancia")] == ["CAP Numància"]
    assert [o.name for o in svc.organisations("ESCOLA@")] == ["Escola Jaume I"]
    with pytest.raises(ValidationError):
        svc.save_organisation(OrganisationDTO(None, "", "nope"))


def test_meeting_numbers_agreements_and_keeps_attendees(svc: NetworkService, base: dict) -> None:
    m, _c = svc.save_meeting(
        meeting(
            base["xarxa"],
            D(2026, 3, 1),
            AgreementDTO(
                None, "Fer el cartell", owner_staff_id=base["anna"], due_date=D(2026, 3, 20)
            ),
            AgreementDTO(None, "Reservar la sala", owner_organisation_id=base["cap"]),
            attendees=(
                AttendeeDTO(staff_id=base["anna"]),
                AttendeeDTO(person_name="Marta Vidal", organisation_id=base["cap"]),
                AttendeeDTO(person_name="Joan Serra", status="apologised"),
            ),
            agenda=("Benvinguda", "  ", "Festa"),
        )
    )
    assert [(a.number, a.owner_name) for a in m.agreements] == [
        (1, "Anna Puig"),
        (2, "CAP Numància"),
    ]
    assert [a.name for a in m.attendees] == ["Anna Puig", "Marta Vidal", "Joan Serra"]
    assert m.attendees[1].organisation_name == "CAP Numància"
    assert m.agenda == ("Benvinguda", "Festa")
    # Reordering renumbers; removing deletes.
    first, second = m.agreements
    m2, _c = svc.save_meeting(
        MeetingDTO(**{**m.__dict__, "agreements": (second,)})  # type: ignore[arg-type]
    )
    assert [(a.number, a.text, a.id) for a in m2.agreements] == [(1, second.text, second.id)]
    assert svc.meetings(base["xarxa"])[0].agreements == 1


def test_meeting_validation_saves_nothing(svc: NetworkService, base: dict) -> None:
    bad = MeetingDTO(
        None,
        base["xarxa"],
        D(2026, 3, 1),
        T(12),
        T(10),
        attendees=(AttendeeDTO(person_name=""),),
        agreements=(AgreementDTO(None, ""),),
    )
    with pytest.raises(ValidationError) as e:
        svc.save_meeting(bad)
    assert {"end_time", "attendees", "agreements"} <= set(e.value.errors)
    both = AgreementDTO(None, "x", owner_staff_id=base["anna"], owner_organisation_id=base["cap"])
    with pytest.raises(ValidationError):
        svc.save_meeting(meeting(base["xarxa"], D(2026, 3, 1), both))
    assert svc.meetings() == []


def test_follow_up_and_closing_records_the_meeting(svc: NetworkService, base: dict) -> None:
    m1, _c = svc.save_meeting(
        meeting(base["xarxa"], D(2026, 3, 1), AgreementDTO(None, "A"), AgreementDTO(None, "B"))
    )
    # A commission's agreements are followed up in the commission, not in the network.
    svc.save_meeting(meeting(base["com"], D(2026, 3, 2), AgreementDTO(None, "C")))
    follow = svc.open_agreements_for_space(base["xarxa"], D(2026, 4, 1))
    assert [a.text for a in follow] == ["A", "B"]
    assert svc.open_agreements_for_space(base["xarxa"], D(2026, 3, 1)) == []
    m2, _c = svc.save_meeting(
        meeting(base["xarxa"], D(2026, 4, 1), closures=((follow[0].id, "done"),))
    )
    closed = svc.closed_in_meeting(m2.id or "")
    assert [(a.text, a.status, a.closed_in_meeting_id) for a in closed] == [("A", "done", m2.id)]
    assert [a.text for a in svc.open_agreements_for_space(base["xarxa"], D(2026, 5, 1))] == ["B"]
    # Closing directly, then un-listing the closure on saving reopens it.
    b, _c = svc.close_agreement(follow[1].id or "", m2.id or "", "dropped")
    assert b.status == "dropped" and b.closed_in_date == D(2026, 4, 1)
    svc.save_meeting(m2.__class__(**{**m2.__dict__, "closures": ()}))
    assert {a.text for a in svc.open_agreements_for_space(base["xarxa"], D(2026, 5, 1))} == {
        "A",
        "B",
    }
    with pytest.raises(UserError):
        svc.close_agreement(follow[0].id or "", m2.id or "", "open")
    early, _c = svc.save_meeting(meeting(base["xarxa"], D(2026, 2, 1)))
    with pytest.raises(UserError):
        svc.close_agreement(follow[0].id or "", early.id or "")
    # Deleting the closing meeting opens its closures again.
    svc.close_agreement(follow[0].id or "", m2.id or "")
    svc.delete_meeting(m2.id or "")
    assert svc.board(status="open", space_id=base["xarxa"])[0].text == "A"
    assert m1.id


def test_board_filters_and_overdue(svc: NetworkService, base: dict) -> None:
    svc.save_meeting(
        meeting(
            base["xarxa"],
            D(2026, 3, 1),
            AgreementDTO(None, "late", owner_staff_id=base["anna"], due_date=D(2026, 3, 10)),
            AgreementDTO(None, "later", owner_organisation_id=base["cap"], due_date=D(2026, 6, 1)),
            AgreementDTO(
                None, "done", owner_staff_id=base["pau"], due_date=D(2026, 3, 5), status="done"
            ),
            AgreementDTO(None, "no date"),
        )
    )
    today = D(2026, 4, 1)
    assert [a.text for a in svc.board(today=today)] == ["done", "late", "later", "no date"]
    assert [a.text for a in svc.board(status="open")] == ["late", "later", "no date"]
    assert [a.text for a in svc.board(owner=base["anna"])] == ["late"]
    assert [a.text for a in svc.board(owner=base["cap"])] == ["later"]
    assert [a.text for a in svc.board(overdue_only=True, today=today)] == ["late"]
    assert [a.text for a in svc.board(overdue_only=True, today=D(2026, 3, 1))] == []
    late = svc.board(owner=base["anna"])[0]
    assert late.is_overdue(today) and not late.is_overdue(D(2026, 3, 10))
    assert late.space_name == "Xarxa d'Infància de Sants" and late.meeting_date == D(2026, 3, 1)


def test_space_figures_include_commissions_and_period(svc: NetworkService, base: dict) -> None:
    svc.save_meeting(meeting(base["xarxa"], D(2025, 10, 1), AgreementDTO(None, "a", status="done")))
    svc.save_meeting(
        MeetingDTO(
            None,
            base["com"],
            D(2026, 1, 15),
            T(17),
            T(18, 30),
            agreements=(AgreementDTO(None, "b"), AgreementDTO(None, "c", status="done")),
        )
    )
    svc.save_meeting(meeting(base["xarxa"], D(2026, 9, 1), AgreementDTO(None, "outside")))
    fig = svc.space_figures(base["xarxa"], D(2025, 9, 1), D(2026, 8, 31))
    assert (fig.meetings, fig.hours, fig.agreements_adopted, fig.agreements_done) == (2, 3.5, 3, 2)
    com = svc.space_figures(base["com"], D(2025, 9, 1), D(2026, 8, 31))
    assert (com.meetings, com.hours, com.agreements_adopted, com.agreements_done) == (1, 1.5, 2, 1)


def test_minutes_data_sections(svc: NetworkService, base: dict) -> None:
    m1, _c = svc.save_meeting(meeting(base["com"], D(2026, 3, 1), AgreementDTO(None, "old")))
    m2, _c = svc.save_meeting(
        meeting(
            base["com"],
            D(2026, 4, 1),
            AgreementDTO(None, "new", owner_staff_id=base["pau"]),
            attendees=(
                AttendeeDTO(staff_id=base["anna"]),
                AttendeeDTO(
                    person_name="Joan Serra", organisation_id=base["cap"], status="apologised"
                ),
            ),
            closures=((m1.agreements[0].id or "", "done"),),
        )
    )
    data = svc.minutes_data(m2.id or "")
    assert data.parent_space_name == "Xarxa d'Infància de Sants"
    assert [(p.name, p.organisation) for p in data.attendees] == [("Anna Puig", "Associació Sants")]
    assert [(p.name, p.organisation) for p in data.apologies] == [("Joan Serra", "CAP Numància")]
    assert [(a.number, a.owner) for a in data.agreements] == [(1, "Pau Roca")]
    assert [(a.text, a.status) for a in data.follow_up] == [("old", "done")]


def test_referrals(db: Database, base: dict, svc: NetworkService) -> None:
    refs = ReferralService(db)
    with db.begin() as s:
        p = Participant(given_name="Nora", family_names="Haddad")
        s.add(p)
        s.flush()
        pid = p.id
    ss, _c = svc.save_organisation(
        OrganisationDTO(None, "Serveis Socials Sants", "social_services")
    )
    with pytest.raises(ValidationError) as e:
        refs.save(ReferralDTO(None, pid, D(2026, 3, 1)))
    assert "to_organisation_id" in e.value.errors
    r, _c = refs.save(
        ReferralDTO(
            None,
            pid,
            D(2026, 3, 1),
            from_organisation_id=ss.id,
            to_organisation_id=base["cap"],
            reason="Salut",
        )
    )
    assert (r.participant_name, r.from_name, r.to_name) == (
        "Nora Haddad",
        "Serveis Socials Sants",
        "CAP Numància",
    )
    refs.save(
        ReferralDTO(r.id, pid, D(2026, 3, 2), to_organisation_id=base["cap"], status="accepted")
    )
    assert [x.status for x in refs.for_participant(pid)] == ["accepted"]
    assert [x.participant_name for x in refs.for_organisation(base["cap"])] == ["Nora Haddad"]
    assert refs.for_organisation(ss.id or "") == []
    refs.delete(r.id or "")
    assert refs.for_participant(pid) == []


def test_figures_by_space_groups_commissions_and_filters_programmes(
    db: Database, svc: NetworkService, base: dict
) -> None:
    from app.db.models import Programme

    with db.begin() as s:
        prog = Programme(code="ACOM", name="Acció comunitària", category="prevention")
        s.add(prog)
        s.flush()
        pid = prog.id
    tast, _c = svc.save_space(SpaceDTO(None, "TAST"))
    svc.save_meeting(meeting(base["xarxa"], D(2026, 1, 10), AgreementDTO(None, "a")))
    svc.save_meeting(meeting(base["com"], D(2026, 2, 10), programme_ids=(pid,)))
    svc.save_meeting(meeting(tast.id or "", D(2026, 3, 10), AgreementDTO(None, "b", status="done")))
    svc.save_meeting(meeting(tast.id or "", D(2027, 3, 10)))  # outside the period
    rows = svc.figures_by_space(D(2025, 9, 1), D(2026, 8, 31))
    assert [
        (sp.name, f.meetings, f.hours, f.agreements_adopted, f.agreements_done) for sp, f in rows
    ] == [
        ("TAST", 1, 2.0, 1, 1),
        ("Xarxa d'Infància de Sants", 2, 4.0, 1, 0),
    ]
    linked = svc.figures_by_space(D(2025, 9, 1), D(2026, 8, 31), [pid])
    assert [(sp.name, f.meetings) for sp, f in linked] == [("Xarxa d'Infància de Sants", 1)]
