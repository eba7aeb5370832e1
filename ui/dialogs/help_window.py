"""Help > User guide (F1): the guide shipped with Teixit (resources/help/<language>/<section>.md),
in the interface language, opened at the section about the page on screen. Works offline."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QWidget,
)

from app import i18n, paths
from app.i18n import N_, _

#: The guide's sections in reading order: each page of the window has one (same key), and
#: taking attendance has its own.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("home", N_("Home")),
    ("programmes", N_("Programmes")),
    ("sessions", N_("Sessions")),
    ("attendance", N_("Taking attendance")),
    ("people", N_("People")),
    ("networks", N_("Networks")),
    ("reports", N_("Reports")),
    ("economics", N_("Economics")),
    ("volunteers", N_("Volunteering")),
    ("settings", N_("Settings")),
)
KEYS = tuple(key for key, _title in SECTIONS)


def guide_text(section: str, lang: str | None = None) -> str:
    """The Markdown of one section in ``lang`` (the interface language by default); Catalan
    when a language has no guide of its own yet."""
    for code in (lang or i18n.current_language(), i18n.DEFAULT_LANGUAGE):
        path = paths.resource_path("help", code, f"{section}.md")
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


class HelpWindow(QWidget):
    """A window of its own beside the main one: the sections on the left, the text on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("helpWindow")
        self.resize(760, 560)
        self.sections = QListWidget()
        self.sections.setMaximumWidth(220)
        for key, _title in SECTIONS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.sections.addItem(item)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.text.setOpenLinks(False)
        self.sections.currentRowChanged.connect(lambda _row: self._load())
        layout = QHBoxLayout(self)
        layout.addWidget(self.sections)
        layout.addWidget(self.text, 1)
        self.retranslate_ui()

    def current_section(self) -> str:
        item = self.sections.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else KEYS[0]

    def show_section(self, key: str) -> None:
        """Open the guide at ``key`` (a page's key; the first section if it has none)."""
        self.sections.setCurrentRow(KEYS.index(key) if key in KEYS else 0)
        self._load()

    def _load(self) -> None:
        self.text.setMarkdown(guide_text(self.current_section()))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Teixit user guide"))
        for row, (_key, title) in enumerate(SECTIONS):
            item = self.sections.item(row)
            if item is not None:
                item.setText(_(title))
        self._load()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
