"""The window on an office database: connecting (the password in the keyring, the address in the
settings), other PCs' changes showing on their own, the status bar when the server goes away
and comes back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import URL, make_url

from app import paths
from app.db.credentials import KEYRING_SERVICE, keyring_key
from app.db.engine import make_office_engine, open_database, open_url
from app.db.office import create_roles, grant_privileges
from app.domain.people import PersonDTO
from app.domain.profile import EntityProfileDTO
from app.i18n import _
from app.services.container import Services
from tests.support.fake_prompts import FakePrompts
from tests.support.office_window import RestartableServer, restartable_office
from tests.support.passwords import MemoryKeyring, login_with_password
from tests.support.postgres import PostgresServer
from ui.dialogs.connect_dialog import ConnectDialog
from ui.main import Application
from ui.main_window import MainWindow
from ui.settings import Preferences

pytestmark = pytest.mark.office

PASSWORD = "correct horse battery"
#: Generous: the machine running the tests may be busy; the benchmark measures the real delay.
WAIT_MS = 30000


def _prepare(address: str) -> None:
    """Teixit's roles and rights, and the entity's profile (so no welcome is shown)."""
    engine = make_office_engine(make_url(address))
    try:
        with engine.begin() as connection:
            create_roles(connection)
            grant_privileges(connection)
    finally:
        engine.dispose()
    db = open_url(address)
    try:
        Services(db).profile.save(EntityProfileDTO(id="", name="Casal de Prova"))
    finally:
        db.close()


@pytest.fixture
def office(office_address: str) -> str:
    _prepare(office_address)
    return office_address


def _login(server: PostgresServer, address: str, group: str) -> URL:
    name = login_with_password(server, PASSWORD, group)
    return make_url(address).set(username=name)


def _when_modal(handle: Callable[[Any], None]) -> None:
    """Act on the next modal dialog once it is shown (exec() blocks the test otherwise)."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ConnectDialog):
            handle(dialog)
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def _type_login(qtbot: QtBot, dialog: ConnectDialog, url: URL, password: str) -> None:
    for field, value in (
        (dialog.server, url.host),
        (dialog.name, url.database),
        (dialog.user, url.username),
        (dialog.password, password),
    ):
        field.clear()
        qtbot.keyClicks(field, str(value))
    dialog.port.setValue(int(url.port or 5432))


