"""The kill test with many iterations: ``python tests/benchmarks/kill_test.py [N] [--keep DIR]``.

Prints the iterations run, the changes acknowledged before the kills and any problem found (see
tests/support/kill_harness.py). Exit code 0 when nothing was lost or damaged.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.kill_harness import run  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("iterations", type=int, nargs="?", default=300)
    parser.add_argument("--max-delay", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--writes-before-kill", type=int, default=2, help="changes acknowledged before each kill"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "teixit.db"
        report = run(
            db_path,
            args.iterations,
            max_delay=args.max_delay,
            seed=args.seed,
            writes_before_kill=args.writes_before_kill,
            time_cap=3600.0,
        )
        size = db_path.stat().st_size
    print(f"iterations: {report.iterations}")
    print(f"acknowledged transactions: {report.acknowledged}")
    print(f"database size at the end: {size / 1024:.0f} KiB")
    print(f"time: {report.seconds:.1f} s")
    print("problems: " + ("none" if not report.problems else "; ".join(report.problems)))
    return 0 if not report.problems and report.iterations == args.iterations else 1


if __name__ == "__main__":
    sys.exit(main())
