"""Background jobs (PDFs, reports, imports): the work runs on a pool thread, reports progress and
can be cancelled; the window stays responsive. A job never touches widgets: it emits signals,
which Qt delivers on the window's thread."""

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
    dialog.setCancelButton(None)  # type: ignore[arg-type]
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
