"""Justification report of a large entity's year (2 000 sessions, 5 000 people, 60 000
attendances, and the economic part: 3 000 expenses): budget 1.5 s each for PDF, XLSX and JSON, from
the database to the bytes.

Run: python -m pytest -p no:cacheprovider tests/benchmarks/test_report_bench.py --benchmark-only
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.db.engine import Database, open_database
from app.domain.report import ReportRequest
from app.services.report_output import json_bytes, pdf_bytes, xlsx_bytes
from app.services.reports import ReportService
from tests.benchmarks.large_report_data import YEAR, build_large

DEMO_TODAY = dt.date(2026, 6, 30)
REQUESTS = {
    # 2 000 held sessions, 5 000 people, 60 000 named attendances, inserted in bulk.
    "bulk": ReportRequest(None, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31), lang="ca"),
    # The large demo: a rolling year up to DEMO_TODAY, the seeds' programmes and names.
    "demo": ReportRequest(
        None, DEMO_TODAY - dt.timedelta(days=364), DEMO_TODAY, lang="ca", fold_gender=True
    ),
}


@pytest.fixture(scope="module", params=sorted(REQUESTS))
def large(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Database, ReportRequest]]:
    db = open_database(Path(tmp_path_factory.mktemp(request.param)) / "teixit.db")
    if request.param == "bulk":
        counts = build_large(db)
        assert counts == {"sessions": 2000, "people": 5000, "attendances": 60000}
    else:
        from app.demo import load_demo

        load_demo(db, size="large", today=DEMO_TODAY)
    yield db, REQUESTS[request.param]
    db.close()


def _run(benchmark: Any, large: tuple[Database, ReportRequest], make: Any) -> bytes:
    db, req = large
    service = ReportService(db)
    result: bytes = benchmark.pedantic(
        lambda: make(service.load(req)), rounds=5, iterations=1, warmup_rounds=1
    )
    return result


def test_report_pdf(benchmark: Any, large: tuple[Database, ReportRequest]) -> None:
    pdf = _run(benchmark, large, pdf_bytes)
    assert pdf.startswith(b"%PDF")


def test_report_xlsx(benchmark: Any, large: tuple[Database, ReportRequest]) -> None:
    xlsx = _run(benchmark, large, xlsx_bytes)
    assert xlsx[:2] == b"PK"
    assert len(xlsx) > 100_000


def test_report_json(benchmark: Any, large: tuple[Database, ReportRequest]) -> None:
    js = _run(benchmark, large, json_bytes)
    assert b'"sessions": ' in js
    # The economic part is in (the large demo's rolling year holds most of its 3 000 expenses).
    assert js.count(b'"document_number": ') > 2000
