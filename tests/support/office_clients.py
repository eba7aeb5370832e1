"""Several Teixit clients (processes) working on one office database at once, then a check that
nothing was lost or overwritten unseen.

Each client (``python office_clients.py client ...``) runs for a given time, choosing at random:
marking attendance (its own people, in sessions every client marks), editing its own people,
editing people every client edits (a save over someone else's newer one must be refused, never
applied), adding sessions, and reading the year's figures. After each commit returns it appends
one JSON line to its log; every refusal or error is logged too, and ``done`` is written last.

The parent (``run``) sets the data up, starts the clients, waits, and ``check`` compares the
database with the logs: every acknowledged change is present, the shared people's versions
count exactly the saves acknowledged, no error went unreported, no deadlock happened, and the
figures equal a recount of the marks.

Used by tests/unit/test_office_concurrency.py (60 s) and tests/benchmarks (longer runs).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402

from app.db.engine import open_url  # noqa: E402
from app.db.models import Attendance  # noqa: E402
from app.db.models import Session as SessionRow  # noqa: E402
from app.domain.people import PersonDTO  # noqa: E402
from app.domain.programmes import ActivityDTO, ProgrammeDTO  # noqa: E402
from app.domain.sessions import ATTENDANCE_STATUSES, COUNTED_STATUSES, SessionDTO  # noqa: E402
from app.errors import StaleRecord  # noqa: E402
from app.services.container import Services  # noqa: E402

OWN_PEOPLE = 4
SHARED_PEOPLE = 3
SESSIONS = 8
#: Relative weights of what a client does.
WORK = {"mark": 6, "edit": 2, "shared": 3, "add_session": 1, "report": 1}


@dataclass
class Setup:
    programme_id: str
    activity_id: str
    sessions: list[str]
    own: dict[int, list[str]]
    shared: list[str]
    date_from: dt.date
    date_to: dt.date

    def to_json(self) -> str:
        data = {**self.__dict__, "date_from": self.date_from.isoformat()}
        data["date_to"] = self.date_to.isoformat()
        data["own"] = {str(k): v for k, v in self.own.items()}
        return json.dumps(data)

    @classmethod
    def from_json(cls, raw: str) -> Setup:
        data = json.loads(raw)
        data["own"] = {int(k): v for k, v in data["own"].items()}
        data["date_from"] = dt.date.fromisoformat(data["date_from"])
        data["date_to"] = dt.date.fromisoformat(data["date_to"])
        return cls(**data)


def prepare(address: str, clients: int) -> Setup:
    """A programme, an activity, past sessions every client marks, each client's own people and
    the people all of them edit."""
    db = open_url(address)
    try:
        svc = Services(db)
        prog, _c = svc.programmes.save(
            ProgrammeDTO(code="CONC", name="Concurrència", category="prevention")
        )
        act, _c = svc.programmes.save_activity(ActivityDTO(prog.id or "", "Taller compartit"))
        today = dt.date.today()
        sessions = []
        for i in range(SESSIONS):
            saved, _c = svc.sessions.save(SessionDTO(act.id or "", today - dt.timedelta(days=i)))
            sessions.append(saved.id or "")
        own: dict[int, list[str]] = {}
        for client in range(clients):
            own[client] = []
            for k in range(OWN_PEOPLE):
                person, _c = svc.people.save(PersonDTO(f"Client{client}", f"Persona {k}"))
                own[client].append(person.id or "")
        shared = []
        for k in range(SHARED_PEOPLE):
            person, _c = svc.people.save(PersonDTO("Compartida", f"Persona {k}"))
            shared.append(person.id or "")
    finally:
        db.close()
    return Setup(
        prog.id or "",
        act.id or "",
        sessions,
        own,
        shared,
        today - dt.timedelta(days=365),
        today + dt.timedelta(days=365),
    )


def client(address: str, number: int, seconds: float, setup: Setup, log_path: Path) -> None:
    db = open_url(address)
    svc = Services(db)
    rng = random.Random(1000 + number)
    kinds = list(WORK)
    weights = [WORK[k] for k in kinds]
    mine = setup.own[number]
    step = 0
    with log_path.open("w", encoding="utf-8") as log:

        def write(entry: dict[str, Any]) -> None:
            log.write(json.dumps(entry) + "\n")
            log.flush()

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            step += 1
            kind = rng.choices(kinds, weights)[0]
            try:
                if kind == "mark":
                    sid, pid = rng.choice(setup.sessions), rng.choice(mine)
                    status = rng.choice(ATTENDANCE_STATUSES)
                    svc.sessions.set_attendance(sid, {pid: status})
                    write({"op": "mark", "session": sid, "person": pid, "status": status})
                elif kind == "edit":
                    pid = rng.choice(mine)
                    notes = f"client {number} step {step}"
                    saved, _c = svc.people.save(replace(svc.people.get(pid), notes=notes))
                    write({"op": "edit", "person": pid, "notes": notes, "version": saved.version})
                elif kind == "shared":
                    pid = rng.choice(setup.shared)
                    opened = svc.people.get(pid)
                    time.sleep(rng.random() * 0.05)  # a person typing: others may save meanwhile
                    phone = f"6{number}{step:07d}"
                    try:
                        saved, _c = svc.people.save(replace(opened, phone=phone))
                    except StaleRecord:
                        write({"op": "refused", "person": pid, "read": opened.version})
                    else:
                        entry = {"op": "shared", "person": pid, "phone": phone}
                        write({**entry, "version": saved.version})
                elif kind == "add_session":
                    notes = f"client {number} step {step}"
                    day = setup.date_from + dt.timedelta(days=rng.randrange(300))
                    saved_session, _c = svc.sessions.save(
                        SessionDTO(setup.activity_id, day, notes=notes)
                    )
                    write({"op": "session", "id": saved_session.id, "notes": notes})
                else:
                    figures = svc.figures.compute(
                        [setup.programme_id], setup.date_from, setup.date_to
                    )
                    write({"op": "report", "attendances": figures.attendances})
            except Exception as exc:  # noqa: BLE001 - every failure is reported in the log
                write({"op": "error", "kind": kind, "error": f"{type(exc).__name__}: {exc}"})
        write({"op": "done", "steps": step})
    db.close()


def run(address: str, clients: int, seconds: float, folder: Path) -> tuple[Setup, list[Path]]:
    """Prepare, run ``clients`` processes for ``seconds`` and wait for them all."""
    setup = prepare(address, clients)
    setup_file = folder / "setup.json"
    setup_file.write_text(setup.to_json(), encoding="utf-8")
    logs = [folder / f"client-{n}.jsonl" for n in range(clients)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__)),
                "client",
                address,
                str(n),
                str(seconds),
                str(setup_file),
                str(logs[n]),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in range(clients)
    ]
    for n, process in enumerate(processes):
        output, _ = process.communicate(timeout=seconds + 300)
        if process.returncode != 0:
            raise AssertionError(f"client {n} failed ({process.returncode}):\n{output}")
    return setup, logs


@dataclass
class Outcome:
    committed: Counter[str] = field(default_factory=Counter)
    refused: int = 0
    errors: list[str] = field(default_factory=list)


def check(address: str, setup: Setup, logs: list[Path]) -> Outcome:
    """Compare the database with what every client acknowledged; AssertionError if anything
    acknowledged is missing or was overwritten unseen."""
    outcome = Outcome()
    marks: dict[tuple[str, str], str] = {}
    edits: dict[str, list[dict[str, Any]]] = {}
    shared: dict[str, list[dict[str, Any]]] = {}
    sessions: dict[str, str] = {}
    for log in logs:
        entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        assert entries and entries[-1]["op"] == "done", f"{log.name} did not finish"
        for e in entries[:-1]:
            if e["op"] not in ("refused", "error"):
                outcome.committed[e["op"]] += 1
            if e["op"] == "mark":
                marks[(e["session"], e["person"])] = e["status"]  # one client per person
            elif e["op"] == "edit":
                edits.setdefault(e["person"], []).append(e)
            elif e["op"] == "shared":
                shared.setdefault(e["person"], []).append(e)
            elif e["op"] == "session":
                sessions[e["id"]] = e["notes"]
            elif e["op"] == "refused":
                outcome.refused += 1
            elif e["op"] == "error":
                outcome.errors.append(f"{log.name}: {e['kind']}: {e['error']}")
    db = open_url(address)
    try:
        svc = Services(db)
        with db.read() as s:
            stored = {
                (sid, pid): st
                for sid, pid, st in s.execute(
                    select(Attendance.session_id, Attendance.participant_id, Attendance.status)
                )
            }
            notes = dict(
                s.execute(
                    select(SessionRow.id, SessionRow.notes).where(
                        SessionRow.id.in_(list(sessions))
                    )
                ).all()
            )
            deadlocks = s.scalar(
                text("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
            )
            counted = s.scalar(
                select(func.count())
                .select_from(Attendance)
                .join(SessionRow, SessionRow.id == Attendance.session_id)
                .where(Attendance.status.in_(COUNTED_STATUSES), SessionRow.status == "held")
            )
        # Every mark acknowledged last is the one stored (each person is marked by one client).
        assert stored == marks, "attendance differs from the marks acknowledged"
        # Each own person: the last edit acknowledged, its version counting every edit.
        for pid, done in edits.items():
            person = svc.people.get(pid)
            assert person.notes == done[-1]["notes"], pid
            assert person.version == 1 + len(done), pid
        # People everyone edits: every acknowledged save raised the version by exactly one
        # (none was applied over another unseen), and the newest acknowledged one is stored.
        for pid in setup.shared:
            done = shared.get(pid, [])
            person = svc.people.get(pid)
            versions = sorted(e["version"] for e in done)
            assert versions == list(range(2, 2 + len(done))), (pid, versions)
            assert person.version == 1 + len(done), pid
            if done:
                assert person.phone == max(done, key=lambda e: e["version"])["phone"], pid
        # Every session added is there with its notes.
        assert notes == sessions, "a session acknowledged is missing"
        # The figures equal a recount of the marks acknowledged.
        figures = svc.figures.compute([setup.programme_id], setup.date_from, setup.date_to)
        recount = sum(1 for status in marks.values() if status in COUNTED_STATUSES)
        assert figures.attendances == recount == counted, (figures.attendances, recount, counted)
        people = {pid for (_sid, pid), status in marks.items() if status in COUNTED_STATUSES}
        assert figures.participants == len(people)
        assert not deadlocks, f"{deadlocks} deadlocks"
    finally:
        db.close()
    return outcome


if __name__ == "__main__":
    if sys.argv[1] == "client":
        address, number, seconds, setup_file, log_file = sys.argv[2:7]
        client(
            address,
            int(number),
            float(seconds),
            Setup.from_json(Path(setup_file).read_text(encoding="utf-8")),
            Path(log_file),
        )
