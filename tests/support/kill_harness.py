"""Kill a process writing to the database at random moments, then check nothing was lost.

The writer (``python kill_harness.py write DB``) adds, in one transaction each, a participant, its
two consents and an update of a counter row, and prints the participant's id only after the commit
returned. Once it has acknowledged a few changes, the parent SIGKILLs it at a random moment (so
the kill lands while it writes, however slow the machine is), reopens the database as Teixit does
and checks: ``PRAGMA integrity_check`` is ok, every acknowledged id is there, no participant lacks
its consents and the counter equals the number of participants (no half transaction is visible).

Used by tests/unit/test_crash_safety.py (a few iterations) and tests/benchmarks/kill_test.py (many).
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402

from app.db.engine import open_database  # noqa: E402
from app.db.models import Consent, Participant, Setting  # noqa: E402

COUNTER = "kill-test-counter"
READY = "ready\n"


def write_forever(db_path: Path) -> None:
    db = open_database(db_path)
    rng = random.Random(os.getpid())
    print("ready", flush=True)
    while True:
        with db.begin() as s:
            # Notes of varied length so transactions span one to several pages.
            p = Participant(
                given_name=f"Persona {rng.randrange(10**6)}",
                family_names="Garcia Puig",
                notes="x" * rng.choice((10, 2_000, 9_000)),
            )
            s.add(p)
            s.flush()
            s.add(Consent(participant_id=p.id, kind="data_processing"))
            s.add(Consent(participant_id=p.id, kind="image_internal"))
            counter = s.scalar(select(Setting).where(Setting.key == COUNTER))
            if counter is None:
                s.add(Setting(key=COUNTER, value=1))
            else:
                counter.value = int(counter.value) + 1
        sys.stdout.write(p.id + "\n")
        sys.stdout.flush()


@dataclass
class KillReport:
    iterations: int = 0
    acknowledged: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def check(db_path: Path, acknowledged: set[str]) -> list[str]:
    problems = []
    db = open_database(db_path)
    try:
        with db.read() as s:
            result = s.execute(text("PRAGMA integrity_check")).scalars().all()
            if result != ["ok"]:
                problems.append(f"integrity_check: {result[:3]}")
            ids = set(s.scalars(select(Participant.id)))
            missing = acknowledged - ids
            if missing:
                problems.append(f"{len(missing)} acknowledged participants missing")
            consents = dict(
                s.execute(
                    select(Consent.participant_id, func.count()).group_by(Consent.participant_id)
                ).all()
            )
            half = [pid for pid in ids if consents.get(pid) != 2]
            if half:
                problems.append(f"{len(half)} participants without both consents")
            counter = s.scalar(select(Setting.value).where(Setting.key == COUNTER)) or 0
            if int(counter) != len(ids):
                problems.append(f"counter {counter} != {len(ids)} participants")
    finally:
        db.close()
    return problems


def _read_lines(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    """Hand every line the writer prints to the parent; None once the pipe is closed."""
    for line in stream:
        lines.put(line)
    lines.put(None)


def run(
    db_path: Path,
    iterations: int,
    max_delay: float = 0.4,
    seed: int = 1,
    *,
    writes_before_kill: int = 2,
    time_cap: float = 600.0,
) -> KillReport:
    """Start, kill and check ``iterations`` times; the database grows across iterations.

    Each writer is killed a random moment (up to ``max_delay`` seconds) after it acknowledged
    ``writes_before_kill`` changes, so every kill lands while it is writing, however slow the
    machine: at least ``iterations * writes_before_kill`` changes are acknowledged in all. A run
    longer than ``time_cap`` seconds stops with a problem that says so.
    """
    rng = random.Random(seed)
    open_database(db_path).close()  # created and migrated before the first writer
    report = KillReport()
    acknowledged: set[str] = set()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    deadline = started + time_cap
    for i in range(iterations):
        proc = subprocess.Popen(
            [sys.executable, __file__, "write", str(db_path)],
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        assert proc.stdout is not None
        lines: queue.Queue[str | None] = queue.Queue()
        reader = threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True)
        reader.start()
        received: list[str] = []
        problem = ""
        writes, closed = 0, False
        while writes < writes_before_kill:
            try:
                line = lines.get(timeout=max(deadline - time.perf_counter(), 0.0))
            except queue.Empty:
                problem = (
                    f"iteration {i}: the writer acknowledged {writes} of {writes_before_kill} "
                    f"changes before the time cap of {time_cap:g} s ran out "
                    f"(started: {received[:1] == [READY]})"
                )
                break
            if line is None:
                closed = True
                problem = f"iteration {i}: the writer stopped after {received[-1:]!r}"
                break
            received.append(line)
            writes += line != READY
        if not problem:
            time.sleep(rng.uniform(0, max_delay))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        reader.join()
        proc.stdout.close()
        while not closed and (line := lines.get()) is not None:
            received.append(line)
        if not problem and received[:1] != [READY]:
            problem = f"iteration {i}: writer did not start ({received[:1]!r})"
        # A line without its newline was cut by the kill: not acknowledged.
        acknowledged.update(line[:-1] for line in received[1:] if line.endswith("\n"))
        if problem:
            report.problems.append(problem)
            break
        report.iterations += 1
        problems = check(db_path, acknowledged)
        report.problems.extend(f"iteration {i}: {p}" for p in problems)
        if problems:
            break
    report.acknowledged = len(acknowledged)
    report.seconds = time.perf_counter() - started
    return report


if __name__ == "__main__" and sys.argv[1:2] == ["write"]:
    write_forever(Path(sys.argv[2]))
