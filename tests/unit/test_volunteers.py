"""Volunteers counted apart from participants, coproduced activities counted once in each
programme and once in the whole, and the safeguarding certificates' rules: data built here."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert

from app.db.engine import Database
from app.db.models import (
    Activity,
    Attendance,
    Enrolment,
    Organisation,
    Participant,
    Programme,
    Session,
    Staff,
    Volunteer,
    VolunteerHours,
    activity_facilitator,
    activity_programme,
)
from app.domain.volunteers import (
    CertificateDTO,
    VolunteerDTO,
    VolunteerHoursDTO,
    add_months,
    certificate_valid,
)
from app.errors import ValidationError
from app.services.figures import FiguresService
from app.services.volunteers import VolunteerService

#: Each test runs on a SQLite file and on an office (PostgreSQL) database.
BOTH_ENGINES = True

D = dt.date
T = dt.time
YEAR = (D(2026, 1, 1), D(2026, 12, 31))


def _build(db: Database) -> dict[str, str]:
    """Two programmes; a volunteers' group in VOL; an activity of VOL coproduced with CON."""
    with db.begin() as s:
        vol = Programme(code="VOL", name="Voluntariat", category="associationism")
        con = Programme(code="CON", name="Convivència", category="community_animation")
        s.add_all([vol, con])
        s.flush()
        group = Activity(programme_id=vol.id, name="Grup de voluntariat")
        shared = Activity(programme_id=vol.id, name="Trobada intergeneracional")
        own = Activity(programme_id=con.id, name="Cuina")
        s.add_all([group, shared, own])
        people = {
            n: Participant(given_name=n, gender="woman", birth_year=1970)
            for n in ("Vera", "Vicenç", "Gina", "Pere", "Marta")
        }
        s.add_all(people.values())
        s.flush()
        s.execute(insert(activity_programme), [{"activity_id": shared.id, "programme_id": con.id}])
        sessions = {
            "group": Session(
                activity_id=group.id,
                date=D(2026, 3, 4),
                start_time=T(11),
                end_time=T(12),
                status="held",
            ),
            "shared": Session(
                activity_id=shared.id,
                date=D(2026, 3, 5),
                start_time=T(17),
                end_time=T(19),
                status="held",
            ),
            "own": Session(
                activity_id=own.id,
                date=D(2026, 3, 6),
                start_time=T(10),
                end_time=T(12),
                status="held",
            ),
        }
        s.add_all(sessions.values())
        s.flush()
        # Vera and Vicenç volunteer in VOL; Vera also cooks in CON as a participant.
        vera = Volunteer(participant_id=people["Vera"].id, start=D(2025, 9, 1), programmes=[vol])
        vicenc = Volunteer(
            participant_id=people["Vicenç"].id,
            start=D(2026, 1, 1),
            end=D(2026, 3, 4),
            activities=[group],
        )
        s.add_all([vera, vicenc])
        s.flush()
        marks = [
            ("group", "Vera"),
            ("group", "Vicenç"),
            ("group", "Gina"),
            ("shared", "Vera"),
            ("shared", "Vicenç"),  # his volunteering ended the day before: a participant
            ("shared", "Pere"),
            ("own", "Vera"),
            ("own", "Marta"),
        ]
        for key, name in marks:
            s.add(
                Attendance(
                    session_id=sessions[key].id, participant_id=people[name].id, status="present"
                )
            )
        s.add(
            VolunteerHours(
                volunteer_id=vera.id, date=D(2026, 3, 5), session_id=sessions["shared"].id, hours=2
            )
        )
        s.add(
            VolunteerHours(volunteer_id=vera.id, date=D(2026, 4, 1), programme_id=vol.id, hours=6.5)
        )
        s.add(
            VolunteerHours(
                volunteer_id=vicenc.id, date=D(2026, 3, 4), session_id=sessions["group"].id, hours=1
            )
        )
        s.flush()
        return {
            "vol": vol.id,
            "con": con.id,
            "group": group.id,
            "shared": shared.id,
            "vera": vera.id,
            "vicenc": vicenc.id,
            "gina": people["Gina"].id,
            **{f"s_{k}": v.id for k, v in sessions.items()},
        }


