"""A writer killed (SIGKILL) at random moments never leaves a damaged file, a half-saved record
or a lost acknowledged change. The benchmark script runs the same with many more iterations."""

from pathlib import Path

from tests.support.kill_harness import run


def test_killed_writer_loses_nothing_acknowledged(tmp_path: Path) -> None:
    report = run(tmp_path / "teixit.db", iterations=15, max_delay=0.3, seed=7)
    assert report.problems == []
    assert report.iterations == 15
    # The kills landed while it was writing, not before the first commit.
    assert report.acknowledged > 15
