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
    # The session whose sheet prints 16 names (enrolled on its day, neither erased nor deleted).
    (session,) = con.execute(
        "SELECT s.id FROM session s JOIN enrolment e ON e.activity_id = s.activity_id "
        "JOIN participant p ON p.id = e.participant_id WHERE s.deleted_at IS NULL "
        "AND p.deleted_at IS NULL AND p.blocked_at IS NULL "
        "AND (e.start IS NULL OR e.start <= s.date) AND (e.\"end\" IS NULL OR e.\"end\" >= s.date) "
        "GROUP BY s.id ORDER BY abs(count(DISTINCT p.id) - 16), s.id LIMIT 1"
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
    median = float(benchmark.stats.stats.median)
    over = median - pass_floor
    benchmark.extra_info["over_floor_s"] = round(over, 4)
    benchmark.extra_info["floor_ratio"] = round(median / pass_floor, 2)
    print(
        f"\n{' '.join(cmd[3:])}: {median:.3f}s, {over:.3f}s over the python -c pass floor "
        f"({pass_floor:.3f}s), {median / pass_floor:.1f}x the floor"
    )
    return over


@pytest.mark.parametrize("command", ["", "sheet", "report", "export", "backup", "purge"])
def test_help(benchmark: Any, pass_floor: float, command: str) -> None:
    _run(benchmark, pass_floor, [*TEIXIT, *([command] if command else []), "--help"])


def test_sheet_16_names(benchmark: Any, pass_floor: float, demo: tuple[Path, str]) -> None:
    """Budget: 0.45 s, whole process (about 9x the floor of a quiet machine, 0.05 s); read
    without SQLAlchemy (app/services/sheets_without_orm.py)."""
    data, session = demo
    out = data / "sheet.pdf"
    cmd = [*TEIXIT, "--data-dir", str(data), "sheet", "--session", session, "-o", str(out)]
    _run(benchmark, pass_floor, cmd)
    assert out.read_bytes().startswith(b"%PDF")
    said = subprocess.run(cmd, env=ENV, cwd=ROOT, capture_output=True, text=True, check=True)
    assert "(16 " in said.stdout  # 16 names
