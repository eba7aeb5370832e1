"""Launch-to-usable-window time: runs ``teixit`` N times on a demo database with
TEIXIT_QUIT_WHEN_READY; the window reports the seconds from process start (interpreter start
included) to the first idle moment after it was shown and painted. Prints the median.

    .venv/bin/python tests/benchmarks/startup.py [N]
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    data = tempfile.mkdtemp(prefix="teixit-startup-")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "ui.launcher", "--data-dir", data]
    subprocess.run([*cmd, "demo"], check=True, env=env, cwd=ROOT, capture_output=True)
    times = []
    for i in range(runs + 1):
        out = subprocess.run(
            cmd,
            env={**env, "TEIXIT_QUIT_WHEN_READY": "1"},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        found = re.search(r"ready-after ([0-9.]+)", out.stderr)
        assert found, out.stderr
        if i:  # the first run warms the file cache
            times.append(float(found.group(1)))
    print(
        f"runs={runs} median={statistics.median(times):.3f}s min={min(times):.3f}s "
        f"max={max(times):.3f}s"
    )


if __name__ == "__main__":
    main()
