"""The dialogs of encryption at rest: unlocking the data, the recovery key shown once (with its
sheet to print), a new passphrase, a change of passphrase (docs/data-protection.md)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.i18n import _, current_language
from app.services.security import SecurityService, WrongKey, write_recovery_sheet
from ui.prompts import Prompts
from ui.widgets.passphrase_fields import PassphraseFields


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label


class UnlockDialog(QDialog):
    """The passphrase (or the recovery key) asked at start, and again after an auto-lock. A
    wrong one is said in one sentence under the field; the person tries again."""

    def __init__(
        self, service: SecurityService, parent: QWidget | None = None, *, relock: bool = False
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.relock = relock
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_label = QLabel()
        self.secret_label.setBuddy(self.secret)
        self.error = _error_label()
        self.remember = QCheckBox()
        self.remember.setVisible(not relock)
        self.remember.setChecked(service.is_remembered())
        self.lost = QLabel()
        self.lost.setWordWrap(True)
        self.lost.setStyleSheet("color: #555;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.secret_label, self.secret)
        form.addRow("", self.error)
        form.addRow("", self.remember)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.lost)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Unlock Teixit"))
        self.heading.setText(_("Teixit is locked") if self.relock else _("Unlock the data"))
        self.intro.setText(
            _(
                "Teixit was locked after a time without use. Type the passphrase to go on; "
                "what you were typing is kept."
            )
            if self.relock
            else _("The data on this computer is encrypted. Type its passphrase to open it.")
        )
        self.secret_label.setText(_("&Passphrase:"))
        self.remember.setText(_("Remember it on this computer (Teixit opens without asking)"))
        self.lost.setText(
            _(
                "Passphrase lost? Type the recovery key from the sheet kept in the office safe "
                "instead. Without the passphrase or the recovery key, nobody can open the data."
            )
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Unlock"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Quit Teixit"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _accept(self) -> None:
        remember = None if self.relock else self.remember.isChecked()
        try:
            self.service.unlock(self.secret.text(), remember=remember)
        except WrongKey as exc:
            self.error.setText(exc.message)
            self.error.show()
            self.secret.selectAll()
            self.secret.setFocus()
            return
        self.secret.clear()
        self.accept()


class RecoveryKeyDialog(QDialog):
    """The recovery key, shown once, with its sheet to save and print."""

    def __init__(
        self, recovery: str, data_folder: Path, prompts: Prompts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.recovery = recovery
        self.data_folder = data_folder
        self.prompts = prompts
        self.sheet_saved: Path | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.key = QLabel(recovery)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(15)
        font.setBold(True)
        self.key.setFont(font)
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key.setStyleSheet("border: 1px solid #888; padding: 10px;")
        self.save_button = QPushButton(clicked=self._save_sheet)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.key)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Recovery key"))
        self.intro.setText(
            _(
                "This is the recovery key of the data. It is shown only now: save its sheet and "
                "print it, or write it down, and keep it in the office safe. If the passphrase "
                "is lost, this key opens the data and its backups; without either, nobody can."
            )
        )
        self.save_button.setText(_("&Save the sheet to print (PDF)…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("I have kept it"))

    def _save_sheet(self) -> None:
        name = self.prompts.save_file(
            self, _("Save the recovery sheet"), "teixit-recovery.pdf", _("PDF documents (*.pdf)")
        )
        if not name:
            return
        try:
            write_recovery_sheet(
                Path(name), self.recovery, current_language(), self.data_folder / "teixit.db"
            )
        except UserError as exc:
            self.prompts.error(self, _("Recovery key"), exc.message)
            return
        self.sheet_saved = Path(name)


class NewPassphraseDialog(QDialog):
    """A passphrase for data about to be encrypted (Settings > Security)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.fields = PassphraseFields()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.fields)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.setWindowTitle(_("Encrypt the data"))
        self.intro.setText(
            _(
                "The database and its backups will be encrypted with this passphrase; Teixit "
                "asks for it when it starts. A recovery key is shown next, once."
            )
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Encrypt"))

    def _accept(self) -> None:
        if self.fields.problem() is None:
            self.accept()


class ChangePassphraseDialog(QDialog):
    """A new passphrase, given the current one or the recovery key."""

    def __init__(self, service: SecurityService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.current = QLineEdit()
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        self.current_label = QLabel(_("&Current passphrase or recovery key:"))
        self.current_label.setBuddy(self.current)
        self.error = _error_label()
        self.fields = PassphraseFields(remember=False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.current_label, self.current)
        form.addRow("", self.error)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.fields)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.setWindowTitle(_("Change the passphrase"))

    def _accept(self) -> None:
        if self.fields.problem() is not None:
            return
        try:
            self.service.change_passphrase(self.current.text(), self.fields.passphrase)
        except WrongKey as exc:
            self.error.setText(exc.message)
            self.error.show()
            self.current.selectAll()
            self.current.setFocus()
            return
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.accept()
