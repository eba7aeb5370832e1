"""Background jobs (PDFs, reports, imports, figures): the work runs on a pool thread, reports
progress and can be cancelled; the window stays responsive. A job never touches widgets: it emits
signals, which Qt delivers on the window's thread. ``LatestOnly`` runs plain calls of which only
the newest result is wanted (figures for a period, the people search index, a preview).

``run_op`` is the one way the window runs a change to the data (after Anki's ``CollectionOp``):
the service call, on the window's thread or behind a progress indicator, its expected failure
shown with a translated title, a bug handed to the unexpected-error hook, and what changed
announced once on the data bus, with who asked for it."""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.domain.changes import NOTHING, Changes
from app.errors import UserError, ValidationError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.events import DataBus
    from ui.prompts import Prompts

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


def report_unexpected(exc: BaseException) -> None:
    """A bug: to the unexpected-error hook (ui/error_hook.py: logged, shown with its details),
    with the traceback of where it happened, whichever thread that was."""
    sys.excepthook(type(exc), exc, exc.__traceback__)


def _behind_progress(
    parent: QWidget | None, title: str, text: str, work: Callable[[], Any]
) -> tuple[bool, Any]:
    """Run ``work`` on a pool thread behind a busy progress dialog (shown only when the work
    takes a while); the window keeps painting meanwhile. ``(True, result)`` or ``(False,
    exception)``, the exception with its traceback, back on the window's thread."""
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QProgressDialog

    outcome: list[tuple[bool, Any]] = []

    def run(_progress: object, _cancelled: object) -> None:
        try:
            outcome.append((True, work()))
        except Exception as exc:  # noqa: BLE001 - handed to the window's thread, not swallowed
            outcome.append((False, exc))

    job = Job(run)
    loop = QEventLoop()
    delivered: list[bool] = []

    def finished(_result: object) -> None:
        delivered.append(True)
        loop.quit()

    job.signals.finished.connect(finished, Qt.ConnectionType.QueuedConnection)
    dialog = QProgressDialog(text, "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)  # quick work shows no dialog at all
    dialog.setValue(0)
    start(job)
    if not delivered:  # setValue may already have delivered the answer
        loop.exec()
    job.done.wait()
    dialog.reset()
    dialog.deleteLater()
    return outcome[0]


def run_with_progress(parent: Any, title: str, text: str, work: Callable[[], Any]) -> Any:
    """Run ``work`` on a pool thread behind a busy progress dialog and return its result; the
    window keeps painting meanwhile. An expected failure comes back as its ``UserError``; a bug
    is raised again on the window's thread with its traceback."""
    ok, value = _behind_progress(parent, title, text, work)
    if not ok:
        raise value
    return value


#: What ``run_op`` passes as the initiator unless told otherwise: the parent widget.
_PARENT: Any = object()


def run_op(
    parent: QWidget | None,
    call: Callable[[], Any],
    *,
    bus: DataBus | None,
    prompts: Prompts | None,
    title: str,
    on_success: Callable[[Any], None] | None = None,
    on_invalid: Callable[[ValidationError], None] | None = None,
    on_failure: Callable[[UserError], None] | None = None,
    background: bool = False,
    progress_text: str | None = None,
    initiator: object = _PARENT,
) -> bool:
    """Run one change to the data: ``call`` is a service call returning ``Changes`` or
    ``(result, Changes)``. True when it was done.

    - Quick calls run on the window's thread; ``background=True`` runs it on a pool thread
      behind a progress indicator saying ``progress_text`` (the window keeps painting).
    - An expected failure (``UserError``) is shown through ``prompts`` with ``title``, never a
      traceback; a form's ``ValidationError`` goes to ``on_invalid`` instead when given
      (messages under the fields), and any expected failure to ``on_failure`` when given (then
      ``prompts`` may be None). Nothing is announced.
    - A bug goes to the unexpected-error hook (logged, shown with its details).
    - On success ``on_success(result)`` runs first (``None`` for a call returning only
      ``Changes``), then the changes are announced on ``bus`` ONCE with ``initiator`` (the
      parent unless given): a page that brings itself up to date in ``on_success`` is not
      refreshed a second time by its own announcement (ui/pages/base.py).
    """
    if background:
        ok, value = _behind_progress(parent, title, progress_text or title, call)
    else:
        try:
            ok, value = True, call()
        except Exception as exc:  # noqa: BLE001 - shown below, never swallowed
            ok, value = False, exc
    if not ok:
        if isinstance(value, ValidationError) and on_invalid is not None:
            on_invalid(value)
        elif isinstance(value, UserError) and on_failure is not None:
            on_failure(value)
        elif isinstance(value, UserError) and prompts is not None:
            prompts.error(parent, title, value.message)
        else:
            report_unexpected(value)
        return False
    result, changes = _split(value)
    if on_success is not None:
        on_success(result)
    if bus is not None:
        bus.emit_changes(changes, parent if initiator is _PARENT else initiator)
    return True


def _split(value: Any) -> tuple[Any, Changes]:
    """``Changes`` -> (None, Changes); ``(result, Changes)`` -> as it is; anything else is a
    result that changed nothing."""
    if isinstance(value, Changes):
        return None, value
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], Changes):
        return value[0], value[1]
    return value, NOTHING


