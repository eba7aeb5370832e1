"""Background jobs (PDFs, reports, imports, figures): the work runs on a pool thread, reports
progress and can be cancelled; the window stays responsive. A job never touches widgets: it emits
signals, which Qt delivers on the window's thread. ``LatestOnly`` runs plain calls of which only
the newest result is wanted (figures for a period, the people search index)."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.errors import UserError

#: The work: ``fn(progress, cancelled)`` with ``progress(fraction, message)``.
Work = Callable[[Callable[[float, str], None], Callable[[], bool]], Any]


class JobSignals(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Job(QRunnable):
    """Run ``work`` off the window's thread. Expected failures (UserError) come back as their
    message; anything else as a short description (the traceback goes to stderr)."""

    def __init__(self, work: Work, cancelled_types: tuple[type[BaseException], ...] = ()) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = JobSignals()
        self._work = work
        self._cancel = threading.Event()
        self._cancelled_types = cancelled_types
        self.done = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self._work(self.signals.progress.emit, self._cancel.is_set)
        except self._cancelled_types:
            self.signals.cancelled.emit()
        except UserError as exc:
            self.signals.failed.emit(exc.message)
        except Exception as exc:  # noqa: BLE001 - shown to the user, not swallowed
            traceback.print_exc()
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.signals.finished.emit(result)
        finally:
            self.done.set()


def start(job: Job, pool: QThreadPool | None = None) -> Job:
    (pool or QThreadPool.globalInstance()).start(job)
    return job


def run_with_progress(parent: Any, title: str, text: str, work: Callable[[], Any]) -> Any:
    """Run ``work`` on a pool thread behind a busy progress dialog and return its result; the
    window keeps painting meanwhile. A failure comes back as ``UserError`` with its message."""
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QProgressDialog

    job = Job(lambda _progress, _cancelled: work())
    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def finished(result: object) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(message: str) -> None:
        outcome["error"] = message
        loop.quit()

    job.signals.finished.connect(finished, Qt.ConnectionType.QueuedConnection)
    job.signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
    dialog = QProgressDialog(text, "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)  # quick work shows no dialog at all
    dialog.setValue(0)
    start(job)
    if not outcome:  # setValue may already have delivered the answer
        loop.exec()
    dialog.reset()
    dialog.deleteLater()
    if "error" in outcome:
        raise UserError(outcome["error"])
    return outcome.get("result")


class LatestOnly(QObject):
    """One owner's background calls where only the latest result matters (choosing another
    period while the figures of the previous one compute must not show stale figures).

    ``run(fn, on_done, on_error)``: ``fn()`` runs as a :class:`Job`; ``on_done(result)`` or
    ``on_error(message)`` is then called on the window's thread, unless a newer call came."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[str], None] | None]] = {}

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self._generation += 1
        generation = self._generation
        self._callbacks = {generation: (on_done, on_error)}

        def work(_progress: object, _cancelled: object) -> tuple[int, bool, Any]:
            try:
                return generation, True, fn()
            except UserError as exc:
                return generation, False, exc.message
            except Exception as exc:  # noqa: BLE001 - shown to the user, not swallowed
                traceback.print_exc()
                return generation, False, f"{type(exc).__name__}: {exc}"

        job = Job(work)
        # The pool owns and deletes the job once run, even if this object (its page) is gone
        # first; nobody waits on it.
        job.setAutoDelete(True)
        # A bound method of this (the window thread's) object: Qt queues the call to it.
        job.signals.finished.connect(self._deliver)
        start(job)

    def _deliver(self, payload: tuple[int, bool, Any]) -> None:
        generation, ok, value = payload
        callbacks = self._callbacks.pop(generation, None)
        if callbacks is None:
            return
        on_done, on_error = callbacks
        if ok:
            on_done(value)
        elif on_error is not None:
            on_error(value)
