"""The print-sheet dialog on a Windows office PC: the PDF to save over is open in Acrobat, or
there is no PDF viewer at all. Each gets a sentence the user can act on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl

from app import paths, temp_files
from app.services.sheets import SheetService
from tests.reports.sheet_data import build
from tests.support.fake_prompts import FakePrompts
from tests.support.locked_files import lock
from ui.dialogs import sheet_dialog
from ui.dialogs.sheet_dialog import for_session


@pytest.fixture(autouse=True)
def _temporary_files_removed() -> Iterator[None]:
    temp_files.remove_all()  # nothing registered by an earlier test
    yield
    temp_files.remove_all()  # as when Teixit closes


def test_saving_over_a_pdf_open_in_another_program(  # type: ignore[no-untyped-def]
    qtbot, db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = build(db)
    out = tmp_path / "full.pdf"
    out.write_bytes(b"the sheet Acrobat shows")
    lock(monkeypatch, out)
    prompts = FakePrompts([str(out)])
    dialog = for_session(SheetService(db), data.session_id, prompts)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.page_count >= 1)

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert [s.kind for s in prompts.shown] == ["error"]
    assert "Tanqueu el fitxer a l'altre programa i torneu-ho a provar" in prompts.shown[0].text
    assert "Errno" not in prompts.shown[0].text
    assert out.read_bytes() == b"the sheet Acrobat shows"


class _NoViewer:
    opened: list[QUrl] = []

    @classmethod
    def openUrl(cls, url: QUrl) -> bool:  # noqa: N802 (Qt's name)
        cls.opened.append(url)
        return False


class _Viewer(_NoViewer):
    @classmethod
    def openUrl(cls, url: QUrl) -> bool:  # noqa: N802
        cls.opened.append(url)
        return True


def test_no_pdf_viewer_installed_is_said_and_leaves_no_file(  # type: ignore[no-untyped-def]
    qtbot, db, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = build(db)
    _NoViewer.opened = []
    monkeypatch.setattr(sheet_dialog, "QDesktopServices", _NoViewer)
    prompts = FakePrompts([])
    dialog = for_session(SheetService(db), data.session_id, prompts)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.page_count >= 1)

    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)

    assert len(_NoViewer.opened) == 1
    assert [s.kind for s in prompts.shown] == ["error"]
    assert "no hi ha cap programa per obrir documents PDF" in prompts.shown[0].text
    # The temporary copy holds names and no viewer reads it: gone at once.
    assert not Path(_NoViewer.opened[0].toLocalFile()).exists()
    assert not any(paths.temp_dir().iterdir())
    assert temp_files.registered() == ()


def test_a_pdf_viewer_gets_the_private_temporary_file(  # type: ignore[no-untyped-def]
    qtbot, db, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = build(db)
    _Viewer.opened = []
    monkeypatch.setattr(sheet_dialog, "QDesktopServices", _Viewer)
    prompts = FakePrompts([])
    dialog = for_session(SheetService(db), data.session_id, prompts)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.page_count >= 1)

    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)

    assert prompts.shown == []
    opened = Path(_Viewer.opened[0].toLocalFile())
    assert opened.parent == paths.temp_dir() and opened.read_bytes().startswith(b"%PDF")
    assert temp_files.registered() == (opened,)  # deleted when Teixit closes
