"""Sync in the window as a person uses it: setting up a new laptop (pairing, the folder, joining
with progress), Sync now with its summary, the conflicts' badge and list (both values side by
side, "Use the other value" from the keyboard), retiring a device and a retired laptop wiped at
its next start."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app import paths
from app.db.engine import open_database
from app.db.models import Participant, SyncConflict
from app.domain.people import PersonDTO
from app.domain.profile import EntityProfileDTO
from app.errors import UserError
from app.services.container import Services
from app.sync import device, folder, retire, run
from tests.support.fake_prompts import FakePrompts
from tests.support.sync_replicas import Replica, open_replica, seed
from tests.support.templates import new_database
from ui.dialogs.sync_conflicts_dialog import SyncConflictsDialog
from ui.dialogs.sync_settings_dialog import SyncSettingsDialog
from ui.dialogs.welcome_dialog import WelcomeDialog
from ui.main import Application
from ui.main_window import MainWindow


def _when_modal(kind: type, handle: Callable[[Any], None]) -> None:
    """Act on the next modal dialog of ``kind`` once it is shown (exec() blocks otherwise); a
    failed check inside closes the dialog, so the test fails rather than waits."""

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


def _office(tmp_path: Path) -> tuple[Replica, Path, str]:
    """The team's first device: the seed, the key, its first sync to the folder."""
    shared = tmp_path / "shared"
    shared.mkdir()
    office = open_replica(tmp_path / "team", "office")
    office.services.profile.save(EntityProfileDTO(id="", name="Casal de Prova"))
    seed(office.services, people=6)
    code = device.create_key(office.db)
    run.sync(office.db, shared)
    return office, shared, code


def _laptop_joined(shared: Path, code: str) -> None:
    """This computer's data (the window's), already a member of the team."""
    db = open_database(new_database(paths.db_path()))
    try:
        device.pair(db, code, "Portàtil")
        run.join(db, shared)
    finally:
        db.close()


def _start(qtbot: QtBot, application: Application) -> MainWindow:
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def _person_named(services: Services, given: str) -> str:
    return services.people.search(given, limit=None)[0].id


def test_the_sync_status_appears_once_sync_is_set_up(
    qtbot: QtBot, application: Application
) -> None:
    db = open_database(new_database(paths.db_path()))
    Services(db).profile.save(EntityProfileDTO(id="", name="Casal de Prova"))
    Services(db).people.save(PersonDTO(given_name="Aina", family_names="Puig"))
    db.close()
    window = _start(qtbot, application)
    link = window.sync_link
    assert not link.label.isVisible()
    assert link.act_conflicts.text() == "&Conflictes…"
    device.enable(window.services.db, "Oficina")
    window.services.people.save(PersonDTO(given_name="Biel", family_names="Roig"))
    window.bus.emit_changes(window.services.people.save(PersonDTO(given_name="Cesc"))[1])
    assert link.label.isVisible()
    assert link.label.text().startswith("Encara no sincronitzat · ")
    assert "canvis per enviar" in link.label.text()


