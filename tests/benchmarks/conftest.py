"""Every benchmark is reported beside a floor measured in the same run, so a figure taken on a
loaded or slower machine can still be compared: the ratio travels, the seconds do not.

- compute: a fixed pure-Python loop (``compute_floor``), measured just before and just after
  each benchmark (on a shared machine the load changes during a session: a floor measured once
  would make the ratios drift with it);
- commands: ``python -c pass`` (``tests/benchmarks/test_cli_start_bench.py``);
- start-up: a bare PySide6 window (``tests/benchmarks/startup.py``).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from app.db.engine import Database


def _loop() -> int:
    total = 0
    for i in range(1_000_000):
        total += i % 7
    return total


def compute_floor(rounds: int = 5) -> float:
    """Median seconds of a fixed pure-Python loop (about 0.07 s on a quiet 2-core machine)."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        _loop()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _rounds() -> list[float]:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        _loop()
        times.append(time.perf_counter() - start)
    return times


@pytest.fixture(autouse=True)
def _report_floor_ratio(request: pytest.FixtureRequest) -> Iterator[None]:
    benchmarked = "benchmark" in request.fixturenames
    before = _rounds() if benchmarked else []
    yield
    bench: Any = request.node.funcargs.get("benchmark")
    stats = getattr(getattr(bench, "stats", None), "stats", None)
    if stats is None or not getattr(stats, "data", None):
        return
    floor = statistics.median(before + _rounds())
    median = stats.median
    bench.extra_info.setdefault("floor", "compute")
    bench.extra_info.setdefault("floor_s", round(floor, 4))
    floor_s = bench.extra_info["floor_s"]
    ratio = median / floor_s if floor_s else float("nan")
    bench.extra_info["floor_ratio"] = round(ratio, 2)
    print(
        f"\n{request.node.name}: median {median:.4f}s, {bench.extra_info['floor']} floor "
        f"{floor_s:.4f}s, ratio {ratio:.2f}x"
    )


def file_size(db: Database) -> int:
    """A database file's size with its free pages given back, as after a compaction."""
    from app.sync.compaction import vacuum_file

    vacuum_file(db)
    return os.path.getsize(db.path)
