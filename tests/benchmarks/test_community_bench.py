"""Community figures over a busy year: 300 groups with five stage changes each, 150 mediation
cases with two sessions each, 600 needs; and what they add to the entity's figures (computed for
every report, Home and indicators)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.db.engine import Database
from app.db.models import (
    Activity,
    CommunityGroup,
    GroupStage,
    MediationCase,
    MediationSession,
    Need,
    Programme,
    Session,
)
from app.services.community_figures import community_figures

D = dt.date
YEAR = (D(2026, 1, 1), D(2026, 12, 31))
STAGES = ("first_contact", "forming", "meeting_regularly", "constituted", "autonomous")


@pytest.fixture
def busy(db: Database) -> tuple[Database, str]:
    with db.begin() as s:
        prog = Programme(code="ESPV", name="Espais", category="prevention")
        s.add(prog)
        s.flush()
        act = Activity(programme_id=prog.id, name="Mediació", kind="attention")
        s.add(act)
        s.flush()
        for g in range(300):
            group = CommunityGroup(name=f"Comunitat {g}", programme_id=prog.id if g % 2 else None)
            s.add(group)
            s.flush()
            for n, stage in enumerate(STAGES):
                s.add(
                    GroupStage(
                        group_id=group.id,
                        stage=stage,
                        date=D(2025, 6, 1) + dt.timedelta(days=70 * n + g),
                    )
                )
        for c in range(150):
            case = MediationCase(
                reference=f"MED-{c}",
                opened_on=D(2026, 1, 1) + dt.timedelta(days=c * 2),
                closed_on=D(2026, 3, 1) + dt.timedelta(days=c) if c % 3 else None,
                outcome="agreement" if c % 3 else None,
            )
            s.add(case)
            s.flush()
            for k in range(2):
                session = Session(
                    activity_id=act.id, date=case.opened_on + dt.timedelta(days=k), status="held"
                )
                s.add(session)
                s.flush()
                s.add(MediationSession(case_id=case.id, session_id=session.id))
        for n in range(600):
            s.add(
                Need(
                    title=f"Necessitat {n}",
                    detected_on=D(2026, 1, 1) + dt.timedelta(days=n % 365),
                    activity_id=act.id if n % 4 == 0 else None,
                    response=("none", "activity", "passed_on")[n % 3],
                )
            )
        return db, prog.id


def test_bench_community_figures_entity(benchmark: Any, busy: tuple[Database, str]) -> None:
    db, _prog = busy

    def run() -> Any:
        with db.read() as s:
            return community_figures(s, None, *YEAR)

    figures = benchmark(run)
    assert figures.groups_accompanied == 300 and figures.cases_opened == 150
    assert figures.needs_detected == 600


def test_bench_community_figures_programme(benchmark: Any, busy: tuple[Database, str]) -> None:
    db, prog = busy

    def run() -> Any:
        with db.read() as s:
            return community_figures(s, [prog], *YEAR)

    figures = benchmark(run)
    assert figures.groups_accompanied == 150 and figures.cases_opened == 150
