"""Every write leaves its change entries in the same transaction, whoever writes: each service,
a bulk import, a purge; a rolled-back write leaves none; nothing is logged before sync is set
up."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db.changelog import DEVICE_TABLES, SYNCED_TABLES
from app.db.models import Participant
from app.domain.networks import AgreementDTO, AttendeeDTO, MeetingDTO, SpaceDTO
from app.domain.people import ConsentDTO, PersonDTO
from app.domain.programmes import ProgrammeDTO
from app.exchange.spec import SPECS
from app.sync import device
from tests.support.sync_replicas import Replica, fields, open_replica, seed

D = dt.date


@pytest.fixture
def replica(tmp_path: Path) -> Replica:
    r = open_replica(tmp_path, "a")
    yield r
    r.db.close()


def _rows(r: Replica, table: str) -> dict[str, list[tuple[str, dict[str, object]]]]:
    out: dict[str, list[tuple[str, dict[str, object]]]] = {}
    for e in r.own_entries(table):
        out.setdefault(e.row_id, []).append((e.op, fields(e)))
    return out


def test_nothing_is_logged_before_sync_is_set_up(tmp_path: Path) -> None:
    r = open_replica(tmp_path, "solo", enable=False)
    try:
        seed(r.services)
        assert r.entries() == []
        # Setting sync up writes the baseline: one entry per row already kept.
        device.enable(r.db, "solo")
        people = _rows(r, "participant")
        assert len(people) == 4
        assert all(ops[0][0] == "insert" for ops in people.values())
    finally:
        r.db.close()


def test_a_person_saved_then_edited_leaves_an_insert_and_the_changed_fields(
    replica: Replica,
) -> None:
    person, _ = replica.services.people.save(PersonDTO(given_name="Aina", phone="600111222"))
    assert person.id
    replica.services.people.save(
        PersonDTO(given_name="Aina", phone="611222333", id=person.id, version=person.version)
    )
    ops = _rows(replica, "participant")[person.id]
    assert ops[0][0] == "insert" and ops[0][1]["given_name"] == "Aina"
    assert "updated_at" not in ops[0][1] and "version" not in ops[0][1]
    assert ops[1] == ("update", {"phone": "611222333"})


def test_marks_are_logged_with_their_natural_key(replica: Replica) -> None:
    s = seed(replica.services)
    sid, (p1, p2, *_rest) = s.session_ids[0], s.people
    replica.services.sessions.set_attendance(sid, {p1: "present", p2: "late"})
    replica.services.sessions.set_attendance(sid, {p1: "absent", p2: None})
    marks = replica.own_entries("attendance")
    by_person: dict[str, list[tuple[str, dict[str, object]]]] = {}
    for e in marks:
        f = fields(e)
        assert f["session_id"] == sid  # every entry carries (session, person)
        by_person.setdefault(str(f["participant_id"]), []).append((e.op, f))
    assert [op for op, _f in by_person[p1]] == ["insert", "update"]
    assert by_person[p1][1][1]["status"] == "absent"
    assert [op for op, _f in by_person[p2]] == ["insert", "delete"]


def test_a_meeting_with_agreements_and_links(replica: Replica) -> None:
    s = seed(replica.services)
    space, _ = replica.services.networks.save_space(SpaceDTO(id=None, name="Taula"))
    assert space.id
    meeting, _ = replica.services.networks.save_meeting(
        MeetingDTO(
            id=None,
            space_id=space.id,
            date=D(2026, 3, 4),
            minutes="Acta",
            programme_ids=(s.programme_id,),
            attendees=(AttendeeDTO(person_name="Marta"),),
            agreements=(AgreementDTO(id=None, text="Fer la festa"),),
        )
    )
    assert meeting.id
    assert _rows(replica, "network_meeting")[meeting.id][0][1]["minutes"] == "Acta"
    (link,) = _rows(replica, "meeting_programme")
    assert link == f"{meeting.id}|{s.programme_id}"
    (agreement,) = [ops for ops in _rows(replica, "agreement").values()]
    assert agreement[0][1]["number"] == 1 and agreement[0][1]["meeting_id"] == meeting.id
    assert len(_rows(replica, "meeting_attendee")) == 1


def test_a_programme_and_its_deletion_as_a_protected_change(replica: Replica) -> None:
    prog, _ = replica.services.programmes.save(
        ProgrammeDTO(code="JOV", name="Joves", category="prevention")
    )
    assert prog.id
    replica.services.programmes.delete(prog.id)
    entries = [e for e in replica.own_entries("programme") if e.row_id == prog.id]
    assert fields(entries[0])["code"] == "JOV"
    assert entries[-1].protect and fields(entries[-1])["deleted_at"]


def test_erasure_purge_and_revoked_consent_are_protected(replica: Replica) -> None:
    s = seed(replica.services)
    pid = s.people[0]
    replica.services.people.save_consent(pid, ConsentDTO(kind="image_web", date=D(2026, 1, 1)))
    replica.services.people.save_consent(
        pid, ConsentDTO(kind="image_web", date=D(2026, 1, 1), revoked_at=D(2026, 2, 1))
    )
    consent = replica.own_entries("consent")
    assert not consent[0].protect and consent[-1].protect
    replica.services.people.erase(pid)
    replica.services.purge.purge([pid])
    person = [e for e in replica.own_entries("participant") if e.row_id == pid]
    assert person[-2].protect and fields(person[-2])["blocked_at"]
    assert person[-1].protect and fields(person[-1])["given_name"] != "Persona0"
    # The purge's bulk delete of the consents leaves one tombstone per row.
    assert [e.op for e in replica.own_entries("consent")][-1] == "delete"


def test_an_import_logs_every_row_it_writes(replica: Replica, tmp_path: Path) -> None:
    other = open_replica(tmp_path, "other", enable=False)
    try:
        seed(other.services, sessions=2, people=3)
        data = other.export()
    finally:
        other.db.close()
    replica.services.exchange.import_data(data)
    assert len(_rows(replica, "participant")) == 3
    assert len(_rows(replica, "session")) == 2


def test_a_bulk_spreadsheet_import_names_the_ids_it_makes(replica: Replica) -> None:
    from sqlalchemy import insert

    with replica.db.begin() as s:
        s.execute(insert(Participant), [{"given_name": "Una"}, {"given_name": "Dos"}])
    with replica.db.read() as s:
        ids = set(s.scalars(select(Participant.id)))
    assert set(_rows(replica, "participant")) == ids


def test_a_rolled_back_write_leaves_no_entry(replica: Replica) -> None:
    before = len(replica.entries())
    with pytest.raises(RuntimeError), replica.db.begin() as s:
        s.add(Participant(given_name="Ningú"))
        s.flush()
        raise RuntimeError("cancelled")
    assert len(replica.entries()) == before


def test_the_synced_tables_are_those_of_the_interchange_file() -> None:
    assert set(DEVICE_TABLES) <= {spec.table.name for spec in SPECS}
    tables = {spec.table.name for spec in SPECS if spec.table.name not in DEVICE_TABLES}
    tables |= {"entity_profile"}
    links = {f.link.table.name for spec in SPECS for f in spec.fields if f.link is not None}
    assert set(SYNCED_TABLES) == tables | links
