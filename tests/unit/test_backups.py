import datetime as dt
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from app import paths
from app.db import files
from app.db.engine import DamagedDatabase, NewerDatabase, NotATeixitDatabase, open_database
from app.db.models import AuditEvent, Participant
from app.errors import UserError
from app.services.backups import BackupService, backups_to_keep, integrity_problem


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def _add_people(names: list[str]) -> None:
    db = open_database(paths.db_path())
    with db.begin() as s:
        for name in names:
            s.add(Participant(given_name=name, family_names="Puig"))
    db.close()


def _people() -> list[str]:
    db = open_database(paths.db_path())
    with db.read() as s:
        names = sorted(s.scalars(select(Participant.given_name)))
    db.close()
    return names


def _service(clock: Clock | None = None) -> BackupService:
    kwargs = {"clock": clock} if clock else {}
    return BackupService(paths.db_path(), paths.backups_dir(), **kwargs)


def _corrupt(path: Path) -> None:
    """Scribble over the last pages (table contents), leaving the header readable."""
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.seek(size - 3 * 4096 + 100)
        fh.write(b"\xff\x13" * 3000)


def test_backup_is_verified_private_and_self_contained() -> None:
    _add_people(["Aina", "Biel"])
    info = _service().backup_now()
    assert info.kind == "manual" and info.path.parent == paths.backups_dir()
    assert info.size == info.path.stat().st_size > 0
    assert integrity_problem(info.path) is None
    # No -wal beside it: the one file is the whole backup.
    assert sorted(p.name for p in info.path.parent.iterdir()) == [info.path.name]
    if os.name == "posix":
        assert info.path.stat().st_mode & 0o777 == 0o600
    con = sqlite3.connect(info.path)
    assert con.execute("SELECT count(*) FROM participant").fetchone() == (2,)
    con.close()
    db = open_database(paths.db_path())
    with db.read() as s:
        assert s.scalar(select(AuditEvent.action)) == "backup"
    db.close()


def test_backup_to_folder(tmp_path: Path) -> None:
    _add_people(["Aina"])
    stick = tmp_path / "usb"
    info = _service().backup_now(to_dir=stick)
    assert info.path.parent == stick and info.path.name.startswith("teixit-backup-")
    assert integrity_problem(info.path) is None
    assert _service().list_backups() == []


def test_failed_verification_deletes_the_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    _add_people([f"Persona {i}" * 20 for i in range(300)])
    real_copy = files.copy_database

    def damaging_copy(source: Path, target: Path) -> dict[str, int]:
        counts = real_copy(source, target)
        _corrupt(target)
        return counts

    monkeypatch.setattr(files, "copy_database", damaging_copy)
    with pytest.raises(UserError, match="comprovació"):
        _service().backup_now()
    assert list(paths.backups_dir().iterdir()) == []


def test_auto_backup_on_open_at_most_daily_and_rotation_with_fake_dates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(files, "fsync_path", lambda _path: None)  # hundreds of backups
    _add_people(["Aina"])
    clock = Clock(dt.datetime(2026, 1, 1, 9, 0))
    service = _service(clock)
    # A year and a half of use, opened in the morning; closed in the evening lately.
    for day in range(540):
        if day < 510 and day % 4:  # early on, used twice a week (keeps the test short)
            clock.now += dt.timedelta(days=1)
            continue
        assert service.auto_backup_on_open() is not None
        assert service.auto_backup_on_open() is None  # second opening the same day
        clock.now += dt.timedelta(hours=8)
        if day >= 530:
            service.backup_on_close()
        clock.now += dt.timedelta(hours=16)
    autos = [b for b in service.list_backups() if b.kind == "auto"]
    days = sorted({b.created.date() for b in autos}, reverse=True)
    last = dt.date(2027, 6, 24)
    assert days[0] == last
    # 7 daily, then the newest of each of the 4 weeks and 12 months.
    assert days[:7] == [last - dt.timedelta(days=i) for i in range(7)]
    assert len(autos) <= 7 + 4 + 12
    months = {(d.year, d.month) for d in days}
    assert len(months) == 12
    # Each kept day keeps only its newest backup (the one taken on closing).
    assert [b.created.hour for b in autos[:7]] == [17] * 7


def test_backups_to_keep_counts_periods_with_backups() -> None:
    start = dt.datetime(2026, 3, 1, 12)
    files = [(Path(f"b{i}"), start + dt.timedelta(days=3 * i)) for i in range(40)]
    keep = backups_to_keep(files, daily=2, weekly=2, monthly=2)
    kept = sorted(when.date() for path, when in files if path in keep)
    # Last 2 days with backups; week 26 is already kept, so week 25's newest; May's newest.
    assert kept == [
        dt.date(2026, 5, 30),
        dt.date(2026, 6, 20),
        dt.date(2026, 6, 23),
        dt.date(2026, 6, 26),
    ]


def test_copies_cut_short_are_cleaned_up() -> None:
    _add_people(["Aina"])
    folder = paths.backups_dir()
    folder.mkdir(parents=True)
    stale = folder / "teixit-auto-20260101-100000.db.partial"
    stale.write_bytes(b"SQLite format 3\x00half")
    os.utime(stale, (0, 0))
    service = _service()
    assert service.list_backups() == []
    service.backup_now("auto")
    assert not stale.exists()
    assert [b.kind for b in service.list_backups()] == ["auto"]


