"""The demo data: deterministic, faithful to the seeds, realistic people, and safe to load."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from stdnum.es import dni, nie, nif

from app import cli, i18n
from app.db import models as m
from app.db.base import Base
from app.db.engine import Database, open_database
from app.demo import load_demo
from app.demo.rows import Ids
from app.domain.profile import EntityProfileDTO
from app.errors import UserError
from app.services.profile import ProfileService

TODAY = dt.date(2026, 11, 26)

SPACES = {
    "Grup Impulsor d'Activitats i Festes de Sants – Badal": None,
    "Xarxa d'Equipaments i Serveis de Sants-Badal": None,
    "Xarxa d'Infància de Sants": None,
    "Taula d'Adolescents i Joves de Sants": None,
    "Grup de Treball d'Educació Comunitària de Sants – Montjuïc": None,
    "Taula de Salut Mental de Sants – Montjuïc": None,
    "Taula d'Acció Social Territorial (TAST) de Sants": None,
    "Taula Radars de Sants": None,
    "Grup Motor de la Xarxa d'Infància de Sants": "Xarxa d'Infància de Sants",
    "Comissió de comunicació": "Xarxa d'Infància de Sants",
    "Comissió d'Educació Afectiva i Sexual": "Taula d'Adolescents i Joves de Sants",
    "Comissió d'Interculturalitat i Salut mental": "Taula de Salut Mental de Sants – Montjuïc",
}


@pytest.fixture
def loaded(db: Database) -> Database:
    load_demo(db, today=TODAY)
    return db


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows without the load-time timestamps."""
    result = {}
    with db.read() as s:
        for table in Base.metadata.sorted_tables:
            cols = [c for c in table.columns if c.name not in ("created_at", "updated_at")]
            rows = s.execute(select(*cols)).all()
            result[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return result


@pytest.fixture
def two_dbs(tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    a, b = open_database(tmp_path / "a.db"), open_database(tmp_path / "b.db")
    yield a, b
    a.close()
    b.close()


def _age(p: m.Participant) -> int | None:
    if p.birth_date:
        b = p.birth_date
        return TODAY.year - b.year - ((TODAY.month, TODAY.day) < (b.month, b.day))
    return TODAY.year - p.birth_year if p.birth_year else None


def test_same_seed_gives_identical_rows(two_dbs: tuple[Database, Database]) -> None:
    a, b = two_dbs
    load_demo(a, today=TODAY, seed=7)
    load_demo(b, today=TODAY, seed=7)
    first, second = dump(a), dump(b)
    assert first == second
    assert len(first["participant"]) == 82 and len(first["attendance"]) > 300


def test_another_seed_gives_other_people(two_dbs: tuple[Database, Database]) -> None:
    a, b = two_dbs
    load_demo(a, today=TODAY, seed=1)
    load_demo(b, today=TODAY, seed=2)
    assert dump(a)["participant"] != dump(b)["participant"]
    assert dump(a)["network_space"] != dump(b)["network_space"]  # ids depend on the seed


def test_entity_profile(loaded: Database) -> None:
    profile = ProfileService(loaded).get()
    assert profile is not None
    assert profile.name == "Associació Sants Acció Comunitària"
    assert nif.is_valid(profile.tax_id) and profile.tax_id.startswith("G")
    assert "Barcelona" in profile.address and profile.region == "CT"
    assert profile.default_lang == "ca" and profile.logo
    for text in (
        profile.privacy_controller,
        profile.privacy_purpose,
        profile.privacy_legal_basis,
        profile.privacy_recipients,
        profile.privacy_rights_contact,
    ):
        assert len(text) > 40


def test_network_spaces_and_commissions_of_the_seed(loaded: Database) -> None:
    with loaded.read() as s:
        spaces = {sp.id: sp for sp in s.scalars(select(m.NetworkSpace))}
        by_name = {sp.name: sp for sp in spaces.values()}
        assert set(by_name) == set(SPACES)
        for name, parent in SPACES.items():
            parent_id = by_name[name].parent_id
            assert (spaces[parent_id].name if parent_id else None) == parent
        assert {sp.role for sp in spaces.values()} == {"member", "driving_group", "coordination"}
        assert all(sp.representative_staff_id for sp in spaces.values())
        kinds = set(s.scalars(select(m.Organisation.kind)))
        assert {"public_service", "health_centre", "school", "association"} <= kinds


def test_meetings_attendees_and_agreements(loaded: Database) -> None:
    with loaded.read() as s:
        # Network meetings (an accompanied group's are tested with community work).
        network = select(m.NetworkMeeting).where(m.NetworkMeeting.space_id.is_not(None))
        meetings = {mt.id: mt for mt in s.scalars(network)}
        spaces_met = {mt.space_id for mt in meetings.values()}
        assert len(spaces_met) == 12
        past = [mt for mt in meetings.values() if mt.date < TODAY]
        assert all(mt.minutes and len(mt.agenda) >= 3 for mt in past)
        assert all(not mt.minutes for mt in meetings.values() if mt.date >= TODAY)
        attendees = s.scalars(select(m.MeetingAttendee)).all()
        assert {a.status for a in attendees} == {"attended", "apologised"}
        assert any(a.staff_id for a in attendees) and any(a.organisation_id for a in attendees)
        assert s.scalar(select(func.count()).select_from(m.meeting_programme)) > 10
        agreements = s.scalars(
            select(m.Agreement).where(m.Agreement.meeting_id.in_(list(meetings)))
        ).all()
        numbers: dict[str, list[int]] = {}
        for ag in agreements:
            numbers.setdefault(ag.meeting_id, []).append(ag.number)
            assert ag.owner_staff_id or ag.owner_organisation_id
            if ag.status in ("done", "dropped"):
                closed = meetings[ag.closed_in_meeting_id or ""]
                adopted = meetings[ag.meeting_id]
                assert closed.space_id == adopted.space_id and closed.date > adopted.date
            else:
                assert ag.closed_in_meeting_id is None
        assert all(sorted(n) == list(range(1, len(n) + 1)) for n in numbers.values())
        statuses = {ag.status for ag in agreements}
        assert {"open", "done"} <= statuses
        assert any(ag.status == "open" and ag.due_date < TODAY for ag in agreements)


def test_programmes_categories_and_activities(loaded: Database) -> None:
    with loaded.read() as s:
        programmes = s.scalars(select(m.Programme)).all()
        assert {p.code for p in programmes} == {"PREV", "CONV", "VOLU", "ESPV", "MIGR"}
        categories = set(s.scalars(select(m.ProgrammeCategory.code)))
        assert {p.category for p in programmes} == categories
        assert len(categories) == 5
        names = {p.name for p in programmes}
        assert "Programa d'atenció especialitzada a persones migrants" in names
        for p in programmes:
            assert p.funders and p.responsible_staff_id and 2 <= len(p.objectives) <= 3
            kinds = [i.kind for i in p.indicators]
            assert "manual" in kinds or len(kinds) >= 3
            activities = s.scalars(select(m.Activity).where(m.Activity.programme_id == p.id))
            assert 2 <= len(activities.all()) <= 4
        assert {f.support_text for f in s.scalars(select(m.Funder))} >= {"Amb el suport de"}
        kinds = set(s.scalars(select(m.Activity.kind)))
        assert {"workshop", "event", "attention", "self_organisation"} <= kinds
        staff = s.scalars(select(m.Staff)).all()
        assert 5 <= len(staff) <= 7 and any(not st.active for st in staff)
        assert "Casal de Barri de Sants" in set(s.scalars(select(m.Place.name)))


def test_people_of_the_neighbourhood(loaded: Database) -> None:
    with loaded.read() as s:
        people = s.scalars(select(m.Participant)).all()
        consents = s.scalars(select(m.Consent)).all()
    assert 75 <= len(people) <= 90
    text = " ".join(f"{p.given_name} {p.family_names}" for p in people)
    assert re.search("[\u0600-\u06ff]", text) and re.search("[\u4e00-\u9fff]", text)
    assert "ہ" in text  # Urdu
    assert "l·l" in text
    assert {"woman", "man", "nonbinary", "undisclosed", None} <= {p.gender for p in people}
    assert {"ES", "MA", "PK", "CN", "PH"} <= {p.nationality for p in people}
    assert {p.neighbourhood for p in people} <= {
        "Sants",
        "Badal",
        "Hostafrancs",
        "la Bordeta",
        "Sants-Badal",
    }
    assert any(p.birth_year and not p.birth_date for p in people)
    docs = [(p.id_document_type, p.id_document_number) for p in people if p.id_document_type]
    assert {"dni", "nie", "passport"} <= {t for t, _ in docs}
    assert all(dni.is_valid(n) for t, n in docs if t == "dni")
    assert all(nie.is_valid(n) for t, n in docs if t == "nie")
    assert all(re.fullmatch("6[0-9]{8}", p.phone) for p in people if p.phone)
    signed = {(c.participant_id, c.kind): c for c in consents}
    minors = [p for p in people if (_age(p) or 99) < 14]
    assert len(minors) >= 5
    for p in minors:
        assert p.guardian_name and p.guardian_phone
        if (p.id, "data_processing") in signed:
            assert signed[(p.id, "data_processing")].signed_by == "guardian"
    without = [p for p in people if (p.id, "data_processing") not in signed]
    assert 1 <= len(without) <= 8
    assert {c.kind for c in consents} == {
        "data_processing",
        "image_internal",
        "image_funder",
        "image_web",
    }
    assert {c.granted for c in consents if c.kind == "image_web"} == {True, False}


def test_blocked_person_attended_before_erasure(loaded: Database) -> None:
    with loaded.read() as s:
        blocked = s.scalars(select(m.Participant).where(m.Participant.blocked_at.is_not(None)))
        (person,) = blocked.all()
        assert person.blocked_at is not None
        dates = s.scalars(
            select(m.Session.date)
            .join(m.Attendance, m.Attendance.session_id == m.Session.id)
            .where(m.Attendance.participant_id == person.id)
        ).all()
        assert dates and max(dates) < person.blocked_at.date()


def test_sessions_attendance_and_head_counts(loaded: Database) -> None:
    with loaded.read() as s:
        sessions = {x.id: x for x in s.scalars(select(m.Session))}
        attendance = s.scalars(select(m.Attendance)).all()
        counts = s.scalars(select(m.HeadCount)).all()
        enrolments = s.scalars(select(m.Enrolment)).all()
    start, end = dt.date(2026, 9, 1), dt.date(2027, 6, 30)
    assert all(start <= x.date <= end for x in sessions.values())
    assert all(x.status == "planned" for x in sessions.values() if x.date >= TODAY)
    past = [x for x in sessions.values() if x.date < TODAY]
    assert {x.status for x in past} == {"held", "cancelled", "planned"}
    attended = {a.session_id for a in attendance} | {c.session_id for c in counts}
    pending = [x for x in past if x.status == "planned"]
    assert 1 <= len(pending) <= 3 and not attended & {x.id for x in pending}
    assert all(sessions[sid].status == "held" for sid in attended)
    assert {a.status for a in attendance} == {"present", "late", "excused", "absent"}
    assert {c.age_band for c in counts} <= {"0-17", "18-29", "30-64", "65+"}
    assert {"woman", "man"} <= {c.gender for c in counts}
    assert enrolments and any(e.end for e in enrolments)


def test_refuses_a_database_with_data_and_leaves_it_untouched(db: Database) -> None:
    ProfileService(db).save(EntityProfileDTO(id="", name="Entitat de prova"))
    with pytest.raises(UserError, match="--force"):
        load_demo(db, today=TODAY)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(m.Participant)) == 0
        assert s.scalar(select(m.EntityProfile.name)) == "Entitat de prova"


def test_refuses_a_second_load_in_catalan(loaded: Database) -> None:
    i18n.set_language("ca")
    with pytest.raises(UserError) as info:
        load_demo(loaded, today=TODAY)
    assert "ja conté dades" in info.value.message


def test_force_replaces_everything(tmp_path: Path, loaded: Database) -> None:
    load_demo(loaded, force=True, today=TODAY, seed=99)
    fresh = open_database(tmp_path / "fresh.db")
    try:
        load_demo(fresh, today=TODAY, seed=99)
        assert dump(loaded) == dump(fresh)
    finally:
        fresh.close()


def test_summary_describes_the_load_in_each_language(db: Database) -> None:
    summary = load_demo(db, today=TODAY)
    assert summary.people == 82 and summary.programmes == 5 and summary.network_spaces == 12
    i18n.set_language("es")
    assert summary.describe().startswith("Datos de demostración cargados: 82 personas")
    i18n.set_language("ca")
    assert summary.describe().startswith("Dades de demostració carregades: 82 persones")


def test_command_line(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo"]) == 0
    assert "82" in capsys.readouterr().out
    assert cli.main(["demo"]) == 1
    assert "--force" in capsys.readouterr().err
    assert cli.main(["demo", "--force"]) == 0


@pytest.mark.slow  # a scale test: 5 000 people, 60 000 attendances
def test_large_demo(db: Database) -> None:
    summary = load_demo(db, size="large", today=TODAY)
    with db.read() as s:
        people = s.scalar(select(func.count()).select_from(m.Participant))
        sessions = s.scalar(select(func.count()).select_from(m.Session))
        held = s.scalar(select(func.count()).where(m.Session.status == "held"))
        attendance = s.scalar(select(func.count()).select_from(m.Attendance))
        first = s.scalar(select(func.min(m.Session.date)))
    assert people == summary.people == 5000
    assert 1900 <= sessions <= 2200 and held > 1600
    assert 54_000 <= attendance <= 66_000
    assert first is not None and (TODAY - first).days < 366


def test_ids_are_uuid5_of_the_seed_and_a_key() -> None:
    ids = Ids(2026)
    expected = uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, "teixit:demo:2026"), "participant:3")
    assert ids("participant", 3) == str(expected)
    assert ids("participant", 3) != Ids(2027)("participant", 3)


