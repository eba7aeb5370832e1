"""The data-changed bus: services return what changed, the window re-emits it, and each page
refreshes only when it shows that kind of data.

Changes are announced by the operation runner (ui/workers.py: ``run_op``) with who asked for
them, so the page that made a change and already brought itself up to date is not refreshed a
second time; the composition root (ui/main.py) announces a restored or new database."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.domain.changes import Changes


class DataBus(QObject):
    changed = Signal(object, object)  # Changes, the initiator (the widget that asked) or None

    def emit_changes(self, changes: Changes, initiator: object = None) -> None:
        if changes.areas:
            self.changed.emit(changes, initiator)
