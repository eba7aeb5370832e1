"""Sync with the office database from the window, as a person uses it on a laptop: choosing the
office database in the sync settings (the password kept in the keyring), joining, "Sync now"
(F9) with its summary and the conflicts list, and the automatic syncs in the background (at the
start, and again at each interval; an unreachable server said quietly in the status bar)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import URL, func, make_url, select

from app import paths
from app.db.credentials import KEYRING_SERVICE, keyring_key
from app.db.engine import Database, make_office_engine, open_database, open_url
from app.db.models import Participant
from app.db.office import COORDINATOR, create_roles, grant_privileges
from app.domain.people import PersonDTO
from app.domain.profile import EntityProfileDTO
from app.services import sync as sync_service
from app.services.container import Services
from app.sync import office as office_sync
from tests.support.fake_prompts import FakePrompts
from tests.support.passwords import MemoryKeyring, login_with_password
from tests.support.postgres import PostgresServer
from tests.support.sync_replicas import seed
from ui.dialogs.sync_conflicts_dialog import SyncConflictsDialog
from ui.dialogs.sync_settings_dialog import SyncSettingsDialog
from ui.main import Application
from ui.main_window import MainWindow

pytestmark = pytest.mark.office

PASSWORD = "correct horse battery"
WAIT_MS = 30000


@pytest.fixture
def office(office_address: str) -> Iterator[tuple[str, Database]]:
    """An office database with Teixit's roles and a few records, worked on at the office."""
    engine = make_office_engine(make_url(office_address))
    try:
        with engine.begin() as connection:
            create_roles(connection)
            grant_privileges(connection)
    finally:
        engine.dispose()
    db = open_url(office_address)
    services = Services(db)
    services.profile.save(EntityProfileDTO(id="", name="Casal de Prova"))
    seed(services, sessions=2, people=4)
    yield office_address, db
    db.close()


@pytest.fixture(autouse=True)
def nothing_typed() -> Iterator[None]:
    """Passwords typed in one test's settings are not known to the next one."""
    sync_service._TYPED.clear()
    yield
    sync_service._TYPED.clear()


def _login(server: PostgresServer, address: str) -> URL:
    name = login_with_password(server, PASSWORD, COORDINATOR)
    return make_url(address).set(username=name)


def _when_modal(kind: type, handle: Callable[[Any], None]) -> None:
    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            try:
                handle(dialog)
            finally:
                if dialog.isVisible():
                    dialog.reject()
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def _start(qtbot: QtBot, application: Application) -> MainWindow:
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def _new_laptop() -> None:
    """This computer's data: only the entity's name typed at the welcome."""
    db = open_database(paths.db_path())
    Services(db).profile.save(EntityProfileDTO(id="", name="Portàtil nou"))
    db.close()


def _person(services: Services, given: str) -> str:
    return services.people.search(given, limit=None)[0].id


def _edit(services: Services, pid: str, **changes: object) -> None:
    p = services.people.get(pid)
    services.people.save(p.__class__(**{**p.__dict__, **changes}))


