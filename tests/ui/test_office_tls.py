"""A server that offers TLS: the Connect dialog with “required” connects, says it is encrypted,
and the window's status bar says so too (the shared test server has TLS off: see
test_office_window.py for a required encryption refused)."""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import make_url

from app import cli
from app.db.engine import display_address
from app.i18n import LANGUAGES, _, catalogue
from tests.support.fake_prompts import FakePrompts
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
def tls_server() -> Iterator[tuple[TlsServer, str]]:
    with restartable_office(TlsServer) as (server, address):
        assert isinstance(server, TlsServer)
        _prepare(address)
        yield server, address


@pytest.fixture
def tls_office(tls_server: tuple[TlsServer, str]) -> str:
    return tls_server[1]


def _other_authority(folder: Path) -> Path:
    """A certificate authority that did not sign the server's certificate."""
    key, certificate = folder / "other.key", folder / "other.crt"
    subprocess.run(
        ["openssl", "req", "-new", "-x509", "-days", "2", "-nodes", "-subj",
         "/CN=127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    return certificate


def _in_any_language(message: str, **values: object) -> set[str]:
    """``message`` in each of Teixit's languages (the window's language is the last test's)."""
    return {catalogue(lang).gettext(message).format(**values) for lang in LANGUAGES}


def test_the_certificate_checked_against_the_offices_authority(
    qtbot: QtBot,
    tls_server: tuple[TlsServer, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, address = tls_server
    url = make_url(address)
    authority = tmp_path / "root.crt"
    authority.write_bytes((server.folder / "server.crt").read_bytes())
    prompts = FakePrompts()
    dialog = ConnectDialog(prompts=prompts)
    qtbot.addWidget(dialog)
    dialog.show()
    _type_login(qtbot, dialog, url, "")
    assert not dialog.ca_row.isVisible()
    dialog.encryption.setCurrentIndex(dialog.encryption.findData("verify-full"))
    assert dialog.ca_row.isVisible()
    # No authority chosen: said under its field, nothing tried.
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.errors["ca_file"].text() in _in_any_language(
        "Choose the file of the office's certificate authority (for example root.crt, from "
        "whoever set up the server)."
    )
    # Another authority: refused in one sentence.
    prompts.files.append(str(_other_authority(tmp_path)))
    qtbot.mouseClick(dialog.ca_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    other = str((tmp_path / "other.crt").resolve())
    shown = display_address(
        url.update_query_dict({"sslmode": "verify-full", "sslrootcert": other})
    )
    assert dialog.result_label.text() in _in_any_language(
        "The office server of {address} did not show the certificate expected: it is "
        "not signed by the certificate authority chosen, or it is for another server "
        "name. Nothing was sent to it. Check with whoever set up the server that the "
        "certificate authority's file is the office's own and that the server's name "
        "is the one on its certificate (File > Connect to the office database…).",
        address=shown,
    )
    assert dialog.login is None
    # The office's own authority: connected, encrypted; the file kept with the address.
    prompts.files.append(str(authority))
    qtbot.mouseClick(dialog.ca_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.result_label.text() in {
        catalogue(lang)
        .gettext("Connected, encrypted: {user} may work on {database} ({role}).")
        .format(
            user=url.username, database=url.database, role=catalogue(lang).gettext("coordinator")
        )
        for lang in LANGUAGES
    }
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.login is not None and dialog.services is not None
    dialog.services.close()
    kept = make_url(dialog.login.address)
    assert kept.query == {"sslmode": "verify-full", "sslrootcert": str(authority)}
    assert kept.password is None and dialog.login.encrypted
    # The command line, with the same address: the right authority works, another is refused.
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    monkeypatch.setenv("TEIXIT_DATA_DIR", str(tmp_path / "data"))
    verified = url.update_query_dict({"sslmode": "verify-full", "sslrootcert": str(authority)})
    shown = verified.render_as_string(hide_password=False)
    assert cli.main(["--database", shown, "list", "programmes"]) == 0
    capsys.readouterr()
    wrong = verified.update_query_dict({"sslrootcert": str(tmp_path / "other.crt")})
    assert cli.main(["--database", wrong.render_as_string(hide_password=False),
                     "list", "programmes"]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "certificate" in err.lower() or "certificat" in err.lower()
    assert len(err.strip().splitlines()) == 1


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