def _started(qtbot: QtBot, application: Application) -> MainWindow:
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_connect_dialog_checks_tests_and_remembers_the_password(
    qtbot: QtBot, password_server: PostgresServer, office: str, memory_keyring: MemoryKeyring
) -> None:
    url = _login(password_server, office, "teixit_educator")
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.clear()
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    # Nothing typed: said under each field, in Catalan, and nothing connected.
    assert dialog.errors["server"].text() == _("Write the name or address of the office server.")
    assert dialog.errors["database"].isVisibleTo(dialog)
    assert dialog.errors["user"].isVisibleTo(dialog)
    assert dialog.services is None and dialog.isVisible()
    _type_login(qtbot, dialog, url, "not the password")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert "contrasenya" in dialog.result_label.text()
    assert not dialog.errors["server"].isVisibleTo(dialog)
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.result_label.text() == _(
        "Connected: {user} may work on {database} ({role})."
    ).format(user=url.username, database=url.database, role=_("educator"))
    assert memory_keyring.entries == {}  # a test keeps nothing
    qtbot.mouseClick(dialog.remember, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.services is not None and dialog.login is not None
    assert dialog.login.role == "educator"
    dialog.services.close()
    assert memory_keyring.entries == {(KEYRING_SERVICE, keyring_key(url)): PASSWORD}


def test_at_start_the_password_is_asked_and_only_the_address_is_kept(
    qtbot: QtBot,
    password_server: PostgresServer,
    office: str,
    application: Application,
    prefs: Preferences,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
) -> None:
    url = _login(password_server, office, "teixit_educator")
    prefs.office_address = url.render_as_string()

    def log_in(dialog: ConnectDialog) -> None:
        # Filled in from the settings; only the password is typed.
        assert dialog.user.text() == url.username and dialog.server.text() == url.host
        assert dialog.reason.text()
        qtbot.keyClicks(dialog.password, PASSWORD)
        dialog.remember.setChecked(True)
        dialog.accept()

    _when_modal(log_in)
    window = _started(qtbot, application)
    expected = _("Office database: {server}/{database} as {user} ({role})").format(
        server=url.host, database=url.database, user=url.username, role=_("educator")
    )
    assert window.status_path.text() == expected
    assert expected.startswith("Base de dades de l'oficina")
    prefs.sync()
    kept = (tmp_path / "prefs.ini").read_text()
    assert str(url.username) in kept and PASSWORD not in kept
    assert memory_keyring.entries == {(KEYRING_SERVICE, keyring_key(url)): PASSWORD}
    # Next time the keyring answers: no dialog.
    QThreadPool.globalInstance().waitForDone(10000)  # the first page's figures, read meanwhile
    application.window.close()  # type: ignore[union-attr]
    application.stop()
    window = _started(qtbot, application)
    assert window.status_path.text() == expected


def _people_names(window: MainWindow) -> list[str]:
    page = window.page("people")
    model = page.model  # type: ignore[attr-defined]
    return [model.row(r).name for r in range(model.rowCount())]


def test_a_person_added_on_another_pc_appears_on_its_own(
    qtbot: QtBot, office: str, application: Application, prefs: Preferences
) -> None:
    prefs.office_address = office
    window = _started(qtbot, application)
    window.go_to("people")
    qtbot.waitUntil(lambda: not window.page("people").loading())  # type: ignore[attr-defined]
    assert _people_names(window) == []
    other_pc = open_url(office)
    try:
        Services(other_pc).people.save(PersonDTO("Marc", "Vidal"))
    finally:
        other_pc.close()
    qtbot.waitUntil(lambda: any("Vidal" in n for n in _people_names(window)), timeout=WAIT_MS)


@pytest.fixture
def own_server() -> Iterator[tuple[RestartableServer, str]]:
    with restartable_office() as (server, address):
        _prepare(address)
        yield server, address


def test_the_server_goes_away_writes_are_refused_and_it_comes_back(
    qtbot: QtBot,
    own_server: tuple[RestartableServer, str],
    application: Application,
    prefs: Preferences,
    prompts: FakePrompts,
) -> None:
    server, address = own_server
    prefs.office_address = address
    window = _started(qtbot, application)
    window.go_to("people")
    page = window.page("people")
    qtbot.waitUntil(lambda: not page.loading())  # type: ignore[attr-defined]
    normal = window.status_path.text()
    assert normal.startswith("Base de dades de l'oficina")
    server.halt()
    lost = _("The office database cannot be reached; retrying…")
    qtbot.waitUntil(lambda: window.status_path.text() == lost, timeout=WAIT_MS)
    # A save now: one sentence, nothing half-saved, no bug report.
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.keyClicks(page.form.given_name, "Nil")  # type: ignore[attr-defined]
    qtbot.keyClicks(page.form.family_names, "Soler")  # type: ignore[attr-defined]
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert [s.kind for s in prompts.shown] == ["error"]
    assert prompts.shown[0].text == _(
        "The office database cannot be reached just now, so nothing has been changed. "
        "Teixit is reconnecting by itself: try again in a moment."
    )
    server.start_again()
    qtbot.waitUntil(lambda: window.status_path.text() == normal, timeout=WAIT_MS)
    # Back: the same save goes through, once, and another PC's change shows again.
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert [s.kind for s in prompts.shown] == ["error"]
    other_pc = open_url(address)
    try:
        Services(other_pc).people.save(PersonDTO("Marc", "Vidal"))
        assert len(Services(other_pc).people.search("soler")) == 1
    finally:
        other_pc.close()
    qtbot.waitUntil(lambda: any("Vidal" in n for n in _people_names(window)), timeout=WAIT_MS)


def test_the_file_menu_connects_to_the_office_and_back_to_this_computer(
    qtbot: QtBot,
    password_server: PostgresServer,
    office: str,
    application: Application,
    prefs: Preferences,
    memory_keyring: MemoryKeyring,
) -> None:
    local = open_database(paths.db_path())
    Services(local).profile.save(EntityProfileDTO(id="", name="Casal del portàtil"))
    local.close()
    window = _started(qtbot, application)
    assert window.status_path.text().startswith(_("Data: {path}").split("{")[0])
    assert not window.act_local_data.isVisible()
    url = _login(password_server, office, "teixit_coordinator")

    def log_in(dialog: ConnectDialog) -> None:
        _type_login(qtbot, dialog, url, PASSWORD)
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)  # fmt: skip

    _when_modal(log_in)
    window.act_connect.trigger()
    office_window = application.window
    assert office_window is not None and office_window is not window
    qtbot.addWidget(office_window)
    assert office_window.status_path.text().endswith(f"({_('coordinator')})")
    assert prefs.office_address == (
        f"postgresql://{url.username}@{url.host}:{url.port}/{url.database}"
    )
    assert memory_keyring.entries == {}  # not asked to remember it
    QThreadPool.globalInstance().waitForDone(10000)
    office_window.act_local_data.trigger()
    back = application.window
    assert back is not None and back is not office_window
    qtbot.addWidget(back)
    assert prefs.office_address is None
    assert back.status_path.text() == _("Data: {path}").format(path=paths.db_path().parent)
    assert back.windowTitle().startswith("Casal del portàtil")


def test_encryption_is_chosen_in_the_dialog_and_kept_with_the_address(
    qtbot: QtBot, password_server: PostgresServer, office: str
) -> None:
    url = _login(password_server, office, "teixit_educator")
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.encryption.currentText() == _("when the server offers it")
    _type_login(qtbot, dialog, url, PASSWORD)
    # "Required", chosen with the keyboard as a person would.
    dialog.encryption.setFocus()
    qtbot.keyClick(dialog.encryption, Qt.Key.Key_Down)
    assert dialog.encryption.currentText() == _("required")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    # The test server offers no TLS: one sentence saying what to do.
    assert dialog.result_label.text() == _(
        "The office server of {address} does not offer an encrypted connection, and "
        "encryption is required: ask whoever set up the server to turn on TLS, or choose "
        "“when the server offers it” (File > Connect to the office database…)."
    ).format(address=f"postgresql://{url.username}@{url.host}:{url.port}/{url.database}"
             "?sslmode=require")  # fmt: skip
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.services is None and dialog.isVisible()
    qtbot.keyClick(dialog.encryption, Qt.Key.Key_Up)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.login is not None and dialog.services is not None
    assert not dialog.login.encrypted
    assert "sslmode" not in dialog.login.address
    dialog.services.close()
    # A kept address that requires it opens the dialog with "required" chosen.
    required = ConnectDialog(address=make_url(f"{url.render_as_string()}?sslmode=require"))
    qtbot.addWidget(required)
    assert required.encryption.currentText() == _("required")
