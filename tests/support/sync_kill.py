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
from typing import Any

from sqlalchemy import func, select, text

from app.db.engine import open_database
from app.db.models import ChangeEntry, SyncDevice
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


# ---- with the office database -----------------------------------------------------------------


def _office_command(
    data: Path, address: str, join: bool = False, compact: bool = False
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "app.cli",
        "--data-dir",
        str(data),
        "sync",
        *(["--join"] if join else []),
        "--database",
        address,
        *(["--compact"] if compact and not join else []),
    ]


def _office_work(address: str, rng: random.Random, n: int) -> None:
    from app.db.engine import open_url

    db = open_url(address)
    try:
        services = Services(db)
        sessions = [s.id for s in services.sessions.find() if s.id]
        people = [h.id for h in services.people.search("", limit=None)]
        for _ in range(n):
            if people and rng.random() < 0.5:
                p = services.people.get(rng.choice(people))
                services.people.save(PersonDTO(**{**p.__dict__, "notes": f"n{rng.randrange(99)}"}))
                continue
            person, _changes = services.people.save(
                PersonDTO(given_name=f"Oficina{rng.randrange(10**6)}", family_names="Vila")
            )
            assert person.id
            services.sessions.set_attendance(rng.choice(sessions), {person.id: "late"})
    finally:
        db.close()


def run_office(
    base: Path, address: str, kills: int, seed_value: int, *, compact: bool = False
) -> KillReport:
    """``teixit sync --database`` killed at random moments (the first, joining, too) while the
    laptop and the office keep working; a last sync must leave both with the same data and
    every change of each device once on both. ``compact``: each sync compacts the laptop's log
    (``--compact``) and the office's own log is compacted now and then, as after its daily
    backup; the last syncs must then leave both with the same data, each side's cursor at the
    other's last change, and a change made afterwards on each side merged on both."""
    from app.db.engine import open_url
    from app.sync import office as office_sync

    rng = random.Random(seed_value)
    office = open_url(address)
    try:
        seed(Services(office), sessions=6, people=30)
    finally:
        office.close()
    laptop = base / "laptop"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    report = KillReport()
    joined = False
    for i in range(kills):
        if joined and rng.random() < 0.5:
            _work(laptop, rng, rng.randrange(1, 30))
        else:
            _office_work(address, rng, rng.randrange(1, 30))
        if compact and joined and rng.random() < 0.3:
            hub = open_url(address)
            try:
                office_sync.compact_office(hub)
            finally:
                hub.close()
        proc = subprocess.Popen(
            _office_command(laptop, address, join=not joined, compact=compact),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(rng.uniform(0.3, 2.5) if i else rng.uniform(1.0, 2.0))
        if proc.poll() is None:
            report.landed += 1
        proc.send_signal(signal.SIGKILL)
        _out, err = proc.communicate(timeout=60)
        report.kills += 1
        if proc.returncode not in (0, -signal.SIGKILL):
            text_ = err.decode(errors="replace")
            if "already holds records" not in text_:  # a join killed after its replica
                report.problems.append(f"sync failed: {text_[-500:]}")
        if (laptop / "teixit.db").exists():
            db = open_database(laptop / "teixit.db")
            try:
                with db.read() as s:
                    joined = device.self_row(s) is not None and s.execute(
                        select(func.count()).select_from(ChangeEntry)
                    ).scalar_one() > 0
            finally:
                db.close()
    for _round in range(2):
        done = subprocess.run(
            _office_command(laptop, address, join=not joined, compact=compact),
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=600,
        )
        joined = True
        if done.returncode != 0:
            report.problems.append(f"last sync failed: {done.stderr.decode(errors='replace')}")
    if compact:
        _check_compacted(laptop, address, report)
    else:
        _check_office(laptop, address, report)
    return report


def _check_compacted(laptop: Path, address: str, report: KillReport) -> None:
    """Both compacted: the same data, each side's cursor at the other's last change, and a
    change made now on each side reaches the other (nothing compacted wins over it)."""
    from app.db.engine import open_url
    from app.sync import office as office_sync

    local = open_database(laptop / "teixit.db")
    office = open_url(address)
    try:
        _whole_and_the_same(local, office, report)
        for db, other in ((local, office), (office, local)):
            me = device.info(db)
            assert me is not None
            _counts, last = _log_counts(db)
            with other.read() as s:
                peer = s.get(SyncDevice, me.id)
                cursor = int(peer.applied_seq) if peer is not None else 0
            if cursor != last.get(me.id, 0):
                report.problems.append(f"{me.id}: the other side is at {cursor}, not {last}")
        people = [h.id for h in Services(office).people.search("", limit=None)]
        one, two = people[0], people[-1]
        for db, pid, value in ((local, one, "del portàtil"), (office, two, "de l'oficina")):
            p = Services(db).people.get(pid)
            Services(db).people.save(PersonDTO(**{**p.__dict__, "notes": value}))
        office_sync.sync_office(local, address, compact=True)
        for db in (local, office):
            notes = (Services(db).people.get(one).notes, Services(db).people.get(two).notes)
            if notes != ("del portàtil", "de l'oficina"):
                report.problems.append(f"a change made after the kills was lost: {notes}")
        if Services(local).exchange.export_data() != Services(office).exchange.export_data():
            report.problems.append("the laptop and the office differ after a last change")
    finally:
        local.close()
        office.close()


def _whole_and_the_same(local: Any, office: Any, report: KillReport) -> None:
    """The laptop's file undamaged, and the same data on both sides."""
    with local.read() as s:
        if s.execute(text("PRAGMA integrity_check")).scalar() != "ok":
            report.problems.append("laptop: damaged database")
    if Services(local).exchange.export_data() != Services(office).exchange.export_data():
        report.problems.append("the laptop and the office hold different data")


def _log_counts(db: Any) -> tuple[dict[str, int], dict[str, int]]:
    """Entries per device, and each device's last sequence number."""
    with db.read() as s:
        counts = dict(
            s.execute(
                select(ChangeEntry.device_id, func.count()).group_by(ChangeEntry.device_id)
            ).all()
        )
        last = dict(
            s.execute(
                select(ChangeEntry.device_id, func.max(ChangeEntry.seq)).group_by(
                    ChangeEntry.device_id
                )
            ).all()
        )
    return counts, last


def _check_office(laptop: Path, address: str, report: KillReport) -> None:
    from app.db.engine import open_url

    local = open_database(laptop / "teixit.db")
    office = open_url(address)
    try:
        _whole_and_the_same(local, office, report)
        logs = {"laptop": _log_counts(local), "office": _log_counts(office)}
        for name, (counts, last) in logs.items():
            for device_id, count in counts.items():
                if count != last[device_id]:
                    report.problems.append(f"{name}: {device_id} has {count} of {last[device_id]}")
        if logs["laptop"] != logs["office"]:
            report.problems.append("the two change logs differ")
    finally:
        local.close()
        office.close()
