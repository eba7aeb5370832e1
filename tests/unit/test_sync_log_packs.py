"""A save of many entries on a file (a register's "everyone present") writes them as one pack
row, unpacked when the log is next read: what a sync sends, merges and counts is the same as if
each entry had been its own row."""

from __future__ import annotations

import json
from pathlib import Path

from app.db import changelog
from app.db.base import utcnow
from app.db.engine import Database
from app.db.models import Participant
from app.domain.people import PersonDTO
from app.services.container import Services
from tests.support.sync_replicas import (
    Replica,
    fields,
    marks,
    open_replica,
    seed,
    settled,
    team,
)


def _raw(db: Database) -> list[tuple[str, int, str, str, str, int, object]]:
    """The log's rows as stored (device, number, table, row, op, protect, hash)."""
    with db.read() as s:
        return [
            tuple(r)
            for r in s.connection().exec_driver_sql(
                "SELECT device_id, seq, table_name, row_id, op, protect, row_hash"
                " FROM change_log ORDER BY device_id, seq"
            )
        ]


def _people(services: Services, n: int) -> list[str]:
    out = []
    for i in range(n):
        p, _ = services.people.save(PersonDTO(given_name=f"Veí{i}", family_names="Sants"))
        assert p.id
        out.append(p.id)
    return out


def test_a_register_saved_at_once_is_one_row_then_one_entry_per_mark(tmp_path: Path) -> None:
    r = open_replica(tmp_path, "laptop")
    try:
        sid = seed(r.services).session_ids[0]
        people = _people(r.services, 40)
        before = _raw(r.db)
        pending = r.services.sync.status().pending
        r.services.sessions.set_attendance(sid, dict.fromkeys(people, "present"))
        (pack,) = _raw(r.db)[len(before) :]
        assert pack[4] == changelog.PACK and pack[6] is None
        # The window's count of changes to send counts the marks, not the row.
        assert r.services.sync.status().pending == pending + 41  # and the session, now held

        settled(r.db)
        rows = _raw(r.db)
        assert not [row for row in rows if row[4] == changelog.PACK]
        assert all(row[6] is not None for row in rows)  # every entry hashed
        new = [row for row in rows if row[1] > pack[1] - 41]
        # Numbered as they were written: the pack's number was its last entry's.
        assert [row[1] for row in new] == list(range(pack[1] - 40, pack[1] + 1))
        register = [e for e in r.own_entries("attendance") if e.seq > pack[1] - 41]
        assert len(register) == 40 and len({e.hlc for e in register}) == 1
        assert {e.op for e in register} == {"insert"}
        assert sorted(fields(e)["participant_id"] for e in register) == sorted(people)
        assert all(
            fields(e)
            == {
                "participant_id": fields(e)["participant_id"],
                "session_id": sid,
                "status": "present",
            }
            for e in register
        )
        (held,) = [e for e in r.own_entries("session") if e.seq > pack[1] - 41]
        assert (held.op, fields(held)) == ("update", {"status": "held"})
        # Changed again: the updates carry the status and the mark's natural key.
        r.services.sessions.set_attendance(sid, dict.fromkeys(people, "late"))
        again = [e for e in r.own_entries("attendance") if e.seq > pack[1]]
        assert len(again) == 40 and {e.op for e in again} == {"update"}
        assert {fields(e)["status"] for e in again} == {"late"}
        assert all(fields(e)["session_id"] == sid for e in again)
    finally:
        r.db.close()


def test_marks_saved_at_once_travel_to_the_other_devices(tmp_path: Path) -> None:
    for office, laptop in team(tmp_path):
        shared = tmp_path / "shared"
        sid = seed_session(office)
        people = _people(laptop.services, 30)
        laptop.services.sessions.set_attendance(sid, dict.fromkeys(people, "present"))
        laptop.services.sessions.set_attendance(sid, {p: "absent" for p in people[:10]})
        # Sent before anything settled the laptop's log: the packs are read entry by entry.
        assert any(row[4] == changelog.PACK for row in _raw(laptop.db))
        sent = laptop.sync(shared).sent
        assert sent >= 30 + 30 + 10 + 1
        office.sync(shared)
        expected = {p: ("absent" if i < 10 else "present") for i, p in enumerate(people)}
        assert marks(office.db, sid) == expected
        assert office.export() == laptop.export()
        # Each mark once: a second round moves nothing.
        assert (laptop.sync(shared).sent, office.sync(shared).merge.received) == (0, 0)


def seed_session(r: Replica) -> str:
    return next(s.id for s in r.services.sessions.find() if s.id)


def test_entries_that_protect_data_are_never_packed(tmp_path: Path) -> None:
    """An erasure is looked up by its flag (it wins over edits made meanwhile): written in the
    same save as other changes, it stays a row of its own."""
    r = open_replica(tmp_path, "laptop")
    try:
        a, b, c = _people(r.services, 3)
        before = len(_raw(r.db))
        with r.db.begin() as s:
            s.get(Participant, a).phone = "600111222"  # type: ignore[union-attr]
            s.get(Participant, b).blocked_at = utcnow()  # type: ignore[union-attr]
            s.get(Participant, c).phone = "600333444"  # type: ignore[union-attr]
        new = _raw(r.db)[before:]
        protective = [row for row in new if row[5]]
        assert [(row[3], row[4]) for row in protective] == [(b, "update")]
        with r.db.read() as s:
            packs = (
                s.connection()
                .exec_driver_sql("SELECT fields FROM change_log WHERE op = ?", (changelog.PACK,))
                .all()
            )
        for (body,) in packs:
            assert all(item[4] == 0 and item[1] != b for item in json.loads(body))
    finally:
        r.db.close()


def test_a_large_write_is_split_into_packs(tmp_path: Path) -> None:
    r = open_replica(tmp_path, "laptop")
    try:
        before = len(_raw(r.db))
        with r.db.begin() as s:
            for i in range(changelog._PACK_MAX + 20):
                s.add(
                    Participant(
                        given_name=f"Nom{i}",
                        family_names="Gran",
                        created_at=utcnow(),
                        updated_at=utcnow(),
                    )
                )
        new = _raw(r.db)[before:]
        assert [row[4] for row in new] == [changelog.PACK, changelog.PACK]
        settled(r.db)
        assert len(r.own_entries("participant")) == changelog._PACK_MAX + 20
    finally:
        r.db.close()


def test_a_pack_read_from_halfway_gives_only_the_entries_after(tmp_path: Path) -> None:
    """A sync that stopped between two files of a save's entries asks for those after the last
    it wrote: the pack (numbered as its last entry) gives only those."""
    r = open_replica(tmp_path, "laptop")
    try:
        sid = seed(r.services).session_ids[0]
        r.services.sessions.set_attendance(sid, dict.fromkeys(_people(r.services, 12), "late"))
        with r.db.read() as s:
            (pack,) = s.connection().exec_driver_sql(
                "SELECT * FROM change_log WHERE op = ?", (changelog.PACK,)
            ).all()
        whole = list(changelog.unpacked([pack]))
        assert [e.seq for e in whole] == list(range(pack.seq - 12, pack.seq + 1))
        rest = list(changelog.unpacked([pack], after=pack.seq - 5))
        assert rest == whole[-5:]
    finally:
        r.db.close()
