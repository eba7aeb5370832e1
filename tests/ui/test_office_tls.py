"""A server that offers TLS: the Connect dialog with “required” connects, says it is encrypted,
and the window's status bar says so too (the shared test server has TLS off: see
test_office_window.py for a required encryption refused)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import make_url

from app.i18n import _
from tests.support.office_window import RestartableServer, restartable_office
from tests.ui.test_office_window import _prepare, _started, _type_login
from ui.dialogs.connect_dialog import ConnectDialog
from ui.main import Application
from ui.settings import Preferences

pytestmark = pytest.mark.office


class TlsServer(RestartableServer):
    """A throwaway server with TLS on (a self-signed certificate made for it)."""

    def _options(self) -> str:
        return (
            f"{super()._options()} -c ssl=on -c ssl_cert_file={self.folder}/server.crt "
            f"-c ssl_key_file={self.folder}/server.key"
        )

    def start_again(self) -> None:
        key, certificate = self.folder / "server.key", self.folder / "server.crt"
        if not key.exists():
            subprocess.run(
                ["openssl", "req", "-new", "-x509", "-days", "2", "-nodes", "-subj",
                 "/CN=127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
                check=True, capture_output=True,
            )  # fmt: skip
            os.chmod(key, 0o600)
            if self._user:
                for path in (key, certificate):
                    os.chown(path, self._user["user"], self._user["group"])
        super().start_again()


@pytest.fixture
def tls_office() -> Iterator[str]:
    with restartable_office(TlsServer) as (server, address):
        assert isinstance(server, TlsServer)
        _prepare(address)
        yield address


def test_required_encryption_connects_and_says_so(
    qtbot: QtBot, tls_office: str, application: Application, prefs: Preferences
) -> None:
    url = make_url(tls_office)
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    _type_login(qtbot, dialog, url, "")
    dialog.encryption.setFocus()
    qtbot.keyClick(dialog.encryption, Qt.Key.Key_Down)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.result_label.text() == _(
        "Connected, encrypted: {user} may work on {database} ({role})."
    ).format(user=url.username, database=url.database, role=_("coordinator"))
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.login is not None and dialog.services is not None
    assert dialog.login.encrypted and dialog.login.address.endswith("?sslmode=require")
    dialog.services.close()
    # The window started on that address says the connection is encrypted.
    prefs.office_address = dialog.login.address
    window = _started(qtbot, application)
    assert window.status_path.text() == _(
        "Office database: {server}/{database} as {user} ({role}) · encrypted"
    ).format(server=url.host, database=url.database, user=url.username, role=_("coordinator"))
    assert window.status_path.toolTip() == _(
        "The connection to the office database is encrypted (TLS)."
    )
