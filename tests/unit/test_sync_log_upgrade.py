"""The change log of a file reshaped by migration 0018_change_log_keys (one B-tree keyed by
device and number, rows found by a hash filled at the next look-up): a laptop's log at the
previous revision is converted in place and syncs on as before."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import func, select

import app.db.engine as engine_module
from app.db import changelog, schema_match
from app.db.engine import make_engine, open_database
from app.db.models import ChangeEntry, SyncConflict
from app.domain.people import PersonDTO
from app.services.container import Services
from app.sync import folder
from tests.support.sync_replicas import Replica, marks, open_replica, seed, team

pytestmark = pytest.mark.sqlite_only

PREVIOUS = "0017_viewer_counts"


def _downgrade(path: Path, revision: str) -> None:
    engine = make_engine(path)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(engine_module.__file__).parent / "migrations"))
    try:
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.downgrade(cfg, revision)
    finally:
        engine.dispose()


def _log(path: Path) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(
            "SELECT device_id, seq, hlc, table_name, row_id, op, fields, protect FROM change_log"
            " ORDER BY device_id, seq"
        ).fetchall()
    finally:
        con.close()


def _unhashed(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        found = con.execute("SELECT count(*) FROM change_log WHERE row_hash IS NULL").fetchone()
        return int(found[0])
    finally:
        con.close()


def test_a_laptops_log_at_the_previous_revision_is_converted_and_syncs_on(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "shared"
    for office, laptop in team(tmp_path):
        sessions = [s.id for s in office.services.sessions.find() if s.id]
        people = sorted(h.id for h in office.services.people.search("", limit=None))
        # Offline on the laptop: a register marked, a person edited.
        laptop.services.sessions.set_attendance(sessions[0], {p: "present" for p in people})
        person = laptop.services.people.get(people[0])
        laptop.services.people.save(PersonDTO(**{**person.__dict__, "phone": "600111222"}))
        path = laptop.db.path
        laptop.db.close()

        # The laptop's file at the previous revision, as that version left it.
        _downgrade(path, PREVIOUS)
        assert schema_match.describe(sqlite3.connect(path)) == schema_match.reference(PREVIOUS)
        before = _log(path)
        assert len(before) > len(people)
        # The register's marks, saved as one pack, are one entry each as that version reads.
        assert not [e for e in before if e[5] == changelog.PACK]
        register = [e for e in before if e[3] == "attendance" and sessions[0] in e[6]]
        assert len(register) == len(people)
        assert all(json.loads(e[6])["status"] == "present" and e[7] == 0 for e in register)

        laptop = _reopen(path)
        # Converted in place: every entry as it was, none hashed yet.
        assert _log(path) == before
        assert _unhashed(path) == len(before)

        # Both sides change things, then sync both ways.
        laptop.services.sessions.set_attendance(sessions[1], {people[1]: "late"})
        person = office.services.people.get(people[1])
        office.services.people.save(PersonDTO(**{**person.__dict__, "notes": "vist al casal"}))
        # The same field on both sides: the merge must find the other side's entry of the row.
        mine = laptop.services.people.get(people[2])
        laptop.services.people.save(PersonDTO(**{**mine.__dict__, "email": "laptop@example.org"}))
        theirs = office.services.people.get(people[2])
        office.services.people.save(
            PersonDTO(**{**theirs.__dict__, "email": "oficina@example.org"})
        )
        for r in (laptop, office, laptop, office):
            folder.sync_folder(r.db, shared)

        assert laptop.export() == office.export()
        assert marks(office.db, sessions[0]) == {p: "present" for p in people}
        assert office.services.people.get(people[0]).phone == "600111222"
        assert laptop.services.people.get(people[1]).notes == "vist al casal"
        # The later edit won on both, and both list the conflict, found through the hash.
        emails = {laptop.services.people.get(people[2]).email}
        assert emails == {office.services.people.get(people[2]).email}
        for r in (laptop, office):
            with r.db.read() as s:
                assert s.scalar(
                    select(func.count())
                    .select_from(SyncConflict)
                    .where(SyncConflict.row_id == people[2], SyncConflict.field == "email")
                )
        # The merge hashed what it looked rows up by.
        assert _unhashed(path) < len(before)
        laptop.db.close()


def _reopen(path: Path) -> Replica:
    db = open_database(path)
    return Replica("laptop", db, Services(db))


def test_a_rows_entries_are_found_by_their_hash_whatever_wrote_them(tmp_path: Path) -> None:
    """Entries written unhashed (a save) and hashed (a merge) are found alike; two rows whose
    hashes were the same would still be told apart by their table and id."""
    office = open_replica(tmp_path, "office")
    try:
        ids = seed(office.services, sessions=1, people=2).people
        with office.db.begin() as s:
            c = s.connection()
            unhashed = c.exec_driver_sql(
                "SELECT count(*) FROM change_log WHERE row_hash IS NULL"
            ).scalar()
            assert unhashed
            found = changelog.entries_for_rows(c, "participant", [ids[0]])
            assert {r.row_id for r in found} == {ids[0]}
            assert [r.seq for r in found] == sorted(r.seq for r in found)
            assert (
                c.exec_driver_sql("SELECT count(*) FROM change_log WHERE row_hash IS NULL").scalar()
                == 0
            )
            # A planted collision: another row given the first one's hash is not its entry.
            c.exec_driver_sql(
                "UPDATE change_log SET row_hash = ?"
                " WHERE table_name = 'participant' AND row_id = ?",
                (changelog.row_hash("participant", ids[0]), ids[1]),
            )
            again = changelog.entries_for_rows(c, "participant", [ids[0]])
            assert [r.seq for r in again] == [r.seq for r in found]
            total = s.scalar(select(func.count()).select_from(ChangeEntry))
            assert total and total > len(found)
    finally:
        office.db.close()