class LatestOnly(QObject):
    """One owner's background calls where only the latest result matters (choosing another
    period while the figures of the previous one compute must not show stale figures).

    ``run(fn, on_done, on_error)``: ``fn()`` runs as a :class:`Job`; ``on_done(result)`` or
    ``on_error(message)`` (a ``UserError``'s message) is then called on the window's thread,
    unless a newer call came. A bug goes to the unexpected-error hook, stale or not. ``wait()``
    blocks until the calls under way have finished (before what they report to goes away)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[str], None] | None]] = {}
        self._running: list[threading.Event] = []

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

        def work(_progress: object, _cancelled: object) -> tuple[int, str, Any]:
            try:
                return generation, "done", fn()
            except UserError as exc:
                return generation, "error", exc.message
            except Exception as exc:  # noqa: BLE001 - handed to the error hook, not swallowed
                return generation, "bug", exc

        job = Job(work)
        # The pool owns and deletes the job once run, even if this object (its page) is gone
        # first; only wait() waits on it.
        job.setAutoDelete(True)
        self._running = [event for event in self._running if not event.is_set()]
        self._running.append(job.done)
        # A bound method of this (the window thread's) object: Qt queues the call to it.
        job.signals.finished.connect(self._deliver)
        start(job)

    def wait(self) -> None:
        for event in self._running:
            event.wait()
        self._running = []

    def _deliver(self, payload: tuple[int, str, Any]) -> None:
        generation, outcome, value = payload
        callbacks = self._callbacks.pop(generation, None)
        if outcome == "bug":
            report_unexpected(value)
        if callbacks is None:
            return
        on_done, on_error = callbacks
        if outcome == "done":
            on_done(value)
        elif outcome == "error" and on_error is not None:
            on_error(value)


def run_cancellable(
    parent: QWidget | None,
    title: str,
    text: str,
    work: Work,
    cancelled_types: tuple[type[BaseException], ...] = (),
    started: Callable[[Any], None] | None = None,
) -> tuple[str, Any]:
    """Run ``work(progress, cancelled)`` on a pool thread behind a progress bar with Cancel
    (long reads: a scanner's 300-page PDF); the window keeps painting. Returns ``("done",
    result)``, ``("cancelled", None)`` when the person cancelled (``work`` stops between steps
    by raising one of ``cancelled_types``) or ``("failed", message)``. ``started(dialog)`` is
    told the progress dialog."""
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QProgressDialog

    from app.i18n import _

    job = Job(work, cancelled_types)
    loop = QEventLoop()
    outcome: list[tuple[str, Any]] = []
    queued = Qt.ConnectionType.QueuedConnection

    def end(kind: str, value: Any) -> None:
        outcome.append((kind, value))
        loop.quit()

    dialog = QProgressDialog(text, _("Cancel"), 0, 1000, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(300)
    dialog.canceled.connect(job.cancel)

    def progress(fraction: float, message: str) -> None:
        if not dialog.wasCanceled():
            dialog.setValue(max(0, min(1000, int(fraction * 1000))))
            if message:
                dialog.setLabelText(message)

    job.signals.progress.connect(progress, queued)
    job.signals.finished.connect(lambda result: end("done", result), queued)
    job.signals.failed.connect(lambda message: end("failed", message), queued)
    job.signals.cancelled.connect(lambda: end("cancelled", None), queued)
    if started is not None:
        started(dialog)
    dialog.setValue(0)
    start(job)
    if not outcome:
        loop.exec()
    job.done.wait()
    dialog.reset()
    dialog.deleteLater()
    return outcome[0]