def test_a_new_laptop_pairs_chooses_the_folder_and_joins(
    qtbot: QtBot, application: Application, prompts: FakePrompts, tmp_path: Path
) -> None:
    office, shared, code = _office(tmp_path)
    try:
        db = open_database(new_database(paths.db_path()))
        Services(db).profile.save(EntityProfileDTO(id="", name="Portàtil nou"))  # the welcome
        db.close()
        window = _start(qtbot, application)
        seen: list[str] = []

        def set_up(dialog: SyncSettingsDialog) -> None:
            assert not dialog.join_button.isEnabled()  # no key, no folder yet
            qtbot.keyClicks(dialog.device_name, "Portatil del casal")  # QTest types ASCII only
            wrong = code[:5] + ("A" if code[5] != "A" else "B") + code[6:]
            qtbot.keyClicks(dialog.code, wrong)
            qtbot.mouseClick(dialog.pair_button, Qt.MouseButton.LeftButton)
            assert prompts.shown[-1].kind == "error"  # a mistyped code: refused
            dialog.code.clear()
            qtbot.keyClicks(dialog.code, code.lower())
            qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
            assert prompts.shown[-1].kind == "info"
            prompts.files.append(str(shared))
            qtbot.mouseClick(dialog.choose_folder, Qt.MouseButton.LeftButton)
            seen.append(dialog.folder.text())
            assert dialog.join_button.isEnabled()
            qtbot.mouseClick(dialog.join_button, Qt.MouseButton.LeftButton)
            seen.append(prompts.shown[-1].text)
            dialog.accept()

        _when_modal(SyncSettingsDialog, set_up)
        window.sync_link.act_settings.trigger()
        assert seen and str(shared.resolve()) in seen[0]
        assert "canvis enviats" in seen[1] or "canvi enviat" in seen[1]
        assert "rebuts" in seen[1]
        assert window.services.exchange.export_data() == office.export()
        assert window.services.sync.status().device_name == "Portatil del casal"
        assert window.sync_link.label.text().startswith("Sincronitzat ")
    finally:
        office.db.close()


def test_sync_now_the_summary_the_badge_and_using_the_other_value(
    qtbot: QtBot, application: Application, prompts: FakePrompts, tmp_path: Path
) -> None:
    office, shared, code = _office(tmp_path)
    try:
        _laptop_joined(shared, code)
        person = _person_named(office.services, "Persona1")
        # The laptop changes the phone first, the office later: the office's value wins.
        db = open_database(new_database(paths.db_path()))
        laptop = Services(db)
        mine = laptop.people.get(person)
        laptop.people.save(mine.__class__(**{**mine.__dict__, "phone": "611111111"}))
        db.close()
        theirs = office.services.people.get(person)
        office.services.people.save(theirs.__class__(**{**theirs.__dict__, "phone": "622222222"}))
        run.sync(office.db, shared)
        window = _start(qtbot, application)
        looked: list[list[str]] = []

        def resolve(dialog: SyncConflictsDialog) -> None:
            row = [dialog.table.item(0, c).text() for c in range(4)]
            looked.append(row)
            assert dialog.table.currentRow() == 0  # the first conflict, ready for the keys
            dialog.activateWindow()
            qtbot.waitUntil(dialog.isActiveWindow)
            # Keyboard: Tab from the list to "Use the other value", Space presses it (Alt+U
            # too on a desktop; the offscreen platform used by the tests ignores Alt).
            qtbot.keyClick(dialog.table, Qt.Key.Key_Tab)
            assert QApplication.focusWidget() is dialog.use_other
            qtbot.keyClick(dialog.use_other, Qt.Key.Key_Space)
            looked.append([dialog.empty.text()] if dialog.empty.isVisibleTo(dialog) else [])
            dialog.reject()

        _when_modal(SyncConflictsDialog, resolve)
        qtbot.keyClick(window.nav, Qt.Key.Key_F9)  # Sync now
        summary = next(s for s in prompts.shown if s.kind == "info")
        assert summary.text.startswith("1 canvi enviat, ") or "enviats" in summary.text
        assert summary.text.splitlines()[0].endswith("1 conflicte.")
        record, what, kept, lost = looked[0]
        assert record == "Persona: Persona1 Puig" and what == "Telèfon"
        assert kept.startswith("622222222\n(office, ") and lost.startswith("611111111\n(")
        assert looked[1] == ["No hi ha cap conflicte obert."]
        # The value swapped back is this device's change: it travels to the office.
        assert window.services.people.get(person).phone == "611111111"
        assert window.sync_link.act_conflicts.text() == "&Conflictes…"
        assert "conflicte" not in window.sync_link.label.text()
        window.sync_link.act_sync.trigger()  # Sync > Sync now
        assert prompts.shown[-1].text.startswith("1 canvi enviat")
        run.sync(office.db, shared)
        assert office.services.people.get(person).phone == "611111111"
    finally:
        office.db.close()


