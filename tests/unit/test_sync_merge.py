"""The merge rules of sync (docs/sync.md), one test each, on two replicas (an office PC and a
laptop) syncing through a folder: after both have synced, both hold the same data, and what a
rule did not keep is in the conflicts list."""

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import i18n
from app.db.models import Attendance, Consent, HeadCount, Participant, Programme, SyncConflict
from app.domain.data_protection import PURGED_NAME
from app.domain.networks import AgreementDTO, MeetingDTO, SpaceDTO
from app.domain.people import ConsentDTO, PersonDTO
from app.domain.programmes import ProgrammeDTO
from app.domain.sessions import HeadCountDTO
from app.errors import UserError
from app.sync import folder
from app.sync.device import self_row
from tests.support.sync_replicas import Replica, marks, team

D = dt.date


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Replica, Replica, Path]]:
    for office, laptop in team(tmp_path):
        yield office, laptop, tmp_path / "shared"


def _round(shared: Path, *replicas: Replica) -> None:
    """Everyone syncs, then everyone again (so each has the others' last changes)."""
    for r in replicas:
        r.sync(shared)
    for r in replicas:
        r.sync(shared)


def _same(a: Replica, b: Replica) -> None:
    assert a.export() == b.export()


def _person(r: Replica, pid: str) -> PersonDTO:
    return r.services.people.get(pid)


def _edit(r: Replica, pid: str, **changes: object) -> None:
    p = _person(r, pid)
    values = {**p.__dict__, **changes}
    r.services.people.save(PersonDTO(**values))  # type: ignore[arg-type]


def _conflicts(r: Replica, kind: str | None = None) -> list[SyncConflict]:
    with r.db.read() as s:
        q = select(SyncConflict)
        if kind:
            q = q.where(SyncConflict.kind == kind)
        return list(s.scalars(q))


def _people_ids(r: Replica) -> list[str]:
    with r.db.read() as s:
        return list(s.scalars(select(Participant.id).order_by(Participant.given_name)))


def test_the_laptop_joined_with_the_whole_data(pair: tuple[Replica, Replica, Path]) -> None:
    office, laptop, _shared = pair
    _same(office, laptop)
    assert len(_people_ids(laptop)) == 4


def test_rule_1_different_fields_of_one_record_are_both_kept(
    pair: tuple[Replica, Replica, Path],
) -> None:
    office, laptop, shared = pair
    pid = _people_ids(office)[0]
    _edit(office, pid, phone="600111222")
    _edit(laptop, pid, email="aina@example.org")
    _round(shared, laptop, office)
    _same(office, laptop)
    p = _person(office, pid)
    assert (p.phone, p.email) == ("600111222", "aina@example.org")
    assert _conflicts(office) == [] and _conflicts(laptop) == []


def test_rule_2_the_same_field_later_wins_and_the_other_is_listed(
    pair: tuple[Replica, Replica, Path],
) -> None:
    office, laptop, shared = pair
    pid = _people_ids(office)[0]
    _edit(laptop, pid, phone="600111222")
    _edit(office, pid, phone="699888777")  # later
    _round(shared, laptop, office)
    _same(office, laptop)
    assert _person(laptop, pid).phone == "699888777"
    for r in (office, laptop):
        (c,) = _conflicts(r, "field")
        assert (c.table_name, c.row_id, c.field) == ("participant", pid, "phone")
        assert (json.loads(c.kept_value), json.loads(c.lost_value)) == ("699888777", "600111222")
        assert c.kept_hlc > c.lost_hlc and c.kept_device != c.lost_device
    with office.db.read() as s:
        me = self_row(s)
        assert me is not None
        assert _conflicts(office)[0].kept_device == me.id


