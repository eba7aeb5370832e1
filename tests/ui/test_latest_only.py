"""ui/workers.py's LatestOnly: only the newest call's result reaches the window; failures come
back as a message."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThreadPool

from app.errors import UserError
from ui.workers import LatestOnly


def test_only_the_latest_result_is_delivered(qtbot) -> None:
    latest = LatestOnly()
    release = threading.Event()
    got: list[object] = []

    def slow() -> str:
        release.wait(5)
        return "old period"

    latest.run(slow, got.append)
    latest.run(lambda: "new period", got.append)
    assert latest.busy
    qtbot.waitUntil(lambda: got == ["new period"])
    release.set()
    qtbot.wait(50)  # the old job finishes too, and is dropped
    QThreadPool.globalInstance().waitForDone(5000)
    qtbot.wait(20)
    assert got == ["new period"] and not latest.busy


def test_failures_come_back_as_messages(qtbot) -> None:
    latest = LatestOnly()
    errors: list[str] = []

    def refuse() -> None:
        raise UserError("No figures for that period.")

    latest.run(refuse, lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: errors == ["No figures for that period."])
