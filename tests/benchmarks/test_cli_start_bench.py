"""Whole-process command-line times over the ``python -c pass`` floor of the same run.

Budgets (issue "fast on the machines users have"): every command's ``--help`` at most 0.25 s
over the floor; ``teixit sheet`` of a 16-name session at most 0.45 s, whole process.

Run: python -m pytest -p no:cacheprovider tests/benchmarks/test_cli_start_bench.py -s
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
TEIXIT = [sys.executable, "-m", "ui.launcher"]


def _wall(cmd: list[str], rounds: int = 7) -> float:
    subprocess.run(cmd, env=ENV, cwd=ROOT, capture_output=True, check=True)  # bytecode, cache
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(cmd, env=ENV, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@pytest.fixture(scope="module")
def pass_floor() -> float:
    return _wall([sys.executable, "-c", "pass"])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data = tmp_path_factory.mktemp("cli")
    subprocess.run([*TEIXIT, "--data-dir", str(data), "demo"], env=ENV, cwd=ROOT, check=True)
    con = sqlite3.connect(data / "teixit.db")
    (session,) = con.execute(
        "SELECT s.id FROM session s JOIN enrolment e ON e.activity_id = s.activity_id "
        "GROUP BY s.id ORDER BY abs(count(*) - 16) LIMIT 1"
    ).fetchone()
    con.close()
    return data, session


def _run(benchmark: Any, pass_floor: float, cmd: list[str]) -> float:
    benchmark.extra_info.update(floor="python -c pass", floor_s=round(pass_floor, 4))
    benchmark.pedantic(
        lambda: subprocess.run(cmd, env=ENV, cwd=ROOT, capture_output=True, check=True),
        rounds=7,
        iterations=1,
        warmup_rounds=1,
    )
    over = float(benchmark.stats.stats.median) - pass_floor
    benchmark.extra_info["over_floor_s"] = round(over, 4)
    print(f"\n{' '.join(cmd[3:])}: {over:.3f}s over the python -c pass floor")
    return over


@pytest.mark.parametrize("command", ["", "sheet", "report", "export", "backup", "purge"])
def test_help(benchmark: Any, pass_floor: float, command: str) -> None:
    _run(benchmark, pass_floor, [*TEIXIT, *([command] if command else []), "--help"])


def test_sheet_16_names(benchmark: Any, pass_floor: float, demo: tuple[Path, str]) -> None:
    data, session = demo
    out = data / "sheet.pdf"
    cmd = [*TEIXIT, "--data-dir", str(data), "sheet", "--session", session, "-o", str(out)]
    _run(benchmark, pass_floor, cmd)
    assert out.read_bytes().startswith(b"%PDF")
