"""The change log's share of the database's size on the large demo once compacted (issue:
laptops that work offline and sync; target <= +20 %).

    .venv/bin/python -m pytest -p no:cacheprovider tests/benchmarks/test_sync_compaction_bench.py \
        -s -m slow

The office sets sync up on the large demo (the baseline: one entry per record), syncs to the
folder, a laptop joins and syncs back (so the office knows it has applied everything), the
office syncs again and compacts. Sizes are taken after VACUUM; the compaction's time is printed
beside the compute floor of tests/benchmarks/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from app.db.engine import Database, open_database
from app.demo import load_demo
from app.sync import compaction, device, run
from tests.benchmarks.conftest import compute_floor, file_size

TODAY = dt.date(2026, 11, 26)


def _open(path: Path) -> Database:
    path.mkdir(parents=True, exist_ok=True)
    return open_database(path / "teixit.db")


@pytest.mark.slow
def test_the_compacted_change_log_on_the_large_demo(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    office = _open(tmp_path / "office")
    load_demo(office, "large", today=TODAY)
    plain = file_size(office)
    code = device.create_key(office, "office")
    logged = file_size(office)
    run.sync(office, shared)
    alone = compaction.compact(office, vacuum=True)
    size_alone = file_size(office)
    laptop = _open(tmp_path / "laptop")
    device.pair(laptop, code, "laptop")
    run.join(laptop, shared)
    run.sync(laptop, shared)
    run.sync(office, shared)
    floor = compute_floor()
    start = time.perf_counter()
    both = compaction.compact(office, vacuum=True)
    elapsed = time.perf_counter() - start
    compacted = file_size(office)
    laptop_result = compaction.compact(laptop, vacuum=True)
    laptop_size = file_size(laptop)
    print(
        f"\nlarge demo: {plain / 1e6:.1f} MB; with the change log {logged / 1e6:.1f} MB "
        f"(+{(logged / plain - 1) * 100:.0f} %); compacted before any other device joined "
        f"{size_alone / 1e6:.1f} MB (+{(size_alone / plain - 1) * 100:.1f} %, {alone.removed} "
        f"of {alone.before} entries removed); compacted once the laptop had applied everything "
        f"{compacted / 1e6:.1f} MB (+{(compacted / plain - 1) * 100:.1f} %, {both.removed} of "
        f"{both.before} removed in {elapsed:.1f} s, compute floor {floor:.4f}s, ratio "
        f"{elapsed / floor:.0f}x); the laptop compacted {laptop_size / 1e6:.1f} MB "
        f"({laptop_result.removed} of {laptop_result.before} removed)"
    )
    assert compacted <= plain * 1.20
    office.close()
    laptop.close()
