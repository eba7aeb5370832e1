"""The office database (PostgreSQL on this computer) beside the SQLite file, on the large demo
(5 000 people, 60 000 attendances): each timing with its ratio to the compute floor, then the
office/SQLite ratio of each (the issue's goal: within 1.5x).

    .venv/bin/python -m pytest -p no:cacheprovider tests/benchmarks/test_office_bench.py \
        --benchmark-only -s

- mark attendance: the 20 people of one session marked one by one, as the attendance window
  saves each key press (20 transactions);
- people search: one keystroke over everybody (the search index is in memory on both engines);
- people index: what the People page waits for on its first visit (read from the database);
- year report data: the justification report's data for the whole entity's year;
- upload: ``teixit office upload`` of the large demo (budget 30 s);
- side by side: marking and the index build on both engines in one test, their rounds in
  turn, each against the floor of its own moment (the office/SQLite ratios of the issue).

``test_five_clients_for_ten_minutes`` is the long concurrency run (TEIXIT_OFFICE_MINUTES to
change its length).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.db.engine import open_database, open_url
from app.db.models import Participant
from app.demo import load_demo
from app.domain.report import ReportRequest
from app.services.container import Services
from app.services.reports import ReportService
from tests.benchmarks.conftest import compute_floor
from tests.support.postgres import TEMPLATE, PostgresServer

TODAY = dt.date(2026, 11, 26)
YEAR = (TODAY - dt.timedelta(days=364), TODAY)
#: test name -> engine -> (median seconds, compute floor measured right after it), printed side
#: by side at the end of the module. The office/SQLite ratio compares each median to its own
#: floor: the load of a shared machine changes between the two engines' runs.
RESULTS: dict[str, dict[str, tuple[float, float]]] = {}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def large(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Services]]:
    engine = request.param
    if engine == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres")
        name = server.new_database(TEMPLATE)
        db = open_url(server.url(name).render_as_string(hide_password=False))
    else:
        db = open_database(Path(tmp_path_factory.mktemp("sqlite")) / "teixit.db")
    load_demo(db, "large", today=TODAY)
    services = Services(db)
    services.people.search("")  # the index is built once, when the people page first opens
    yield engine, services
    db.close()
    if engine == "postgresql":
        server.drop_database(name)


@pytest.fixture(scope="module", autouse=True)
def side_by_side() -> Iterator[None]:
    """The table of both engines, after the module, with the compute floor measured before and
    after it (each benchmark also prints its own)."""
    before = compute_floor()
    yield
    floor = (before + compute_floor()) / 2
    lines = [f"\noffice database beside SQLite (compute floor {floor:.4f}s):"]
    for test, by_engine in RESULTS.items():
        if {"sqlite", "postgresql"} <= set(by_engine):
            (lite, lite_floor), (office, office_floor) = (
                by_engine["sqlite"],
                by_engine["postgresql"],
            )
            lines.append(
                f"  {test}: SQLite {lite * 1000:.1f} ms ({lite / lite_floor:.2f}x floor), "
                f"office {office * 1000:.1f} ms ({office / office_floor:.2f}x floor), "
                f"office/SQLite {(office / office_floor) / (lite / lite_floor):.2f}x"
            )
    print("\n".join(lines))


def _keep(request: pytest.FixtureRequest, benchmark: Any, engine: str) -> None:
    benchmark.extra_info["engine"] = engine
    stats = getattr(getattr(benchmark, "stats", None), "stats", None)
    if stats is not None and getattr(stats, "data", None):
        name = request.node.originalname
        RESULTS.setdefault(name, {})[engine] = (stats.median, compute_floor(3))


def _session_of_20(services: Services) -> tuple[str, list[str]]:
    """A held session and 20 people to mark in it."""
    session = next(s for s in services.sessions.find() if s.status == "held")
    with services.db.read() as s:
        people = list(
            s.scalars(
                select(Participant.id)
                .where(Participant.blocked_at.is_(None), Participant.deleted_at.is_(None))
                .order_by(Participant.id)
                .limit(20)
            )
        )
    return session.id or "", people


def test_mark_attendance_of_20(
    benchmark: Any, large: tuple[str, Services], request: pytest.FixtureRequest
) -> None:
    engine, services = large
    sid, people = _session_of_20(services)
    statuses = itertools.cycle(["present", "absent"])

    def mark_each() -> None:
        status = next(statuses)
        for pid in people:
            services.sessions.set_attendance(sid, {pid: status})

    benchmark.pedantic(mark_each, rounds=6, iterations=1, warmup_rounds=1)
    _keep(request, benchmark, engine)
    marked = {r.participant_id: r.status for r in services.sessions.attendance(sid).rows}
    assert all(marked[pid] in ("present", "absent") for pid in people)


def test_people_search_keystroke(
    benchmark: Any, large: tuple[str, Services], request: pytest.FixtureRequest
) -> None:
    engine, services = large
    typed = "mar gar 6"
    prefixes = itertools.cycle([typed[: i + 1] for i in range(len(typed))])
    result = benchmark(lambda: services.people.search(next(prefixes), limit=None))
    _keep(request, benchmark, engine)
    assert isinstance(result, list)


def test_people_index_build(
    benchmark: Any, large: tuple[str, Services], request: pytest.FixtureRequest
) -> None:
    engine, services = large

    def build() -> int:
        services.people.invalidate()
        return services.people.count()

    assert benchmark.pedantic(build, rounds=5, iterations=1, warmup_rounds=1) > 4_000
    _keep(request, benchmark, engine)


def test_year_report_data(
    benchmark: Any, large: tuple[str, Services], request: pytest.FixtureRequest
) -> None:
    engine, services = large
    report = ReportService(services.db)
    wanted = ReportRequest(None, *YEAR, lang="ca")
    data = benchmark.pedantic(lambda: report.load(wanted), rounds=3, iterations=1, warmup_rounds=1)
    _keep(request, benchmark, engine)
    assert data.figures.sessions > 0


def test_five_clients_for_ten_minutes(office_address: str, tmp_path: Path) -> None:
    """The long concurrency run (tests/support/office_clients.py), not a timing."""
    from tests.support.office_clients import check, run

    minutes = float(os.environ.get("TEIXIT_OFFICE_MINUTES", "10"))
    setup, logs = run(office_address, 5, minutes * 60, tmp_path)
    outcome = check(office_address, setup, logs)
    print(f"\n{minutes:g} min: committed {dict(outcome.committed)}, refused {outcome.refused}")
    assert outcome.errors == []


@pytest.fixture(scope="module")
def large_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A PC's file holding the large demo (what ``teixit office upload`` moves)."""
    path = Path(tmp_path_factory.mktemp("upload")) / "teixit.db"
    db = open_database(path)
    load_demo(db, "large", today=TODAY)
    db.close()
    return path


