"""Typed access to the per-user preferences kept by Qt (QSettings)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings


class Preferences:
    def __init__(self, settings: QSettings | None = None) -> None:
        self._s = settings or QSettings("Teixit", "Teixit")

    @property
    def language(self) -> str | None:
        value = self._s.value("ui/language")
        return str(value) if value else None

    @language.setter
    def language(self, value: str) -> None:
        self._s.setValue("ui/language", value)

    @property
    def window_geometry(self) -> QByteArray | None:
        value = self._s.value("ui/geometry")
        return value if isinstance(value, QByteArray) else None

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._s.setValue("ui/geometry", value)

    @property
    def help_geometry(self) -> QByteArray | None:
        """The user guide window's size and place."""
        value = self._s.value("ui/help_geometry")
        return value if isinstance(value, QByteArray) else None

    @help_geometry.setter
    def help_geometry(self, value: QByteArray) -> None:
        self._s.setValue("ui/help_geometry", value)

    @property
    def office_address(self) -> str | None:
        """The office database this computer connects to (postgresql://login@server:port/db,
        never the password: that is in the keyring); None for the data folder's own file."""
        value = self._s.value("office/address")
        return str(value) if value else None

    @office_address.setter
    def office_address(self, value: str | None) -> None:
        if value:
            self._s.setValue("office/address", value)
        else:
            self._s.remove("office/address")

    @property
    def auto_lock_minutes(self) -> int:
        """Minutes without use before encrypted data is locked again (0: never)."""
        value = self._s.value("security/auto_lock_minutes")
        try:
            return max(0, int(value)) if value is not None else 10
        except (TypeError, ValueError):
            return 10

    @auto_lock_minutes.setter
    def auto_lock_minutes(self, value: int) -> None:
        self._s.setValue("security/auto_lock_minutes", int(value))

    def sync(self) -> None:
        self._s.sync()