def test_manual_and_safety_copies_are_not_rotated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "fsync_path", lambda _path: None)
    _add_people(["Aina"])
    clock = Clock(dt.datetime(2025, 1, 1, 10))
    service = _service(clock)
    manual = service.backup_now("manual")
    for _ in range(150):
        clock.now += dt.timedelta(days=3)
        service.backup_now("auto")
    assert manual.path.exists()


def test_restore_sets_the_current_database_aside(tmp_path: Path) -> None:
    _add_people(["Aina", "Biel"])
    clock = Clock(dt.datetime(2026, 5, 4, 10))
    service = _service(clock)
    backup = service.backup_now()
    _add_people(["Carla"])
    clock.now += dt.timedelta(hours=1)
    aside = service.restore(backup.path)
    assert _people() == ["Aina", "Biel"]
    assert aside is not None and aside.kind == "before-restore"
    assert aside.path.name == "before-restore-20260504-110000.db"
    con = sqlite3.connect(aside.path)
    assert con.execute("SELECT count(*) FROM participant").fetchone() == (3,)
    con.close()
    db = open_database(paths.db_path())
    with db.read() as s:
        actions = list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.at)))
    db.close()
    assert actions == ["restore"]  # the backup event came after the copy
    kinds = {b.kind for b in service.list_backups()}
    assert kinds == {"manual", "before-restore"}


def test_restore_into_damaged_database_keeps_damaged_file_aside() -> None:
    _add_people([f"Persona {i}" * 20 for i in range(300)])
    service = _service()
    backup = service.backup_now()
    _corrupt(paths.db_path())
    with pytest.raises(DamagedDatabase):
        open_database(paths.db_path())
    assert service.latest_good_backup() == backup
    aside = service.restore(backup.path)
    assert aside is not None and aside.path.exists()
    assert len(_people()) == 300


def _snapshot() -> dict[str, bytes]:
    folder = paths.data_dir()
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(("-shm", ".lock"))
    }


@pytest.mark.parametrize("problem", ["foreign", "text", "damaged", "newer", "empty"])
def test_restore_refuses_bad_files_and_changes_nothing(tmp_path: Path, problem: str) -> None:
    _add_people(["Aina"])
    bad = tmp_path / "bad.db"
    if problem == "foreign":
        con = sqlite3.connect(bad)
        con.execute("CREATE TABLE recipes (name TEXT)")
        con.commit()
        con.close()
        expected: type[Exception] = NotATeixitDatabase
    elif problem == "text":
        bad.write_text("name;surname\nAina;Puig\n", encoding="utf-8")
        expected = NotATeixitDatabase
    elif problem == "empty":
        bad.write_bytes(b"")
        expected = NotATeixitDatabase
    else:
        backup = _service().backup_now("auto")
        bad.write_bytes(backup.path.read_bytes())
        backup.path.unlink()
        if problem == "damaged":
            _add_people([f"Persona {i}" * 20 for i in range(300)])
            bad.write_bytes(_service().backup_now("auto").path.read_bytes())
            _corrupt(bad)
            expected = DamagedDatabase
        else:
            con = sqlite3.connect(bad)
            con.execute("UPDATE alembic_version SET version_num='9999_future'")
            con.commit()
            con.close()
            expected = NewerDatabase
    before = _snapshot()
    with pytest.raises(expected):
        _service().restore(bad)
    assert _snapshot() == before


def test_nothing_to_back_up_yet() -> None:
    assert _service().auto_backup_on_open() is None
    with pytest.raises(UserError):
        _service().backup_now()


def test_command_line_backup_list_and_restore(capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    _add_people(["Aina"])
    assert main(["backup"]) == 0
    written = capsys.readouterr().out
    assert "teixit-manual-" in written
    _add_people(["Biel"])
    assert main(["backup", "--list"]) == 0
    listed = capsys.readouterr().out.strip().splitlines()
    assert len(listed) == 1
    backup = Path(listed[0].split()[-1])
    assert main(["restore", str(backup)]) == 0
    assert "before-restore-" in capsys.readouterr().out
    assert _people() == ["Aina"]
    assert main(["restore", "--latest"]) == 0
    assert main(["restore"]) == 2
    bad = paths.data_dir() / "notes.txt"
    bad.write_text("hola")
    assert main(["restore", str(bad)]) == 1
    assert "no és una base de dades" in capsys.readouterr().err


def test_restore_on_a_new_computer(tmp_path: Path) -> None:
    _add_people(["Aina"])
    stick = tmp_path / "usb"
    backup = _service().backup_now(to_dir=stick)
    # A new computer: an empty data folder.
    new_data = tmp_path / "new-pc"
    service = BackupService(new_data / "teixit.db", new_data / "backups")
    assert service.restore(backup.path) is None
    db = open_database(new_data / "teixit.db")
    with db.read() as s:
        assert s.scalars(select(Participant.given_name)).all() == ["Aina"]
    db.close()
