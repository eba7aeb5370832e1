"""Compaction of the change log: what every device has applied goes, what a merge still needs
stays, and the replicas still merge by the rules (conflicts found, the same data everywhere)."""

from pathlib import Path

from sqlalchemy import func, select

from app.db.models import ChangeEntry, SyncConflict
from app.domain.people import PersonDTO
from app.sync import compaction, retire, run, state
from tests.support.sync_replicas import Replica, team


def _sync(r: Replica, shared: Path) -> None:
    """As the command and the window sync (this device remembers what it sent)."""
    run.sync(r.db, shared)


def _rounds(replicas: list[Replica], shared: Path, n: int = 2) -> None:
    for _ in range(n):
        for r in replicas:
            _sync(r, shared)


def _count(r: Replica) -> int:
    with r.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(ChangeEntry)) or 0)


def _open_conflicts(r: Replica) -> list[SyncConflict]:
    with r.db.read() as s:
        return list(s.scalars(select(SyncConflict).where(SyncConflict.resolved_at.is_(None))))


def _edit(r: Replica, person_id: str, **values: str) -> None:
    dto = r.services.people.get(person_id)
    r.services.people.save(dto.__class__(**{**dto.__dict__, **values}))


def test_acknowledged_entries_go_and_a_later_clash_is_still_a_conflict(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    for office, laptop in team(tmp_path):
        _rounds([office, laptop], shared)
        before = _count(office)
        result = compaction.compact(office.db)
        assert result.before == before and result.removed > before // 2
        assert _count(office) == before - result.removed
        with office.db.read() as s:
            assert state.floor(s) > 0
        compaction.compact(laptop.db)
        person = office.services.people.search("Persona0", limit=None)[0].id
        # The same field on both devices after compaction: the later wins, the other is listed.
        _edit(laptop, person, phone="600000001")
        _edit(office, person, phone="600000002")
        _edit(laptop, person, email="aina@example.org")  # another field: kept everywhere
        _rounds([office, laptop], shared)
        assert office.export() == laptop.export()
        kept = office.services.people.get(person)
        assert kept.phone == "600000002" and kept.email == "aina@example.org"
        for r in (office, laptop):
            lost = [c for c in _open_conflicts(r) if c.field == "phone"]
            assert len(lost) == 1 and "600000001" in lost[0].lost_value


def test_a_device_that_has_not_applied_them_holds_compaction_back(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    for office, laptop1, laptop2 in team(tmp_path, ("office", "laptop1", "laptop2")):
        _rounds([office, laptop1, laptop2], shared)
        laptop1.services.people.save(PersonDTO(given_name="Nova", family_names="Vidal"))
        _sync(laptop1, shared)
        _sync(office, shared)
        # laptop2 has not seen Nova: her entries stay on the office.
        compaction.compact(office.db)
        with office.db.read() as s:
            nova = s.scalars(select(ChangeEntry).where(ChangeEntry.fields.contains('"Nova"'))).all()
        assert nova
        # Once laptop2 is retired, it no longer holds anything back.
        with laptop2.db.read() as s:
            from app.sync.device import self_row

            me = self_row(s)
            assert me is not None
            laptop2_id = me.id
        retire.retire(office.db, laptop2_id, shared)
        _sync(laptop1, shared)  # learns the retirement, applies the office's marker
        _sync(office, shared)
        compaction.compact(office.db)
        with office.db.read() as s:
            gone = s.scalars(
                select(ChangeEntry).where(
                    ChangeEntry.fields.contains('"Nova"'), ChangeEntry.op == "insert"
                )
            ).all()
        assert gone == []


def test_three_devices_converge_when_only_one_compacts(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    for office, laptop1, laptop2 in team(tmp_path, ("office", "laptop1", "laptop2")):
        _rounds([office, laptop1, laptop2], shared)
        compaction.compact(office.db)
        people = [h.id for h in office.services.people.search("", limit=None)]
        _edit(laptop1, people[0], notes="laptop1")
        _edit(laptop2, people[0], notes="laptop2")
        _edit(office, people[1], notes="office")
        sid = office.services.sessions.find()[0].id
        assert sid
        office.services.sessions.set_attendance(sid, {people[2]: None})
        laptop2.services.sessions.set_attendance(sid, {people[3]: "present"})
        _rounds([laptop2, office, laptop1], shared)
        assert office.export() == laptop1.export() == laptop2.export()
        compaction.compact(laptop1.db)
        _edit(laptop1, people[1], notes="later")
        _rounds([laptop1, office, laptop2], shared)
        assert office.export() == laptop1.export() == laptop2.export()
        assert office.services.people.get(people[1]).notes == "later"
