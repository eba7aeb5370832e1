"""Justification report of a large entity's year (2 000 sessions, 5 000 people, 60 000
attendances): budget 3 s each for PDF, XLSX and JSON, from the database to the bytes.

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

REQUEST = ReportRequest(None, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31), lang="ca")


@pytest.fixture(scope="module")
def large_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(Path(tmp_path_factory.mktemp("large")) / "teixit.db")
    counts = build_large(db)
    assert counts == {"sessions": 2000, "people": 5000, "attendances": 60000}
    yield db
    db.close()


def _run(benchmark: Any, large_db: Database, make: Any) -> bytes:
    service = ReportService(large_db)
    result: bytes = benchmark.pedantic(
        lambda: make(service.load(REQUEST)), rounds=5, iterations=1, warmup_rounds=1
    )
    return result


def test_report_pdf(benchmark: Any, large_db: Database) -> None:
    pdf = _run(benchmark, large_db, pdf_bytes)
    assert pdf.startswith(b"%PDF")


def test_report_xlsx(benchmark: Any, large_db: Database) -> None:
    xlsx = _run(benchmark, large_db, xlsx_bytes)
    assert xlsx[:2] == b"PK"


def test_report_json(benchmark: Any, large_db: Database) -> None:
    js = _run(benchmark, large_db, json_bytes)
    assert b'"sessions": 2000' in js
