"""A new device's first replica in bulk (app/sync/bulk.py) ends exactly as the merge of one
change at a time would: same data, same change log, same cursors; and whatever needs the
merge's judgement goes through the merge."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db.models import ChangeEntry, Programme, SyncDevice
from app.domain.networks import AgreementDTO, MeetingDTO, SpaceDTO
from app.domain.people import ConsentDTO, PersonDTO
from app.domain.programmes import ProgrammeDTO
from app.domain.sessions import HeadCountDTO
from app.sync import bulk, device, folder
from tests.support.sync_replicas import Replica, open_replica, seed, settled


def _busy_office(base: Path) -> tuple[Replica, str]:
    """An office whose log holds every kind of change: edits, deletions, an erasure, marks made
    and removed, head counts, a meeting with agreements."""
    office = open_replica(base, "office")
    s = office.services
    data = seed(s, sessions=4, people=6)
    first, second, third = data.people[:3]
    p = s.people.get(first)
    s.people.save(PersonDTO(**{**p.__dict__, "phone": "600000001"}))
    s.people.save_consent(second, ConsentDTO(kind="image_web"))
    s.people.erase(third)
    s.sessions.set_attendance(data.session_ids[0], {first: "present", second: "late"})
    s.sessions.set_attendance(data.session_ids[0], {second: None})
    s.sessions.set_head_counts(data.session_ids[1], [HeadCountDTO("woman", "18-29", 4)])
    space, _c = s.networks.save_space(SpaceDTO(id=None, name="Taula"))
    assert space.id
    s.networks.save_meeting(
        MeetingDTO(
            id=None,
            space_id=space.id,
            date=dt.date(2026, 3, 3),
            minutes="Acta",
            agreements=(AgreementDTO(id=None, text="Acord"),),
        )
    )
    other, _c = s.programmes.save(ProgrammeDTO(code="P2", name="Altre", category="prevention"))
    assert other.id
    s.programmes.delete(other.id)
    code = device.create_key(office.db)
    return office, code


def _log(r: Replica) -> list[tuple[object, ...]]:
    settled(r.db)
    with r.db.read() as s:
        return [
            (e.device_id, e.seq, e.hlc, e.table_name, e.row_id, e.op, e.fields, e.protect)
            for e in s.scalars(select(ChangeEntry).order_by(ChangeEntry.device_id, ChangeEntry.seq))
        ]


def _cursors(r: Replica) -> dict[str, int]:
    with r.db.read() as s:
        return {
            d.id: d.applied_seq
            for d in s.scalars(select(SyncDevice).where(SyncDevice.is_self.is_(False)))
        }


def test_a_replica_in_bulk_is_the_merges_replica(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    office, code = _busy_office(tmp_path)
    office.sync(shared)
    in_bulk = open_replica(tmp_path, "bulk", enable=False)
    device.pair(in_bulk.db, code, "bulk")
    used: list[int] = []
    real = bulk.apply_in_bulk

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        used.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(bulk, "apply_in_bulk", counted)
    folder.join_folder(in_bulk.db, shared)
    assert used == [1]

    def refused(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise bulk.NotInBulk

    monkeypatch.setattr(bulk, "apply_in_bulk", refused)
    merged = open_replica(tmp_path, "merged", enable=False)
    device.pair(merged.db, code, "merged")
    folder.join_folder(merged.db, shared)
    assert in_bulk.export() == merged.export() == office.export()
    office_log = _log(office)
    for r in (in_bulk, merged):
        theirs = [e for e in _log(r) if e[0] == office_log[0][0]]
        assert theirs == office_log  # the office's whole log, once
    office_id = office_log[0][0]
    assert _cursors(in_bulk)[office_id] == _cursors(merged)[office_id] == len(office_log)
    # And both go on syncing: a change at the office reaches the bulk replica.
    office.services.people.save(PersonDTO(given_name="Després"))
    office.sync(shared)
    in_bulk.sync(shared)
    assert in_bulk.export() == office.export()
    for r in (office, in_bulk, merged):
        r.db.close()


def test_a_code_taken_on_two_devices_goes_through_the_merge(tmp_path: Path) -> None:
    """Two devices wrote the same programme code before a third joined: the merge renumbers
    one, so the replica is not made in bulk, and ends as the others."""
    shared = tmp_path / "shared"
    shared.mkdir()
    office = open_replica(tmp_path, "office")
    code = device.create_key(office.db)
    laptop = open_replica(tmp_path, "laptop", enable=False)
    device.pair(laptop.db, code, "laptop")
    for r in (office, laptop):
        r.services.programmes.save(ProgrammeDTO(code="JOV", name=r.name, category="prevention"))
        r.sync(shared)
    new = open_replica(tmp_path, "new", enable=False)
    device.pair(new.db, code, "new")
    summary = folder.join_folder(new.db, shared)
    assert summary.merge.renumbered  # the merge decided
    for r in (office, laptop):
        r.sync(shared)
    with new.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Programme)) == 2
    assert new.export() == office.export() == laptop.export()
    for r in (office, laptop, new):
        r.db.close()
