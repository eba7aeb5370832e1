"""Before a file with people's names leaves Teixit: encrypt it with a passphrase (recommended,
ticked), an AES-256 ZIP that 7-Zip and other archivers open without Teixit (app/sealed.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.i18n import _
from ui.widgets.passphrase_fields import PassphraseFields


class SealDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.intro = QLabel(
            _(
                "The file holds people's personal data. If it leaves this computer (e-mail, a "
                "USB stick, a shared folder), encrypt it: it becomes a ZIP that opens with this "
                "passphrase in 7-Zip, WinZip or PeaZip. Tell the passphrase by another way "
                "(phone, in person), never in the same e-mail."
            )
        )
        self.intro.setWordWrap(True)
        self.encrypt = QCheckBox(_("&Encrypt the file with a passphrase (recommended)"))
        self.encrypt.setChecked(True)
        self.fields = PassphraseFields(remember=False)
        self.encrypt.toggled.connect(self.fields.setEnabled)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.encrypt)
        layout.addWidget(self.fields)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(540)

    def _accept(self) -> None:
        if self.encrypt.isChecked() and self.fields.problem() is not None:
            return
        self.accept()

    def passphrase(self) -> str:
        """The passphrase chosen, or "" for a file not encrypted."""
        return self.fields.passphrase if self.encrypt.isChecked() else ""
