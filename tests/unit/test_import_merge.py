"""``teixit import`` into a database with data of its own goes through the merge of sync: the
two ways a real team lost work before (a refused file, a silently reverted correction) now keep
everything."""

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db.models import SyncConflict
from app.domain.people import PersonDTO
from tests.support.sync_replicas import Replica, marks, open_replica, seed


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Replica]:
    r = open_replica(tmp_path, "office", enable=False)
    yield r
    r.db.close()


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Replica]:
    r = open_replica(tmp_path, "laptop", enable=False)
    yield r
    r.db.close()


def _copy(office: Replica, laptop: Replica, tmp_path: Path) -> None:
    """The laptop starts from the office's data, as a team does with export and import."""
    path = tmp_path / "start.json"
    office.services.exchange.export_file(path)
    laptop.services.exchange.import_file(path)


def test_the_same_person_marked_on_both_computers_no_longer_refuses_the_file(
    office: Replica, laptop: Replica, tmp_path: Path
) -> None:
    s = seed(office.services)
    _copy(office, laptop, tmp_path)
    sid, pid, other = s.session_ids[0], s.people[0], s.people[1]
    office.services.sessions.set_attendance(sid, {pid: "present"})
    laptop.services.sessions.set_attendance(sid, {pid: "present", other: "late"})
    week = tmp_path / "laptop-week.json"
    laptop.services.exchange.export_file(week)
    # The same mark under another id, as a file written by an older version holds it.
    data = json.loads(week.read_text(encoding="utf-8"))
    for mark in data["attendance"]:
        if mark["participant_id"] == pid:
            mark["id"] = "00000000-0000-4000-8000-0000000000aa"
    week.write_text(json.dumps(data), encoding="utf-8")
    summary = office.services.exchange.import_file(week)
    # One mark each: the week's work is back.
    assert marks(office.db, sid) == {pid: "present", other: "late"}
    assert summary.conflicts == 0


def test_an_older_export_no_longer_reverts_a_newer_correction(
    office: Replica, laptop: Replica, tmp_path: Path
) -> None:
    s = seed(office.services)
    pid = s.people[0]
    person = office.services.people.get(pid)
    office.services.people.save(PersonDTO(**{**person.__dict__, "phone": "600111222"}))
    _copy(office, laptop, tmp_path)
    old = tmp_path / "laptop-old.json"
    laptop.services.exchange.export_file(old)  # taken before the office's correction
    past = time.time() - 60
    os.utime(old, (past, past))
    person = office.services.people.get(pid)
    office.services.people.save(PersonDTO(**{**person.__dict__, "phone": "699888777"}))
    summary = office.services.exchange.import_file(old)
    assert office.services.people.get(pid).phone == "699888777"
    assert summary.conflicts == 1
    with office.db.read() as db:
        (conflict,) = db.scalars(select(SyncConflict))
    assert json.loads(conflict.kept_value) == "699888777"
    assert json.loads(conflict.lost_value) == "600111222"
    assert conflict.lost_device == "file"


def test_a_newer_file_still_brings_its_changes(
    office: Replica, laptop: Replica, tmp_path: Path
) -> None:
    s = seed(office.services)
    _copy(office, laptop, tmp_path)
    pid = s.people[0]
    person = laptop.services.people.get(pid)
    laptop.services.people.save(PersonDTO(**{**person.__dict__, "email": "a@example.org"}))
    newer = tmp_path / "laptop-new.json"
    laptop.services.exchange.export_file(newer)
    future = time.time() + 5
    os.utime(newer, (future, future))
    office.services.exchange.import_file(newer)
    assert office.services.people.get(pid).email == "a@example.org"
    assert office.export() == laptop.export()
