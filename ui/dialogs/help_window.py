"""Help > User guide (F1): the guide shipped with Teixit (resources/help/<language>/<section>.md,
its pictures in resources/help/img), in the interface language, opened at the section about the
page on screen. Works offline. A search box (Ctrl+F) keeps the sections that hold a word and
marks it in the text; links between sections open them; the window remembers its size."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import PurePosixPath

from PySide6.QtCore import QEvent, QRegularExpression, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QHideEvent,
    QKeySequence,
    QShortcut,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app import i18n, paths
from app.i18n import N_, _
from ui.settings import Preferences

#: The guide's sections in reading order: each page of the window has one (same key), and
#: taking attendance and working as a team have their own.
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
    ("team", N_("Working as a team")),
)
KEYS = tuple(key for key, _title in SECTIONS)

#: Where the window keeps its size (the application's preferences; None: not kept).
_prefs: Preferences | None = None


def remember_size_in(prefs: Preferences | None) -> None:
    """Keep the guide window's size in ``prefs`` (set once by the application)."""
    global _prefs
    _prefs = prefs


def guide_text(section: str, lang: str | None = None) -> str:
    """The Markdown of one section in ``lang`` (the interface language by default); Catalan
    when a language has no guide of its own yet."""
    for code in (lang or i18n.current_language(), i18n.DEFAULT_LANGUAGE):
        path = paths.resource_path("help", code, f"{section}.md")
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


def fold(text: str) -> str:
    """Lower case without accents, so that «sessio» finds «sessió»."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=64)
def _plain(section: str, lang: str) -> str:
    document = QTextDocument()
    document.setMarkdown(guide_text(section, lang))
    return fold(document.toPlainText())


def sections_with(words: str, lang: str | None = None) -> list[str]:
    """The sections whose text holds every word of ``words`` (accents and case ignored)."""
    code = lang or i18n.current_language()
    wanted = fold(words).split()
    return [key for key in KEYS if all(w in _plain(key, code) for w in wanted)]


class HelpWindow(QWidget):
    """A window of its own beside the main one: the search box and the sections on the left,
    the text on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("helpWindow")
        self.resize(820, 620)  # the pictures are 520 px wide: the text has room for them
        geometry = _prefs.help_geometry if _prefs is not None else None
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._next_match)
        self.no_match = QLabel()
        self.no_match.setWordWrap(True)
        self.no_match.hide()
        self.sections = QListWidget()
        for key, _title in SECTIONS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.sections.addItem(item)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.text.setOpenLinks(False)
        # Pictures are named from the help folder (img/home-ca.png).
        self.text.setSearchPaths([str(paths.resource_path("help"))])
        self.text.anchorClicked.connect(self._follow)
        self.sections.currentRowChanged.connect(lambda _row: self._load())
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.search)
        left.addWidget(self.no_match)
        left.addWidget(self.sections, 1)
        side = QWidget()
        side.setLayout(left)
        side.setMaximumWidth(230)
        layout = QHBoxLayout(self)
        layout.addWidget(side)
        layout.addWidget(self.text, 1)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        self.retranslate_ui()

    def current_section(self) -> str:
        item = self.sections.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else KEYS[0]

    def show_section(self, key: str) -> None:
        """Open the guide at ``key`` (a page's key; the first section if it has none)."""
        row = KEYS.index(key) if key in KEYS else 0
        if self.sections.isRowHidden(row):
            self.search.clear()  # a section the search left out: show them all again
        self.sections.setCurrentRow(row)
        self._load()

    def _load(self) -> None:
        self.text.setMarkdown(guide_text(self.current_section()))
        self._mark()

    # -- search ---------------------------------------------------------------------------

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _filter(self, words: str) -> None:
        found = set(sections_with(words)) if words.strip() else set(KEYS)
        for row, key in enumerate(KEYS):
            self.sections.setRowHidden(row, key not in found)
        self.no_match.setVisible(not found)
        self.no_match.setText(_("Nothing in the guide matches «{words}».").format(words=words))
        if found and self.current_section() not in found:
            self.sections.setCurrentRow(next(r for r, k in enumerate(KEYS) if k in found))
        else:
            self._mark()

    def _next_match(self) -> None:
        """Enter in the search box: the next section that holds the words."""
        rows = [r for r in range(len(KEYS)) if not self.sections.isRowHidden(r)]
        if rows:
            later = [r for r in rows if r > self.sections.currentRow()]
            self.sections.setCurrentRow((later or rows)[0])

    def _mark(self) -> None:
        """Highlight the searched words in the section shown and scroll to the first one."""
        selections: list[QTextEdit.ExtraSelection] = []
        highlight = QTextCharFormat()
        highlight.setBackground(QColor("#ffe066"))
        document = self.text.document()
        first = None
        for word in fold(self.search.text()).split():
            cursor = document.find(_accent_pattern(word))
            while not cursor.isNull():
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format = highlight
                selections.append(selection)
                if first is None:
                    first = cursor
                cursor = document.find(_accent_pattern(word), cursor)
        self.text.setExtraSelections(selections)
        if first is not None:
            self.text.setTextCursor(first)
            self.text.ensureCursorVisible()

    # -- links ----------------------------------------------------------------------------

    def _follow(self, url: QUrl) -> None:
        """A link to another section (sessions.md) opens it; a web address, the browser."""
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        name = PurePosixPath(url.path())
        if name.suffix == ".md" and name.stem in KEYS:
            self.show_section(name.stem)

    # -- Qt -------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Teixit user guide"))
        self.search.setPlaceholderText(_("Search the guide (Ctrl+F)"))
        for row, (_key, title) in enumerate(SECTIONS):
            item = self.sections.item(row)
            if item is not None:
                item.setText(_(title))
        self._filter(self.search.text())
        self._load()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        if _prefs is not None:
            _prefs.help_geometry = self.saveGeometry()
        super().hideEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


_ACCENTS = {
    "a": "aàáâä",
    "e": "eèéêë",
    "i": "iìíîï",
    "o": "oòóôö",
    "u": "uùúûü",
    "c": "cç",
    "n": "nñ",
}


def _accent_pattern(word: str) -> QRegularExpression:
    """A pattern that finds ``word`` (already folded) with or without its accents."""
    parts = [
        f"[{_ACCENTS[c]}]" if c in _ACCENTS else QRegularExpression.escape(c) for c in word
    ]
    return QRegularExpression(
        "".join(parts), QRegularExpression.PatternOption.CaseInsensitiveOption
    )
