"""A writer killed (SIGKILL) at random moments never leaves a damaged file, a half-saved record
or a lost acknowledged change. The benchmark script runs the same with many more iterations.

Each writer is killed only after it acknowledged a set number of changes, so what is checked does
not depend on the machine's speed; a time cap (generous) turns a stuck writer into a clear failure.
"""

from pathlib import Path

import pytest

from tests.support.kill_harness import run

TIME_CAP = 300.0


def test_a_few_kills_lose_nothing_acknowledged(tmp_path: Path) -> None:
    report = run(tmp_path / "teixit.db", iterations=3, max_delay=0.2, seed=3, time_cap=TIME_CAP)
    assert report.problems == []
    assert report.iterations == 3
    assert report.acknowledged >= 3 * 2  # two changes acknowledged before each kill


@pytest.mark.slow
def test_killed_writer_loses_nothing_acknowledged(tmp_path: Path) -> None:
    report = run(
        tmp_path / "teixit.db",
        iterations=15,
        max_delay=0.3,
        seed=7,
        writes_before_kill=2,
        time_cap=TIME_CAP,
    )
    assert report.problems == []
    assert report.iterations == 15
    # The kills landed while it was writing, not before the first commit.
    assert report.acknowledged > 15
    assert report.acknowledged >= 15 * 2
