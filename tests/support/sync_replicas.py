"""Replicas for the sync tests: databases in a temporary folder, set up for sync, a small seed of
records, and a folder they all sync through."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.db import changelog
from app.db.engine import Database, open_database
from app.db.models import Attendance, ChangeEntry
from app.domain.people import PersonDTO
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import SessionDTO
from app.services.container import Services
from app.sync import device, folder
from tests.support.templates import new_database

D = dt.date



def marks(db: Database, session_id: str) -> dict[str, str]:
    """A session's marks, by person."""
    with db.read() as s:
        return {
            str(pid): str(status)
            for pid, status in s.execute(
                select(Attendance.participant_id, Attendance.status).where(
                    Attendance.session_id == session_id
                )
            )
        }


def settled(db: Database) -> None:
    """The log as one row per entry, as a sync reads it (a save of several marks writes them
    as one pack: app/db/changelog.py)."""
    with db.begin() as s:
        changelog.settle(s.connection())

@dataclass
class Replica:
    name: str
    db: Database
    services: Services

    def sync(self, shared: Path) -> folder.FolderSummary:
        return folder.sync_folder(self.db, shared)

    def export(self) -> dict[str, Any]:
        return self.services.exchange.export_data()

    def entries(self, table: str | None = None) -> list[ChangeEntry]:
        settled(self.db)
        with self.db.read() as s:
            q = select(ChangeEntry).order_by(ChangeEntry.device_id, ChangeEntry.seq)
            if table:
                q = q.where(ChangeEntry.table_name == table)
            return list(s.scalars(q))

    def own_entries(self, table: str | None = None) -> list[ChangeEntry]:
        me = device.info(self.db)
        assert me is not None
        return [e for e in self.entries(table) if e.device_id == me.id]


def fields(entry: ChangeEntry) -> dict[str, Any]:
    return dict(json.loads(entry.fields))


def open_replica(base: Path, name: str, *, enable: bool = True) -> Replica:
    folder_ = base / name
    folder_.mkdir(parents=True, exist_ok=True)
    db = open_database(new_database(folder_ / "teixit.db"))
    if enable:
        device.enable(db, name)
    return Replica(name, db, Services(db))


@dataclass(frozen=True)
class Seed:
    programme_id: str
    activity_id: str
    session_ids: list[str]
    people: list[str]


def seed(services: Services, sessions: int = 3, people: int = 4) -> Seed:
    prog, _ = services.programmes.save(ProgrammeDTO(code="P1", name="Casal", category="prevention"))
    assert prog.id
    act, _ = services.programmes.save_activity(ActivityDTO(programme_id=prog.id, name="Taller"))
    assert act.id
    sids = []
    for i in range(sessions):
        sess, _ = services.sessions.save(
            SessionDTO(activity_id=act.id, date=D(2026, 3, 2) + dt.timedelta(days=7 * i))
        )
        assert sess.id
        sids.append(sess.id)
    pids = []
    for i in range(people):
        person, _ = services.people.save(PersonDTO(given_name=f"Persona{i}", family_names="Puig"))
        assert person.id
        pids.append(person.id)
    return Seed(prog.id, act.id, sids, pids)


def team(base: Path, names: tuple[str, ...] = ("office", "laptop")) -> Iterator[list[Replica]]:
    """The first replica holds the seed and the team's key; the others join through the folder
    (``base / "shared"``)."""
    shared = base / "shared"
    shared.mkdir(exist_ok=True)
    first = open_replica(base, names[0])
    seed(first.services)
    code = device.create_key(first.db)
    first.sync(shared)
    replicas = [first]
    for name in names[1:]:
        r = open_replica(base, name, enable=False)
        device.pair(r.db, code, name)
        folder.join_folder(r.db, shared)
        replicas.append(r)
    try:
        yield replicas
    finally:
        for r in replicas:
            r.db.close()
