"""Run a slow call off the window's thread and hand its result back on it.

The call must not touch widgets: it gets plain arguments and returns a value (a DTO)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Relay(QObject):
    finished = Signal(object)  # (generation, ok, result or exception)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, generation: int) -> None:
        super().__init__()
        self.fn, self.relay, self.generation = fn, relay, generation

    def run(self) -> None:
        try:
            payload = (self.generation, True, self.fn())
        except Exception as exc:  # noqa: BLE001 - handed to the window to show
            payload = (self.generation, False, exc)
        self.relay.finished.emit(payload)


class Background(QObject):
    """One owner's background jobs; only the latest job's result is delivered (choosing a new
    period while an old one computes must not show stale figures)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[Any], None] | None]] = {}
        self._relay = _Relay()
        # The relay lives in this (the window's) thread: the slot runs here, queued.
        self._relay.finished.connect(self._deliver)

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Any], None] | None = None,
    ) -> None:
        self._generation += 1
        self._callbacks = {self._generation: (on_done, on_error)}
        QThreadPool.globalInstance().start(_Job(fn, self._relay, self._generation))

    @Slot(object)
    def _deliver(self, payload: tuple[int, bool, Any]) -> None:
        generation, ok, result = payload
        callbacks = self._callbacks.pop(generation, None)
        if callbacks is None:
            return
        on_done, on_error = callbacks
        if ok:
            on_done(result)
        elif on_error is not None:
            on_error(result)
