"""Sync with the office database (PostgreSQL): a laptop's SQLite replica and the office, the hub
of the team. The same merge rules as through a folder, the office's roles, the versions, and a
new laptop joining from the office."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from app import cli
from app.db.engine import Database, open_database, open_url
from app.db.models import (
    Attendance,
    ChangeEntry,
    Funder,
    Participant,
    SyncConflict,
    SyncDevice,
)
from app.domain.people import PersonDTO
from app.services.container import Services
from app.sync import device
from app.sync import office as office_sync
from tests.support.postgres import PostgresServer
from tests.support.sync_kill import run_office
from tests.support.sync_replicas import seed

pytestmark = pytest.mark.office

PASSWORD = "correct horse battery"


def _cli(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data: Path,
    *argv: str,
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = cli.main(["--data-dir", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _laptop(base: Path, name: str) -> Database:
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    return open_database(folder / "teixit.db")


def _export(db: Database) -> dict[str, object]:
    return Services(db).exchange.export_data()


def _same(a: Database, b: Database) -> None:
    assert _export(a) == _export(b)


@pytest.fixture
def hub(office_address: str) -> Iterator[tuple[str, Database]]:
    """An office database holding a small seed of records (worked on directly, before any
    laptop synced)."""
    db = open_url(office_address)
    seed(Services(db), sessions=3, people=4)
    yield office_address, db
    db.close()


def _people(db: Database) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(Participant.id).order_by(Participant.given_name)))


def _edit(db: Database, pid: str, **changes: object) -> None:
    services = Services(db)
    p = services.people.get(pid)
    services.people.save(PersonDTO(**{**p.__dict__, **changes}))  # type: ignore[arg-type]


def test_a_laptop_joins_from_the_office_and_they_sync_both_ways(
    hub: tuple[str, Database],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    address, office = hub
    data = tmp_path / "laptop"
    code, out, err = _cli(monkeypatch, capsys, data, "sync", "--join", "--database", address)
    assert code == 0, err
    laptop = open_database(data / "teixit.db")
    try:
        _same(office, laptop)
        pid = _people(office)[0]
        # Rule 1 on each side: the phone on the laptop, the e-mail at the office.
        _edit(laptop, pid, phone="600111222")
        _edit(office, pid, email="anna@example.org")
        # Rule 3: the same mark on both.
        session_id = next(s.id for s in Services(office).sessions.find() if s.id)
        Services(laptop).sessions.set_attendance(session_id, {pid: "present"})
        Services(office).sessions.set_attendance(session_id, {pid: "present"})
        summary = office_sync.sync_office(laptop, address)
        assert summary.sent > 0 and summary.merge.received > 0
        assert summary.merge.conflicts == 0
        for db in (office, laptop):
            person = Services(db).people.get(pid)
            assert (person.phone, person.email) == ("600111222", "anna@example.org")
            with db.read() as s:
                assert s.scalar(select(func.count()).select_from(Attendance)) == 1
        _same(office, laptop)
        # Idempotent: nothing more to send or receive.
        again = office_sync.sync_office(laptop, address)
        assert (again.sent, again.merge.received) == (0, 0)
    finally:
        laptop.close()
    # Joining a database that holds records is refused.
    code, _out, err = _cli(monkeypatch, capsys, data, "sync", "--join", "--database", address)
    assert code == 1 and "--database" in err


def test_the_same_field_on_both_sides_keeps_the_later_and_lists_the_other(
    hub: tuple[str, Database], tmp_path: Path
) -> None:
    address, office = hub
    laptop = _laptop(tmp_path, "laptop")
    try:
        office_sync.join_office(laptop, address)
        pid = _people(office)[0]
        _edit(laptop, pid, phone="611000000")
        _edit(office, pid, phone="622000000")  # later: wins
        summary = office_sync.sync_office(laptop, address)
        assert summary.merge.conflicts == 1
        for db in (office, laptop):
            assert Services(db).people.get(pid).phone == "622000000"
        with laptop.read() as s:
            conflict = s.scalars(select(SyncConflict)).one()
            assert conflict.field == "phone" and "611000000" in conflict.lost_value
        # Data protection wins: erased at the office while the laptop edits.
        Services(office).people.erase(pid)
        _edit(laptop, pid, notes="vist al casal")
        office_sync.sync_office(laptop, address)
        office_sync.sync_office(laptop, address)
        for db in (office, laptop):
            with db.read() as s:
                assert s.get(Participant, pid).blocked_at is not None  # type: ignore[union-attr]
        _same(office, laptop)
    finally:
        laptop.close()


def test_the_office_relays_one_laptops_work_to_another(
    hub: tuple[str, Database], tmp_path: Path
) -> None:
    address, office = hub
    first, second = _laptop(tmp_path, "first"), _laptop(tmp_path, "second")
    try:
        office_sync.join_office(first, address)
        office_sync.join_office(second, address)
        person, _changes = Services(first).people.save(PersonDTO("Nadia", "Roca"))
        assert person.id
        session_id = next(s.id for s in Services(first).sessions.find() if s.id)
        Services(first).sessions.set_attendance(session_id, {person.id: "late"})
        office_sync.sync_office(first, address)
        received = office_sync.sync_office(second, address)
        assert received.merge.received >= 2
        assert Services(second).people.get(person.id).given_name == "Nadia"
        # A deletion travels as a tombstone, through the office, and stays.
        Services(second).sessions.set_attendance(session_id, {person.id: None})
        for db in (second, first, second):
            office_sync.sync_office(db, address)
        for db in (office, first, second):
            with db.read() as s:
                assert s.scalar(select(func.count()).select_from(Attendance)) == 0
        _same(first, second)
        _same(office, first)
    finally:
        first.close()
        second.close()


def test_the_office_logs_what_every_office_pc_writes(
    hub: tuple[str, Database], tmp_path: Path
) -> None:
    """Once the office has its identity, each office PC's write is in its log, numbered in
    turn, even from a PC that was running before (its recorder reads the office again)."""
    address, office = hub
    other_pc = open_url(address)
    laptop = _laptop(tmp_path, "laptop")
    try:
        Services(other_pc).people.save(PersonDTO("Abans", "Sync"))  # before: no log yet
        office_sync.join_office(laptop, address)
        a, _c = Services(office).people.save(PersonDTO("Pere", "Mas"))
        b, _c = Services(other_pc).people.save(PersonDTO("Rosa", "Vila"))
        c, _c = Services(office).people.save(PersonDTO("Joan", "Puig"))
        with office.read() as s:
            me = device.self_row(s)
            assert me is not None
            seqs = list(
                s.scalars(
                    select(ChangeEntry.seq)
                    .where(ChangeEntry.device_id == me.id)
                    .order_by(ChangeEntry.seq)
                )
            )
        assert seqs == list(range(1, len(seqs) + 1))
        office_sync.sync_office(laptop, address)
        assert {a.id, b.id, c.id} <= set(_people(laptop))
    finally:
        other_pc.close()
        laptop.close()


def test_versions_that_differ_are_refused_saying_which_to_update(
    hub: tuple[str, Database], tmp_path: Path
) -> None:
    address, office = hub
    laptop = _laptop(tmp_path, "laptop")
    engine = create_engine(address)
    try:
        with engine.begin() as c:
            c.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
        newer = "Actualitzeu Teixit en aquest ordinador"
        with pytest.raises(office_sync.OfficeSyncRefused, match=newer):
            office_sync.join_office(laptop, address)
        with engine.begin() as c:
            c.execute(text("UPDATE alembic_version SET version_num = '0001_initial'"))
        older = "més antiga.*teixit office upgrade"
        with pytest.raises(office_sync.OfficeSyncRefused, match=older):
            office_sync.join_office(laptop, address)
        with laptop.read() as s:
            assert device.self_row(s) is None  # nothing changed on the laptop
    finally:
        engine.dispose()
        laptop.close()


# ---- roles -----------------------------------------------------------------------------------


class Logins:
    def __init__(self, server: PostgresServer, name: str) -> None:
        self.server = server
        self.name = name
        suffix = uuid.uuid4().hex[:8]
        self.coordinator = f"coord_{suffix}"
        self.educator = f"edu_{suffix}"
        self.viewer = f"view_{suffix}"

    def address(self, user: str = "postgres") -> str:
        return self.server.url(self.name, user=user).render_as_string(hide_password=False)


@pytest.fixture
def logins(
    postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> Iterator[Logins]:
    name = postgres.new_database()
    prepared = Logins(postgres, name)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        cli.main(["office", "init", "--database", prepared.address(),
                  "--coordinator", prepared.coordinator])
        == 0
    )  # fmt: skip
    for login, role in ((prepared.educator, "educator"), (prepared.viewer, "viewer")):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert (
            cli.main(["--database", prepared.address(prepared.coordinator),
                      "office", "add-user", login, "--role", role])
            == 0
        )  # fmt: skip
    db = open_url(prepared.address(prepared.coordinator))
    try:
        services = Services(db)
        seed(services, sessions=2, people=3)
    finally:
        db.close()
    yield prepared
    postgres.drop_database(name)


def test_an_educators_laptop_sends_only_what_an_educator_may_write(
    logins: Logins,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "laptop"
    educator = logins.address(logins.educator)
    code, _out, err = _cli(monkeypatch, capsys, data, "sync", "--join", "--database", educator)
    assert code == 0, err
    laptop = open_database(data / "teixit.db")
    try:
        services = Services(laptop)
        pid = _people(laptop)[0]
        session_id = next(s.id for s in services.sessions.find() if s.id)
        services.sessions.set_attendance(session_id, {pid: "present"})
        with laptop.begin() as s:  # a funder typed on the laptop (no roles on its own file)
            s.add(Funder(name="Diputació"))
    finally:
        laptop.close()
    code, out, err = _cli(monkeypatch, capsys, data, "sync", "--database", educator)
    assert code == 0, err
    assert "educador" in out and "finançadors" in out  # the one sentence, in Catalan
    office = open_url(logins.address(logins.coordinator))
    try:
        with office.read() as s:
            assert s.scalar(select(func.count()).select_from(Attendance)) == 1
            assert s.scalar(select(func.count()).select_from(Funder)) == 0
    finally:
        office.close()
    # A coordinator's login sends the rest.
    coordinator = logins.address(logins.coordinator)
    code, out, err = _cli(monkeypatch, capsys, data, "sync", "--database", coordinator)
    assert code == 0, err
    office = open_url(coordinator)
    try:
        with office.read() as s:
            assert s.scalar(select(func.count()).select_from(Funder)) == 1
    finally:
        office.close()


def test_a_viewers_login_does_not_sync(
    logins: Logins,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "laptop"
    viewer = logins.address(logins.viewer)
    code, _out, err = _cli(monkeypatch, capsys, data, "sync", "--join", "--database", viewer)
    assert code == 1
    assert "només consulta" in err  # the role, as the window names it
    assert len(err.strip().splitlines()) == 1


# ---- automatic sync --------------------------------------------------------------------------


def test_automatic_sync_on_start_and_every_few_minutes(
    hub: tuple[str, Database], tmp_path: Path
) -> None:
    address, _office = hub
    laptop = _laptop(tmp_path, "laptop")
    try:
        # A device that never synced with an office is not synced by itself.
        assert not office_sync.should_sync_now(laptop, reachable=True, starting=True)
        office_sync.join_office(laptop, address)
        assert office_sync.office_address(laptop) is not None
        assert "@" in str(office_sync.office_address(laptop))  # the login, never the password
        last = office_sync.last_sync(laptop)
        assert last is not None
        assert office_sync.should_sync_now(laptop, reachable=True, starting=True)
        assert not office_sync.should_sync_now(laptop, reachable=False, starting=True)
        soon = last + dt.timedelta(minutes=2)
        later = last + dt.timedelta(minutes=6)
        assert not office_sync.should_sync_now(laptop, reachable=True, now=soon)
        assert office_sync.should_sync_now(laptop, reachable=True, now=later)
        office_sync.set_sync_interval(laptop, 0)  # turned off
        assert not office_sync.should_sync_now(laptop, reachable=True, now=later)
    finally:
        laptop.close()


# ---- interrupted syncs (rule 7) ----------------------------------------------------------------


@pytest.mark.slow  # the default run stays short; CI runs the slow ones too
def test_a_few_killed_office_syncs_lose_nothing(office_address: str, tmp_path: Path) -> None:
    report = run_office(tmp_path, office_address, kills=4, seed_value=7)
    assert report.problems == []
    assert report.kills == 4


@pytest.mark.slow
def test_many_killed_office_syncs_lose_nothing(office_address: str, tmp_path: Path) -> None:
    report = run_office(tmp_path, office_address, kills=14, seed_value=21)
    assert report.problems == []
    assert report.landed >= 3  # most kills landed while a sync was running


def _cursor_at_office(office: Database, laptop: Database) -> tuple[int, int]:
    """The office's cursor for the laptop, and the laptop's last change."""
    me = device.info(laptop)
    assert me is not None
    with laptop.read() as s:
        last = s.scalar(select(func.max(ChangeEntry.seq)).where(ChangeEntry.device_id == me.id))
    with office.read() as s:
        peer = s.get(SyncDevice, me.id)
        assert peer is not None
        return int(peer.applied_seq), int(last or 0)


def test_an_educators_held_changes_do_not_stop_the_offices_cursor(
    logins: Logins, tmp_path: Path
) -> None:
    educator = logins.address(logins.educator)
    coordinator = logins.address(logins.coordinator)
    laptop = _laptop(tmp_path, "laptop")
    other = _laptop(tmp_path, "other")
    office = open_url(coordinator)
    try:
        office_sync.join_office(laptop, educator)
        office_sync.join_office(other, educator)
        services = Services(laptop)
        pid = _people(laptop)[0]
        session_ids = [s.id for s in services.sessions.find() if s.id]
        with laptop.begin() as s:  # a funder typed on the laptop: an educator may not send it
            s.add(Funder(name="Diputació"))
        services.sessions.set_attendance(session_ids[0], {pid: "present"})
        first = office_sync.sync_office(laptop, educator)
        assert first.withheld == 1 and first.sent >= 1
        # The office's cursor is past the held funder: the changes after it are acknowledged.
        at_office, last = _cursor_at_office(office, laptop)
        assert at_office == last
        services.sessions.set_attendance(session_ids[1], {pid: "late"})
        second = office_sync.sync_office(laptop, educator)
        assert second.sent >= 1
        assert "finançadors" in second.describe()  # still held, said in one sentence
        assert office_sync.sync_office(laptop, educator).sent == 0
        at_office, last = _cursor_at_office(office, laptop)
        assert at_office == last
        # Another laptop's cursor for this one moves on too (nothing sent to it again).
        office_sync.sync_office(other, educator)
        assert office_sync.sync_office(other, educator).merge.received == 0
        with office.read() as s:
            assert s.scalar(select(func.count()).select_from(Attendance)) == 2
            assert s.scalar(select(func.count()).select_from(Funder)) == 0
        # A coordinator's login syncing from the laptop sends the held funder, once.
        sent = office_sync.sync_office(laptop, coordinator)
        assert sent.withheld == 0 and sent.sent == 1
        assert office_sync.held_back(laptop) == []
        with office.read() as s:
            assert list(s.scalars(select(Funder.name))) == ["Diputació"]
        office_sync.sync_office(other, educator)
        with other.read() as s:
            assert list(s.scalars(select(Funder.name))) == ["Diputació"]
        _same(office, laptop)
        _same(office, other)
    finally:
        office.close()
        laptop.close()
        other.close()


def test_a_join_cancelled_in_the_middle_of_the_replica_leaves_the_laptop_as_it_was(
    hub: tuple[str, Database], tmp_path: Path
) -> None:
    from app.domain.profile import EntityProfileDTO
    from app.sync.joining import JoinCancelled

    address, office = hub
    laptop = _laptop(tmp_path, "laptop")
    try:
        Services(laptop).profile.save(EntityProfileDTO(id="", name="Portàtil nou"))
        before = _export(laptop)
        steps: list[tuple[int, int]] = []

        def progress(done: int, total: int) -> None:
            steps.append((done, total))

        # Cancel asked once the replica's one transaction has begun applying.
        with pytest.raises(JoinCancelled):
            office_sync.join_office(laptop, address, progress, cancel=lambda: bool(steps))
        assert steps  # it had begun
        assert _export(laptop) == before
        assert device.info(laptop) is None
        with laptop.read() as s:
            assert s.scalar(select(func.count()).select_from(ChangeEntry)) == 0
        # Joining again completes it.
        office_sync.join_office(laptop, address)
        _same(office, laptop)
    finally:
        laptop.close()
