"""Launch-to-usable-window time: runs ``teixit`` N times on a demo database with
TEIXIT_QUIT_WHEN_READY (the window closes right after its first paint) and prints the median
wall-clock time of the whole process, interpreter start included.

    .venv/bin/python tests/benchmarks/startup.py [N]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    data = tempfile.mkdtemp(prefix="teixit-startup-")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "ui.launcher", "--data-dir", data]
    subprocess.run([*cmd, "demo"], check=True, env=env, cwd=ROOT, capture_output=True)
    subprocess.run(cmd, env={**env, "TEIXIT_QUIT_WHEN_READY": "1"}, cwd=ROOT, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            cmd,
            env={**env, "TEIXIT_QUIT_WHEN_READY": "1"},
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    print(
        f"runs={runs} median={statistics.median(times):.3f}s min={min(times):.3f}s "
        f"max={max(times):.3f}s"
    )


if __name__ == "__main__":
    main()
