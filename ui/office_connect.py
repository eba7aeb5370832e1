"""Asking for an office login (the Connect dialog) on behalf of the composition root."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget
from sqlalchemy import URL
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from app.domain.office import OfficeLogin
    from app.services.container import Services


def ask_login(
    parent: QWidget | None, address: str | URL | None, reason: str
) -> tuple[Services, OfficeLogin] | None:
    """The Connect dialog, filled in from ``address`` (its password never shown); the services
    of the opened database and who is on it, or None when cancelled."""
    from ui.dialogs.connect_dialog import ConnectDialog

    url: URL | None = None
    if address:
        try:
            url = make_url(address) if isinstance(address, str) else address
        except Exception:  # noqa: BLE001 - a malformed address kept in the settings: start empty
            url = None
    dialog = ConnectDialog(parent, address=url, reason=reason)
    try:
        if dialog.exec() and dialog.services is not None and dialog.login is not None:
            return dialog.services, dialog.login
        return None
    finally:
        dialog.deleteLater()
