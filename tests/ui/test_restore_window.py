"""File > Backups > Restore from the running window: the window comes back on the restored data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import i18n, paths
from app.db.engine import open_database
from app.domain.profile import EntityProfileDTO, StaffDTO
from app.services.container import Services
from ui.dialogs.backups_dialog import BackupsDialog
from ui.main import Application
from ui.settings import Preferences


def test_restore_rebuilds_the_window_on_the_backup(qtbot: QtBot, prompts, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = open_database(paths.db_path())
    Services(db).profile.save(EntityProfileDTO(id="", name="Casal"))
    db.close()
    prefs = Preferences(QSettings(str(tmp_path / "p.ini"), QSettings.Format.IniFormat))
    application = Application(QApplication.instance(), prompts, prefs)  # type: ignore[arg-type]
    try:
        assert application.start("ca")
        window = application.window
        assert window is not None
        qtbot.addWidget(window)
        application.backups().backup_now("manual")
        window.services.profile.save_staff(StaffDTO(id="", name="Afegida Despres"))
        prompts.confirms.append(True)

        def restore(dialog: Any = None) -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, BackupsDialog):
                QTimer.singleShot(20, restore)
                return
            dialog.table.selectRow(0)
            qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
            dialog.reject()

        QTimer.singleShot(0, restore)
        window.act_backups.trigger()
        new = application.window
        assert new is not None and new is not window
        qtbot.addWidget(new)
        assert new.services.profile.staff() == []  # as at the backup
        assert prompts.shown[-1][0] == "info" and "restaurat" in prompts.shown[-1][2]
        assert [e.action for e in new.services.audit.recent()] == ["restore"]
    finally:
        if application.window is not None:
            application.window.close()
        application.stop()
        i18n.set_language("ca")
