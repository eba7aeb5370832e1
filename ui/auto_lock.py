"""Auto-lock: after a time without use (Settings > Security, 10 minutes unless changed) and when
the session's screen locks, every Teixit window is covered and the passphrase asked again.

Nothing is closed: an open dialog keeps what was typed in it under its cover, and comes back as
it was once the data is unlocked. The screen-lock signal is the desktop's screensaver on D-Bus
(Linux desktops that offer ``org.freedesktop.ScreenSaver``); elsewhere the idle time alone locks.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import SLOT, QEvent, QObject, QPoint, Qt, QTimer, Slot
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget

from app.i18n import _

DEFAULT_MINUTES = 10

_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class LockCover(QWidget):
    """An opaque cover over one window while Teixit is locked (nothing under it shows)."""

    def __init__(self, window: QWidget, unlock: Callable[[], None]) -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        label = QLabel(_("Teixit is locked."))
        label.setStyleSheet("font-size: 14pt;")
        self.button = QPushButton(_("Unlock…"), clicked=unlock)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(label, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.show()
        self.raise_()
        self.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.window_ and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.window_.rect())
        return False

    def remove(self) -> None:
        self.window_.removeEventFilter(self)
        self.hide()
        self.deleteLater()


class AutoLock(QObject):
    """Counts the time since the last key press or mouse use in any Teixit window; locks after
    ``minutes`` (0: never). ``ask`` shows the unlock dialog and says whether it was unlocked."""

    def __init__(
        self,
        qapp: QApplication,
        ask: Callable[[], bool],
        minutes: int = DEFAULT_MINUTES,
    ) -> None:
        super().__init__(qapp)
        self.qapp = qapp
        self.ask = ask
        self.covers: list[LockCover] = []
        #: Where the pointer last moved to (screen coordinates).
        self._pointer: QPoint | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.set_minutes(minutes)
        qapp.installEventFilter(self)
        self._listen_to_screensaver()

    @property
    def locked(self) -> bool:
        return bool(self.covers)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = max(0, minutes)
        if self.minutes and not self.locked:
            self.timer.start(self.minutes * 60_000)
        else:
            self.timer.stop()

    def stop(self) -> None:
        self.timer.stop()
        self.qapp.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind in _INPUT and self.minutes and not self.locked:
            if kind == QEvent.Type.MouseMove:
                # A move to where the pointer already was is no use of Teixit: the system can
                # send one when a window appears or moves under a pointer left still.
                where = event.globalPosition().toPoint()  # type: ignore[attr-defined]
                if where == self._pointer:
                    return False
                self._pointer = where
            self.timer.start(self.minutes * 60_000)
        return False

    def lock(self) -> None:
        """Cover every window and ask for the passphrase."""
        if self.locked:
            return
        self.timer.stop()
        for window in QApplication.topLevelWidgets():
            if window.isVisible() and window.isWindow():
                self.covers.append(LockCover(window, self.unlock))
        QTimer.singleShot(0, self.unlock)

    def unlock(self) -> None:
        if not self.locked or self.ask() is False:
            return
        for cover in self.covers:
            cover.remove()
        self.covers.clear()
        self.set_minutes(self.minutes)

    def _listen_to_screensaver(self) -> None:
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # pragma: no cover - a build without Qt D-Bus
            return
        bus = QDBusConnection.sessionBus()
        if not bus.isConnected():
            return
        for service, path in (
            ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
            ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
        ):
            bus.connect(service, path, service, "ActiveChanged", self, SLOT("screensaver(bool)"))

    @Slot(bool)
    def screensaver(self, active: bool) -> None:
        if active:
            self.lock()
