"""Long work off the window's thread behind a progress dialog: result or translated failure."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget
from pytestqt.qtbot import QtBot

from app.errors import UserError
from ui.workers import run_with_progress


def test_result_comes_back_from_another_thread(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    main = threading.get_ident()
    assert run_with_progress(parent, "T", "Working", lambda: threading.get_ident()) != main


def test_user_error_is_raised_with_its_message(qtbot: QtBot) -> None:
    def fail() -> None:
        raise UserError("No es pot escriure el fitxer.")

    with pytest.raises(UserError) as info:
        run_with_progress(None, "T", "Working", fail)
    assert info.value.message == "No es pot escriure el fitxer."


def test_slow_work_shows_the_progress_and_the_window_keeps_painting(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    seen: list[str] = []
    release = threading.Event()

    def slow() -> str:
        release.wait(10)  # until the progress dialog has been seen
        return "done"

    from PySide6.QtCore import QTimer

    def look() -> None:  # runs on the window's thread while the work goes on
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
        shown = [d.labelText() for d in dialogs if d.isVisible()]
        if shown:
            seen.extend(shown)
            release.set()
        else:
            QTimer.singleShot(50, look)

    QTimer.singleShot(0, look)
    assert run_with_progress(parent, "T", "Exporting all data", slow) == "done"
    assert seen == ["Exporting all data"]
