"""Launch-to-usable-window time: runs ``teixit`` N times on a demo database with
TEIXIT_QUIT_WHEN_READY; the window reports the seconds from process start (interpreter start
included), and the processor seconds used, to the first idle moment after:

- ``shell``: its frame and navigation were painted, before the database layer is imported;
- ``usable``: Home was painted with this year's real figures: those kept at the last clean close
  when the file is unchanged since (``home-after``), else from the data (``ready-after``);
- ``live``: the window on the data was shown and painted (Home's lists filled, every page
  clickable; ``ready-after``).

Before the timed runs Teixit is started once and closed cleanly (``TEIXIT_QUIT_WHEN_READY=close``),
as a person's last close would; ``--cold`` leaves that out (no figures kept: usable = live).
Prints the medians, and their ratio to the floor measured in the same run: a bare PySide6 window
timed the same way (so a loaded machine shows in both numbers, not in the ratio).

    .venv/bin/python tests/benchmarks/startup.py [N] [--large] [--cold]
"""

from __future__ import annotations

import os
import re
import resource
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
import time
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
    cpu = time.process_time()
    print(f"ready-after {since():.3f} cpu {cpu:.3f}", file=sys.stderr, flush=True)
    os._exit(0)
QTimer.singleShot(0, ready)
app.exec()
"""


def _said(cmd: list[str], env: dict[str, str]) -> dict[str, tuple[float, float]]:
    """The moments the process reported (``ready``; for Teixit ``shell`` and ``home`` too),
    each as (wall seconds, processor seconds) since the process started."""
    out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    found = re.findall(r"(shell|home|ready)-after ([0-9.]+) cpu ([0-9.]+)", out.stderr)
    assert any(what == "ready" for what, _s, _c in found), out.stderr
    return {what: (float(seconds), float(cpu)) for what, seconds, cpu in found}


def _median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    runs = int(numbers[0]) if numbers else 9
    size = "large" if "--large" in sys.argv else "small"
    cold = "--cold" in sys.argv
    data = tempfile.mkdtemp(prefix="teixit-startup-")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # start-up as users have it: with cached bytecode
    cmd = [sys.executable, "-m", "ui.launcher", "--data-dir", data]
    subprocess.run(
        [*cmd, "demo", "--size", size], check=True, env=env, cwd=ROOT, capture_output=True
    )
    if not cold:  # a person's last clean close: Home's figures kept for the next start
        subprocess.run(
            cmd,
            env={**env, "TEIXIT_QUIT_WHEN_READY": "close"},
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    bare = [sys.executable, "-c", BARE_WINDOW]
    ready_env = {**env, "TEIXIT_QUIT_WHEN_READY": "1"}
    moments: dict[str, list[tuple[float, float]]] = {"shell": [], "usable": [], "live": []}
    floors: list[tuple[float, float]] = []
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    for i in range(runs + 1):
        # Alternating, so both see the same load; the first pair warms the file cache.
        floor = _said(bare, env)["ready"]
        took = _said(cmd, ready_env)
        if i:
            moments["live"].append(took["ready"])
            moments["usable"].append(took.get("home", took["ready"]))
            moments["shell"].append(took.get("shell", took["ready"]))
            floors.append(floor)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall_floor = _median([w for w, _c in floors])
    cpu_floor = _median([c for _w, c in floors])
    load = os.getloadavg()[0]
    print(
        f"{size} demo, runs={runs}, load average {load:.1f}"
        f"{' (cold: no figures kept)' if cold else ''}: bare-window floor={wall_floor:.3f}s "
        f"(processor {cpu_floor:.3f}s)"
    )
    labels = {
        "shell": "shell painted",
        "usable": "usable (Home with this year's figures)",
        "live": "live (window on the data, Home's lists)",
    }
    for key, label in labels.items():
        wall = [w for w, _c in moments[key]]
        cpu = [c for _w, c in moments[key]]
        print(
            f"  {label}: median={_median(wall):.3f}s min={min(wall):.3f}s max={max(wall):.3f}s "
            f"ratio={_median(wall) / wall_floor:.2f}x; processor {_median(cpu):.3f}s "
            f"ratio={_median(cpu) / cpu_floor:.2f}x"
        )
    spent = (used.ru_utime + used.ru_stime) - (children.ru_utime + children.ru_stime)
    print(f"  processor time of all the timed processes: {spent:.1f}s")


if __name__ == "__main__":
    main()
