"""Attendance sheet timings (budget: a 40-name session sheet in 100 ms on a 2-core machine).

Run: python -m pytest -p no:cacheprovider tests/benchmarks/test_sheets_bench.py --benchmark-only
"""

from __future__ import annotations

import datetime as dt

from app.domain.sheets import SheetOptions
from app.services.sheets import SheetService
from tests.reports.sheet_data import NAMES, add_sessions, build


def test_session_sheet_40_names(benchmark, db) -> None:  # type: ignore[no-untyped-def]
    data = build(db, extra=40 - len(NAMES))
    service = SheetService(db)
    service.pdf(service.session_sheet(data.session_id), SheetOptions(), record=False)  # fonts

    def run() -> bytes:
        # Load from the database, build the PDF, write the audit event: what "Print" does.
        return service.pdf(service.session_sheet(data.session_id), SheetOptions())

    pdf = benchmark(run)
    assert pdf.startswith(b"%PDF")


def test_month_register_grid_40_names(benchmark, db) -> None:  # type: ignore[no-untyped-def]
    data = build(db, extra=40 - len(NAMES))
    days = [dt.date(2026, 11, d) for d in range(1, 31) if dt.date(2026, 11, d).weekday() < 5]
    add_sessions(db, data.activity_id, [d for d in days if d.day != 24])
    service = SheetService(db)
    start, end = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    service.pdf(service.activity_grid(data.activity_id, start, end), SheetOptions(), record=False)

    def run() -> bytes:
        return service.pdf(service.activity_grid(data.activity_id, start, end), SheetOptions())

    assert benchmark(run).startswith(b"%PDF")
