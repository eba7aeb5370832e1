"""Data for the interchange tests: the design's example and a database with every table filled."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.db.base import natural_id
from app.db.engine import Database, open_database
from app.db.models import (
    Activity,
    AgeBandSet,
    Agreement,
    Attendance,
    AuditEvent,
    Budget,
    BudgetLine,
    Consent,
    Enrolment,
    EntityProfile,
    Evidence,
    Expense,
    ExpenseShare,
    Funder,
    HeadCount,
    Indicator,
    LocalDay,
    MeetingAttendee,
    NetworkMeeting,
    NetworkSpace,
    Organisation,
    Participant,
    Place,
    Programme,
    ProgrammeCategory,
    Referral,
    ReportNarrative,
    SafeguardingCertificate,
    Session,
    Staff,
    TextVariant,
    Volunteer,
    VolunteerHours,
    activity_partner,
    activity_programme,
    meeting_programme,
)
from app.services.exchange import ExchangeService
from tests.unit.community_samples import add_community

HERE = Path(__file__).resolve().parent
# A copy of the normative example that sits beside the design document (its key names, field
# names and codes are the contract); the original is also tested when it is reachable.
EXAMPLE = HERE.parent / "data" / "interchange-example.json"
SHARED_EXAMPLE = HERE.parents[1].parent / "shared" / "interchange-example.json"

#: A real 2x2 PNG: an imported logo must decode whole.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x02\x08\x02\x00\x00"
    b"\x00\xfd\xd4\x9as\x00\x00\x00\x16IDATx\x9cc<\xa1\xa1\xc1\xc0\xc0\xc0\xc4\xc0\xc0\xc0\xc0"
    b"\xc0\x00\x00\r\xea\x01\x1c$\x95\x104\x00\x00\x00\x00IEND\xaeB`\x82"
)
#: The start of a JPEG (a kept page of a signed sheet travels as base64).
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(60))
T0 = dt.datetime(2026, 3, 2, 9, 30, 15, 123456)


def load_example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def fresh_db(tmp_path: Path, name: str) -> Database:
    return open_database(tmp_path / name / "teixit.db")


def fill_rich(db: Database) -> dict[str, str]:
    """Every table filled, with link tables, logos, soft-deleted rows and a blocked person."""
    ids: dict[str, str] = {}
    with db.begin() as s:
        s.add(EntityProfile(name="Entitat Ràpida", tax_id="G12345678", logo=PNG, region="VC"))
        s.add(ProgrammeCategory(code="youth", name_ca="Joventut", name_es="Juventud", position=9))
        laia = Staff(name="Laia Puig", role="Educadora", email="laia@x.org")
        omar = Staff(name="Omar El Idrissi", active=False)
        gone = Staff(name="Antiga", deleted_at=T0)
        place = Place(name="Casal de Barri", address="Olzinelles 30")
        old_place = Place(name="Local tancat", deleted_at=T0)
        funder = Funder(name="Ajuntament", support_text="Amb el suport de", logo=PNG)
        funder2 = Funder(name="Diputació")
        org = Organisation(name="Serveis Socials", kind="public_service", contact="ss@x.org")
        s.add_all([laia, omar, gone, place, old_place, funder, funder2, org])
        s.add_all(
            [
                LocalDay(
                    name="Sant Vicent Ferrer",
                    date_from=dt.date(2026, 4, 13),
                    date_to=dt.date(2026, 4, 13),
                ),
                LocalDay(
                    name="Vacances de Pasqua",
                    date_from=dt.date(2026, 4, 2),
                    date_to=dt.date(2026, 4, 12),
                    kind="school_break",
                ),
            ]
        )
        s.flush()
        prog = Programme(
            code="JOV",
            name="Participació",
            category="youth",
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 12, 31),
            responsible_staff_id=laia.id,
            objectives=["Un", "Dos · ünicode 漢字"],
            funders=[funder, funder2],
        )
        prog_deleted = Programme(code="OLD", name="Antic", category="prevention", deleted_at=T0)
        prog.indirect_beneficiaries = 120
        s.add_all([prog, prog_deleted])
        s.flush()
        s.add_all(
            [
                TextVariant(
                    id=natural_id("text_variant", "programme", prog.id, "name", "es"),
                    table_name="programme",
                    row_id=prog.id,
                    field="name",
                    lang="es",
                    text="Participación",
                ),
                TextVariant(
                    id=natural_id("text_variant", "entity_profile", "", "name", "es"),
                    table_name="entity_profile",
                    row_id="",
                    field="name",
                    lang="es",
                    text="Entidad Rápida",
                ),
                AgeBandSet(name="Llei de joventut", bands=["12-18", "19-24", "25-30"]),
                AgeBandSet(name="Infància", bands=["0-3", "4-11", "12-17"], funder_id=funder.id),
            ]
        )
        s.add(Indicator(programme_id=prog.id, name="Persones", kind="participants", target=40))
        s.add(Indicator(programme_id=prog.id, name="Manual", target=2.5, manual_value=3))
        act = Activity(
            programme_id=prog.id,
            name="Taller",
            kind="event",
            place_id=place.id,
            start_time=dt.time(17, 0),
            end_time=dt.time(19, 30),
            facilitators=[laia, omar],
        )
        s.add(act)
        nuria = Participant(
            given_name="Núria",
            family_names="Gel·labert",
            gender="woman",
            birth_date=dt.date(1988, 3, 14),
            id_document_type="dni",
            id_document_number="12345678Z",
            nationality="ES",
        )
        fatima = Participant(given_name="Fatima", gender=None, birth_year=2011, guardian_name="A")
        blocked = Participant(given_name="Bloquejada", blocked_at=T0)
        removed = Participant(given_name="Esborrada", deleted_at=T0)
        s.add_all([nuria, fatima, blocked, removed])
        s.flush()
        s.add(Consent(participant_id=nuria.id, kind="data_processing", date=dt.date(2026, 1, 2)))
        s.add(
            Consent(
                participant_id=fatima.id,
                kind="image_web",
                granted=False,
                signed_by="guardian",
                revoked_at=dt.date(2026, 2, 1),
            )
        )
        s.add(Enrolment(participant_id=nuria.id, activity_id=act.id, start=dt.date(2026, 1, 5)))
        held = Session(
            activity_id=act.id,
            date=dt.date(2026, 1, 13),
            start_time=dt.time(17, 0),
            end_time=dt.time(19, 0),
            place_id=place.id,
            status="held",
            notes="Bé",
            facilitators=[omar],
        )
        cancelled = Session(
            activity_id=act.id, date=dt.date(2026, 1, 20), status="cancelled", deleted_at=T0
        )
        s.add_all([held, cancelled])
        s.flush()
        s.add(Attendance(session_id=held.id, participant_id=nuria.id, status="present"))
        s.add(Attendance(session_id=held.id, participant_id=blocked.id, status="late"))
        s.add(HeadCount(session_id=held.id, gender="man", age_band="30-64", count=3))
        # A page of its signed sheet, scanned and kept with the session.
        s.add(
            Evidence(
                session_id=held.id,
                kind="signed_sheet",
                page=1,
                source="escaneig.pdf (1)",
                media_type="image/jpeg",
                content=JPEG,
                sha256=hashlib.sha256(JPEG).hexdigest(),
            )
        )
        net = NetworkSpace(name="Xarxa", territory="Sants", role="driving_group")
        s.add(net)
        s.flush()
        com = NetworkSpace(name="Comissió", parent_id=net.id, representative_staff_id=laia.id)
        s.add(com)
        s.flush()
        meeting = NetworkMeeting(
            space_id=net.id,
            date=dt.date(2026, 2, 5),
            start_time=dt.time(10, 0),
            online=True,
            agenda=["Punt 1", "Punt 2"],
            minutes="Acta",
            status="held",
        )
        later = NetworkMeeting(
            space_id=com.id,
            date=dt.date(2026, 3, 5),
            status="cancelled",
            cancellation_reason="Vaga de transports",
        )
        s.add_all([meeting, later])
        s.flush()
        s.execute(meeting_programme.insert(), [{"meeting_id": meeting.id, "programme_id": prog.id}])
        s.add(MeetingAttendee(meeting_id=meeting.id, staff_id=laia.id))
        s.add(
            MeetingAttendee(
                meeting_id=meeting.id,
                person_name="Jordi",
                organisation_id=org.id,
                status="apologised",
            )
        )
        s.add(
            Agreement(
                meeting_id=meeting.id,
                number=1,
                text="Fer la festa",
                owner_organisation_id=org.id,
                due_date=dt.date(2026, 5, 16),
                status="done",
                closed_in_meeting_id=later.id,
            )
        )
        s.add(
            Referral(participant_id=fatima.id, to_organisation_id=org.id, date=dt.date(2026, 2, 10))
        )
        s.add(
            ReportNarrative(
                programme_id=prog.id,
                period_from=dt.date(2026, 1, 1),
                period_to=dt.date(2026, 6, 30),
                kind="assessment",
                text="Bon semestre",
            )
        )
        _add_economics(s, prog.id, funder.id, laia.id)
        _add_volunteers(s, prog, act, nuria, held, laia, org, prog_deleted)
        add_community(s, laia.id, org.id, nuria.id, act.id, held.id, meeting.id, prog.id)
        ids.update(
            prog=prog.id,
            nuria=nuria.id,
            fatima=fatima.id,
            blocked=blocked.id,
            held=held.id,
            laia=laia.id,
            omar=omar.id,
            net=net.id,
            com=com.id,
            place=place.id,
        )
    return ids


def _add_volunteers(
    s: Any,
    prog: Programme,
    act: Activity,
    nuria: Participant,
    held: Session,
    laia: Staff,
    org: Organisation,
    other: Programme,
) -> None:
    """A volunteer with an agreement, hours by session and by month, certificates, and the
    activity coproduced with another programme and a partner organisation."""
    volunteer = Volunteer(
        participant_id=nuria.id,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        programmes=[prog],
        activities=[act],
        tasks="Acompanyar el grup",
        schedule="Dimarts de 17 a 19 h",
        training="Escolta activa",
        training_hours=6.5,
        agreement_signed_on=dt.date(2026, 1, 2),
        insurer="Mútua",
        policy_number="P-123",
        insurance_from=dt.date(2026, 1, 1),
        insurance_to=dt.date(2026, 12, 31),
    )
    s.add(volunteer)
    s.flush()
    s.add(VolunteerHours(volunteer_id=volunteer.id, date=held.date, session_id=held.id, hours=2))
    s.add(
        VolunteerHours(
            volunteer_id=volunteer.id, date=dt.date(2026, 2, 1), programme_id=prog.id, hours=7.5
        )
    )
    s.add(SafeguardingCertificate(staff_id=laia.id, issue_date=dt.date(2025, 11, 3)))
    s.add(
        SafeguardingCertificate(
            participant_id=nuria.id, issue_date=dt.date(2026, 1, 2), result="negative"
        )
    )
    s.execute(activity_programme.insert(), [{"activity_id": act.id, "programme_id": other.id}])
    s.execute(activity_partner.insert(), [{"activity_id": act.id, "organisation_id": org.id}])


def _add_economics(s: Any, programme_id: str, funder_id: str, staff_id: str) -> None:
    """A budget with a line of its own, an invoice split at 60 % and a deleted payroll."""
    budget = Budget(
        programme_id=programme_id,
        funder_id=funder_id,
        granted=1_000_000,
        own_funds=5_000,
        other_grants=0,
        fees=1_250,
        allowed_deviation=15,
        period_from=dt.date(2026, 1, 1),
        period_to=None,
        notes="Conveni 2026",
    )
    s.add(budget)
    s.flush()
    s.add(BudgetLine(budget_id=budget.id, code="staff", amount=700_000, position=0))
    s.add(
        BudgetLine(
            budget_id=budget.id,
            code="lloguer",
            label="Lloguer de sala",
            amount=300_000,
            position=1,
            allowed_deviation=5,
        )
    )
    invoice = Expense(
        programme_id=programme_id,
        creditor="Llibreria Ràpida",
        creditor_tax_id="B65410011",
        document_number="F/2026-01",
        issue_date=dt.date(2026, 2, 3),
        payment_date=dt.date(2026, 2, 28),
        amount=10_000,
        vat=2_100,
        line="lloguer",
        outside_reason="",
    )
    payroll = Expense(
        programme_id=programme_id,
        kind="payroll",
        creditor="Laia Puig",
        issue_date=dt.date(2026, 1, 31),
        amount=250_000,
        line="staff",
        staff_id=staff_id,
        deleted_at=T0,
    )
    s.add_all([invoice, payroll])
    s.flush()
    s.add(ExpenseShare(expense_id=invoice.id, funder_id=funder_id, share=6_000))


def audit_count(db: Database, action: str) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).where(AuditEvent.action == action)) or 0


def assert_holds_example(db: Database, example: dict[str, Any]) -> None:
    """Every record and field of the example comes back unchanged in an export."""
    exported = ExchangeService(db).export_data()
    for key, value in example.items():
        if key == "entity_profile":
            assert {k: exported[key][k] for k in value} == value
        elif isinstance(value, list):
            by_id = {r["id"]: r for r in exported[key]}
            for record in value:
                assert {k: by_id[record["id"]][k] for k in record} == record, key
        else:
            assert exported[key] == value
