"""Kill a process writing to the database at random moments, then check nothing was lost.

The writer (``python kill_harness.py write DB``) adds, in one transaction each, a participant, its
two consents and an update of a counter row, and prints the participant's id only after the commit
returned. The parent SIGKILLs it at a random moment, reopens the database as Teixit does and checks:
``PRAGMA integrity_check`` is ok, every acknowledged id is there, no participant lacks its consents
and the counter equals the number of participants (no half transaction is visible).

Used by tests/unit/test_crash_safety.py (a few iterations) and tests/benchmarks/kill_test.py (many).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402

from app.db.engine import open_database  # noqa: E402
from app.db.models import Consent, Participant, Setting  # noqa: E402

COUNTER = "kill-test-counter"


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


def run(db_path: Path, iterations: int, max_delay: float = 0.4, seed: int = 1) -> KillReport:
    """Start, kill and check ``iterations`` times; the database grows across iterations."""
    rng = random.Random(seed)
    open_database(db_path).close()  # created and migrated before the first writer
    report = KillReport()
    acknowledged: set[str] = set()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    for i in range(iterations):
        proc = subprocess.Popen(
            [sys.executable, __file__, "write", str(db_path)],
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()
        if first.strip() != "ready":
            proc.kill()
            proc.wait()
            report.problems.append(f"iteration {i}: writer did not start ({first!r})")
            break
        time.sleep(rng.uniform(0, max_delay))
        proc.send_signal(signal.SIGKILL)
        out = proc.stdout.read()
        proc.wait()
        # A line without its newline was cut by the kill: not acknowledged.
        acknowledged.update(line for line in out.split("\n")[:-1] if line)
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
