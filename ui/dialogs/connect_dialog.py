"""Connect to the office database: server, port, database, login and password, which the
person may have remembered in the computer's keyring (never in a settings file). "Test" tries
the login without connecting the window to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import URL

from app.domain.office import (
    ENCRYPTION_PREFERRED,
    ENCRYPTION_REQUIRED,
    ENCRYPTION_VERIFIED,
    OfficeLogin,
)
from app.errors import UserError, ValidationError
from app.i18n import _
from app.services import office
from ui.office_link import role_name
from ui.prompts import Prompts, QtPrompts
from ui.widgets.form_bits import error_label, show_error
from ui.workers import run_with_progress

if TYPE_CHECKING:
    from app.services.container import Services


class ConnectDialog(QDialog):
    """On acceptance ``services`` are those of the opened office database and ``login`` says
    who is on it."""

    FIELDS = ("server", "port", "database", "user", "ca_file")

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        address: URL | None = None,
        reason: str = "",
        prompts: Prompts | None = None,
    ) -> None:
        super().__init__(parent)
        self.prompts = prompts or QtPrompts()
        self.setMinimumWidth(540)  # a field's message reads on one line
        self.services: Services | None = None
        self.login: OfficeLogin | None = None
        self.reason = QLabel(reason)
        self.reason.setWordWrap(True)
        self.reason.setVisible(bool(reason))
        self.server = QLineEdit(address.host or "" if address else "")
        self.port = QSpinBox()
        self.port.setRange(0, 65535)
        self.port.setValue(address.port or 5432 if address else 5432)
        self.name = QLineEdit(address.database or "teixit" if address else "teixit")
        self.user = QLineEdit(address.username or "" if address else "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        #: TLS when the server offers it (libpq's sslmode=prefer), required (sslmode=require),
        #: or required with the server's certificate checked (sslmode=verify-full).
        self.encryption = QComboBox()
        for mode in (ENCRYPTION_PREFERRED, ENCRYPTION_REQUIRED, ENCRYPTION_VERIFIED):
            self.encryption.addItem("", mode)
        chosen = office.encryption_of(address) if address else ENCRYPTION_PREFERRED
        self.encryption.setCurrentIndex(max(0, self.encryption.findData(chosen)))
        #: The certificate authority's file (verified encryption only), kept with the address.
        self.ca_file = QLineEdit(office.ca_file_of(address) if address else "")
        self.ca_button = QPushButton()
        self.ca_button.clicked.connect(self.choose_ca_file)
        self.ca_row = QWidget()
        ca_layout = QHBoxLayout(self.ca_row)
        ca_layout.setContentsMargins(0, 0, 0, 0)
        ca_layout.addWidget(self.ca_file, 1)
        ca_layout.addWidget(self.ca_button)
        self.encryption.currentIndexChanged.connect(lambda _i: self._show_ca())
        self.remember = QCheckBox()
        self.remember.setChecked(address is not None and office.has_stored_password(address))
        self.errors = {key: error_label() for key in self.FIELDS}
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.hide()

        self.form = QFormLayout()
        self.labels = [QLabel() for _ in range(7)]
        for label, field, key in zip(
            self.labels,
            (
                self.server,
                self.port,
                self.name,
                self.user,
                self.password,
                self.encryption,
                self.ca_row,
            ),
            (*self.FIELDS[:4], None, None, "ca_file"),
            strict=True,
        ):
            label.setBuddy(self.ca_file if field is self.ca_row else field)
            self.form.addRow(label, field)
            if key is not None:
                self.form.addRow("", self.errors[key])
        self.form.addRow("", self.remember)
        self._show_ca()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.test_button = QPushButton()
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.test_button.clicked.connect(self.test)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.reason)
        layout.addLayout(self.form)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        (self.password if self.user.text() else self.server).setFocus()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Connect to the office database"))
        for label, text in zip(
            self.labels,
            (
                _("&Server:"),
                _("P&ort:"),
                _("&Database:"),
                _("&Login:"),
                _("Pass&word:"),
                _("&Encryption:"),
                _("Certificate &authority:"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.encryption.setItemText(0, _("when the server offers it"))
        self.encryption.setItemText(1, _("required"))
        self.encryption.setItemText(2, _("required, with the server's certificate checked"))
        self.encryption.setToolTip(
            _(
                "Encryption (TLS) keeps others on the network from reading what travels. "
                "“Required” refuses a server that does not offer it; with the certificate "
                "checked, also a server whose certificate is not signed by the office's "
                "certificate authority or is for another name."
            )
        )
        self.ca_button.setText(_("C&hoose…"))
        self.ca_file.setPlaceholderText(_("for example root.crt, from whoever set up the server"))
        self.server.setPlaceholderText(_("for example oficina-server or 192.168.1.10"))
        self.user.setPlaceholderText(_("for example anna.puig"))
        self.remember.setText(_("Remember the password on this computer"))
        self.remember.setToolTip(
            _("Kept in the computer's own password store (its keyring), never in a file.")
        )
        self.test_button.setText(_("&Test"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Connect"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _show_ca(self) -> None:
        verified = self.encryption.currentData() == ENCRYPTION_VERIFIED
        self.ca_row.setVisible(verified)
        self.form.labelForField(self.ca_row).setVisible(verified)
        if not verified:
            show_error(self.errors["ca_file"], None)

    def choose_ca_file(self) -> None:
        chosen = self.prompts.open_file(
            self,
            _("The office's certificate authority"),
            _("Certificates (*.crt *.pem *.cer);;All files (*)"),
        )
        if chosen:
            self.ca_file.setText(chosen)

    # --- checking and connecting ------------------------------------------------------------
    def _address(self) -> URL | None:
        """The address typed, or None after saying under each field what is wrong."""
        for label in self.errors.values():
            show_error(label, None)
        try:
            return office.office_url(
                self.server.text(),
                self.port.value(),
                self.name.text(),
                self.user.text(),
                str(self.encryption.currentData()),
                self.ca_file.text(),
            )
        except ValidationError as exc:
            for key, message in exc.errors.items():
                show_error(self.errors[key], message)
            self.adjustSize()
            first = next(iter(exc.errors))
            {
                "server": self.server,
                "port": self.port,
                "database": self.name,
                "ca_file": self.ca_file,
            }.get(first, self.user).setFocus()
            return None

    def _say(self, text: str, *, good: bool) -> None:
        self.result_label.setStyleSheet("color: #1b5e20;" if good else "color: #b00020;")
        self.result_label.setText(text)
        self.result_label.show()
        self.adjustSize()

    def test(self) -> bool:
        """Try the login without keeping the connection; say how it went."""
        url = self._address()
        if url is None:
            return False
        password = self.password.text()
        try:
            login = run_with_progress(
                self, _("Test"), _("Connecting…"), lambda: office.try_login(url, password)
            )
        except UserError as exc:
            self._say(exc.message, good=False)
            return False
        said = (
            _("Connected, encrypted: {user} may work on {database} ({role}).")
            if login.encrypted
            else _("Connected: {user} may work on {database} ({role}).")
        )
        self._say(
            said.format(user=login.user, database=login.database, role=role_name(login.role)),
            good=True,
        )
        return True

    def accept(self) -> None:
        url = self._address()
        if url is None:
            return
        password, remember = self.password.text(), self.remember.isChecked()

        def connect() -> tuple[Services, OfficeLogin]:
            from app.services.container import Services

            services = Services(office.connect(url, password, remember=remember))
            try:
                return services, services.office.login() or office.login_of(url, "")
            except BaseException:
                services.close()
                raise

        try:
            self.services, self.login = run_with_progress(
                self, self.windowTitle(), _("Connecting…"), connect
            )
        except UserError as exc:
            self._say(exc.message, good=False)
            return
        super().accept()
