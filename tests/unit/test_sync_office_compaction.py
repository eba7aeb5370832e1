"""Compaction of the change log when the office database is the hub: a laptop's log after its
syncs with the office (by the office's own record of what every device has applied), and the
office's own log (each field's latest change kept, so a laptop joining later still gets the
whole data). The replicas still merge by the rules afterwards."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import cli
from app.db.engine import Database, open_database, open_url
from app.db.models import ChangeEntry, SyncConflict, SyncDevice
from app.domain.people import PersonDTO
from app.services.container import Services
from app.sync import compaction, device, state
from app.sync import office as office_sync
from tests.support.sync_replicas import marks, seed

pytestmark = pytest.mark.office


@pytest.fixture
def hub(office_address: str) -> Iterator[tuple[str, Database]]:
    db = open_url(office_address)
    seed(Services(db), sessions=3, people=4)
    yield office_address, db
    db.close()


def _laptop(base: Path, name: str) -> Database:
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    return open_database(folder / "teixit.db")


def _count(db: Database, **where: object) -> int:
    with db.read() as s:
        q = select(func.count()).select_from(ChangeEntry)
        for name, value in where.items():
            q = q.where(getattr(ChangeEntry, name) == value)
        return int(s.scalar(q) or 0)


def _export(db: Database) -> dict[str, object]:
    return Services(db).exchange.export_data()


def _people(db: Database) -> list[str]:
    return [h.id for h in Services(db).people.search("Persona", limit=None)]


def _edit(db: Database, pid: str, **changes: object) -> None:
    services = Services(db)
    p = services.people.get(pid)
    services.people.save(PersonDTO(**{**p.__dict__, **changes}))  # type: ignore[arg-type]


def _open_conflicts(db: Database, field: str) -> list[SyncConflict]:
    with db.read() as s:
        return list(
            s.scalars(
                select(SyncConflict).where(
                    SyncConflict.field == field, SyncConflict.resolved_at.is_(None)
                )
            )
        )


def _sync(db: Database, address: str, *, compact: bool = False) -> None:
    summary = office_sync.sync_office(db, address, compact=compact)
    assert not summary.cancelled


def test_a_laptops_log_is_compacted_by_the_offices_record_and_still_merges(
    hub: tuple[str, Database],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    address, office = hub
    first, second = _laptop(tmp_path, "first"), _laptop(tmp_path, "second")
    try:
        office_sync.join_office(first, address)
        office_sync.join_office(second, address)
        a, b, c = _people(office)[:3]
        session_id = next(s.id for s in Services(office).sessions.find() if s.id)
        _edit(first, a, phone="600000001")
        _edit(first, a, phone="600000002")  # the first value is overwritten on the same laptop
        Services(first).sessions.set_attendance(session_id, {b: "present", c: "present"})
        _edit(second, b, notes="vist al casal")
        Services(office).sessions.set_attendance(session_id, {a: "late"})
        # Rounds through the office: each laptop applies the other's work, and their notes of
        # what they applied reach the office and the other laptop.
        for db in (first, second, first, second, first):
            _sync(db, address)
        # Not compacted by a sync unless asked (the window asks at every sync).
        before = _count(first)
        _sync(first, address)
        assert _count(first) == before
        with first.read() as s:
            assert state.floor(s) == 0
        # The command: sync with the office database and compact by its record.
        code = _cli(monkeypatch, capsys, tmp_path / "first", "--compact")
        assert code[0] == 0, code[2]
        after = _count(first)
        assert after < before // 2
        assert "entrades del registre de canvis suprimides" in code[1]
        with first.read() as s:
            assert state.floor(s) > 0
        # The second laptop's, by the same record, with the command alone: it syncs with the
        # office it chose and compacts by its record (not by the folder's rule).
        before_second = _count(second)
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        code = cli.main(["--data-dir", str(tmp_path / "second"), "sync", "--compact"])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert "canvis enviats" in out and "entrades del registre de canvis suprimides" in out
        assert _count(second) < before_second // 2
        # Later work on the other laptop merges field by field with the compacted one.
        Services(second).sessions.set_attendance(session_id, {c: None})  # a mark removed
        _edit(second, a, email="persona@example.org")  # another field of a compacted row
        _edit(second, b, phone="611111111")
        _edit(first, b, phone="622222222")  # the same field, later: wins, the other listed
        for db in (second, first, second):
            _sync(db, address, compact=True)
        for db in (office, first, second):
            one, two = Services(db).people.get(a), Services(db).people.get(b)
            # Nothing lost, nothing from before the compaction come back.
            assert (one.phone, one.email) == ("600000002", "persona@example.org")
            assert (two.phone, two.notes) == ("622222222", "vist al casal")
            assert marks(db, session_id) == {a: "late", b: "present"}
        assert _export(office) == _export(first) == _export(second)
        for db in (first, second):
            lost = _open_conflicts(db, "phone")
            assert len(lost) == 1 and "611111111" in lost[0].lost_value
    finally:
        first.close()
        second.close()


def _cli(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data: Path,
    *argv: str,
) -> tuple[int, str, str]:
    db = open_database(data / "teixit.db")
    address = office_sync.office_address(db)
    db.close()
    assert address is not None
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = cli.main(["--data-dir", str(data), "sync", "--database", address, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_device_that_has_not_applied_them_holds_the_laptops_compaction_back(
    hub: tuple[str, Database], tmp_path: Path
) -> None:
    address, office = hub
    first, second = _laptop(tmp_path, "first"), _laptop(tmp_path, "second")
    try:
        office_sync.join_office(first, address)
        office_sync.join_office(second, address)
        person, _changes = Services(first).people.save(PersonDTO("Nova", "Vidal"))
        Services(first).people.save(PersonDTO("Pol", "Roig"))  # (the laptop's last entry stays)
        _sync(first, address)
        _sync(first, address, compact=True)
        # The second laptop has not applied Nova yet: her entry stays on the first.
        assert _count(first, row_id=person.id) == 1
        for db in (second, first):
            _sync(db, address)
        # A device the office knows and this laptop does not yet (joined a moment ago) holds
        # it back too: what it has applied is not known here.
        with office.read() as s:
            record = office_sync.hub_record(s)
        assert record is not None
        newcomer = compaction.Hub(record.device, {**record.applied, "a-new-laptop": 0})
        assert compaction.compact(first, hub=newcomer).removed == 0
        _sync(first, address, compact=True)
        assert _count(first, row_id=person.id) == 0
        assert Services(first).people.get(str(person.id)).given_name == "Nova"
    finally:
        first.close()
        second.close()


def test_the_offices_own_log_keeps_each_fields_latest_change_and_a_new_laptop_still_joins(
    hub: tuple[str, Database], tmp_path: Path
) -> None:
    address, office = hub
    first = _laptop(tmp_path, "first")
    later = _laptop(tmp_path, "later")
    try:
        office_sync.join_office(first, address)
        a, b = _people(office)[:2]
        for n in range(5):  # edits of the same fields, at the office and on the laptop
            _edit(office, a, phone=f"60000000{n}")
            _edit(first, b, notes=f"nota {n}")
            _sync(first, address)
        _sync(first, address)
        before = _count(office)
        result = office_sync.compact_office(office)
        assert result.before == before and result.removed >= 8
        assert _count(office) == before - result.removed
        with office.read() as s:
            assert state.floor(s) == 0  # the office's log still knows every field's clock
            me = device.self_row(s)
            assert me is not None
            own_last = s.scalar(
                select(func.max(ChangeEntry.seq)).where(ChangeEntry.device_id == me.id)
            )
        # Each field's latest change is still there (the person's phone once, the notes once).
        assert _count(office, row_id=a) == 2  # the insertion and the last phone
        assert _count(office, row_id=b) == 2
        # A laptop joining now gets the whole data, and waits for nothing removed.
        office_sync.join_office(later, address)
        assert _export(later) == _export(office)
        with later.read() as s:
            office_peer = s.get(SyncDevice, me.id)
            assert office_peer is not None and office_peer.applied_seq == own_last
        # Later changes still merge field by field everywhere.
        _edit(later, a, email="a@example.org")
        _edit(first, a, notes="del portàtil")
        _edit(office, b, phone="699999999")
        for db in (later, first, later):
            _sync(db, address)
        for db in (office, first, later):
            one, two = Services(db).people.get(a), Services(db).people.get(b)
            assert (one.phone, one.email, one.notes) == (
                "600000004",
                "a@example.org",
                "del portàtil",
            )
            assert (two.phone, two.notes) == ("699999999", "nota 4")
        assert _export(office) == _export(first) == _export(later)
        # Compacting again: what every device has applied since goes too, and nothing breaks.
        again = office_sync.compact_office(office)
        assert again.removed > 0
        late, _changes = Services(office).people.save(PersonDTO("Pau", "Roig"))
        for db in (first, later):
            _sync(db, address)
            assert Services(db).people.get(str(late.id)).given_name == "Pau"
    finally:
        first.close()
        later.close()


def test_the_days_backup_of_the_office_compacts_its_log_after_the_copy(
    hub: tuple[str, Database], tmp_path: Path
) -> None:
    import datetime as dt

    from app.domain.office_backups import OfficeBackupSchedule
    from app.services.office_backups import OfficeBackupService

    address, office = hub
    first = _laptop(tmp_path, "first")
    try:
        office_sync.join_office(first, address)
        a = _people(office)[0]
        for n in range(4):
            _edit(office, a, phone=f"61000000{n}")
            _sync(first, address)
        before = _count(office)
        folder = tmp_path / "backups"
        folder.mkdir()
        backups = OfficeBackupService(office, now=lambda: dt.datetime(2026, 12, 1, 22, 0))
        backups.save_schedule(OfficeBackupSchedule(str(folder), dt.time(21, 0), 2))
        assert backups.take_if_due() is not None
        assert _count(office) < before  # the edits set again later are gone
        assert _count(office, row_id=a) == 2
        assert Services(first).people.get(a).phone == "610000003"
        assert _export(first) == _export(office)
    finally:
        first.close()


@pytest.mark.slow
def test_killed_office_syncs_that_compact_lose_nothing(office_address: str, tmp_path: Path) -> None:
    """Rule 7 with compaction: ``teixit sync --database ... --compact`` killed at random moments,
    the office's own log compacted now and then."""
    from tests.support.sync_kill import run_office

    report = run_office(tmp_path, office_address, kills=8, seed_value=11, compact=True)
    assert report.problems == []
    assert report.kills == 8


def test_a_change_the_office_made_during_the_sync_waits_for_the_next_compaction(
    hub: tuple[str, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The office's record counts only when this laptop has every change the office made
    before it: one made after the laptop received (an office PC saving meanwhile) may be older
    than what compaction would remove, and would then lose fields it should win."""
    address, office = hub
    laptop = _laptop(tmp_path, "laptop")
    try:
        office_sync.join_office(laptop, address)
        _sync(laptop, address)
        a = _people(office)[0]
        record_here = office_sync._record_here

        def saved_meanwhile(db: Database, hub_db: Database) -> object:
            _edit(office, a, notes="desat mentrestant")
            return record_here(db, hub_db)

        monkeypatch.setattr(office_sync, "_record_here", saved_meanwhile)
        before = _count(laptop)
        summary = office_sync.sync_office(laptop, address, compact=True)
        assert summary.compacted is None and _count(laptop) == before
        monkeypatch.setattr(office_sync, "_record_here", record_here)
        summary = office_sync.sync_office(laptop, address, compact=True)
        assert summary.compacted is not None and summary.compacted.removed > 0
        assert Services(laptop).people.get(a).notes == "desat mentrestant"
    finally:
        laptop.close()
