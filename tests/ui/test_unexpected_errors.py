"""What the composition root installs for the whole run: unexpected errors shown and logged
without personal data, and temporary files with people's names deleted when Teixit closes."""

from __future__ import annotations

import io
import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget

from app import temp_files
from app.db.engine import Database
from app.services.sheets import SheetService
from tests.reports.sheet_data import build
from tests.support.fake_prompts import FakePrompts
from ui.dialogs import sheet_dialog
from ui.error_hook import ErrorHook
from ui.main import install_handlers


@pytest.fixture
def installed(
    qapp: QApplication, prompts: FakePrompts, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ErrorHook]:
    """The handlers as ui.main.run installs them, taken away again after the test."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    window = QWidget()
    hook = install_handlers(qapp, prompts, lambda: window)
    yield hook
    hook.uninstall()
    qapp.aboutToQuit.disconnect(temp_files.remove_all)
    window.deleteLater()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.qt_no_exception_capture  # the test checks Teixit's own handler, not pytest-qt's
def test_an_error_in_a_slot_is_shown_with_its_details_and_logged_privately(
    qtbot: Any, installed: ErrorHook, prompts: FakePrompts, data_dir: Path
) -> None:
    person = "Núria Àlvarez"

    def save_the_notes() -> None:
        notes = {"who": person}
        raise KeyError(f"no place for {notes['who']}")

    panel = QWidget()
    qtbot.addWidget(panel)
    button = QPushButton("Desa", panel)
    QVBoxLayout(panel).addWidget(button)
    button.clicked.connect(save_the_notes)
    panel.show()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert [shown.kind for shown in prompts.shown] == ["unexpected"]
    assert prompts.shown[0].title == "Alguna cosa no ha anat bé"
    details = prompts.details[0]
    assert "in save_the_notes" in details and details.splitlines()[-1] == "KeyError"
    assert "Teixit " in details and "Python " in details and "Qt " in details
    log = data_dir / "logs" / "teixit.log"
    assert str(log) in prompts.shown[0].text
    text = log.read_text(encoding="utf-8")
    assert details in text and "raise KeyError" in text
    assert person not in text and "Núria" not in details  # no message text, no variables
    assert str(Path.home()) not in text  # paths cut to the part inside Teixit
    if sys.platform != "win32":
        assert _mode(log) == 0o600 and _mode(log.parent) == 0o700


@pytest.mark.qt_no_exception_capture
def test_an_error_off_the_window_thread_is_logged_and_shown_from_the_window_thread(
    qtbot: Any, installed: ErrorHook, prompts: FakePrompts, data_dir: Path
) -> None:
    def export_in_background() -> None:
        raise RuntimeError("disk of Núria full")

    worker = threading.Thread(target=export_in_background)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(prompts.shown))
    assert prompts.shown[0].kind == "unexpected" and "export_in_background" in prompts.details[0]
    assert "export_in_background" in (data_dir / "logs" / "teixit.log").read_text("utf-8")


def test_a_sheet_opened_in_the_viewer_is_deleted_when_teixit_closes(
    qtbot: Any,
    qapp: QApplication,
    db: Database,
    installed: ErrorHook,
    prompts: FakePrompts,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(  # a viewer took the file (openUrl answers True)
        sheet_dialog.QDesktopServices,
        "openUrl",
        lambda url: opened.append(url.toLocalFile()) or True,
    )
    data = build(db)
    dialog = sheet_dialog.for_session(SheetService(db), data.session_id, prompts)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.page_count >= 1)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)

    assert len(opened) == 1
    pdf = Path(opened[0])
    assert pdf.parent == data_dir / "tmp" and temp_files.registered() == (pdf,)
    with pdfplumber.open(io.BytesIO(pdf.read_bytes())) as doc:
        assert "Àlvarez Puig" in "".join(p.extract_text() or "" for p in doc.pages)
    if sys.platform != "win32":
        assert _mode(pdf) == 0o600

    qapp.aboutToQuit.emit()  # Teixit closes
    assert not pdf.exists() and not (data_dir / "tmp").exists()
    assert temp_files.registered() == ()
