"""What every page of the main window shares: live retranslation and change notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from app.domain.changes import Area, Changes
from ui.events import DataBus
from ui.prompts import Prompts

if TYPE_CHECKING:  # the window's shell is painted before the database layer is imported
    from app.services.container import Services


class Page(QWidget):
    """A page of the main window. Subclasses build widgets in ``__init__``, set every visible
    string in ``retranslate_ui`` and reload their data in ``refresh``.

    ``areas`` lists the kinds of data the page shows: it refreshes when one of them changes (only
    when visible; otherwise on the next show). Changes the page made itself through the
    operation runner (``run_op`` with the page as initiator) do not refresh it again: its own
    success callback has brought it up to date.
    """

    areas: tuple[Area, ...] = ()

    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__()
        self.services = services
        self.bus = bus
        self.prompts = prompts
        self._stale = True
        bus.changed.connect(self._on_changed)

    def title(self) -> str:
        """The page's name in the navigation (translated at call time)."""
        raise NotImplementedError

    def retranslate_ui(self) -> None:
        pass

    def refresh(self) -> None:
        pass

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def load_now(self) -> None:
        """Load the data now if it is not loaded yet (the composition root does this for the
        first page, so a database that fails its first query is caught at start-up)."""
        if self._stale:
            self._stale = False
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        self.load_now()
        super().showEvent(event)

    def _on_changed(self, changes: Changes, initiator: object = None) -> None:
        if initiator is self or not changes.touches(*self.areas):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True
