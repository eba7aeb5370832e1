"""The window's link to an office database: other PCs' changes reach the data bus (pages that
show them reload), and the status bar says who is connected, as what, and when the server
cannot be reached (Teixit keeps what is on screen and reconnects by itself).

The listening happens on a background thread (the office service starts it); its news
cross to the window's thread as queued signals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel

from app.domain.changes import EVERYTHING, Changes
from app.domain.office import COORDINATOR, EDUCATOR, VIEWER
from app.i18n import _

if TYPE_CHECKING:  # imported by the window's shell, before the data opens
    from app.services.container import Services


def role_name(role: str) -> str:
    """A role as people read it."""
    return {
        COORDINATOR: _("coordinator"),
        EDUCATOR: _("educator"),
        VIEWER: _("viewer"),
    }.get(role, role)


#: The status bar's look while the server cannot be reached.
LOST_STYLE = "color: #b00020; font-weight: 600;"


class OfficeLink(QObject):
    """Started with the window on an office database; ``stop()`` as it closes. What other PCs
    changed comes out of ``changed`` (the composition root hands it to the data bus)."""

    changed = Signal(object)  # Changes
    _heard = Signal(object)
    _reachable = Signal(bool)

    def __init__(self, services: Services, label: QLabel) -> None:
        super().__init__(label)
        self.services, self.label = services, label
        #: False while the server cannot be reached (None until the first answer).
        self.reachable: bool | None = None
        self._heard.connect(self._on_heard, Qt.ConnectionType.QueuedConnection)
        self._reachable.connect(self._on_reachable, Qt.ConnectionType.QueuedConnection)
        self._listener = services.office.listen(self._heard.emit, self._reachable.emit)
        self.show_status()

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    def _on_heard(self, changes: Changes) -> None:
        if self.reachable is not False:
            self.changed.emit(changes)

    def _on_reachable(self, reachable: bool) -> None:
        lost_before = self.reachable is False
        self.reachable = reachable
        self.show_status()
        if reachable and lost_before:
            # What other PCs changed meanwhile was not heard: every page reloads.
            self.changed.emit(EVERYTHING)

    def show_status(self) -> None:
        """The status bar's text in the current language."""
        if self.reachable is False:
            self.label.setStyleSheet(LOST_STYLE)
            self.label.setText(_("The office database cannot be reached; retrying…"))
            return
        login = self.services.office.login()
        self.label.setStyleSheet("")
        if login is None:
            return
        said = (
            _("Office database: {server}/{database} as {user} ({role}) · encrypted")
            if login.encrypted
            else _("Office database: {server}/{database} as {user} ({role})")
        )
        self.label.setText(
            said.format(
                server=login.server,
                database=login.database,
                user=login.user,
                role=role_name(login.role),
            )
        )
        self.label.setToolTip(
            _("The connection to the office database is encrypted (TLS).")
            if login.encrypted
            else _("The connection to the office database is not encrypted.")
        )
