"""The backups dialog and the start-up recovery offer, with the prompts replaced."""

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app import paths
from app.db.engine import DamagedDatabase, Database, open_database
from app.db.models import Participant
from app.services.backups import BackupService
from tests.support.fake_prompts import FakePrompts
from ui.dialogs.backups_dialog import BackupsDialog, offer_recovery


class Window:
    """Stands for the main window: owns the open database."""

    def __init__(self) -> None:
        self.db: Database | None = open_database(paths.db_path())
        self.events: list[str] = []

    def close_database(self) -> None:
        assert self.db is not None
        self.db.close()
        self.db = None
        self.events.append("closed")

    def reopen_database(self) -> None:
        self.db = open_database(paths.db_path())
        self.events.append("reopened")

    def names(self) -> list[str]:
        assert self.db is not None
        with self.db.read() as s:
            return sorted(s.scalars(select(Participant.given_name)))

    def add(self, name: str) -> None:
        assert self.db is not None
        with self.db.begin() as s:
            s.add(Participant(given_name=name))


def test_back_up_then_restore_from_the_list(qtbot: QtBot, tmp_path: Path) -> None:
    window = Window()
    window.add("Aina")
    prompts = FakePrompts(files=[str(tmp_path / "usb")], confirms=[False, True])
    service = BackupService(paths.db_path(), paths.backups_dir())
    dialog = BackupsDialog(service, prompts, window.close_database, window.reopen_database)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == 0 and not dialog.restore_button.isEnabled()

    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    assert prompts.shown[-1][0] == "info" and "comprovada" in prompts.shown[-1].text
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "Feta a mà"
    qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
    assert len(list((tmp_path / "usb").glob("teixit-backup-*.db"))) == 1

    window.add("Biel")
    dialog.table.selectRow(0)
    assert dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)  # answered No
    assert window.names() == ["Aina", "Biel"] and window.events == []
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)  # answered Yes
    assert window.events == ["closed", "reopened"]
    assert window.names() == ["Aina"]
    assert "S'ha restaurat" in prompts.shown[-1].text
    kinds = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    assert sorted(kinds) == ["Abans d'una restauració", "Feta a mà"]
    dialog.grab().save(str(tmp_path / "backups.png"))
    assert window.db is not None
    window.db.close()


def test_restore_of_a_foreign_file_is_refused_and_the_window_gets_its_data_back(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = Window()
    window.add("Aina")
    foreign = tmp_path / "recipes.db"
    foreign.write_text("not a database")
    prompts = FakePrompts(files=[str(foreign)], confirms=[True])
    service = BackupService(paths.db_path(), paths.backups_dir())
    dialog = BackupsDialog(service, prompts, window.close_database, window.reopen_database)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.restore_file_button, Qt.MouseButton.LeftButton)
    assert prompts.shown[-1][0] == "error" and "no és una base de dades" in prompts.shown[-1].text
    assert window.events == ["closed", "reopened"]
    assert window.names() == ["Aina"]
    assert window.db is not None
    window.db.close()


def test_start_up_offers_the_latest_good_backup() -> None:
    window = Window()
    window.add("Aina")
    clock_now = dt.datetime(2026, 11, 20, 9)
    service = BackupService(paths.db_path(), paths.backups_dir(), clock=lambda: clock_now)
    service.backup_now("auto")
    assert window.db is not None
    window.db.close()
    paths.db_path().write_bytes(b"SQLite format 3\x00" + b"\x00" * 100 + b"garbage" * 1000)
    for suffix in ("-wal", "-shm"):
        paths.db_path().with_name("teixit.db" + suffix).unlink(missing_ok=True)
    try:
        open_database(paths.db_path())
    except DamagedDatabase as exc:
        problem = exc.message
    prompts = FakePrompts(confirms=[True])
    assert offer_recovery(prompts, service, problem)
    assert "20/11/2026 09:00" in prompts.shown[0].text
    db = open_database(paths.db_path())
    with db.read() as s:
        assert s.scalars(select(Participant.given_name)).all() == ["Aina"]
    db.close()
    assert any(b.kind == "before-restore" for b in service.list_backups())
