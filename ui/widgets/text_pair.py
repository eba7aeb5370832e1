"""A printed text and its version in the other document language, side by side ("ca | es"):
the entity's language on the left (the record's own field), the other on the right."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from app.domain.texts import Translations, translation, with_translation
from app.i18n import _, language_name

#: The short tag of each language beside its field.
TAGS = {"ca": "ca", "es": "es", "ca-valencia": "va"}


def tag(lang: str) -> str:
    return TAGS.get(lang, lang)


class TextPair(QWidget):
    """``main`` (the form's existing editor) and ``other``, an editor of the same kind."""

    def __init__(self, main: QLineEdit | QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.main = main
        self.other: QLineEdit | QPlainTextEdit
        if isinstance(main, QPlainTextEdit):
            other = QPlainTextEdit()
            other.setTabChangesFocus(True)
            other.setMaximumHeight(main.maximumHeight())
            if main.minimumHeight():
                other.setFixedHeight(main.minimumHeight())
            self.other = other
            if main.maximumHeight() < 16_777_215:  # QWIDGETSIZE_MAX: no limit set
                # The pair is as tall as its fields: a form's spare room does not centre them
                # away from their label.
                self.setMaximumHeight(main.maximumHeight())
        else:
            self.other = QLineEdit()
        # No taller than its fields: a form's spare room stays where it was.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.main_lang, self.other_lang = "ca", "es"
        self.main_tag = QLabel()
        self.other_tag = QLabel()
        for label in (self.main_tag, self.other_tag):
            label.setStyleSheet("color: palette(mid); font-size: 8pt;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.main_tag)
        layout.addWidget(main, 1)
        layout.addWidget(self.other_tag)
        layout.addWidget(self.other, 1)
        self.set_languages("ca", "es")

    def set_languages(self, main: str, other: str) -> None:
        self.main_lang, self.other_lang = main, other
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.main_tag.setText(tag(self.main_lang))
        self.other_tag.setText(tag(self.other_lang))
        self.main_tag.setToolTip(language_name(self.main_lang))
        self.other_tag.setToolTip(language_name(self.other_lang))
        self.other.setToolTip(
            _("The text in {language}, printed on documents in {language}").format(
                language=language_name(self.other_lang)
            )
        )
        self.other.setAccessibleName(
            _("In {language}").format(language=language_name(self.other_lang))
        )

    def other_text(self) -> str:
        if isinstance(self.other, QPlainTextEdit):
            return self.other.toPlainText()
        return self.other.text()

    def set_other_text(self, text: str) -> None:
        if isinstance(self.other, QPlainTextEdit):
            self.other.setPlainText(text)
        else:
            self.other.setText(text)

    def show_version(self, translations: Translations | None, name: str) -> None:
        """Show the other language's version of ``name`` from a record's translations."""
        self.set_other_text(translation(translations, name, self.other_lang))

    def versions(self, translations: Translations | None, name: str) -> Translations:
        """``translations`` with the other language's version of ``name`` as typed."""
        return with_translation(translations, name, self.other_lang, self.other_text())