def test_upload_of_the_large_demo(
    benchmark: Any, large_file: Path, postgres: PostgresServer
) -> None:
    """``teixit office upload`` of the large demo into a new office database (budget 30 s),
    every table's count checked (app.db.office.upload)."""
    from app.db.office import upload

    local = open_database(large_file)
    made: list[str] = []

    def new_office() -> tuple[tuple[Any, Any], dict[str, Any]]:
        made.append(postgres.new_database(TEMPLATE))
        office = open_url(postgres.url(made[-1]).render_as_string(hide_password=False))
        return (local.engine, office), {}

    def move(source: Any, office: Any) -> dict[str, int]:
        try:
            return upload(source, office.engine)
        finally:
            office.close()

    try:
        counts = benchmark.pedantic(move, setup=new_office, rounds=3, iterations=1)
    finally:
        local.close()
        for name in made:
            postgres.drop_database(name)
    assert counts["participant"] >= 5_000 and counts["attendance"] >= 50_000
    print(
        f"\nupload of the large demo: {sum(counts.values())} rows, median "
        f"{benchmark.stats.stats.median:.2f}s (budget 30 s)"
    )


def _interleaved(work: dict[str, Any], rounds: int) -> dict[str, float]:
    """Each engine's work, round after round in turn (the two share the machine's load of each
    moment), each time divided by the compute floor measured around it: the median ratio."""
    ratios: dict[str, list[float]] = {name: [] for name in work}
    for _round in range(rounds):
        for name, run in work.items():
            before = compute_floor(3)
            start = time.perf_counter()
            run()
            elapsed = time.perf_counter() - start
            ratios[name].append(elapsed / ((before + compute_floor(3)) / 2))
    return {name: statistics.median(values) for name, values in ratios.items()}


def test_marking_and_the_index_side_by_side(
    large_file: Path, postgres: PostgresServer, tmp_path: Path
) -> None:
    """Both engines in one run, their rounds interleaved: the issue's office/SQLite ratios for
    marking 20 people one by one and for building the people index (budget 1.5x each)."""
    import shutil

    from app.db.office import upload

    copy = tmp_path / "teixit.db"
    shutil.copy(large_file, copy)
    name = postgres.new_database(TEMPLATE)
    lite = Services(open_database(copy))
    office = Services(open_url(postgres.url(name).render_as_string(hide_password=False)))
    try:
        upload(lite.db.engine, office.db.engine)
        statuses = itertools.cycle(["present", "absent"])
        marks: dict[str, Any] = {}
        builds: dict[str, Any] = {}
        for engine, services in (("sqlite", lite), ("postgresql", office)):
            sid, people = _session_of_20(services)

            def mark(
                services: Services = services, sid: str = sid, people: list[str] = people
            ) -> None:
                status = next(statuses)
                for pid in people:
                    services.sessions.set_attendance(sid, {pid: status})

            def build(services: Services = services) -> None:
                services.people.invalidate()
                services.people.count()

            mark()  # warm
            marks[engine], builds[engine] = mark, build
        marked = _interleaved(marks, 9)
        built = _interleaved(builds, 7)
    finally:
        lite.close()
        office.close()
        postgres.drop_database(name)
    for what, found in (("mark 20 people one by one", marked), ("people index build", built)):
        print(
            f"\n{what}: SQLite {found['sqlite']:.2f}x floor, office {found['postgresql']:.2f}x "
            f"floor, office/SQLite {found['postgresql'] / found['sqlite']:.2f}x (interleaved)"
        )