def test_a_laptop_chooses_the_office_database_joins_and_syncs_now(
    qtbot: QtBot,
    application: Application,
    prompts: FakePrompts,
    password_server: PostgresServer,
    office: tuple[str, Database],
    memory_keyring: MemoryKeyring,
) -> None:
    address, hub = office
    url = _login(password_server, address)
    _new_laptop()
    window = _start(qtbot, application)
    seen: list[str] = []

    def set_up(dialog: SyncSettingsDialog) -> None:
        assert dialog.via_folder.isChecked() and not dialog.office_box.isEnabled()
        qtbot.mouseClick(dialog.via_office, Qt.MouseButton.LeftButton)
        assert dialog.office_box.isEnabled() and not dialog.folder_box.isEnabled()
        qtbot.keyClicks(dialog.server, str(url.host))
        dialog.port.clear()
        qtbot.keyClicks(dialog.port, str(url.port))
        dialog.database.clear()
        qtbot.keyClicks(dialog.database, str(url.database))
        qtbot.keyClicks(dialog.login, str(url.username))
        qtbot.keyClicks(dialog.password, "not the password")
        qtbot.mouseClick(dialog.use_office, Qt.MouseButton.LeftButton)
        assert prompts.shown[-1].kind == "error"  # refused: nothing chosen
        assert "contrasenya" in prompts.shown[-1].text
        dialog.password.clear()
        qtbot.keyClicks(dialog.password, PASSWORD)
        dialog.remember.setChecked(True)
        qtbot.mouseClick(dialog.use_office, Qt.MouseButton.LeftButton)
        seen.append(dialog.office_state.text())
        assert dialog.join_button.isEnabled()
        qtbot.mouseClick(dialog.join_button, Qt.MouseButton.LeftButton)
        seen.append(prompts.shown[-1].text)
        dialog.accept()

    _when_modal(SyncSettingsDialog, set_up)
    window.sync_link.act_settings.trigger()
    assert str(url.username) in seen[0] and PASSWORD not in seen[0]
    assert "rebuts" in seen[1]
    # The password is in the keyring, never in the settings.
    assert memory_keyring.entries[(KEYRING_SERVICE, keyring_key(url))] == PASSWORD
    kept = office_sync.office_address(window.services.db)
    assert kept is not None and PASSWORD not in kept
    assert window.services.exchange.export_data() == Services(hub).exchange.export_data()
    assert window.sync_link.label.text().startswith("Sincronitzat ")
    sync_service._TYPED.clear()  # a new session: the password comes from the keyring

    # Different fields on each side, and the same field: the later wins, the other is listed.
    office_services = Services(hub)
    first, second = _person(office_services, "Persona1"), _person(office_services, "Persona2")
    _edit(window.services, first, phone="611111111")
    _edit(office_services, first, email="persona1@example.org")
    _edit(window.services, second, phone="633333333")
    _edit(office_services, second, phone="644444444")
    looked: list[list[str]] = []

    def look(dialog: SyncConflictsDialog) -> None:
        looked.append([dialog.table.item(0, c).text() for c in range(4)])
        dialog.reject()

    _when_modal(SyncConflictsDialog, look)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    shown = len(prompts.shown)
    qtbot.keyClick(window.nav, Qt.Key.Key_F9)  # Sync now
    assert len(prompts.shown) == shown + 1
    summary = prompts.shown[-1].text
    assert "enviat" in summary and summary.splitlines()[0].endswith("1 conflicte.")
    assert looked and looked[0][0] == "Persona: Persona2 Puig" and looked[0][1] == "Telèfon"
    for services in (window.services, office_services):
        one, two = services.people.get(first), services.people.get(second)
        assert (one.phone, one.email) == ("611111111", "persona1@example.org")
        assert two.phone == "644444444"
    assert window.sync_link.act_conflicts.text() == "&Conflictes (1)…"
    assert "per enviar" not in window.sync_link.label.text()  # everything is at the office
    assert window.services.exchange.export_data() == office_services.exchange.export_data()


