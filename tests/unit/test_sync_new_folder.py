"""Moving to a new sync folder after compaction: each device's first sync there writes what the
change log no longer holds (the fields compaction removed, and a marker in place of each of its
own entries removed), so a device joining through the new folder gets the whole data, and the
devices that were there already see no conflict."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.db.models import ChangeEntry, SyncConflict
from app.domain.people import PersonDTO
from app.sync import device, run, state
from tests.support.sync_replicas import Replica, open_replica, team


def _count(r: Replica, model: type) -> int:
    with r.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_a_device_joining_through_a_new_folder_after_compaction_gets_everything(
    tmp_path: Path,
) -> None:
    old = tmp_path / "shared"
    new = tmp_path / "new-shared"
    new.mkdir()
    replicas_of = team(tmp_path)
    office, laptop = next(replicas_of)
    joiner = open_replica(tmp_path, "joiner", enable=False)
    try:
        hit = office.services.people.search("Persona1", limit=None)[0]
        person = office.services.people.get(hit.id)
        office.services.people.save(person.__class__(**{**person.__dict__, "phone": "600111222"}))
        laptop.services.people.save(PersonDTO("Nadia", "Roca"))
        for _round in range(3):
            for r in (office, laptop):
                run.sync(r.db, old, compact=True)
        with office.db.read() as s:
            assert state.floor(s) > 0  # compaction removed entries
            left = s.scalar(select(func.count()).select_from(ChangeEntry))
        assert left is not None and left < 40
        # The team moves: each device syncs once with the new folder.
        for r in (office, laptop, office):
            run.sync(r.db, new)
        assert _count(office, SyncConflict) == 0 and _count(laptop, SyncConflict) == 0
        with office.db.read() as s:
            code = device.pairing_code(device.team_key(s))
        device.pair(joiner.db, code, "joiner")
        run.join(joiner.db, new)
        assert joiner.export() == office.export() == laptop.export()
        # And it keeps syncing there.
        pere, _c = joiner.services.people.save(PersonDTO("Pere", "Mas"))
        for r in (joiner, office, laptop):
            run.sync(r.db, new)
        assert office.services.people.get(str(pere.id)).given_name == "Pere"
        assert joiner.export() == office.export() == laptop.export()
    finally:
        joiner.db.close()
        replicas_of.close()
