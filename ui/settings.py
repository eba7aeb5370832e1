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

    def sync(self) -> None:
        self._s.sync()
