"""Python's cyclic garbage collector runs only on the window's thread.

Left automatic, a collection can start on whichever thread allocates, a background job's
included; if it then frees a cycle holding a widget or another Qt object of the window's thread,
that object is destroyed on the wrong thread and Qt crashes. So automatic collection is turned
off and a timer on the window's thread collects instead, generation by generation as the
thresholds would have (the approach PyQt applications such as Calibre and Anki take).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(INTERVAL_MS)

    def check(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                gc.collect(generation)
                break

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()


def collect_on_main_thread(app: QObject) -> MainThreadCollector:
    """Install once, on the application object (it lives as long as the application)."""
    existing = app.findChild(MainThreadCollector)
    return existing if existing is not None else MainThreadCollector(app)
