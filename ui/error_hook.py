"""Unexpected errors (bugs) anywhere in the window, Qt slots and event handlers included, end
here instead of in a silent console: the details go to the private log (app/error_log.py: the
traceback and the versions, no personal data) and the person sees a translated "something went
wrong" message whose details can be copied into a report.

PySide hands exceptions raised in slots and overridden event handlers to ``sys.excepthook``;
threads that are not Qt's go through ``threading.excepthook``. A failure off the window's thread
is logged there and shown from the window's thread.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable
from types import TracebackType

import PySide6
from PySide6.QtCore import QObject, Signal, qVersion
from PySide6.QtWidgets import QWidget

from app import error_log
from app.errors import UserError
from app.i18n import _
from ui.prompts import Prompts


class _Relay(QObject):
    """Carries a report from any thread to the window's thread (a queued signal)."""

    report = Signal(str)


class ErrorHook:
    def __init__(self, prompts: Prompts, parent: Callable[[], QWidget | None] = lambda: None):
        self._prompts = prompts
        self._parent = parent
        self._showing = False
        self._relay = _Relay()
        self._relay.report.connect(self._show)
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook

    def install(self) -> ErrorHook:
        self._previous_hook, sys.excepthook = sys.excepthook, self
        self._previous_thread_hook, threading.excepthook = threading.excepthook, self._on_thread
        return self

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self._previous_hook
        if threading.excepthook == self._on_thread:
            threading.excepthook = self._previous_thread_hook

    def __call__(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt | SystemExit):
            self._previous_hook(exc_type, exc, tb)
            return
        if isinstance(exc, UserError) and threading.current_thread() is threading.main_thread():
            # An expected failure no form caught (the office server went away while a page
            # read): its one translated sentence, not a bug report.
            self._prompts.error(self._parent(), _("Not done"), exc.message)
            return
        report = error_log.describe(
            exc_type, exc, tb, {"PySide6": PySide6.__version__, "Qt": qVersion()}
        )
        with contextlib.suppress(OSError):  # no data folder: the message still tells the person
            error_log.write(report)
        if threading.current_thread() is threading.main_thread():  # the window's thread
            self._show(report)
        else:
            self._relay.report.emit(report)

    def _on_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        self(args.exc_type, args.exc_value, args.exc_traceback)

    def _show(self, report: str) -> None:
        if self._showing:  # one message at a time; a failure repeating behind it is logged
            return
        self._showing = True
        try:
            self._prompts.unexpected(
                self._parent(),
                _("Something went wrong"),
                _(
                    "Something went wrong and Teixit could not finish what you asked. What you "
                    "had saved before is safe. If it happens again, copy the details below and "
                    "send them to whoever looks after Teixit: they hold no personal data. The "
                    "details are also kept in {path}."
                ).format(path=error_log.log_path()),
                report,
            )
        finally:
            self._showing = False
