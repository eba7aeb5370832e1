"""A failed backup is said on screen and stays on Home until one succeeds; a database that is
empty or damaged in a way quick_check misses is met with the latest good backup at start-up."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import paths
from app.db.engine import open_database
from app.domain.profile import EntityProfileDTO
from app.services.backups import integrity_problem
from app.services.container import Services
from tests.support.templates import new_database
from tests.unit.test_backup_safety import add_sessions_today, hide_rows_behind_indexes
from ui.dialogs.backups_dialog import BackupsDialog
from ui.main import Application


def _seed(name: str = "Casal de Prova") -> None:
    db = open_database(new_database(paths.db_path()))
    Services(db).profile.save(EntityProfileDTO(id="", name=name))
    db.close()


def test_a_failed_automatic_backup_is_shown_and_stays_on_home_until_one_succeeds(
    qtbot: QtBot, application: Application, prompts: Any
) -> None:
    _seed()
    # The backups folder cannot be written: a file stands where the folder should be.
    paths.backups_dir().write_text("not a folder")
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    home = window.page("home")
    assert not home.backup_warning.isVisible()  # type: ignore[attr-defined]

    application._start_background_backup()
    qtbot.waitUntil(lambda: any(kind == "error" for kind, _t, _x in prompts.shown))
    kind, title, text = prompts.shown[-1]
    assert title == "La còpia de seguretat automàtica ha fallat"
    assert "Fitxer > Còpies de seguretat" in text
    qtbot.waitUntil(lambda: home.backup_warning.isVisible())  # type: ignore[attr-defined]
    banner = home.backup_warning.text()  # type: ignore[attr-defined]
    assert banner.startswith("La darrera còpia de seguretat ha fallat")

    # Still said after a restart, until a backup succeeds.
    window.close()
    application.stop()
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    home = window.page("home")
    assert home.backup_warning.isVisible()  # type: ignore[attr-defined]

    # The disk is fixed; the person backs up from File > Backups.
    paths.backups_dir().unlink()

    def back_up() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, BackupsDialog):
            QTimer.singleShot(20, back_up)
            return
        qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
        dialog.reject()

    QTimer.singleShot(0, back_up)
    window.act_backups.trigger()
    assert not home.backup_warning.isVisible()  # type: ignore[attr-defined]
    assert application.backups().last_failure() is None


def test_a_failed_backup_on_closing_is_said(
    qtbot: QtBot, application: Application, prompts: Any
) -> None:
    _seed()
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    paths.backups_dir().write_text("not a folder")
    window.close()
    kind, title, _text = prompts.shown[-1]
    assert (kind, title) == ("error", "La còpia de seguretat en tancar ha fallat")
    assert application.backups().last_failure() is not None


def test_an_empty_database_file_is_offered_the_latest_backup(
    application: Application, prompts: Any
) -> None:
    _seed("Casal Buidat")
    application.backups().backup_now("manual")
    paths.db_path().write_bytes(b"")
    prompts.confirms.append(True)
    assert application.start("ca")
    assert application.window is not None
    profile = application.window.services.profile.get()
    assert profile is not None and profile.name == "Casal Buidat"
    kind, _title, text = prompts.shown[0]
    assert kind == "confirm" and "0 bytes" in text


def test_damage_found_by_the_first_queries_is_offered_the_latest_backup(
    qtbot: QtBot, application: Application, prompts: Any
) -> None:
    _seed()
    add_sessions_today(40)
    good = application.backups().backup_now("manual")
    hide_rows_behind_indexes(paths.db_path(), "session", "notes > '2'")
    prompts.confirms.append(True)
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    kind, _title, text = prompts.shown[0]
    assert kind == "confirm" and "malmesa" in text
    assert window.page("home").today_model.rowCount() == 40  # type: ignore[attr-defined]
    # The damaged file was kept aside as it was (byte for byte), for a specialist to look at.
    aside = [b for b in application.backups().list_backups() if b.kind == "before-restore"]
    assert len(aside) == 1 and "ix_session" in (integrity_problem(aside[0].path) or "")
    assert good.path.exists()


def test_declining_the_backup_for_damage_at_start_up_leaves_the_file(
    application: Application, prompts: Any
) -> None:
    _seed()
    add_sessions_today(40)
    application.backups().backup_now("manual")
    hide_rows_behind_indexes(paths.db_path(), "session", "notes > '2'")
    prompts.confirms.append(False)
    assert not application.start("ca")
    assert application.window is None
    # Left as it was: still the same damage, nothing restored or set aside.
    assert "ix_session" in (integrity_problem(paths.db_path()) or "")
    assert [b.kind for b in application.backups().list_backups()] == ["manual"]


def test_a_whole_start_recovers_from_damage_the_first_queries_find(
    application: Application,
) -> None:
    """As a person starts Teixit: the shell is on screen, the first queries meet damage, the
    window goes while the backup is offered; accepted, Teixit goes on, on the restored data."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    _seed()
    add_sessions_today(40)
    application.backups().backup_now("manual")
    hide_rows_behind_indexes(paths.db_path(), "session", "notes > '2'")
    code = (
        "import os, sys\n"
        "from ui import main\n"
        "class Yes(main.QtPrompts):\n"
        "    def confirm(self, parent, title, text, **kwargs):\n"
        "        print('asked', 'malmesa' in text, file=sys.stderr, flush=True)\n"
        "        return True\n"
        "main.QtPrompts = Yes\n"
        "sys.exit(main.run(['--lang', 'ca']))\n"
    )
    env = {**os.environ, "TEIXIT_QUIT_WHEN_READY": "1", "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "asked True" in out.stderr and "ready-after" in out.stderr, out.stderr
    assert [b.kind for b in application.backups().list_backups()].count("before-restore") == 1