def test_rule_3_equal_marks_merge_different_marks_follow_rule_2(
    pair: tuple[Replica, Replica, Path],
) -> None:
    office, laptop, shared = pair
    sid = office.services.sessions.find()[0].id
    assert sid
    p1, p2, *_ = _people_ids(office)
    laptop.services.sessions.set_attendance(sid, {p1: "present", p2: "present"})
    office.services.sessions.set_attendance(sid, {p1: "present", p2: "late"})  # later
    counts = [HeadCountDTO("woman", "18-29", 3)]
    laptop.services.sessions.set_head_counts(sid, counts)
    office.services.sessions.set_head_counts(sid, [HeadCountDTO("woman", "18-29", 5)])
    _round(shared, laptop, office)
    _same(office, laptop)
    with office.db.read() as s:
        heads = s.execute(select(HeadCount.count).where(HeadCount.session_id == sid)).all()
    assert marks(office.db, sid) == {p1: "present", p2: "late"}
    assert [h[0] for h in heads] == [5]
    fields = sorted(c.field for c in _conflicts(office, "field"))
    assert fields == ["count", "status"]  # p1's equal marks are no conflict


def test_rule_4_a_code_taken_twice_is_renumbered_never_refused(
    pair: tuple[Replica, Replica, Path],
) -> None:
    office, laptop, shared = pair
    office.services.programmes.save(ProgrammeDTO(code="JOV", name="Joves", category="prevention"))
    laptop.services.programmes.save(ProgrammeDTO(code="JOV", name="Jovent", category="prevention"))
    laptop.sync(shared)
    summary = office.sync(shared)
    (renumbered,) = summary.merge.renumbered
    assert renumbered.startswith("JOV → JOV-")
    laptop.sync(shared)
    _same(office, laptop)
    with laptop.db.read() as s:
        codes = dict(s.execute(select(Programme.name, Programme.code)).all())
    assert codes["Joves"] == "JOV" and codes["Jovent"].startswith("JOV-")


def test_rule_4_the_same_walk_in_typed_twice_is_flagged(
    pair: tuple[Replica, Replica, Path],
) -> None:
    office, laptop, shared = pair
    office.services.people.save(PersonDTO(given_name="Nadia", family_names="Benali"))
    laptop.services.people.save(PersonDTO(given_name="Nadia", family_names="Benali"))
    laptop.sync(shared)
    summary = office.sync(shared)
    assert summary.merge.duplicates == ["Nadia Benali"]
    assert "Nadia Benali" in summary.describe()


def test_rule_5_an_erasure_wins_over_an_edit_made_meanwhile(
    pair: tuple[Replica, Replica, Path],
) -> None:
    office, laptop, shared = pair
    pid = _people_ids(office)[0]
    office.services.people.erase(pid)
    _edit(laptop, pid, phone="600111222", given_name="Aina")  # later, ordinary edit
    _round(shared, office, laptop)
    _same(office, laptop)
    for r in (office, laptop):
        assert _person(r, pid).blocked
    assert _conflicts(office, "blocked")


def test_rule_5_a_purge_purges_everywhere_and_revoked_consent_stays_revoked(
    pair: tuple[Replica, Replica, Path],
) -> None:
    office, laptop, shared = pair
    p1, p2, *_ = _people_ids(office)
    office.services.people.save_consent(p2, ConsentDTO(kind="image_web", date=D(2026, 1, 1)))
    _round(shared, office, laptop)
    office.services.people.erase(p1)
    office.services.purge.purge([p1])
    office.services.people.save_consent(
        p2, ConsentDTO(kind="image_web", date=D(2026, 1, 1), revoked_at=D(2026, 2, 1))
    )
    _edit(laptop, p1, phone="600111222")
    laptop.services.people.save_consent(
        p2, ConsentDTO(kind="image_web", date=D(2026, 1, 5), signed_by="self")
    )
    _round(shared, office, laptop)
    _same(office, laptop)
    with laptop.db.read() as s:
        person = s.get(Participant, p1)
        assert person is not None
        assert person.given_name == PURGED_NAME and person.phone == ""
        revoked = s.scalar(select(Consent.revoked_at).where(Consent.participant_id == p2))
        assert revoked == D(2026, 2, 1)