def test_the_badge_counts_open_conflicts_and_keep_closes_one(
    qtbot: QtBot, application: Application, prompts: FakePrompts, tmp_path: Path
) -> None:
    office, shared, code = _office(tmp_path)
    try:
        _laptop_joined(shared, code)
        db = open_database(new_database(paths.db_path()))
        me = device.info(db)
        assert me is not None
        person = _person_named(Services(db), "Persona2")
        with db.begin() as s:
            for phone in ("633333333", "644444444"):
                s.add(
                    SyncConflict(
                        table_name="participant",
                        row_id=person,
                        field="phone",
                        kind="field",
                        kept_value='""',
                        kept_device=me.id,
                        lost_value=f'"{phone}"',
                    )
                )
        db.close()
        window = _start(qtbot, application)
        assert window.sync_link.act_conflicts.text() == "&Conflictes (2)…"
        assert window.sync_link.label.text().endswith("2 conflictes")

        def keep(dialog: SyncConflictsDialog) -> None:
            qtbot.mouseClick(dialog.keep, Qt.MouseButton.LeftButton)
            assert dialog.table.rowCount() == 1
            dialog.reject()

        _when_modal(SyncConflictsDialog, keep)
        window.sync_link.act_conflicts.trigger()
        assert window.sync_link.act_conflicts.text() == "&Conflictes (1)…"
        assert window.services.people.get(person).phone == ""
    finally:
        office.db.close()


def test_retiring_a_laptop_from_the_window_and_the_laptop_wiped_at_its_next_start(
    qtbot: QtBot, application: Application, prompts: FakePrompts, tmp_path: Path
) -> None:
    office, shared, code = _office(tmp_path)
    laptop = open_replica(tmp_path / "team", "laptop", enable=False)
    device.pair(laptop.db, code, "Portàtil perdut")
    run.join(laptop.db, shared)
    run.sync(laptop.db, shared)
    laptop_path = laptop.db.path
    laptop.db.close()
    office.db.close()
    # This window is the office's: its data file is the office replica's.
    paths.set_data_dir(office.db.path.parent)
    try:
        window = _start(qtbot, application)
        window.sync_link.act_sync.trigger()  # learns the laptop's name
        prompts.confirms.append(True)

        def retire_it(dialog: SyncSettingsDialog) -> None:
            names = [dialog.devices.item(r, 0).text() for r in range(dialog.devices.rowCount())]
            dialog.devices.selectRow(names.index("Portàtil perdut"))
            qtbot.mouseClick(dialog.retire_button, Qt.MouseButton.LeftButton)
            assert (
                dialog.devices.item(names.index("Portàtil perdut"), 2)
                .text()
                .startswith("retirat el ")
            )
            dialog.accept()

        _when_modal(SyncSettingsDialog, retire_it)
        window.sync_link.act_settings.trigger()
        assert list((shared / folder.SUBFOLDER).glob("*/retired-*.tret"))
        window.close()
        application.stop()
    finally:
        paths.set_data_dir(None)
    # The laptop starts: its data is wiped, then the welcome (cancelled here).
    paths.set_data_dir(laptop_path.parent)
    try:
        second = Application(QApplication.instance(), prompts, application.prefs)  # type: ignore[arg-type]
        _when_modal(WelcomeDialog, lambda dialog: dialog.reject())
        assert not second.start("ca")
        told = [s for s in prompts.shown if s.title == "S'ha retirat aquest dispositiu"]
        assert told and "office" in told[0].text
        second.stop()
        db = open_database(laptop_path)
        try:
            with db.read() as s:
                assert s.scalar(select(func.count()).select_from(Participant)) == 0
            assert device.info(db) is None
        finally:
            db.close()
        assert retire.notices(shared / folder.SUBFOLDER, b"\0" * 32) == []  # needs the key
    finally:
        paths.set_data_dir(None)


