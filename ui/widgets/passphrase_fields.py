"""A new passphrase, typed twice, with a strength hint that follows the typing."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QWidget

from app.domain import passphrase as rules
from app.i18n import _

_COLOURS = {0: "#b00020", 1: "#b00020", 2: "#8a5a00", 3: "#1b6e20", 4: "#1b6e20"}


class PassphraseFields(QWidget):
    def __init__(self, parent: QWidget | None = None, *, remember: bool = True) -> None:
        super().__init__(parent)
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.remember = QCheckBox()
        self.remember.setVisible(remember)
        self.first_label, self.second_label = QLabel(), QLabel()
        self.first_label.setBuddy(self.first)
        self.second_label.setBuddy(self.second)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.first_label, self.first)
        form.addRow("", self.hint)
        form.addRow(self.second_label, self.second)
        form.addRow("", self.error)
        form.addRow("", self.remember)
        self.first.textChanged.connect(self._update_hint)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.first_label.setText(_("&Passphrase:"))
        self.second_label.setText(_("&Repeat it:"))
        self.first.setPlaceholderText(
            _("at least {count} characters; a few words is best").format(count=rules.MIN_LENGTH)
        )
        self.remember.setText(_("Remember it on this computer"))
        self.remember.setToolTip(
            _(
                "The key is kept in this computer's keyring, protected by your session: anyone "
                "who can use your session can open Teixit."
            )
        )
        self._update_hint()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _update_hint(self) -> None:
        text = self.first.text()
        if not text:
            self.hint.setText("")
            return
        self.hint.setText(rules.hint(text))
        self.hint.setStyleSheet(f"color: {_COLOURS[rules.strength(text)]};")

    @property
    def passphrase(self) -> str:
        return self.first.text()

    def problem(self) -> str | None:
        """Why the fields cannot be taken (shown under them), None when they can."""
        problem = rules.problem(self.first.text())
        if problem is None and self.first.text() != self.second.text():
            problem = _("The two passphrases differ; type them again.")
        if problem is None:
            self.error.hide()
            return None
        self.error.setText(problem)
        self.error.show()
        self.first.setFocus()
        return problem