def test_rule_6_deleted_and_edited_stays_deleted_the_edit_listed(
    pair: tuple[Replica, Replica, Path],
) -> None:
    office, laptop, shared = pair
    prog = office.services.programmes.all()[0]
    sid = office.services.sessions.find()[0].id
    assert prog.id and sid
    pid = _people_ids(office)[0]
    office.services.sessions.set_attendance(sid, {pid: "present"})
    _round(shared, office, laptop)
    office.services.programmes.delete(prog.id)
    office.services.sessions.set_attendance(sid, {pid: None})  # a hard delete: a tombstone
    laptop.services.programmes.save(
        ProgrammeDTO(code=prog.code, name="Renamed", category=prog.category, id=prog.id)
    )
    laptop.services.sessions.set_attendance(sid, {pid: "late"})
    _round(shared, laptop, office)
    _same(office, laptop)
    with laptop.db.read() as s:
        assert s.get(Programme, prog.id).deleted_at is not None  # type: ignore[union-attr]
        assert s.scalar(select(func.count()).select_from(Attendance)) == 0
    kinds = {c.table_name for c in _conflicts(office, "deleted")}
    assert kinds == {"programme", "attendance"}


def test_rule_7_syncing_twice_changes_nothing(pair: tuple[Replica, Replica, Path]) -> None:
    office, laptop, shared = pair
    _edit(office, _people_ids(office)[0], phone="600111222")
    _round(shared, office, laptop)
    before = (office.export(), len(office.entries()), len(laptop.entries()))
    again = laptop.sync(shared)
    assert (again.sent, again.merge.received) == (0, 0)
    assert before == (office.export(), len(office.entries()), len(laptop.entries()))


def test_rule_8_another_schema_version_is_refused_naming_which_to_update(
    pair: tuple[Replica, Replica, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    office, laptop, shared = pair
    monkeypatch.setattr(i18n, "_current", "en")  # the English of the code, word for word
    with office.db.read() as s:
        me = self_row(s)
        assert me is not None and me.team_key is not None
        key = me.team_key
    peer = shared / folder.SUBFOLDER / "0f0f0f0f-0000-4000-8000-000000000000"
    peer.mkdir()
    for revision, words in (("0001_initial", "older"), ("9999_future", "newer")):
        header = {"device": peer.name, "name": "Portàtil 3", "schema": revision, "last": 1}
        (peer / f"{1:010d}{folder.SUFFIX}").write_bytes(
            folder.encrypt(key, header, {"seen": {}, "entries": []})
        )
        with pytest.raises(UserError) as raised:
            office.sync(shared)
        assert words in raised.value.message and "Portàtil 3" in raised.value.message
    assert "this computer" in raised.value.message


def test_change_files_hold_no_readable_personal_data(pair: tuple[Replica, Replica, Path]) -> None:
    _office, _laptop, shared = pair
    files = list((shared / folder.SUBFOLDER).rglob(f"*{folder.SUFFIX}"))
    assert files
    for f in files:
        assert b"Persona" not in f.read_bytes() and b"Casal" not in f.read_bytes()


def test_rule_4_an_agreement_number_taken_twice_is_renumbered(
    pair: tuple[Replica, Replica, Path],
) -> None:
    office, laptop, shared = pair
    space, _ = office.services.networks.save_space(SpaceDTO(id=None, name="Taula"))
    assert space.id
    meeting, _ = office.services.networks.save_meeting(
        MeetingDTO(id=None, space_id=space.id, date=D(2026, 3, 4), minutes="Acta")
    )
    assert meeting.id
    _round(shared, office, laptop)
    for r, text in ((laptop, "Fer la festa"), (office, "Demanar la sala")):
        m = r.services.networks.meeting(meeting.id)
        r.services.networks.save_meeting(
            replace(m, agreements=(*m.agreements, AgreementDTO(id=None, text=text)))
        )
    _round(shared, laptop, office)
    _same(office, laptop)
    numbers = {a.text: a.number for a in office.services.networks.meeting(meeting.id).agreements}
    assert numbers == {"Fer la festa": 1, "Demanar la sala": 2}
