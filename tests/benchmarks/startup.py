"""Launch-to-usable-window time: runs ``teixit`` N times on a demo database with
TEIXIT_QUIT_WHEN_READY; the window reports the seconds from process start (interpreter start
included) to the first idle moment after its shell was painted (``shell``: frame, navigation, a
placeholder Home, before the database layer is imported) and after the window on the data was
shown and painted (``usable``: Home loaded). Prints the medians, and their ratio to the floor
measured in the same run: a bare PySide6 window timed the same way (so a loaded machine shows in
both numbers, not in the ratio).

    .venv/bin/python tests/benchmarks/startup.py [N] [--large]
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

#: The floor: a bare window, shown, painted, first idle moment; the clock of ui.main.
BARE_WINDOW = """
import os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
def since():
    with open("/proc/self/stat") as fh:
        start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as fh:
        uptime = float(fh.read().split()[0])
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
app = QApplication(sys.argv)
w = QMainWindow()
w.resize(1100, 720)
w.show()
def ready():
    print(f"ready-after {since():.3f}", file=sys.stderr, flush=True)
    os._exit(0)
QTimer.singleShot(0, ready)
app.exec()
"""


def _said(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """The moments the process reported: ``ready`` (usable) and, for Teixit, ``shell``."""
    out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    found = dict(re.findall(r"(shell|ready)-after ([0-9.]+)", out.stderr))
    assert "ready" in found, out.stderr
    return {what: float(seconds) for what, seconds in found.items()}


def main() -> None:
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    runs = int(numbers[0]) if numbers else 9
    size = "large" if "--large" in sys.argv else "small"
    data = tempfile.mkdtemp(prefix="teixit-startup-")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # start-up as users have it: with cached bytecode
    cmd = [sys.executable, "-m", "ui.launcher", "--data-dir", data]
    subprocess.run(
        [*cmd, "demo", "--size", size], check=True, env=env, cwd=ROOT, capture_output=True
    )
    bare = [sys.executable, "-c", BARE_WINDOW]
    ready_env = {**env, "TEIXIT_QUIT_WHEN_READY": "1"}
    times, shells, floors = [], [], []
    for i in range(runs + 1):
        # Alternating, so both see the same load; the first pair warms the file cache.
        floor = _said(bare, env)["ready"]
        took = _said(cmd, ready_env)
        if i:
            times.append(took["ready"])
            shells.append(took.get("shell", took["ready"]))
            floors.append(floor)
    median, floor = statistics.median(times), statistics.median(floors)
    shell = statistics.median(shells)
    load = os.getloadavg()[0]
    print(
        f"{size} demo, runs={runs}, load average {load:.1f}: bare-window floor={floor:.3f}s\n"
        f"  shell painted: median={shell:.3f}s ratio={shell / floor:.2f}x\n"
        f"  usable (Home loaded): median={median:.3f}s min={min(times):.3f}s "
        f"max={max(times):.3f}s ratio={median / floor:.2f}x over-floor={median - floor:.3f}s"
    )


if __name__ == "__main__":
    main()
