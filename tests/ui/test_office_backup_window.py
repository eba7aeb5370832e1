"""Settings → Team, places and funders on an office database: a coordinator sets the daily
backup as a person would (folder, time, copies), the coordinator's window takes it when due (a
fake clock moves the day), and the last backup's line turns red when older than two days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.i18n import _
from app.services.office_backups import SCHEDULE_KEY
from tests.support.fake_prompts import FakePrompts
from tests.ui.test_office_window import _prepare, _started
from ui.main import Application
from ui.settings import Preferences
from ui.widgets.office_backup_box import STALE_STYLE, OfficeBackupBox

pytestmark = pytest.mark.office


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.at = now

    def __call__(self) -> dt.datetime:
        return self.at


def _type(qtbot: QtBot, field: object, text: str) -> None:
    qtbot.mouseDClick(field, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # type: ignore[arg-type]
    qtbot.keyClicks(field, text)  # type: ignore[arg-type]


def test_a_coordinator_sets_the_daily_backup_and_the_window_takes_it(
    qtbot: QtBot,
    office_address: str,
    application: Application,
    prefs: Preferences,
    prompts: FakePrompts,
    tmp_path: Path,
) -> None:
    _prepare(office_address)
    prefs.office_address = office_address
    window = _started(qtbot, application)
    clock = Clock(dt.datetime(2026, 12, 1, 18, 0))
    window.services.office_backups.now = clock  # type: ignore[attr-defined]
    timer = application.office_backup
    assert timer is not None  # a coordinator's window
    window.go_to("settings")
    settings = window.page("settings")
    settings.tabs.setCurrentIndex(3)  # type: ignore[attr-defined]
    box = settings.findChild(OfficeBackupBox)
    assert box is not None and box.isVisible()
    assert box.status_label.text() == _("No daily backup of the office database is set up.")
    folder = tmp_path / "office backups"
    folder.mkdir()
    prompts.files.append(str(folder))
    qtbot.mouseClick(box.choose_button, Qt.MouseButton.LeftButton)
    assert box.folder.text() == str(folder)
    # 13:30 is proposed: eight presses of the up arrow on the hour make it 21:30.
    box.time.setFocus()
    for _press in range(8):
        qtbot.keyClick(box.time, Qt.Key.Key_Up)
    _type(qtbot, box.keep, "3")
    qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    saved = window.services.office_backups.schedule()  # type: ignore[attr-defined]
    assert saved is not None, SCHEDULE_KEY
    assert (saved.folder, saved.time, saved.keep) == (str(folder), dt.time(21, 30), 3)
    # Never taken: said in red until the first one.
    assert box.status_label.styleSheet() == STALE_STYLE
    timer.check()
    last = _("Last backup: {when}, {file} (by {login}).").split("{")[0]
    qtbot.waitUntil(lambda: box.status_label.text().startswith(last))
    assert box.status_label.styleSheet() == ""
    assert [p.name for p in folder.iterdir()] == ["teixit-office-20261201-180000.dump"]
    # The same day after 21:30: the day's backup.
    clock.at = dt.datetime(2026, 12, 1, 21, 35)
    timer.check()
    qtbot.waitUntil(lambda: "20261201-213500" in box.status_label.text())
    assert len(list(folder.iterdir())) == 2
    # Three days later the folder's disk is gone: one sentence, and the line in red.
    folder.rename(tmp_path / "elsewhere")
    clock.at = dt.datetime(2026, 12, 4, 21, 40)
    timer.check()
    qtbot.waitUntil(lambda: prompts.shown != [])
    assert [s.kind for s in prompts.shown] == ["error"]
    assert "office backups" in prompts.shown[0].text
    qtbot.waitUntil(lambda: box.status_label.styleSheet() == STALE_STYLE)
    assert box.status_label.text().startswith(
        _(
            "The last backup is {days} days old ({when}, {file}): check that a "
            "coordinator's Teixit is open on a computer that reaches the folder."
        ).split("{")[0]
    )
    # A failure is not retried every minute: within the hour, nothing more is said.
    clock.at = dt.datetime(2026, 12, 4, 22, 10)
    timer.check()
    assert len(prompts.shown) == 1
    box.grab().save(str(tmp_path / "box.png"))
