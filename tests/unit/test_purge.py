"""Purging erased people: personal data gone for good, figures already reported unchanged."""

import datetime as dt
import random
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db.engine import Database
from app.db.models import (
    Activity,
    Attendance,
    AuditEvent,
    Consent,
    Enrolment,
    Participant,
    Programme,
    Referral,
    Session,
)
from app.domain.data_protection import PURGED_NAME, coarse_birth_date
from app.domain.figures import AGE_BAND_PRESETS, age_on
from app.domain.report import ReportRequest
from app.services.exchange import ExchangeService
from app.services.figures import FiguresService
from app.services.people import PeopleService
from app.services.purge import PurgeService
from app.services.report_tables import session_tables

D = dt.date


def _build(db: Database, people: int = 40) -> list[str]:
    """People with exact birth dates around their birthdays, attending sessions all year."""
    rng = random.Random(7)
    with db.begin() as s:
        prog = Programme(code="P", name="Prog", category="prevention")
        s.add(prog)
        s.flush()
        act = Activity(programme_id=prog.id, name="Taller")
        s.add(act)
        s.flush()
        sessions = []
        for day in range(0, 730, 9):
            date = D(2025, 1, 1) + dt.timedelta(days=day)
            sess = Session(
                activity_id=act.id,
                date=date,
                start_time=dt.time(17),
                end_time=dt.time(19),
                status="held",
            )
            s.add(sess)
            sessions.append(sess)
        s.flush()
        ids = []
        for i in range(people):
            born = D(rng.choice([2008, 2012, 1997, 1960]), 1, 1) + dt.timedelta(
                days=rng.randrange(365)
            )
            p = Participant(
                given_name=f"Nom{i}",
                family_names=f"Cognom{i}",
                gender=rng.choice(["woman", "man", None, "nonbinary"]),
                birth_date=born,
                birth_year=born.year,
                id_document_type="dni",
                id_document_number="12345678Z",
                nationality=rng.choice(["ES", "MA", "PK"]),
                neighbourhood=rng.choice(["Sants", "Hostafrancs"]),
                phone="600111222",
                email=f"p{i}@example.org",
                guardian_name="Tutor" if born.year > 2010 else "",
                guardian_phone="600333444",
                notes="Nota privada",
            )
            s.add(p)
            s.flush()
            ids.append(p.id)
            s.add(Enrolment(participant_id=p.id, activity_id=act.id))
            s.add(Consent(participant_id=p.id, kind="data_processing", date=D(2025, 1, 1)))
            s.add(Referral(participant_id=p.id, date=D(2025, 5, 5), reason="Serveis socials"))
            for sess in rng.sample(sessions, 12):
                s.add(Attendance(session_id=sess.id, participant_id=p.id, status="present"))
    return ids


def _all_figures(db: Database) -> list[object]:
    figures = FiguresService(db)
    out: list[object] = []
    periods = [(D(2025, 1, 1), D(2026, 12, 31)), (D(2025, 3, 1), D(2025, 8, 31))]
    periods.append((D(2026, 2, 10), D(2026, 2, 20)))
    for start, end in periods:
        for preset in AGE_BAND_PRESETS.values():
            out.append(figures.compute(None, start, end, preset).as_dict())
        with db.read() as s:
            out.append(session_tables(s, ReportRequest(None, start, end)))
    return out


def test_purge_keeps_every_figure_and_removes_personal_data(db: Database) -> None:
    ids = _build(db)
    people = PeopleService(db)
    for pid in ids[:25]:
        people.erase(pid)
    before = _all_figures(db)

    service = PurgeService(db)
    assert {c.id for c in service.candidates()} == set(ids[:25])
    summary, changes = service.purge(ids)  # the 15 not erased are left alone
    assert summary.people == 25
    assert (summary.consents, summary.referrals, summary.enrolments) == (25, 25, 25)
    assert changes.areas

    assert _all_figures(db) == before
    with db.read() as s:
        for pid in ids[:25]:
            p = s.get(Participant, pid)
            assert p is not None and p.blocked_at is not None and p.deleted_at is None
            assert (p.given_name, p.family_names) == (PURGED_NAME, "")
            assert p.id_document_number == p.phone == p.email == p.notes == ""
            assert p.guardian_name == p.guardian_phone == "" and p.id_document_type is None
            assert p.gender in ("woman", "man", None, "nonbinary") and p.birth_year
        untouched = s.get(Participant, ids[30])
        assert untouched is not None and untouched.given_name == "Nom30"
        for model in (Consent, Referral, Enrolment):
            n = s.scalar(
                select(func.count()).select_from(model).where(model.participant_id.in_(ids[:25]))
            )
            assert n == 0
        assert s.scalar(select(func.count()).select_from(Attendance)) == 40 * 12
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "purge")))
    assert len(events) == 1
    assert "Nom" not in (events[0].subject or "") + (events[0].details or "")
    assert "25 people" in (events[0].details or "")
    assert service.candidates() == []
    # A second purge finds nothing to do and writes nothing.
    assert service.purge(ids)[0].people == 0


def test_candidates_older_than(db: Database) -> None:
    ids = _build(db, people=3)
    people = PeopleService(db)
    for pid in ids:
        people.erase(pid)
    with db.begin() as s:
        p = s.get(Participant, ids[0])
        assert p is not None and p.blocked_at is not None
        p.blocked_at = p.blocked_at - dt.timedelta(days=100)
    service = PurgeService(db)
    assert [c.id for c in service.candidates(older_than_days=30)] == [ids[0]]
    assert len(service.candidates(older_than_days=0)) == 3
    assert service.candidates()[0].id == ids[0]  # the longest erased first
    assert service.candidates()[0].attendances == 12


@pytest.mark.parametrize(
    "birth",
    [D(2001, 1, 1), D(2001, 2, 20), D(2000, 2, 29), D(2001, 7, 14), D(2001, 12, 31)],
)
def test_coarse_birth_date_keeps_every_age(birth: dt.date) -> None:
    days = [D(2024, 2, 29), D(2025, 2, 28), D(2025, 3, 1), D(2025, 7, 14), D(2025, 12, 31)]
    days += [D(2026, 1, 1), D(2023, 7, 13), D(2023, 7, 15), D(2020, 2, 21)]
    coarse = coarse_birth_date(birth, days)
    assert coarse.year == birth.year
    assert coarse >= birth or (birth.month, birth.day) == (2, 29)
    for day in days:
        assert age_on(day, coarse, None) == age_on(day, birth, None), day


def test_coarse_birth_date_without_sessions_is_the_end_of_the_year() -> None:
    assert coarse_birth_date(D(1990, 5, 5), []) == D(1990, 12, 31)


def test_importing_an_older_export_does_not_bring_purged_data_back(
    db: Database, tmp_path: Path
) -> None:
    ids = _build(db, people=2)
    PeopleService(db).erase(ids[0])
    # A copy taken while the person was only blocked.
    ExchangeService(db).export_file(tmp_path / "before.json")
    PurgeService(db).purge([ids[0]])
    ExchangeService(db).import_file(tmp_path / "before.json")
    with db.read() as s:
        p = s.get(Participant, ids[0])
        assert p is not None and p.given_name == PURGED_NAME and p.email == ""
        assert s.scalar(select(func.count()).select_from(Consent).where(
            Consent.participant_id == ids[0])) == 0  # fmt: skip
