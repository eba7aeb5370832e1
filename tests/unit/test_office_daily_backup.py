"""The daily backup of an office database (app/services/office_backups.py), with a fake clock:
taken once a day after its time, or at the next opening when the PC was off; the copies beyond
the number kept removed; the last one recorded for every PC, stale after two days."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db.engine import NotAllowed, open_url
from app.db.models import AuditEvent, Setting
from app.domain.office_backups import OfficeBackupSchedule
from app.errors import UserError, ValidationError
from app.i18n import _
from app.services.office_backups import CLAIM_KEY, OfficeBackupService
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.office


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.at = now

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture
def office(office_address: str) -> Iterator[tuple[OfficeBackupService, Clock]]:
    db = open_url(office_address)
    clock = Clock(dt.datetime(2026, 12, 1, 9, 0))
    yield OfficeBackupService(db, now=clock), clock
    db.close()


def _dumps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("teixit-office-*.dump"))


def test_taken_once_a_day_after_its_time_and_rotated(
    office: tuple[OfficeBackupService, Clock], tmp_path: Path
) -> None:
    backups, clock = office
    folder = tmp_path / "backups"
    folder.mkdir()
    assert not backups.due() and backups.take_if_due() is None  # nothing set up
    assert not backups.status().stale
    with pytest.raises(ValidationError) as caught:
        backups.save_schedule(OfficeBackupSchedule("relative/folder", dt.time(21), 2))
    assert set(caught.value.errors) == {"folder"}
    backups.save_schedule(OfficeBackupSchedule(str(folder), dt.time(21, 0), 2))
    # Never taken: due at once, and stale (red) until it is.
    assert backups.due() and backups.status().stale
    first = backups.take_if_due()
    assert first is not None and first.name == "teixit-office-20261201-090000.dump"
    status = backups.status()
    assert status.last_at == clock.at and status.last_file == first.name
    assert not status.stale and status.last_by == "postgres"
    clock.at = dt.datetime(2026, 12, 1, 20, 59)
    assert backups.take_if_due() is None  # today's time has not come yet
    clock.at = dt.datetime(2026, 12, 1, 21, 0)
    assert backups.take_if_due() is not None
    clock.at = dt.datetime(2026, 12, 1, 23, 30)
    assert backups.take_if_due() is None  # once a day
    # The PC was off at 21:00 the next day: taken when the window next opens.
    clock.at = dt.datetime(2026, 12, 3, 8, 15)
    assert backups.take_if_due() is not None
    assert _dumps(folder) == [
        "teixit-office-20261201-210000.dump",
        "teixit-office-20261203-081500.dump",
    ]  # two kept, the oldest removed
    # Nobody took one for more than two days: stale.
    clock.at = dt.datetime(2026, 12, 5, 8, 16)
    assert backups.status().stale
    with backups._db.read() as s:  # noqa: SLF001 - the audit log of the office database
        logged = s.scalars(select(AuditEvent.subject).where(AuditEvent.action == "backup"))
        assert len(list(logged)) == 3


def test_a_missing_folder_is_one_sentence_and_records_nothing(
    office: tuple[OfficeBackupService, Clock], tmp_path: Path
) -> None:
    backups, _clock = office
    backups.save_schedule(OfficeBackupSchedule(str(tmp_path / "gone"), dt.time(21, 0), 7))
    with pytest.raises(UserError) as caught:
        backups.take_if_due()
    assert caught.value.message == _(
        "The backup folder {folder} does not exist on this computer (a disk or a shared drive "
        "not connected?). Connect it, or choose another folder in Settings."
    ).format(folder=tmp_path / "gone")
    assert backups.status().last_at is None and backups.due()


def test_only_a_coordinator_sets_it_up(
    postgres: PostgresServer, office_address: str, tmp_path: Path
) -> None:
    from sqlalchemy import make_url

    from app.db.office import create_roles, grant_privileges

    admin = open_url(office_address)
    with admin.begin() as s:
        create_roles(s.connection())
        grant_privileges(s.connection())
    admin.close()
    name = "edu_backup_test"
    postgres.execute(f"CREATE ROLE {name} LOGIN IN ROLE teixit_educator")
    educator = open_url(make_url(office_address).set(username=name))
    try:
        with pytest.raises(NotAllowed):
            OfficeBackupService(educator).save_schedule(
                OfficeBackupSchedule(str(tmp_path), dt.time(21, 0), 7)
            )
    finally:
        educator.close()
        postgres.execute(f"DROP ROLE {name}")


def test_two_coordinators_windows_take_the_days_backup_once(
    office: tuple[OfficeBackupService, Clock], office_address: str, tmp_path: Path
) -> None:
    first, clock = office
    folder = tmp_path / "backups"
    folder.mkdir()
    first.save_schedule(OfficeBackupSchedule(str(folder), dt.time(8, 0), 5))
    other_db = open_url(office_address)
    try:
        second = OfficeBackupService(other_db, now=clock)
        for day in (1, 2):
            clock.at = dt.datetime(2026, 12, day, 9, 0)
            assert first.due() and second.due()
            # Both windows look at the same moment: one takes it, the other leaves it.
            start = threading.Barrier(2)

            def look(
                service: OfficeBackupService, start: threading.Barrier = start
            ) -> Path | None:
                start.wait()
                return service.take_if_due()

            with ThreadPoolExecutor(2) as pool:
                taken = list(pool.map(look, (first, second)))
            assert len([p for p in taken if p is not None]) == 1, taken
            assert not first.due() and not second.due()
        assert _dumps(folder) == [
            "teixit-office-20261201-090000.dump",
            "teixit-office-20261202-090000.dump",
        ]
        with other_db.read() as s:
            logged = s.scalars(select(AuditEvent.subject).where(AuditEvent.action == "backup"))
            assert len(list(logged)) == 2
            # The claim goes once the backup is recorded (the next day's is free to take).
            assert s.scalar(select(Setting).where(Setting.key == CLAIM_KEY)) is None
    finally:
        other_db.close()


def test_a_claim_left_by_a_window_that_stopped_expires(
    office: tuple[OfficeBackupService, Clock], tmp_path: Path
) -> None:
    backups, clock = office
    folder = tmp_path / "backups"
    folder.mkdir()
    backups.save_schedule(OfficeBackupSchedule(str(folder), dt.time(8, 0), 5))
    with backups._db.begin() as s:  # noqa: SLF001 - another window's claim, then it stopped
        s.add(Setting(key=CLAIM_KEY, value={"at": "2026-12-01T08:30:00", "by": "anna"}))
    clock.at = dt.datetime(2026, 12, 1, 9, 0)
    assert backups.due() and backups.take_if_due() is None  # the other window is on it
    clock.at = dt.datetime(2026, 12, 1, 9, 31)
    assert backups.take_if_due() is not None  # it never recorded one: taken here
    # A failed backup leaves no claim behind: tried again later.
    clock.at = dt.datetime(2026, 12, 2, 9, 0)
    folder.rename(tmp_path / "unplugged")  # the disk not connected
    with pytest.raises(UserError):
        backups.take_if_due()
    (tmp_path / "unplugged").rename(folder)
    assert backups.take_if_due() is not None
