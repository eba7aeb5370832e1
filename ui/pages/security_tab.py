"""Settings > Security: whether the data is encrypted, encrypting it, a new passphrase, the key
remembered on this computer, and auto-lock (docs/data-protection.md)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services.security import SecurityService
from ui.prompts import Prompts


class SecurityHooks(Protocol):
    """What this tab asks of the application (ui/main.py)."""

    def service(self) -> SecurityService: ...

    def encrypt(self, passphrase: str, remember: bool) -> None: ...

    @property
    def auto_lock_minutes(self) -> int: ...

    def set_auto_lock_minutes(self, minutes: int) -> None: ...

    def lock_now(self) -> None: ...


class SecurityTab(QWidget):
    def __init__(
        self, hooks: SecurityHooks, prompts: Prompts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.hooks = hooks
        self.prompts = prompts
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.encrypt_button = QPushButton(clicked=self._encrypt)
        self.change_button = QPushButton(clicked=self._change_passphrase)
        self.lock_button = QPushButton(clicked=hooks.lock_now)
        self.remember = QCheckBox()
        self.remember.toggled.connect(self._remember)
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 240)
        self.minutes.setMaximumWidth(90)
        self.minutes.setValue(hooks.auto_lock_minutes)
        self.minutes.valueChanged.connect(hooks.set_auto_lock_minutes)
        self.minutes_label = QLabel()
        self.minutes_label.setBuddy(self.minutes)
        self.limits = QLabel()
        self.limits.setWordWrap(True)
        self.limits.setStyleSheet("color: #555;")
        buttons = QHBoxLayout()
        for button in (self.encrypt_button, self.change_button, self.lock_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        form = QFormLayout()
        form.addRow(self.minutes_label, self.minutes)
        form.addRow("", self.remember)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        layout.addLayout(form)
        layout.addWidget(self.limits)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.encrypt_button.setText(_("&Encrypt the data…"))
        self.change_button.setText(_("&Change the passphrase…"))
        self.lock_button.setText(_("&Lock now"))
        self.remember.setText(_("Remember the key on this computer (Teixit opens without asking)"))
        self.minutes_label.setText(_("Lock after this many minutes without use (0: never):"))
        self.limits.setText(
            _(
                "Encryption protects the data on a computer or a disk that is switched off, "
                "locked, lost or stolen. It does not protect an unlocked Teixit left unattended: "
                "lock it (or the computer's session) when you leave."
            )
        )
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def refresh(self) -> None:
        service = self.hooks.service()
        encrypted = service.is_encrypted()
        self.status.setText(
            _(
                "The data and its backups are encrypted (SQLCipher, AES-256). Teixit asks for "
                "the passphrase when it starts."
            )
            if encrypted
            else _(
                "The data is not encrypted: anyone who takes this computer, its disk or a "
                "backup can read it. Encrypting it is recommended."
            )
        )
        self.encrypt_button.setVisible(not encrypted)
        for widget in (self.change_button, self.lock_button, self.remember, self.minutes):
            widget.setEnabled(encrypted)
        self.remember.blockSignals(True)
        self.remember.setChecked(encrypted and service.is_remembered())
        self.remember.blockSignals(False)

    def _encrypt(self) -> None:
        from ui.dialogs.unlock_dialog import NewPassphraseDialog

        dialog = NewPassphraseDialog(self)
        try:
            if not dialog.exec():
                return
            passphrase = dialog.fields.passphrase
            remember = dialog.fields.remember.isChecked()
        finally:
            dialog.deleteLater()
        self.hooks.encrypt(passphrase, remember)

    def _change_passphrase(self) -> None:
        from ui.dialogs.unlock_dialog import ChangePassphraseDialog

        dialog = ChangePassphraseDialog(self.hooks.service(), self)
        try:
            if dialog.exec():
                self.prompts.info(
                    self, _("Change the passphrase"), _("The passphrase has been changed.")
                )
        finally:
            dialog.deleteLater()

    def _remember(self, on: bool) -> None:
        if not self.hooks.service().set_remembered(on):
            self.prompts.error(
                self,
                _("Security"),
                _("This computer has no keyring where Teixit could keep the key."),
            )
        self.refresh()