def test_missing_default_category_is_restored(db: Database) -> None:
    with db.begin() as s:
        s.execute(delete(m.ProgrammeCategory).where(m.ProgrammeCategory.code == "prevention"))
    load_demo(db, today=TODAY)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(m.ProgrammeCategory)) == 5
        prev = s.scalar(select(m.Programme.category).where(m.Programme.code == "PREV"))
        assert prev == "prevention"


def test_community_work_from_the_seeds(loaded: Database) -> None:
    """A residents' community accompanied in La Bordeta with its meetings, three that became
    autonomous (the ESPV indicator counts them), two mediation cases, needs with responses and
    referrals followed up."""
    from app.services.community import CommunityService
    from app.services.community_figures import community_figures
    from app.services.mediation import MediationService
    from app.services.needs import NeedsService

    groups = {g.name: g for g in CommunityService(loaded).groups()}
    bordeta = groups["Comunitat de veïns Olzinelles 12"]
    assert bordeta.neighbourhood == "la Bordeta" and bordeta.stage == "meeting_regularly"
    assert bordeta.contacts and bordeta.meetings >= 1
    assert sum(g.stage == "autonomous" for g in groups.values()) == 3
    cases = MediationService(loaded).cases()
    assert sorted(c.reference for c in cases) == ["MED-01", "MED-02"]
    assert {c.outcome for c in cases} == {"agreement", None}
    assert all(c.staff_ids and c.parties and c.session_ids for c in cases)
    needs = NeedsService(loaded).needs()
    assert len(needs) == 5 and sum(n.response != "none" for n in needs) >= 3
    with loaded.read() as s:
        figures = community_figures(s, None, TODAY - dt.timedelta(days=400), TODAY)
        followed = s.scalar(
            select(func.count()).select_from(m.Referral).where(m.Referral.reached.is_not(None))
        )
        logins = set(s.scalars(select(m.Staff.login)))
    assert figures.groups_autonomous_in_period == 3 and figures.cases_opened == 2
    assert followed and "ayesha.malik" in logins
