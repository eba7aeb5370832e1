"""Attendance sheet timings. Budgets (issue "fast on the machines users have"): in the window, a
16-name session sheet in 50 ms once warm, and the first one after start in 150 ms (ReportLab and
the fonts made ready in the background once the window is up: ``SheetService.warm_up``).

Run: python -m pytest -p no:cacheprovider tests/benchmarks/test_sheets_bench.py --benchmark-only -s
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from app.domain.sheets import SheetOptions
from app.services.sheets import SheetService
from tests.benchmarks.conftest import compute_floor
from tests.reports.sheet_data import NAMES, add_sessions, build

ROOT = Path(__file__).resolve().parents[2]

#: One process as the window has it when a sheet is printed: the data open, the services
#: imported; with "warm", the background preparation done. Prints the first sheet's seconds
#: (wall and processor): loaded, built and logged, as "Print" does.
FIRST_SHEET = """
import sys, time
from pathlib import Path
from app.db.engine import open_database
from app.services.container import Services
db = open_database(Path(sys.argv[1]))
services = Services(db)
services.sessions, services.people, services.figures, services.programmes
sheets = services.sheets
if sys.argv[3] == "warm":
    sheets.warm_up()
options = sheets.saved_options()
wall, cpu = time.perf_counter(), time.process_time()
sheets.pdf(sheets.session_sheet(sys.argv[2]), options)
print(time.perf_counter() - wall, time.process_time() - cpu)
db.close()
"""


def test_session_sheet_40_names(benchmark, db) -> None:  # type: ignore[no-untyped-def]
    data = build(db, extra=40 - len(NAMES))
    service = SheetService(db)
    service.pdf(service.session_sheet(data.session_id), SheetOptions(), record=False)  # fonts

    def run() -> bytes:
        # Load from the database, build the PDF, write the audit event: what "Print" does.
        return service.pdf(service.session_sheet(data.session_id), SheetOptions())

    pdf = benchmark(run)
    assert pdf.startswith(b"%PDF")


def test_session_sheet_16_names_warm_and_first_after_start(benchmark: Any, db: Any) -> None:
    """Warm: the benchmark. The first sheet after start, with and without the background
    preparation: fresh processes, their medians printed beside the compute floor."""
    data = build(db, extra=16 - len(NAMES))
    service = SheetService(db)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    first: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": []}
    for _ in range(5):
        for mode in first:
            said = subprocess.run(
                [sys.executable, "-c", FIRST_SHEET, str(db.path), data.session_id, mode],
                cwd=ROOT, env=env, capture_output=True, text=True, check=True,
            )  # fmt: skip
            wall, cpu = (float(x) for x in said.stdout.split())
            first[mode].append((wall, cpu))
    floor = compute_floor()
    for mode, times in first.items():
        wall = statistics.median(t[0] for t in times)
        cpu = statistics.median(t[1] for t in times)
        benchmark.extra_info[f"first_{mode}_s"] = round(wall, 4)
        benchmark.extra_info[f"first_{mode}_cpu_s"] = round(cpu, 4)
        print(
            f"\nfirst 16-name sheet after start, {mode}: {wall * 1000:.0f} ms "
            f"(processor {cpu * 1000:.0f} ms), {wall / floor:.2f}x the compute floor {floor:.3f}s"
        )
    service.warm_up()

    def run() -> bytes:
        return service.pdf(service.session_sheet(data.session_id), SheetOptions())

    assert benchmark(run).startswith(b"%PDF")


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