def test_the_window_syncs_with_the_office_by_itself_and_says_quietly_when_it_cannot(
    qtbot: QtBot,
    application: Application,
    prompts: FakePrompts,
    office: tuple[str, Database],
) -> None:
    address, hub = office
    db = open_database(paths.db_path())
    office_sync.join_office(db, address)
    Services(db).sync.use_folder()  # chosen later in the settings: the office again
    db.close()
    db = open_database(paths.db_path())
    url = make_url(address)
    Services(db).sync.use_office(str(url.host), int(url.port or 0), str(url.database), "postgres")
    db.close()
    added, _changes = Services(hub).people.save(PersonDTO("Nadia", "Roca"))
    window = _start(qtbot, application)
    link = window.sync_link
    # At the start, in the background: the window is usable at once.
    qtbot.waitUntil(lambda: link.background is None and bool(link.last_auto), timeout=WAIT_MS)
    assert window.services.people.get(str(added.id)).given_name == "Nadia"
    assert link.timer.isActive() and link.timer.interval() == 5 * 60_000
    assert "rebut" in window.statusBar().currentMessage()
    assert prompts.shown == []
    # The laptop's work goes to the office at the next interval.
    _edit(window.services, str(added.id), phone="655555555")
    link.sync_if_due()
    assert link.background is None  # not due yet: synced a moment ago
    _move_last_sync_back(window.services.db)  # five minutes later
    link.timer.timeout.emit()
    qtbot.waitUntil(lambda: link.background is None, timeout=WAIT_MS)
    assert Services(hub).people.get(str(added.id)).phone == "655555555"
    # The server cannot be reached: said in the status bar, no dialog, tried again later.
    dead = url.set(port=_closed_port())
    office_sync.choose_office(window.services.db, dead)
    _move_last_sync_back(window.services.db)
    link.timer.timeout.emit()
    qtbot.waitUntil(lambda: link.background is None, timeout=WAIT_MS)
    assert window.statusBar().currentMessage() == (
        "No s'ha pogut arribar a la base de dades de l'oficina; Teixit ho tornarà a provar "
        "d'aquí a 5 minuts."
    )
    assert prompts.shown == []
    assert link.timer.isActive()
    with hub.read() as s:
        assert s.scalar(select(func.count()).select_from(Participant)) == 5


