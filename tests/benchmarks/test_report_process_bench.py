"""A year's justification report, whole process (``teixit report --all``), for PDF, XLSX and JSON:
seconds of the command beside the ``python -c pass`` floor, its processor time beside the
compute floor (``tests/benchmarks/conftest.py``) and its largest resident memory, all measured
in the same run.

Budgets (issue "fast on the machines users have"): the bulk dataset of
``tests/benchmarks/large_report_data.py`` (60 000 attendances) at most 2 s each; eight times
that (480 000 attendances, marked slow: building it takes a minute) at most 10 s and 300 MB.

Run: python -m pytest -p no:cacheprovider tests/benchmarks/test_report_process_bench.py -s
     (add ``-m slow`` for the 480 000 attendances)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.db.engine import open_database
from tests.benchmarks.conftest import compute_floor
from tests.benchmarks.large_report_data import YEAR, build_large

ROOT = Path(__file__).resolve().parents[2]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
OUTPUTS = {"pdf": "-o", "xlsx": "--xlsx", "json": "--json"}
TIME = "/usr/bin/time"  # GNU time (Debian's "time" package)
pytestmark = pytest.mark.skipif(not Path(TIME).exists(), reason="needs GNU time")


def _run(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, processor seconds (user + system) and largest resident memory (MB) of
    ``cmd``, as GNU time reports them (the command started from it, not from this large
    process: a child's peak would count the memory it was forked with)."""
    done = subprocess.run(
        [TIME, "-f", "%e %U %S %M", *cmd], env=ENV, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    wall, user, system, rss = done.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(rss) // 1024


def _data(tmp_path_factory: pytest.TempPathFactory, scale: int) -> Path:
    folder = Path(tmp_path_factory.mktemp(f"year-x{scale}"))
    db = open_database(folder / "teixit.db")
    counts = build_large(db, scale=scale)
    db.close()
    assert counts["attendances"] == 60_000 * scale
    return folder


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield _data(tmp_path_factory, 1)


@pytest.fixture(scope="module")
def year_x8(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield _data(tmp_path_factory, 8)


def _report(benchmark: Any, data: Path, kind: str, rounds: int) -> None:
    out = data / f"report.{kind}"
    cmd = [sys.executable, "-m", "ui.launcher", "--data-dir", str(data), "report", "--all"]
    cmd += ["--from", f"{YEAR}-01-01", "--to", f"{YEAR}-12-31", "--lang", "ca"]
    cmd += [OUTPUTS[kind], str(out)]
    _run([sys.executable, "-c", "pass"])  # bytecode written, files cached
    _run(cmd)
    floors = [_run([sys.executable, "-c", "pass"])[0] for _ in range(5)]
    compute = [compute_floor(3)]
    runs: list[tuple[float, float, int]] = []

    def once() -> None:
        runs.append(_run(cmd))

    benchmark.pedantic(once, rounds=rounds, iterations=1, warmup_rounds=0)
    compute.append(compute_floor(3))
    floor, loop = statistics.median(floors), statistics.median(compute)
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    memory = max(r[2] for r in runs)
    benchmark.extra_info.update(
        floor="python -c pass",
        floor_s=round(floor, 4),
        over_floor_s=round(wall - floor, 3),
        cpu_s=round(cpu, 3),
        compute_floor_s=round(loop, 4),
        cpu_compute_ratio=round(cpu / loop, 1),
        max_rss_mb=memory,
    )
    print(
        f"\nteixit report {kind} ({data.name}): wall {wall:.2f}s ({wall - floor:.2f}s over "
        f"python -c pass {floor:.3f}s), processor {cpu:.2f}s = {cpu / loop:.1f}x the compute "
        f"floor {loop:.3f}s, largest resident memory {memory} MB"
    )
    assert out.stat().st_size > 10_000


@pytest.mark.parametrize("kind", sorted(OUTPUTS))
def test_year_report(benchmark: Any, year: Path, kind: str) -> None:
    _report(benchmark, year, kind, rounds=5)


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(OUTPUTS))
def test_year_report_480000_attendances(benchmark: Any, year_x8: Path, kind: str) -> None:
    _report(benchmark, year_x8, kind, rounds=1)
