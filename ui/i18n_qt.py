"""Live language switching: our gettext catalogues plus Qt's own translations of its standard
dialogs (qtbase_ca/es.qm). Installing the Qt translator sends LanguageChange to every widget,
whose ``retranslate_ui`` then re-reads the strings."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QComboBox

from app import i18n


class LanguageSwitcher:
    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._qt_translator: QTranslator | None = None

    def apply(self, lang: str) -> None:
        i18n.set_language(lang)
        QLocale.setDefault(QLocale(i18n.LOCALES[i18n.current_language()]))
        # The default reaches only widgets made from now on: give the open windows the new
        # locale too (calendar pop-ups name the months and days with it).
        for window in self._app.topLevelWidgets():
            window.setLocale(QLocale())
        if self._qt_translator is not None:
            self._app.removeTranslator(self._qt_translator)
        translator = QTranslator(self._app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        # Qt's own catalogue of the language (Valencian reads Qt's Catalan dialogs).
        qt_lang = i18n.current_language().split("-")[0]
        if translator.load(f"qtbase_{qt_lang}", folder):
            self._app.installTranslator(translator)
            self._qt_translator = translator
        else:  # no Qt catalogue: still tell every widget to retranslate
            self._qt_translator = None
            for widget in self._app.allWidgets():
                QApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))


def add_document_languages(combo: QComboBox) -> None:
    """One item per language a document can be printed in (``ca``, ``es``, ``ca+es``…), the
    code as the item's data; :func:`name_languages` names them in the interface language."""
    for code in i18n.document_languages():
        combo.addItem(i18n.language_name(code), code)


def add_languages(combo: QComboBox) -> None:
    """One item per language, each named in itself ("Català", "Castellano")."""
    for code in i18n.LANGUAGES:
        combo.addItem(i18n.endonym(code), code)


def name_languages(combo: QComboBox) -> None:
    """Rename a language combo's items in the current interface language (retranslate_ui)."""
    for i in range(combo.count()):
        combo.setItemText(i, i18n.language_name(str(combo.itemData(i))))
