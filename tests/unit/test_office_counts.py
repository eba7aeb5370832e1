"""Figures without names for viewers: the office database's counting functions (migration
0012_office_counts) give the same figures as the rows, and a viewer may call them but still may
not read a person."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.exc import ProgrammingError

from app import cli
from app.db.engine import Database, make_office_engine, open_url
from app.db.models import (
    Activity,
    Attendance,
    MediationCase,
    MediationSession,
    Organisation,
    Participant,
    Programme,
    Referral,
    Session,
    Volunteer,
    VolunteerHours,
    activity_programme,
    volunteer_activity,
    volunteer_programme,
)
from app.db.office import create_roles, grant_privileges
from app.demo import load_demo
from app.domain.report import SECTIONS, ReportRequest
from app.errors import UserError
from app.i18n import _
from app.services.community_figures import community_figures
from app.services.figures import FiguresService
from app.services.report_output import ReportFiles
from app.services.report_tables import session_tables
from app.services.report_volunteers import volunteer_tables
from app.services.reports import ReportService
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.office

TODAY = dt.date(2026, 11, 26)
YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture
def demo_office(postgres: PostgresServer, office_address: str) -> Iterator[str]:
    """The small demo in an office database with Teixit's roles and their rights."""
    engine = make_office_engine(make_url(office_address))
    try:
        with engine.begin() as connection:
            create_roles(connection)
            grant_privileges(connection)
    finally:
        engine.dispose()
    db = open_url(office_address)
    try:
        load_demo(db, "small", today=TODAY)
    finally:
        db.close()
    yield office_address


def _programmes(db: Database) -> dict[str, str]:
    with db.read() as s:
        return {pid: category for pid, category in s.execute(
            select(Programme.id, Programme.category).where(Programme.deleted_at.is_(None))
        )}  # fmt: skip


def test_the_counted_figures_are_the_figures_of_the_rows(demo_office: str) -> None:
    db = open_url(demo_office)
    try:
        rows, counts = FiguresService(db, counts_only=False), FiguresService(db, counts_only=True)
        whole = rows.compute(None, *YEAR)
        assert whole.participants > 0 and whole.referrals > 0 and whole.referral_rows
        assert counts.compute(None, *YEAR) == whole
        programmes = _programmes(db)
        first = sorted(programmes)[:2]
        assert counts.compute(first, *YEAR) == rows.compute(first, *YEAR)
        assert counts.compute_each(list(programmes), *YEAR) == rows.compute_each(
            list(programmes), *YEAR
        )
        # Grouped by category (a person in two programmes of a group counts once in it).
        with db.read() as s:
            by_rows = rows.compute_grouped_in(
                s, list(programmes), *YEAR, ("0-17", "18-64", "65+"), programmes
            )
            by_counts = counts.compute_grouped_in(
                s, list(programmes), *YEAR, ("0-17", "18-64", "65+"), programmes
            )
            assert by_counts == by_rows
            assert counts.band_coverage_in(
                s, None, *YEAR, ("0-17", "18-64", "65+")
            ) == rows.band_coverage_in(s, None, *YEAR, ("0-17", "18-64", "65+"))
    finally:
        db.close()