def _move_last_sync_back(db: Database) -> None:
    import datetime as dt

    from app.db.base import utcnow
    from app.db.models import Setting

    with db.begin() as s:
        row = s.scalar(select(Setting).where(Setting.key == office_sync.SETTING_KEY))
        assert row is not None
        earlier = utcnow() - dt.timedelta(minutes=6)
        row.value = {**row.value, "last": earlier.isoformat(timespec="seconds")}


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_cancelling_a_join_from_the_office_leaves_the_laptop_as_it_was_and_joining_again_completes(
    qtbot: QtBot,
    application: Application,
    prompts: FakePrompts,
    office: tuple[str, Database],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from app.db.models import ChangeEntry
    from app.sync import bulk, folder
    from app.sync.merge import Merger

    address, hub = office
    _new_laptop()
    db = open_database(paths.db_path())
    url = make_url(address)
    Services(db).sync.use_office(str(url.host), int(url.port or 0), str(url.database), "postgres")
    before = Services(db).exchange.export_data()
    db.close()
    # The replica through the merge, one change per transaction, slowly (a slow link): the
    # person cancels once some records are in.
    monkeypatch.setattr(folder, "APPLY_BATCH", 1)

    def not_in_bulk(*args: object, **kwargs: object) -> object:
        raise bulk.NotInBulk

    monkeypatch.setattr(bulk, "apply_in_bulk", not_in_bulk)
    batches: list[set[str]] = []
    slow = [True]
    apply = Merger.apply

    def counted(self: Merger, entries: Any) -> Any:
        entries = list(entries)
        if slow[0]:
            time.sleep(0.03)
        done = apply(self, entries)
        batches.append({e.table for e in entries})
        return done

    monkeypatch.setattr(Merger, "apply", counted)
    window = _start(qtbot, application)
    received: list[bool] = []

    def cancel_once_records_are_in() -> None:
        dialog = QApplication.activeModalWidget()
        # A batch is committed once the next one has been applied: a person is in.
        if (
            isinstance(dialog, QProgressDialog)
            and dialog.isVisible()
            and any("participant" in b for b in batches[:-1])
        ):
            received.append(True)
            cancel = dialog.findChild(QPushButton)
            assert cancel is not None
            qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        else:
            QTimer.singleShot(5, cancel_once_records_are_in)

    def entries(db: Database) -> list[tuple[str, int]]:
        with db.read() as s:
            return [tuple(r) for r in s.execute(select(ChangeEntry.device_id, ChangeEntry.seq))]

    logged: list[list[tuple[str, int]]] = []

    def join(dialog: SyncSettingsDialog) -> None:
        assert dialog.join_button.isEnabled()
        logged.append(entries(window.services.db))
        QTimer.singleShot(0, cancel_once_records_are_in)
        qtbot.mouseClick(dialog.join_button, Qt.MouseButton.LeftButton)
        dialog.accept()

    _when_modal(SyncSettingsDialog, join)
    window.sync_link.act_settings.trigger()
    assert received == [True]  # some of the office's records were in when Cancel was clicked
    assert prompts.shown[-1].text == "S'ha cancel·lat la unió: les dades són com abans."
    assert window.services.exchange.export_data() == before
    assert window.services.sync.can_join()
    assert entries(window.services.db) == logged[0]
    # Joining again, to the end: the office's data, each change once.
    slow[0] = False

    def join_to_the_end(dialog: SyncSettingsDialog) -> None:
        assert dialog.join_button.isEnabled()
        qtbot.mouseClick(dialog.join_button, Qt.MouseButton.LeftButton)
        dialog.accept()

    _when_modal(SyncSettingsDialog, join_to_the_end)
    window.sync_link.act_settings.trigger()
    assert "rebuts" in prompts.shown[-1].text
    assert window.services.exchange.export_data() == Services(hub).exchange.export_data()

    def log(db: Database) -> dict[str, int]:
        with db.read() as s:
            return dict(
                s.execute(
                    select(ChangeEntry.device_id, func.count()).group_by(ChangeEntry.device_id)
                ).all()
            )

    assert log(window.services.db) == log(hub)
    shown = len(prompts.shown)
    window.sync_link.act_sync.trigger()  # Sync now: nothing more either way
    assert len(prompts.shown) == shown + 1
    assert prompts.shown[-1].text.splitlines()[0] == "0 canvis enviats, 0 rebuts, 0 conflictes."
    assert window.services.exchange.export_data() == Services(hub).exchange.export_data()


def test_the_windows_syncs_with_the_office_compact_the_laptops_change_log(
    qtbot: QtBot,
    application: Application,
    prompts: FakePrompts,
    office: tuple[str, Database],
) -> None:
    from app.db.models import ChangeEntry
    from app.sync import state

    address, hub = office

    def count(db: Database) -> int:
        with db.read() as s:
            return int(s.scalar(select(func.count()).select_from(ChangeEntry)) or 0)

    db = open_database(paths.db_path())
    office_sync.join_office(db, address)
    url = make_url(address)
    Services(db).sync.use_office(str(url.host), int(url.port or 0), str(url.database), "postgres")
    joined = count(db)
    db.close()
    window = _start(qtbot, application)
    link = window.sync_link
    # The automatic sync at the start: every device (the office, this laptop) has applied the
    # office's records, so their entries go.
    qtbot.waitUntil(lambda: link.background is None and bool(link.last_auto), timeout=WAIT_MS)
    compacted = count(window.services.db)
    assert compacted < joined // 2
    with window.services.db.read() as s:
        assert state.floor(s) > 0
    # Sync now (F9) after work on both sides: merged field by field, then compacted again.
    pid = _person(window.services, "Persona1")
    _edit(window.services, pid, phone="611111111")
    _edit(Services(hub), pid, email="persona1@example.org")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.nav, Qt.Key.Key_F9)
    assert prompts.shown[-1].text.splitlines()[0] == "1 canvi enviat, 1 rebut, 0 conflictes."
    person = window.services.people.get(pid)
    assert (person.phone, person.email) == ("611111111", "persona1@example.org")
    assert window.services.exchange.export_data() == Services(hub).exchange.export_data()
    assert count(window.services.db) <= compacted + 2
