"""Rule 4 for volunteers: one volunteer record per person. The same person made a volunteer on
two devices at once is one record after they sync (never refused by the unique key, never
doubled), merged field by field: the later value of a field wins and the other goes to the
conflicts list; the hours each device logged stay with the one record."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from sqlalchemy import func, insert, select

from app.db.models import Programme, SyncConflict, Volunteer, VolunteerHours
from app.domain.volunteers import VolunteerDTO, VolunteerHoursDTO
from tests.support.sync_replicas import Replica, team

D = dt.date


def _count(r: Replica, model: type) -> int:
    with r.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _programme(r: Replica) -> str:
    with r.db.read() as s:
        found = s.scalar(select(Programme.id).where(Programme.code == "P1"))
    assert found
    return str(found)


def _sync_all(replicas: list[Replica], shared: Path) -> None:
    for r in (*replicas, *replicas):
        r.sync(shared)


def test_the_same_person_made_a_volunteer_on_two_devices_is_one_record(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    replicas_of = team(tmp_path)
    replicas = next(replicas_of)
    office, laptop = replicas
    programme = _programme(office)
    try:
        person = office.services.people.search("Persona1", limit=None)[0].id
        assert person
        first, _c = office.services.volunteers.save(
            VolunteerDTO(person, D(2026, 3, 1), tasks="Repartiment d'aliments", insurer="Mapfre")
        )
        second, _c = laptop.services.volunteers.save(
            VolunteerDTO(person, D(2026, 3, 2), schedule="Dimarts a la tarda", insurer="Axa")
        )
        assert first.id == second.id  # the person's own id for the record, on every device
        assert first.id
        office.services.volunteers.save_hours(
            VolunteerHoursDTO(first.id, D(2026, 3, 1), 2.0, programme_id=programme)
        )
        laptop.services.volunteers.save_hours(
            VolunteerHoursDTO(first.id, D(2026, 4, 1), 3.0, programme_id=programme)
        )
        _sync_all(replicas, shared)  # no unique key refused
        for r in replicas:
            assert _count(r, Volunteer) == 1
            assert _count(r, VolunteerHours) == 2
            merged = r.services.volunteers.get(first.id)
            # The laptop's record was made later: its fields win, the others are listed.
            assert (merged.start, merged.insurer) == (D(2026, 3, 2), "Axa")
            assert merged.schedule == "Dimarts a la tarda"
            assert merged.hours == 5.0
        assert office.export() == laptop.export()
        conflicts = set()
        for r in replicas:
            with r.db.read() as s:
                conflicts |= {
                    (c.table_name, c.field, c.lost_value) for c in s.scalars(select(SyncConflict))
                }
        assert ("volunteer", "insurer", '"Mapfre"') in conflicts  # listed, not lost
        assert ("volunteer", "tasks", '"Repartiment d\'aliments"') in conflicts
    finally:
        replicas_of.close()


def test_volunteers_made_before_their_ids_came_from_the_person_merge_too(
    tmp_path: Path,
) -> None:
    """Records made under ids of their own (by an older Teixit) for one person on two devices:
    one record on each, merged field by field, the other device's hours under it (each device
    keeps the record under the id it had: other records name it)."""
    shared = tmp_path / "shared"
    replicas_of = team(tmp_path)
    office, laptop = next(replicas_of)
    try:
        person = office.services.people.search("Persona2", limit=None)[0].id
        ids = {}
        for r, tasks in ((office, "Acollida"), (laptop, "Reforç escolar")):
            ids[r.name] = vid = str(uuid.uuid4())
            with r.db.begin() as s:
                s.execute(
                    insert(Volunteer).values(
                        id=vid, participant_id=person, start=D(2026, 3, 1), tasks=tasks
                    )
                )
            r.services.volunteers.save_hours(
                VolunteerHoursDTO(vid, D(2026, 3, 1), 1.5, programme_id=_programme(r))
            )
        _sync_all([office, laptop], shared)
        for r in (office, laptop):
            assert _count(r, Volunteer) == 1
            assert _count(r, VolunteerHours) == 2
            with r.db.read() as s:
                (vid,) = s.scalars(select(Volunteer.id))
                assert vid == ids[r.name]
                assert set(s.scalars(select(VolunteerHours.volunteer_id))) == {vid}
        assert office.services.volunteers.get(ids["office"]).tasks == "Reforç escolar"
        assert laptop.services.volunteers.get(ids["laptop"]).tasks == "Reforç escolar"
    finally:
        replicas_of.close()