def test_volunteers_are_not_participants_and_coproduction_counts_once_in_each(
    db: Database,
) -> None:
    ids = _build(db)
    figures = FiguresService(db)
    each = figures.compute_each([ids["vol"], ids["con"]], *YEAR)
    vol, con = each[ids["vol"]], each[ids["con"]]
    # VOL: group (Gina; Vera and Vicenç volunteer) + shared (Vicenç, Pere; Vera volunteers).
    assert vol.sessions == 2 and vol.hours == 3
    assert vol.participants == 3 and vol.attendances == 3
    # CON: its own activity (Vera as a participant, Marta) + the shared one (Vicenç, Pere).
    assert con.sessions == 2 and con.hours == 4
    assert con.participants == 4 and con.attendances == 4
    whole = figures.compute(None, *YEAR)
    # The shared session counts once in the whole: 3 sessions, not 4.
    assert whole.sessions == 3 and whole.hours == 5
    assert whole.participants == 5  # Gina, Vicenç, Pere, Vera (in CON), Marta
    assert whole.attendances == 5
    # Volunteers apart: Vera and Vicenç; hours by month and programme.
    assert whole.volunteers == 2 and whole.volunteer_hours == 9.5
    assert whole.volunteer_hours_by_month == {"2026-03": 3.0, "2026-04": 6.5}
    # The shared session's 2 hours count in VOL and in CON, once in the whole.
    assert whole.volunteer_hours_by_programme == {"CON": 2.0, "VOL": 9.5}
    assert vol.volunteers == 2 and vol.volunteer_hours == 9.5
    assert con.volunteers == 1 and con.volunteer_hours == 2
    data = whole.as_dict()
    assert data["volunteers"] == 2 and data["volunteer_hours"] == 9.5
    assert data["volunteer_hours_by_programme"] == {"CON": 2.0, "VOL": 9.5}
    # A programme asked alone sees its coproduced activity.
    only_con = figures.compute([ids["con"]], *YEAR)
    assert only_con.sessions == 2 and only_con.participants == 4


def test_a_volunteer_who_left_counts_again_as_a_participant(db: Database) -> None:
    ids = _build(db)
    service = VolunteerService(db)
    vera = service.get(ids["vera"])
    service.save(VolunteerDTO(**{**vera.__dict__, "end": D(2026, 3, 1)}))
    vol = FiguresService(db).compute([ids["vol"]], *YEAR)
    assert vol.participants == 4  # Vera now counts in the shared session


def test_volunteer_form_rules_and_hours(db: Database) -> None:
    ids = _build(db)
    service = VolunteerService(db)
    with pytest.raises(ValidationError) as err:
        service.save(
            VolunteerDTO(participant_id=ids["gina"], start=D(2026, 5, 1), end=D(2026, 4, 1))
        )
    assert "end" in err.value.errors
    saved, _changes = service.save(
        VolunteerDTO(participant_id=ids["gina"], start=D(2026, 5, 1), activity_ids=(ids["group"],))
    )
    with pytest.raises(ValidationError):
        service.save(VolunteerDTO(participant_id=ids["gina"], start=D(2026, 5, 1)))
    assert saved.activity_names == ("Grup de voluntariat",)
    with pytest.raises(ValidationError):
        service.save_hours(
            VolunteerHoursDTO(volunteer_id=saved.id or "", date=D(2026, 5, 1), hours=2)
        )
    month, _c = service.save_hours(
        VolunteerHoursDTO(
            volunteer_id=saved.id or "", date=D(2026, 5, 17), hours=4, programme_id=ids["vol"]
        )
    )
    assert month.date == D(2026, 5, 1)  # monthly hours are dated on the month's first day
    assert [h.programme_codes for h in service.hours(saved.id or "")] == [("VOL",)]
    shared = service.hours(ids["vera"])
    assert {h.programme_codes for h in shared} == {("VOL", "CON"), ("VOL",)}
    assert [v.name for v in service.all(D(2026, 3, 1))][:2] == ["Vera", "Vicenç"]


def test_certificates_expire_after_the_renewal_period(db: Database) -> None:
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert certificate_valid(D(2025, 6, 1), "negative", D(2026, 5, 31), 12)
    assert not certificate_valid(D(2025, 6, 1), "negative", D(2026, 6, 1), 12)
    assert not certificate_valid(D(2026, 1, 1), "not_negative", D(2026, 2, 1), 12)
    service = VolunteerService(db)
    assert service.renewal_months() == 12
    service.set_renewal_months(6)
    assert service.renewal_months() == 6
    with pytest.raises(ValidationError):
        service.set_renewal_months(0)


