"""The window's fonts: the ones the printed documents embed, shipped in ``resources/fonts``.

Teixit does not depend on the fonts a computer happens to have: the window is laid out in Noto
Sans everywhere, so a page that fits a small screen on one machine fits on every one, and names in
Arabic or Urdu (Noto Naskh Arabic) and in Chinese, Japanese or Korean (Droid Sans Fallback) show
as letters, not empty boxes. The user's font *size* is kept (the platform's default point size),
only the families change.

Registering the four files costs a few milliseconds (Qt reads each file's name table; glyphs are
loaded when first drawn). A stripped build without the files falls back to the system's fonts.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.paths import resource_path

#: The window's font family, then the fallbacks tried in order for characters it lacks.
UI_FAMILY = "Noto Sans"
FALLBACK_FAMILIES = ("Noto Naskh Arabic", "Droid Sans Fallback")

#: The shipped files (the same the documents embed, see app/reports/fonts.py).
UI_FONT_FILES = (
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoNaskhArabic-Regular.ttf",
    "DroidSansFallbackFull.ttf",
)

#: The families each registered file brought (once per process).
_installed: dict[str, list[str]] = {}


def install_ui_fonts(app: QApplication) -> list[str]:
    """Register the shipped fonts once per process and make them the application font.

    Returns the families in the order they are tried (only those actually available).
    """
    for filename in UI_FONT_FILES:
        if filename in _installed:
            continue
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", filename)))
        if font_id != -1:
            _installed[filename] = QFontDatabase.applicationFontFamilies(font_id)
    available = {family for families in _installed.values() for family in families}
    families = [f for f in (UI_FAMILY, *FALLBACK_FAMILIES) if f in available]
    if families:
        font = QFont(app.font())
        font.setFamilies(families)
        app.setFont(font)
    return families


__all__ = ["FALLBACK_FAMILIES", "UI_FAMILY", "UI_FONT_FILES", "install_ui_fonts"]
