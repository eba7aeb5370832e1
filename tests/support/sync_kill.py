"""Kill ``teixit sync --folder`` (SIGKILL) at random moments, on either device, while both keep
working; then a last round of syncs must leave both with the same data, every change once.

Used by tests/unit/test_sync_folder.py (a few kills; many under the ``slow`` marker).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select, text

from app.db.engine import open_database
from app.db.models import ChangeEntry
from app.domain.people import PersonDTO
from app.services.container import Services
from app.sync import device, folder
from tests.support.sync_replicas import open_replica, seed

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class KillReport:
    kills: int = 0
    #: Kills that landed while the sync was still running.
    landed: int = 0
    problems: list[str] = field(default_factory=list)


def _sync_command(data: Path, shared: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "app.cli",
        "--data-dir",
        str(data),
        "sync",
        "--folder",
        str(shared),
    ]


def _work(data: Path, rng: random.Random, n: int) -> None:
    """Some work on a device between syncs: new people and marks."""
    db = open_database(data / "teixit.db")
    try:
        services = Services(db)
        sessions = [s.id for s in services.sessions.find() if s.id]
        for _ in range(n):
            person, _changes = services.people.save(
                PersonDTO(given_name=f"Nou{rng.randrange(10**6)}", family_names="Puig")
            )
            assert person.id
            if sessions:  # a laptop before its first sync has none
                services.sessions.set_attendance(rng.choice(sessions), {person.id: "present"})
    finally:
        db.close()


def run(base: Path, kills: int, seed_value: int, max_delay: float = 3.0) -> KillReport:
    rng = random.Random(seed_value)
    shared = base / "shared"
    shared.mkdir()
    office = open_replica(base, "office")
    seed(office.services, sessions=6, people=30)
    code = device.create_key(office.db)
    office.db.close()
    laptop = open_replica(base, "laptop", enable=False)
    device.pair(laptop.db, code, "laptop")
    laptop.db.close()
    dirs = [base / "office", base / "laptop"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    report = KillReport()
    for _i in range(kills):
        _work(rng.choice(dirs), rng, rng.randrange(1, 40))
        target = rng.choice(dirs)
        proc = subprocess.Popen(
            _sync_command(target, shared),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(rng.uniform(0.2, max_delay))
        if proc.poll() is None:
            report.landed += 1
        proc.send_signal(signal.SIGKILL)
        _out, err = proc.communicate(timeout=60)
        report.kills += 1
        if proc.returncode not in (0, -signal.SIGKILL):
            report.problems.append(f"sync failed: {err.decode(errors='replace')[-500:]}")
    for target in dirs + dirs:
        done = subprocess.run(
            _sync_command(target, shared), cwd=ROOT, env=env, capture_output=True, timeout=600
        )
        if done.returncode != 0:
            report.problems.append(f"last sync failed: {done.stderr.decode(errors='replace')}")
    _check(dirs, shared, report)
    return report


def _check(dirs: list[Path], shared: Path, report: KillReport) -> None:
    exports = []
    owns: dict[str, int] = {}
    held: list[dict[str, int]] = []
    for d in dirs:
        db = open_database(d / "teixit.db")
        try:
            with db.read() as s:
                if s.execute(text("PRAGMA integrity_check")).scalar() != "ok":
                    report.problems.append(f"{d.name}: damaged database")
                me = device.self_row(s)
                assert me is not None
                owns[me.id] = int(
                    s.scalar(
                        select(func.max(ChangeEntry.seq)).where(ChangeEntry.device_id == me.id)
                    )
                    or 0
                )
                held.append(
                    dict(
                        s.execute(
                            select(ChangeEntry.device_id, func.count()).group_by(
                                ChangeEntry.device_id
                            )
                        ).all()
                    )
                )
            exports.append(json.dumps(Services(db).exchange.export_data(), sort_keys=True))
        finally:
            db.close()
    if exports[0] != exports[1]:
        report.problems.append("the two devices hold different data")
    for device_id, last in owns.items():
        files = folder.device_files(shared / folder.SUBFOLDER / device_id)
        expected = 1
        for path in files:
            header, _head, _sealed = folder.read_header(path.read_bytes(), path)
            if header["first"] != expected:
                report.problems.append(f"{path}: starts at {header['first']}, not {expected}")
            expected = int(header["last"]) + 1
        if expected - 1 != last:
            report.problems.append(f"{device_id}: files end at {expected - 1}, log at {last}")
        for counts in held:  # every entry of every device, once, on both
            if counts.get(device_id) != last:
                report.problems.append(f"{device_id}: {counts.get(device_id)} entries of {last}")
    leftovers = list((shared / folder.SUBFOLDER).rglob("*.tmp"))
    if len(leftovers) > len(dirs):
        report.problems.append(f"temporary files left: {leftovers}")
