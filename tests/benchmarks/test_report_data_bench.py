"""A year's report data (``ReportService.load``: the figures, the indicators and every table)
on the bulk data of ``large_report_data`` and on eight times as much (16 000 sessions, 40 000
people, 480 000 attendances, 24 000 expenses), with the processor time and the memory a load
takes; and the whole entity's figures with every programme's, counted by the database (what
the application does) and from the rows in Python (the reference definition), in the same run.

Run: python -m pytest -p no:cacheprovider tests/benchmarks/test_report_data_bench.py
--benchmark-only -s
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.db.engine import Database, open_database
from app.domain.report import ReportRequest
from app.services.figures import FiguresService
from app.services.reports import ReportService
from tests.benchmarks.large_report_data import YEAR, build_large

REQUEST = ReportRequest(None, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31), lang="ca")


@pytest.fixture(scope="module", params=[1, 8], ids=["60k", "480k"])
def bulk(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Database, int]]:
    scale = request.param
    db = open_database(Path(tmp_path_factory.mktemp(f"bulk{scale}")) / "teixit.db")
    counts = build_large(db, scale=scale)
    assert counts["attendances"] == 60000 * scale
    yield db, scale
    db.close()


def _processor_and_memory(run: Any) -> tuple[float, float]:
    """Processor seconds of one run and the most memory Python held during another."""
    start = time.process_time()
    run()
    seconds = time.process_time() - start
    tracemalloc.start()
    try:
        run()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return seconds, peak / 1e6


def test_report_data(benchmark: Any, bulk: tuple[Database, int]) -> None:
    db, scale = bulk
    service = ReportService(db)
    data = benchmark.pedantic(
        lambda: service.load(REQUEST), rounds=5 if scale == 1 else 3, iterations=1,
        warmup_rounds=1,
    )  # fmt: skip
    assert len(data.annex) == 2000 * scale and data.figures.participants > 0
    seconds, peak = _processor_and_memory(lambda: service.load(REQUEST))
    benchmark.extra_info["processor_s"] = round(seconds, 3)
    benchmark.extra_info["traced_peak_mb"] = round(peak)
    print(f"\nreport data ×{scale}: processor {seconds:.3f}s, traced peak {peak:.0f} MB")


@pytest.mark.parametrize("counted", ["database", "rows"])
def test_every_programmes_figures(
    benchmark: Any, bulk: tuple[Database, int], counted: str
) -> None:
    """The entity's figures with its indicators (each programme's figures), one pass."""
    db, scale = bulk
    if scale != 1:
        pytest.skip("the comparison is made on the 60 000 attendances")
    service = FiguresService(db, from_rows=counted == "rows")
    figures = benchmark.pedantic(
        lambda: service.compute(None, REQUEST.date_from, REQUEST.date_to),
        rounds=7, iterations=1, warmup_rounds=1,
    )  # fmt: skip
    assert figures.participants > 0 and len(figures.indicators) == 10
    times = []
    for _ in range(3):
        start = time.process_time()
        service.compute(None, REQUEST.date_from, REQUEST.date_to)
        times.append(time.process_time() - start)
    benchmark.extra_info["processor_s"] = round(statistics.median(times), 3)
    print(f"\nfigures counted by the {counted}: processor {statistics.median(times):.3f}s")
