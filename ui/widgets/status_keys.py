"""Keys that set an attendance status, as on a paper register: P/L/E/A (and the translated
initials) or 1-4; Delete clears."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

from app.domain.sessions import ATTENDANCE_STATUSES
from ui.models.sessions import status_mark

CLEAR = "clear"


def status_for_key(event: QKeyEvent) -> str | None:
    """The status a key press asks for, CLEAR to remove it, or None for another key."""
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if mods not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
        return None
    key = event.key()
    if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
        return CLEAR
    if Qt.Key.Key_1 <= key <= Qt.Key.Key_4:
        return ATTENDANCE_STATUSES[key - Qt.Key.Key_1]
    text = event.text().upper()
    if not text:
        return None
    for status, letter in zip(ATTENDANCE_STATUSES, "PLEA", strict=True):
        if text == letter:
            return status
    for status in ATTENDANCE_STATUSES:
        if text == status_mark(status).upper():
            return status
    return None
