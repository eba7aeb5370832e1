"""The daily backup of an office database (app/services/office_backups.py), with a fake clock:
taken once a day after its time, or at the next opening when the PC was off; the copies beyond
the number kept removed; the last one recorded for every PC, stale after two days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db.engine import NotAllowed, open_url
from app.db.models import AuditEvent
from app.domain.office_backups import OfficeBackupSchedule
from app.errors import UserError, ValidationError
from app.i18n import _
from app.services.office_backups import OfficeBackupService
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