def test_cancelling_a_join_from_the_window_leaves_the_data_as_it_was(
    qtbot: QtBot,
    application: Application,
    prompts: FakePrompts,
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    from PySide6.QtWidgets import QProgressDialog

    office, shared, code = _office(tmp_path)
    office.db.close()
    # The changes keep coming in until the person has clicked Cancel (however busy the
    # machine: the join must not be over before the click lands).
    clicked = threading.Event()
    receive = folder.receive

    def receive_until_cancelled(*args: Any, progress: Any = None, **kwargs: Any) -> Any:
        def held(done: int, total: int) -> None:
            clicked.wait(30)
            progress(done, total)

        return receive(*args, progress=held, **kwargs)

    monkeypatch.setattr(folder, "receive", receive_until_cancelled)
    db = open_database(new_database(paths.db_path()))
    Services(db).profile.save(EntityProfileDTO(id="", name="Portàtil nou"))
    device.pair(db, code, "Portatil")
    Services(db).sync.set_folder(shared)
    before = Services(db).exchange.export_data()
    db.close()
    window = _start(qtbot, application)
    cancelled: list[bool] = []

    def cancel_when_shown() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QProgressDialog) and dialog.isVisible():
            cancel = dialog.findChild(QPushButton)
            assert cancel is not None
            qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
            cancelled.append(True)
            clicked.set()
        else:
            QTimer.singleShot(10, cancel_when_shown)

    def join(dialog: SyncSettingsDialog) -> None:
        assert dialog.join_button.isEnabled()
        QTimer.singleShot(0, cancel_when_shown)
        qtbot.mouseClick(dialog.join_button, Qt.MouseButton.LeftButton)
        dialog.accept()

    _when_modal(SyncSettingsDialog, join)
    window.sync_link.act_settings.trigger()
    assert cancelled
    assert prompts.shown[-1].text == "S'ha cancel·lat la unió: les dades són com abans."
    assert window.services.exchange.export_data() == before
    assert window.services.sync.can_join()


def test_renaming_this_device_in_the_sync_settings_shows_on_the_others_after_a_sync(
    qtbot: QtBot, application: Application, prompts: FakePrompts, tmp_path: Path
) -> None:
    office, shared, code = _office(tmp_path)
    try:
        _laptop_joined(shared, code)
        window = _start(qtbot, application)
        me = device.info(window.services.db)
        assert me is not None

        def rename(dialog: SyncSettingsDialog) -> None:
            assert dialog.device_name.text() == "Portàtil"
            dialog.device_name.selectAll()
            qtbot.keyClicks(dialog.device_name, "Portatil de la Marta")
            qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
            assert prompts.shown[-1].kind == "info"
            dialog.accept()

        _when_modal(SyncSettingsDialog, rename)
        window.sync_link.act_settings.trigger()
        assert window.services.sync.status().device_name == "Portatil de la Marta"
        window.sync_link.act_sync.trigger()  # Sync now
        run.sync(office.db, shared)
        names = {d.id: d.name for d in office.services.sync.devices()}
        assert names[me.id] == "Portatil de la Marta"
    finally:
        office.db.close()


def test_a_new_team_key_from_the_sync_settings_and_pairing_again(
    qtbot: QtBot, application: Application, prompts: FakePrompts, tmp_path: Path
) -> None:
    office, shared, code = _office(tmp_path)
    try:
        _laptop_joined(shared, code)
        window = _start(qtbot, application)
        shown: list[str] = []

        def new_key(dialog: SyncSettingsDialog) -> None:
            assert dialog.change_key.isVisible() and not dialog.create_key.isVisible()
            prompts.confirms.append(True)
            qtbot.mouseClick(dialog.change_key, Qt.MouseButton.LeftButton)
            shown.append(prompts.shown[-1].text)
            dialog.accept()

        _when_modal(SyncSettingsDialog, new_key)
        window.sync_link.act_settings.trigger()
        new_code = shown[0].split("\n\n")[1]
        assert new_code != code
        window.services.people.save(PersonDTO(given_name="Nova", family_names="Clau"))
        window.sync_link.act_sync.trigger()  # written with the new key
        with pytest.raises(UserError):
            run.sync(office.db, shared)  # the old key reads it no more
        device.pair(office.db, new_code)
        run.sync(office.db, shared)
        assert office.services.people.search("Nova", limit=None)
    finally:
        office.db.close()
