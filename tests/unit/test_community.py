"""Community work: the groups accompanied and their stages and meetings, mediation cases,
needs detected and referrals followed, and their figures (defined once in
services/community_figures.py), with data built here, on both engines."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.db.engine import Database
from app.db.models import Activity, Organisation, Participant, Programme, Staff
from app.db.models import Session as ActivitySession
from app.domain.community import (
    CaseDTO,
    GroupContactDTO,
    GroupDTO,
    GroupMeetingDTO,
    NeedDTO,
    PartyDTO,
)
from app.domain.networks import ReferralDTO
from app.domain.programmes import IndicatorDTO
from app.domain.report import DEFAULT_SECTIONS, ReportRequest
from app.errors import UserError, ValidationError
from app.services.community import CommunityService
from app.services.community_figures import community_figures
from app.services.figures import FiguresService
from app.services.mediation import MediationService
from app.services.needs import NeedsService
from app.services.referrals import ReferralService
from app.services.reports import ReportService

BOTH_ENGINES = True
D = dt.date
YEAR = (D(2026, 1, 1), D(2026, 12, 31))


@pytest.fixture
def base(db: Database) -> dict[str, str]:
    with db.begin() as s:
        laia = Staff(name="Laia")
        assoc = Programme(code="ASSOC", name="Associacionisme", category="prevention")
        other = Programme(code="PREV", name="Prevenció", category="prevention")
        org = Organisation(name="Serveis Socials Sants", kind="social_services")
        anna = Participant(given_name="Anna", family_names="Puig")
        s.add_all([laia, assoc, other, org, anna])
        s.flush()
        act = Activity(programme_id=assoc.id, name="Mediació comunitària", kind="attention")
        act2 = Activity(programme_id=other.id, name="Taller", kind="workshop")
        s.add_all([act, act2])
        s.flush()
        held = ActivitySession(activity_id=act.id, date=D(2026, 3, 10), status="held")
        s.add(held)
        s.flush()
        return {
            "laia": laia.id,
            "assoc": assoc.id,
            "other": other.id,
            "org": org.id,
            "anna": anna.id,
            "act": act.id,
            "act2": act2.id,
            "held": held.id,
        }


def _group(db: Database, name: str, stage: str, since: D, programme: str | None = None) -> str:
    group, _c = CommunityService(db).save_group(
        GroupDTO(None, name, "residents_community", "La Bordeta", programme_id=programme),
        first_stage=stage,
        since=since,
    )
    assert group.id is not None
    return group.id


def test_a_group_keeps_its_dated_stages_and_contacts(db: Database, base: dict[str, str]) -> None:
    service = CommunityService(db)
    group, _c = service.save_group(
        GroupDTO(
            None,
            "Comunitat Olzinelles 12",
            "residents_community",
            "La Bordeta",
            staff_id=base["laia"],
            contacts=(
                GroupContactDTO(participant_id=base["anna"], role="Presidenta"),
                GroupContactDTO(person_name="Sr. Pons", phone="600 000 000"),
            ),
        ),
        since=D(2026, 1, 15),
    )
    assert group.stage == "first_contact" and group.stage_date == D(2026, 1, 15)
    assert [c.name for c in group.contacts] == ["Anna Puig", "Sr. Pons"]
    assert group.id is not None
    service.change_stage(group.id, "meeting_regularly", D(2026, 3, 1), "Cada dimarts")
    later, _c = service.change_stage(group.id, "constituted", D(2026, 5, 4))
    assert [h.stage for h in later.history] == ["first_contact", "meeting_regularly", "constituted"]
    assert later.stage == "constituted"
    with pytest.raises(ValidationError):
        service.change_stage(group.id, "autonomous", D(2025, 12, 1))
    with pytest.raises(ValidationError):
        service.change_stage(group.id, "famous", D(2026, 6, 1))
    # Its meetings are meetings with minutes and numbered agreements, not a network's.
    meeting, _c = service.save_meeting(
        GroupMeetingDTO(None, group.id, D(2026, 2, 3), "Local", "Acta", "held", ("Escala", "Clau"))
    )
    assert meeting.agreements == ("Escala", "Clau")
    again, _c = service.save_meeting(
        GroupMeetingDTO(meeting.id, group.id, D(2026, 2, 3), "Local", "Acta", "held", ("Clau",))
    )
    assert again.agreements == ("Clau",)
    assert service.group(group.id).meetings == 1
    from app.services.networks import NetworkService

    assert NetworkService(db).meetings() == []  # not a network's meeting
    # Read as a meeting (and its sheet to sign), it goes by the group's name.
    assert NetworkService(db).meeting(meeting.id or "").space_name == "Comunitat Olzinelles 12"
    from app.services.sheets import SheetService

    assert SheetService(db).meeting_sheet(meeting.id or "").space == "Comunitat Olzinelles 12"
    service.delete_group(group.id)
    assert service.groups() == []
    with pytest.raises(UserError):
        service.group(group.id)


def test_groups_accompanied_by_stage_and_reaching_autonomy(
    db: Database, base: dict[str, str]
) -> None:
    service = CommunityService(db)
    bordeta = _group(db, "Comunitat Olzinelles 12", "first_contact", D(2026, 1, 10), base["assoc"])
    service.change_stage(bordeta, "constituted", D(2026, 4, 1))
    service.change_stage(bordeta, "autonomous", D(2026, 11, 20))
    forming = _group(db, "Veïns de la plaça", "forming", D(2026, 6, 1), base["assoc"])
    # Autonomous before the year began: no longer accompanied.
    old = _group(db, "Associació antiga", "registered", D(2024, 3, 1))
    service.change_stage(old, "autonomous", D(2025, 6, 1))
    # Accompaniment begins after the period: not counted.
    _group(db, "Grup futur", "first_contact", D(2027, 2, 1))
    gone = _group(db, "Esborrat", "forming", D(2026, 2, 1))
    service.delete_group(gone)
    service.save_meeting(GroupMeetingDTO(None, forming, D(2026, 7, 1), status="held"))
    service.save_meeting(GroupMeetingDTO(None, forming, D(2026, 7, 8), status="cancelled"))
    with db.read() as s:
        whole = community_figures(s, None, *YEAR)
        first_half = community_figures(s, None, D(2026, 1, 1), D(2026, 6, 30))
        other = community_figures(s, [base["other"]], *YEAR)
    assert whole.groups_accompanied == 2
    assert whole.groups_by_stage == {"forming": 1, "autonomous": 1}
    assert whole.groups_autonomous_in_period == 1
    assert whole.group_meetings == 1
    assert first_half.groups_by_stage == {"forming": 1, "constituted": 1}
    assert first_half.groups_autonomous_in_period == 0
    assert other.groups_accompanied == 0
    # "Comunitats de veïns organitzades" as a computed indicator of the programme: counted.
    from app.services.programmes import ProgrammesService

    programme = ProgrammesService(db).get(base["assoc"])
    ProgrammesService(db).save(
        dataclasses.replace(
            programme,
            indicators=(
                IndicatorDTO("Comunitats de veïns organitzades", "groups_autonomous", 1),
                IndicatorDTO("Grups acompanyats", "groups_accompanied", 3),
            ),
        )
    )
    figures = FiguresService(db).compute([base["assoc"]], *YEAR)
    assert [(i.name, i.achieved) for i in figures.indicators] == [
        ("Comunitats de veïns organitzades", 1.0),
        ("Grups acompanyats", 2.0),
    ]
    assert figures.groups_accompanied == 2 and figures.groups_autonomous == 1


def test_mediation_cases_opened_and_closed_by_outcome(db: Database, base: dict[str, str]) -> None:
    service = MediationService(db)
    group = _group(db, "Comunitat Olzinelles 12", "forming", D(2026, 1, 10))
    case, _c = service.save(
        CaseDTO(
            None,
            "MED-2026-01",
            D(2026, 3, 2),
            "public_space",
            "Sants",
            staff_ids=(base["laia"],),
            parties=(PartyDTO(participant_id=base["anna"]), PartyDTO(group_id=group)),
            session_ids=(base["held"],),
            agreements=("Horari de la pista", "Neteja compartida"),
        )
    )
    assert [p.label for p in case.parties] == ["Anna Puig", "Comunitat Olzinelles 12"]
    assert case.sessions_held == 1 and case.staff_names == ("Laia",)
    closed, _c = service.save(
        CaseDTO(**{**case.__dict__, "closed_on": D(2026, 5, 30), "outcome": "agreement"})
    )
    assert closed.agreements == ("Horari de la pista", "Neteja compartida")
    service.save(
        CaseDTO(None, "MED-2026-02", D(2026, 9, 1), "neighbours", staff_ids=(base["laia"],))
    )
    service.save(
        CaseDTO(
            None,
            "MED-2025-07",
            D(2025, 11, 3),
            "coexistence",
            staff_ids=(base["laia"],),
            closed_on=D(2026, 1, 20),
            outcome="no_agreement",
        )
    )
    for wrong, field in (
        (CaseDTO(None, "X", D(2026, 3, 1), staff_ids=()), "staff_ids"),
        (
            CaseDTO(None, "X", D(2026, 3, 1), staff_ids=(base["laia"],), closed_on=D(2026, 4, 1)),
            "outcome",
        ),
        (
            CaseDTO(
                None,
                "X",
                D(2026, 3, 1),
                staff_ids=(base["laia"],),
                closed_on=D(2026, 2, 1),
                outcome="agreement",
            ),
            "closed_on",
        ),
        (
            CaseDTO(None, "X", D(2026, 3, 1), staff_ids=(base["laia"],), parties=(PartyDTO(),)),
            "parties",
        ),
    ):
        with pytest.raises(ValidationError) as raised:
            service.save(wrong)
        assert field in raised.value.errors
    with db.read() as s:
        whole = community_figures(s, None, *YEAR)
        # For a programme: the cases with a session of its activities.
        assoc = community_figures(s, [base["assoc"]], *YEAR)
    assert (whole.cases_opened, whole.cases_closed) == (2, 2)
    assert whole.cases_closed_by_outcome == {"agreement": 1, "no_agreement": 1}
    assert (assoc.cases_opened, assoc.cases_closed) == (1, 1)
    # The open case first in the list.
    assert [c.reference for c in service.cases()][0] == "MED-2026-02"
    # Mediation agreements are not network agreements.
    from app.services.networks import NetworkService

    assert NetworkService(db).board() == []


def test_needs_detected_and_what_was_done(db: Database, base: dict[str, str]) -> None:
    service = NeedsService(db)
    group = _group(db, "Comunitat Olzinelles 12", "forming", D(2026, 1, 10), base["assoc"])
    service.save(
        NeedDTO(None, "Falta d'espais per a joves", D(2026, 2, 5), place="Plaça de Sants",
                activity_id=base["act2"], response="activity", response_activity_id=base["act"],
                response_date=D(2026, 3, 1))
    )  # fmt: skip
    service.save(NeedDTO(None, "Soroll a l'escala", D(2026, 4, 2), group_id=group))
    service.save(
        NeedDTO(None, "Persones grans soles", D(2026, 5, 9), response="passed_on",
                response_organisation_id=base["org"])
    )  # fmt: skip
    service.save(NeedDTO(None, "Fora del període", D(2025, 5, 9)))
    with pytest.raises(ValidationError) as raised:
        service.save(NeedDTO(None, "Sense resposta", D(2026, 5, 9), response="activity"))
    assert "response_activity_id" in raised.value.errors
    needs = service.needs()
    first = next(n for n in needs if n.title.startswith("Falta"))
    assert first.raised_by == "Taller" and first.answered_by == "Mediació comunitària"
    with db.read() as s:
        whole = community_figures(s, None, *YEAR)
        assoc = community_figures(s, [base["assoc"]], *YEAR)
    assert (whole.needs_detected, whole.needs_answered) == (3, 2)
    assert whole.needs_by_response == {"activity": 1, "none": 1, "passed_on": 1}
    # For a programme: raised or answered in its activities, or by its groups.
    assert assoc.needs_detected == 2
    # The report's optional section: in the JSON with what was done, off by default.
    request = ReportRequest(None, *YEAR)
    assert (
        "needs" not in request.sections
        and "needs" not in ReportService(db).load(request).json_dict()
    )
    data = ReportService(db).load(ReportRequest(None, *YEAR, sections=DEFAULT_SECTIONS | {"needs"}))
    out = data.json_dict()
    assert [n["title"] for n in out["needs"]] == [
        "Falta d'espais per a joves",
        "Soroll a l'escala",
        "Persones grans soles",
    ]
    assert out["needs"][2]["response"] == "passed_on"
    assert out["needs"][2]["answered_by"] == "Serveis Socials Sants"
    assert out["community"]["needs_detected"] == 3


def test_referrals_followed_are_counted_by_programme_destination_and_status(
    db: Database, base: dict[str, str]
) -> None:
    service = ReferralService(db)
    # Anna took part in no activity: the referral names the activity it came from.
    service.save(
        ReferralDTO(None, base["anna"], D(2026, 3, 3), to_organisation_id=base["org"],
                    activity_id=base["act"], status="accepted", reached=True,
                    followed_up_on=D(2026, 3, 20), follow_up="Hi va cada setmana")
    )  # fmt: skip
    service.save(
        ReferralDTO(None, base["anna"], D(2026, 4, 3), to_organisation_id=base["org"],
                    programme_id=base["other"], reached=False)
    )  # fmt: skip
    [latest, first] = service.for_participant(base["anna"])
    assert first.programme_id == base["assoc"] and first.programme_code == "ASSOC"
    assert first.activity_name == "Mediació comunitària" and first.reached is True
    with pytest.raises(ValidationError) as raised:
        service.save(ReferralDTO(**{**first.__dict__, "programme_id": base["other"]}))
    assert "activity_id" in raised.value.errors
    with pytest.raises(ValidationError) as raised:
        service.save(ReferralDTO(**{**first.__dict__, "followed_up_on": D(2026, 1, 1)}))
    assert "followed_up_on" in raised.value.errors
    figures = FiguresService(db).compute(None, *YEAR)
    rows = {
        (r.programme_code, r.destination, r.status): (r.referrals, r.reached)
        for r in figures.referral_rows
    }
    assert rows == {
        ("ASSOC", "Serveis Socials Sants", "accepted"): (1, 1),
        ("PREV", "Serveis Socials Sants", "open"): (1, 0),
    }
    assoc = FiguresService(db).compute([base["assoc"]], *YEAR)
    assert assoc.referrals == 1
    assert [(r.programme_code, r.reached) for r in assoc.referral_rows] == [("ASSOC", 1)]


def test_a_groups_agreements_are_on_the_board_and_followed_up(
    db: Database, base: dict[str, str]
) -> None:
    from app.domain.networks import AgreementDTO, MeetingDTO, SpaceDTO
    from app.services.networks import NetworkService

    service, networks = CommunityService(db), NetworkService(db)
    group = _group(db, "Comunitat Olzinelles 12", "forming", D(2026, 1, 10))
    other = _group(db, "Veïns de la plaça", "forming", D(2026, 1, 10))
    first, _c = service.save_meeting(
        GroupMeetingDTO(None, group, D(2026, 2, 3), "Local", "", "held", ("Clau", "Campanya"))
    )
    service.save_meeting(GroupMeetingDTO(None, other, D(2026, 2, 5), "", "", "held", ("Banc",)))
    space, _c = networks.save_space(SpaceDTO(None, "Xarxa de Sants"))
    networks.save_meeting(
        MeetingDTO(None, space.id or "", D(2026, 2, 4), agreements=(AgreementDTO(None, "Xarxa"),))
    )
    board = networks.board()
    assert [(a.text, a.space_name) for a in board] == [
        ("Clau", "Comunitat Olzinelles 12"),
        ("Campanya", "Comunitat Olzinelles 12"),
        ("Xarxa", "Xarxa de Sants"),
        ("Banc", "Veïns de la plaça"),
    ]
    assert {a.group_id for a in board} == {group, other, None}
    # Filtered by group as by space.
    assert [a.text for a in networks.board(group_id=group)] == ["Clau", "Campanya"]
    assert [a.text for a in networks.board(space_id=space.id)] == ["Xarxa"]
    # Followed up on the board: done, then open again; no meeting closes it.
    clau = networks.board(group_id=group)[0]
    done, _c = networks.follow_up_agreement(clau.id or "", "done")
    assert (done.status, done.closed_in_meeting_id) == ("done", None)
    assert [a.text for a in networks.board(status="done")] == ["Clau"]
    networks.follow_up_agreement(clau.id or "", "open")
    assert networks.board(status="done") == []
    with pytest.raises(UserError):
        networks.follow_up_agreement(clau.id or "", "famous")
    # A group's meeting saved again keeps the follow-up of the agreements it keeps.
    networks.follow_up_agreement(clau.id or "", "dropped")
    service.save_meeting(
        GroupMeetingDTO(first.id, group, D(2026, 2, 3), "Local", "", "held", ("Clau", "Campanya"))
    )
    assert [a.status for a in networks.board(group_id=group)] == ["dropped", "open"]
    # A deleted group's agreements leave the board with it.
    service.delete_group(other)
    assert "Banc" not in [a.text for a in networks.board()]
