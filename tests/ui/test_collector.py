"""Garbage collection happens on the window's thread, never inside a background job."""

from __future__ import annotations

import gc
import threading

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.collector import collect_on_main_thread


class Cycle:
    freed_on: list[str] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        Cycle.freed_on.append(threading.current_thread().name)


def test_cycles_are_freed_on_the_windows_thread_even_when_made_in_a_job(
    qtbot: QtBot, qapp: QApplication
) -> None:
    collector = collect_on_main_thread(qapp)
    assert collect_on_main_thread(qapp) is collector  # one per application
    assert not gc.isenabled()
    Cycle.freed_on.clear()

    def job() -> None:
        for _ in range(5000):  # far past the thresholds of an automatic collection
            Cycle()

    worker = threading.Thread(target=job, name="job")
    worker.start()
    worker.join()
    assert Cycle.freed_on == []  # nothing collected inside the job
    qtbot.waitUntil(lambda: len(Cycle.freed_on) == 5000, timeout=10000)
    assert set(Cycle.freed_on) == {threading.main_thread().name}
