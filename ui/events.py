"""The data-changed bus: services return what changed, the window re-emits it, and each page
refreshes only when it shows that kind of data."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.domain.changes import Changes


class DataBus(QObject):
    changed = Signal(object)  # Changes

    def emit_changes(self, changes: Changes) -> None:
        if changes.areas:
            self.changed.emit(changes)