def test_a_viewer_gets_the_counts_but_cannot_read_people(
    postgres: PostgresServer, demo_office: str
) -> None:
    viewer = f"viewer_{uuid.uuid4().hex[:8]}"
    stranger = f"stranger_{uuid.uuid4().hex[:8]}"
    postgres.execute(
        f"CREATE ROLE {viewer} LOGIN IN ROLE teixit_viewer",
        f"CREATE ROLE {stranger} LOGIN",
        f'GRANT CONNECT ON DATABASE "{make_url(demo_office).database}" TO {stranger}',
    )
    own = open_url(demo_office)
    seen = open_url(make_url(demo_office).set(username=viewer))
    try:
        expected = FiguresService(own, counts_only=True).compute(None, *YEAR)
        figures = FiguresService(seen)
        assert figures.counts_only
        # The viewer's login computes them (nothing it may not read is read).
        assert figures.compute(None, *YEAR) == expected
        assert expected.participants > 0
    finally:
        seen.close()
        own.close()
    call = (
        "SELECT sum(people) FROM teixit_people_counts('2026-01-01', '2026-12-31', NULL)"
    )
    engine = create_engine(make_url(demo_office).set(username=viewer))
    try:
        with engine.connect() as connection:
            assert connection.execute(text(call)).scalar() == expected.participants
            columns = connection.execute(
                text("SELECT * FROM teixit_attendance_counts('2026-01-01', '2026-12-31', NULL)")
            ).keys()
            assert list(columns) == [
                "programme_id", "activity_id", "month", "gender", "age", "attendances"
            ]  # fmt: skip
        for statement in (
            "SELECT count(*) FROM participant",
            "SELECT participant_id FROM attendance",
            "SELECT * FROM referral",
        ):
            with (
                pytest.raises(ProgrammingError, match="permission denied"),
                engine.connect() as connection,
            ):
                connection.execute(text(statement))
    finally:
        engine.dispose()
    # A login outside Teixit's roles may not call them.
    engine = create_engine(make_url(demo_office).set(username=stranger))
    try:
        with (
            pytest.raises(ProgrammingError, match="permission denied"),
            engine.connect() as connection,
        ):
            connection.execute(text(call))
    finally:
        engine.dispose()


def _report_request(sections: frozenset[str]) -> ReportRequest:
    return ReportRequest(
        programme_ids=None, date_from=YEAR[0], date_to=YEAR[1], lang="ca", sections=sections
    )


#: What a report holds beside its texts: the figures and every table.
_COMPARED = (
    "figures", "activities", "monthly", "annex", "by_neighbourhood", "by_nationality",
    "volunteers", "coproduced", "community", "needs", "by_category", "coverage", "network",
)  # fmt: skip