def test_people_working_with_minors_without_a_valid_certificate(db: Database) -> None:
    ids = _build(db)
    today = D(2026, 3, 10)
    with db.begin() as s:
        nen = Participant(given_name="Nen", birth_date=D(2016, 1, 1))
        laia = Staff(name="Laia")
        pau = Staff(name="Pau")
        away = Staff(name="Lluny")
        s.add_all([nen, laia, pau, away])
        s.flush()
        s.add(Enrolment(participant_id=nen.id, activity_id=ids["group"], start=D(2026, 1, 1)))
        s.execute(
            insert(activity_facilitator),
            [
                {"activity_id": ids["group"], "staff_id": laia.id},
                {"activity_id": ids["group"], "staff_id": pau.id},
            ],
        )
        s.add(Organisation(name="Casal"))
        staff = {"laia": laia.id, "pau": pau.id, "away": away.id}
    service = VolunteerService(db)
    service.save_certificate(CertificateDTO(issue_date=D(2025, 12, 1), staff_id=staff["laia"]))
    service.save_certificate(CertificateDTO(issue_date=D(2024, 12, 1), staff_id=staff["pau"]))
    missing = service.missing_certificates(today)
    # Pau's is too old; Vera (VOL) has none; Vicenç's volunteering ended; Laia is valid.
    assert [(h.name, h.kind) for h in missing] == [("Pau", "staff"), ("Vera", "volunteer")]
    assert missing[0].issue_date == D(2024, 12, 1)
    with pytest.raises(ValidationError):
        service.save_certificate(CertificateDTO(issue_date=D(2026, 1, 1)))
    vera_person = service.get(ids["vera"]).participant_id
    service.save_certificate(CertificateDTO(issue_date=D(2026, 2, 1), participant_id=vera_person))
    assert [h.name for h in service.missing_certificates(today)] == ["Pau"]
    # Before scheduling: only in a session with minors.
    assert service.uncertified_in_session(
        None, ids["group"], today, [staff["pau"], staff["laia"], staff["away"]]
    ) == ["Lluny", "Pau"]
    assert service.uncertified_in_session(None, ids["shared"], today, [staff["pau"]]) == []
    assert service.session_has_minors(ids["s_group"])
    assert not service.session_has_minors(ids["s_own"])


def test_coproduction_is_saved_and_read(db: Database) -> None:
    ids = _build(db)
    with db.begin() as s:
        casal = Organisation(name="Casal de Gent Gran")
        s.add(casal)
        s.flush()
        casal_id = casal.id
    service = VolunteerService(db)
    service.save_coproduction(ids["group"], [ids["con"], ids["vol"]], [casal_id])
    # Its own programme is never one of the "others".
    assert service.coproduction(ids["group"]) == ((ids["con"],), (casal_id,))
    assert service.partner_names(ids["group"]) == ["Casal de Gent Gran"]
    con = FiguresService(db).compute([ids["con"]], *YEAR)
    assert con.sessions == 3
    service.save_coproduction(ids["group"], [], [])
    assert service.coproduction(ids["group"]) == ((), ())


def test_a_file_without_the_new_fields_imports_and_keeps_the_links(db: Database) -> None:
    """Files written before volunteers and coproduction: no arrays, no activity link fields."""
    from app.services.exchange import ExchangeService

    ids = _build(db)
    exchange = ExchangeService(db)
    data = exchange.export_data()
    assert len(data["volunteers"]) == 2 and len(data["volunteer_hours"]) == 3
    shared = next(a for a in data["activities"] if a["id"] == ids["shared"])
    assert shared["other_programme_ids"] == [ids["con"]]
    old = {
        k: v
        for k, v in data.items()
        if k not in ("volunteers", "volunteer_hours", "safeguarding_certificates")
    }
    for activity in old["activities"]:
        activity.pop("other_programme_ids")
        activity.pop("partner_organisation_ids")
    import json
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "old.json"
        path.write_text(json.dumps(old), encoding="utf-8")
        exchange.import_file(path)
    assert VolunteerService(db).coproduction(ids["shared"]) == ((ids["con"],), ())
    assert FiguresService(db).compute(None, *YEAR).volunteers == 2
