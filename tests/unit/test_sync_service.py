"""The sync service the window calls: its status, the conflicts in words (in Catalan, the tests'
language), "Use the other value" (written as this device's change, so it travels) and "Keep";
on both engines."""

import datetime as dt
import json

import pytest
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import ChangeEntry, SyncConflict, SyncDevice
from app.domain.clock import pack
from app.domain.people import PersonDTO
from app.errors import UserError
from app.services.container import Services
from app.sync import device
from tests.support.sync_replicas import seed

BOTH_ENGINES = True

WHEN = dt.datetime(2026, 11, 20, 9, 30)


def _peer(db: Database, name: str = "Portàtil del casal") -> str:
    with db.begin() as s:
        s.add(SyncDevice(id="peer-0001", name=name, is_self=False, last_hlc=0, applied_seq=0))
    return "peer-0001"


def _conflict(db: Database, table: str, row_id: str, field: str, kept: object, lost: object) -> str:
    me = device.info(db)
    assert me is not None
    ms = int(WHEN.replace(tzinfo=dt.UTC).timestamp() * 1000)
    with db.begin() as s:
        c = SyncConflict(
            table_name=table,
            row_id=row_id,
            field=field,
            kind="field",
            kept_value=json.dumps(kept),
            kept_device=me.id,
            kept_hlc=pack(ms + 60_000),
            lost_value=json.dumps(lost),
            lost_device="peer-0001",
            lost_hlc=pack(ms),
        )
        s.add(c)
        s.flush()
        return c.id


def test_the_status_appears_once_sync_is_set_up(db: Database) -> None:
    services = Services(db)
    assert services.sync.status().enabled is False
    assert services.sync.open_conflicts() == 0
    device.enable(db, "Oficina")
    status = services.sync.status()
    assert status.enabled and status.device_name == "Oficina" and not status.ready
    before = status.pending
    services.people.save(PersonDTO(given_name="Aina", family_names="Puig"))
    assert services.sync.status().pending == before + 1


def test_a_conflict_in_words_and_the_other_value_used(db: Database) -> None:
    services = Services(db)
    device.enable(db, "Oficina")
    _peer(db)
    person, _ = services.people.save(
        PersonDTO(given_name="Aina", family_names="Puig", phone="611111111")
    )
    assert person.id
    cid = _conflict(db, "participant", person.id, "phone", "611111111", "622222222")
    assert services.sync.status().conflicts == 1
    [view] = services.sync.conflicts()
    assert view.record == "Persona: Aina Puig" and view.field == "Telèfon"
    assert (view.kept, view.lost) == ("611111111", "622222222")
    assert view.kept_by == "aquest dispositiu (Oficina)" and view.lost_by == "Portàtil del casal"
    assert view.lost_at == WHEN and view.swappable
    services.sync.swap(cid)
    after = services.people.get(person.id)
    assert after.phone == "622222222" and after.version == person.version + 1
    assert services.sync.conflicts() == [] and services.sync.open_conflicts() == 0
    me = device.info(db)
    assert me is not None
    with db.read() as s:
        last = s.scalars(
            select(ChangeEntry)
            .where(ChangeEntry.device_id == me.id)
            .order_by(ChangeEntry.seq.desc())
            .limit(1)
        ).one()
        assert (last.op, last.row_id, json.loads(last.fields)) == (
            "update",
            person.id,
            {"phone": "622222222"},
        )
    with pytest.raises(UserError):
        services.sync.swap(cid)  # already dealt with


def test_keep_leaves_the_value_and_closes_the_conflict(db: Database) -> None:
    services = Services(db)
    device.enable(db, "Oficina")
    _peer(db)
    s = seed(services)
    sid, pid = s.session_ids[0], s.people[0]
    services.sessions.set_attendance(sid, {pid: "present"})
    mark = services.sessions.attendance(sid)
    [mark_id] = _ids(db, "attendance")
    cid = _conflict(db, "attendance", mark_id, "status", "present", "late")
    [view] = services.sync.conflicts()
    assert view.record == "Assistència de Persona0 Puig a Taller · 2026-03-02"
    assert view.field == "Estat"
    services.sync.dismiss(cid)
    assert services.sync.conflicts() == []
    assert services.sessions.attendance(sid) == mark


def test_a_conflict_on_an_erased_person_cannot_be_swapped(db: Database) -> None:
    services = Services(db)
    device.enable(db, "Oficina")
    _peer(db)
    person, _ = services.people.save(PersonDTO(given_name="Aina", phone="611111111"))
    assert person.id
    cid = _conflict(db, "participant", person.id, "phone", "611111111", "622222222")
    services.people.erase(person.id)
    [view] = services.sync.conflicts()
    assert not view.swappable
    assert view.record == "Persona: una persona amb les dades suprimides"
    with pytest.raises(UserError):
        services.sync.swap(cid)
    services.sync.dismiss(cid)
    assert services.sync.open_conflicts() == 0
    # An edit that arrived after the erasure: listed, never applied, only kept.
    with db.begin() as s:
        s.add(
            SyncConflict(
                table_name="participant",
                row_id=person.id,
                kind="blocked",
                lost_value='{"phone": "633333333"}',
                lost_device="peer-0001",
            )
        )
    [view] = services.sync.conflicts()
    assert (view.field, view.kept) == (
        "Editat mentre se'n suprimien les dades en un altre dispositiu",
        "(dades suprimides)",
    )
    assert view.lost == "Telèfon: 633333333" and not view.swappable


def _ids(db: Database, table: str) -> list[str]:
    from app.db.changelog import table as table_of

    t = table_of(table)
    with db.read() as s:
        return [str(r[0]) for r in s.connection().execute(select(t.c.id))]