def test_a_viewer_writes_the_report_with_the_coordinators_figures(
    postgres: PostgresServer,
    demo_office: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    viewer = f"viewer_{uuid.uuid4().hex[:8]}"
    postgres.execute(f"CREATE ROLE {viewer} LOGIN IN ROLE teixit_viewer")
    address = make_url(demo_office).set(username=viewer)
    sections = frozenset(SECTIONS) - {"economic"}
    own = open_url(demo_office)
    seen = open_url(address)
    try:
        assert not FiguresService(own).counts_only and FiguresService(seen).counts_only
        programmes = sorted(_programmes(own))
        for ids in (None, tuple(programmes[:1]), tuple(programmes[1:3])):
            request = replace(_report_request(sections), programme_ids=ids)
            theirs = ReportService(own).load(request)
            mine = ReportService(seen).load(request)
            for name in _COMPARED:
                assert getattr(mine, name) == getattr(theirs, name), (ids, name)
        whole = ReportService(own).load(_report_request(sections))
        assert whole.by_nationality and whole.volunteers and whole.volunteers.volunteers
        assert whole.coproduced and whole.community.cases_opened
        # The files, written as a viewer; the economic part is not a viewer's.
        files = ReportFiles(
            pdf=tmp_path / "r.pdf", xlsx=tmp_path / "r.xlsx", json=tmp_path / "r.json"
        )
        data = ReportService(seen).export(_report_request(frozenset(SECTIONS)), files)
        assert "economic" not in data.request.sections
        assert all(p.stat().st_size > 0 for p in (files.pdf, files.xlsx, files.json))
        written = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
        assert written["participants"] == whole.figures.participants
        with pytest.raises(UserError) as refused:
            ReportService(seen).evidence_pack(_report_request(sections), tmp_path / "e.zip")
        assert refused.value.message == _(
            "The evidence pack holds the attendance sheets, which name people: it is made by an "
            "educator or a coordinator. A viewer may write the report alone."
        )
        assert not (tmp_path / "e.zip").exists()
    finally:
        seen.close()
        own.close()
    # The command line, as the viewer.
    monkeypatch.setenv("TEIXIT_DATA_DIR", str(tmp_path / "data"))
    target = tmp_path / "cli.json"
    url = address.render_as_string(hide_password=False)
    assert cli.main(["--database", url, "report", "--all", "--from", "2026-01-01",
                     "--to", "2026-12-31", "--json", str(target)]) == 0  # fmt: skip
    by_cli = json.loads(target.read_text(encoding="utf-8"))
    assert "economic" not in by_cli
    for key in ("participants", "attendances", "by_gender", "by_age_band", "referrals", "sessions"):
        assert by_cli[key] == written[key], key
    capsys.readouterr()
    # The report was logged; the viewer still reads no person, attendance, referral or case.
    engine = create_engine(make_url(demo_office))
    try:
        with engine.connect() as connection:
            logged = connection.execute(
                text("SELECT count(*) FROM audit_event WHERE details LIKE :p"),
                {"p": f"%{target}"},
            ).scalar()
        assert logged == 1
    finally:
        engine.dispose()
    engine = create_engine(address)
    try:
        for statement in (
            "SELECT count(*) FROM participant",
            "SELECT participant_id FROM attendance",
            "SELECT count(*) FROM referral",
            "SELECT count(*) FROM volunteer",
            "SELECT count(*) FROM volunteer_hours",
            "SELECT count(*) FROM mediation_case",
            "SELECT count(*) FROM mediation_party",
            "SELECT count(*) FROM change_log",
            "SELECT details FROM audit_event",
        ):
            with (
                pytest.raises(ProgrammingError, match="permission denied"),
                engine.connect() as connection,
            ):
                connection.execute(text(statement))
    finally:
        engine.dispose()


def _random_data(db: Database, seed: int) -> None:
    """A random entity meant to hit every counting rule: coproduced activities, a deleted
    programme and activity, sessions held or not and in or out of the period, people with and
    without gender, birth date or year, neighbourhoods with stray spaces, nationalities in lower
    case, volunteers of a programme or an activity for part of the year, their hours by session
    or month, referrals with and without the programme they came from, and mediation cases."""
    rng = random.Random(seed)

    def day() -> dt.date:
        return dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(-40, 400))

    def pick(rows: list[Any]) -> str | None:
        return rng.choice(rows).id if rng.random() < 0.7 else None

    with db.begin() as s:
        programmes = [
            Programme(code=f"R{seed}{i}", name=f"P{i}", category=rng.choice(["a", "b"]))
            for i in range(4)
        ]
        s.add_all(programmes)
        s.flush()
        programmes[3].deleted_at = dt.datetime(2026, 6, 1)
        activities = [
            Activity(programme_id=rng.choice(programmes).id, name=f"A{i}") for i in range(7)
        ]
        s.add_all(activities)
        s.flush()
        activities[6].deleted_at = dt.datetime(2026, 6, 1)
        for act in activities:
            for other in rng.sample(programmes, rng.randrange(0, 3)):
                if other.id != act.programme_id:
                    s.execute(
                        activity_programme.insert().values(
                            activity_id=act.id, programme_id=other.id
                        )
                    )
        sessions = [
            Session(
                activity_id=rng.choice(activities).id,
                date=day(),
                status=rng.choice(["held", "held", "held", "planned", "cancelled"]),
            )
            for _ in range(40)
        ]
        s.add_all(sessions)
        people = [
            Participant(
                given_name=f"N{i}",
                gender=rng.choice([None, "woman", "man", "nonbinary", "x"]),
                birth_date=rng.choice([None, dt.date(rng.randrange(1940, 2020), 2, 29 - 1)]),
                birth_year=rng.choice([None, rng.randrange(1940, 2020)]),
                neighbourhood=rng.choice(["", "Sants", " Sants ", "Gràcia", "  "]),
                nationality=rng.choice(["", "es", "ES", "ma", "UA"]),
            )
            for i in range(25)
        ]
        s.add_all(people)
        s.flush()
        people[0].deleted_at = dt.datetime(2026, 6, 1)
        for session in sessions:
            for person in rng.sample(people, rng.randrange(0, 12)):
                s.add(
                    Attendance(
                        session_id=session.id,
                        participant_id=person.id,
                        status=rng.choice(["present", "late", "absent", "excused"]),
                    )
                )
        orgs = [Organisation(name=f"O{i}") for i in range(3)]
        s.add_all(orgs)
        s.flush()
        for person in rng.sample(people, 10):
            volunteer = Volunteer(
                participant_id=person.id,
                start=day(),
                end=rng.choice([None, day()]),
                deleted_at=rng.choice([None, None, None, dt.datetime(2026, 6, 1)]),
            )
            s.add(volunteer)
            s.flush()
            for p in rng.sample(programmes, rng.randrange(0, 2)):
                s.execute(
                    volunteer_programme.insert().values(
                        volunteer_id=volunteer.id, programme_id=p.id
                    )
                )
            for a in rng.sample(activities, rng.randrange(0, 3)):
                s.execute(
                    volunteer_activity.insert().values(volunteer_id=volunteer.id, activity_id=a.id)
                )
            for _ in range(rng.randrange(0, 4)):
                session = rng.choice([None, *sessions])
                s.add(
                    VolunteerHours(
                        volunteer_id=volunteer.id,
                        date=session.date if session else day().replace(day=1),
                        session_id=session.id if session else None,
                        programme_id=None if session else pick(programmes),
                        hours=rng.choice([0.5, 1.0, 1.5, 2.0, 3.25]),
                    )
                )
        for _ in range(20):
            s.add(
                Referral(
                    participant_id=rng.choice(people).id,
                    to_organisation_id=pick(orgs),
                    date=day(),
                    status=rng.choice(["open", "accepted", "closed"]),
                    programme_id=pick(programmes[:3]),
                    reached=rng.choice([None, True, False]),
                )
            )
        for i in range(6):
            opened = day()
            closed = rng.choice([None, opened + dt.timedelta(days=rng.randrange(0, 200))])
            case = MediationCase(
                reference=f"M{seed}-{i}",
                opened_on=opened,
                closed_on=closed,
                outcome=rng.choice(["agreement", "no_agreement", None]) if closed else None,
            )
            s.add(case)
            s.flush()
            for session in rng.sample(sessions, rng.randrange(0, 3)):
                s.add(MediationSession(case_id=case.id, session_id=session.id))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_counting_functions_agree_with_the_figures_on_random_data(
    office_address: str, seed: int
) -> None:
    db = open_url(office_address)
    try:
        _random_data(db, seed)
        rows, counts = FiguresService(db, counts_only=False), FiguresService(db, counts_only=True)
        live = sorted(_programmes(db))
        assert len(live) == 3
        for period in (YEAR, (dt.date(2026, 3, 1), dt.date(2026, 8, 31))):
            for ids in (None, live[:1], live[1:], live):
                assert counts.compute(ids, *period) == rows.compute(ids, *period), (ids, period)
                request = ReportRequest(
                    programme_ids=None if ids is None else tuple(ids),
                    date_from=period[0],
                    date_to=period[1],
                    lang="ca",
                )
                with db.read() as s:
                    assert session_tables(s, request, None, True) == session_tables(s, request)
                    assert volunteer_tables(s, request, True) == volunteer_tables(s, request)
                    assert community_figures(s, ids, *period, True) == community_figures(
                        s, ids, *period
                    )
            with db.read() as s:
                assert counts.compute_grouped_in(
                    s, live, *period, ("0-17", "18-64", "65+"), {p: "g" for p in live}
                ) == rows.compute_grouped_in(
                    s, live, *period, ("0-17", "18-64", "65+"), {p: "g" for p in live}
                )
    finally:
        db.close()
