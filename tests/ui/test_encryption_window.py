"""Encryption at rest in the window: the welcome encrypts a new entity by default, the passphrase
is asked at start (a wrong one is one sentence, then a retry), auto-lock covers every window and
keeps a dialog's unsaved text, Settings > Security encrypts existing data and changes the
passphrase."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app import paths
from app.db import keys
from app.services.container import Services
from app.services.security import SecurityService
from tests.support.fake_prompts import FakePrompts
from ui.auto_lock import AutoLock, LockCover
from ui.dialogs.unlock_dialog import ChangePassphraseDialog, NewPassphraseDialog, UnlockDialog
from ui.dialogs.welcome_dialog import WelcomeDialog
from ui.main import Application

PASSPHRASE = "Cavall bateria grapa 7"


def _when_modal(kind: type, handle: Callable[[Any], None]) -> None:
    """Act on the next modal dialog of ``kind`` once it is shown."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            handle(dialog)
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def _ok(dialog: QDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # type: ignore[attr-defined]


def _security() -> SecurityService:
    return SecurityService(paths.db_path(), paths.backups_dir())


def _start_encrypted(qtbot: QtBot, application: Application, shown: list[str]) -> None:
    application.show_recovery = lambda recovery, parent: shown.append(recovery)  # type: ignore[method-assign]

    def fill(dialog: WelcomeDialog) -> None:
        qtbot.mouseClick(dialog.empty_choice, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(dialog.name_edit, "Casal Xifrat")
        assert dialog.encrypt_box.isChecked()  # on by default
        qtbot.keyClicks(dialog.passphrase_fields.first, "curta")
        assert dialog.passphrase_fields.hint.text()
        _ok(dialog)  # too short: refused, said under the fields
        assert dialog.isVisible() and dialog.passphrase_fields.error.isVisible()
        dialog.passphrase_fields.first.clear()
        qtbot.keyClicks(dialog.passphrase_fields.first, PASSPHRASE)
        qtbot.keyClicks(dialog.passphrase_fields.second, PASSPHRASE)
        _ok(dialog)

    _when_modal(WelcomeDialog, fill)
    assert application.start("ca")


def test_a_new_entity_is_encrypted_from_the_welcome(
    qtbot: QtBot, application: Application
) -> None:
    shown: list[str] = []
    _start_encrypted(qtbot, application, shown)
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    assert len(shown) == 1 and keys.is_recovery_key(shown[0])
    assert keys.is_encrypted(paths.db_path())
    profile = window.services.profile.get()
    assert profile is not None and profile.name == "Casal Xifrat"
    assert b"Casal Xifrat" not in paths.db_path().read_bytes()
    assert application.auto_lock is not None and application.auto_lock.minutes == 10


def test_the_passphrase_is_asked_at_start_and_a_wrong_one_is_one_sentence(
    qtbot: QtBot, application: Application, prompts: FakePrompts
) -> None:
    _start_encrypted(qtbot, application, [])
    assert application.window is not None
    application.window.close()
    application.stop()
    keys.lock()
    seen: list[str] = []

    def unlock(dialog: UnlockDialog) -> None:
        qtbot.keyClicks(dialog.secret, "no es aquesta")
        _ok(dialog)
        assert dialog.isVisible()
        seen.append(dialog.error.text())
        dialog.secret.clear()
        qtbot.keyClicks(dialog.secret, PASSPHRASE)
        _ok(dialog)

    _when_modal(UnlockDialog, unlock)
    assert application.start("ca")
    assert application.window is not None
    qtbot.addWidget(application.window)
    assert seen == ["Aquesta contrasenya o clau de recuperació no obre aquestes dades. Torneu-hi."]
    assert application.window.services.profile.get() is not None
    assert not prompts.shown


def test_quitting_the_unlock_dialog_opens_nothing(
    qtbot: QtBot, application: Application
) -> None:
    _start_encrypted(qtbot, application, [])
    assert application.window is not None
    application.window.close()
    application.stop()
    keys.lock()
    _when_modal(UnlockDialog, lambda dialog: dialog.reject())
    assert not application.start("ca")
    assert application.db is None


def test_auto_lock_covers_every_window_and_keeps_unsaved_text(
    qtbot: QtBot, application: Application
) -> None:
    _start_encrypted(qtbot, application, [])
    window = application.window
    assert window is not None and application.auto_lock is not None
    qtbot.addWidget(window)
    window.show()
    editor = QDialog(window)
    field = QLineEdit(editor)
    QVBoxLayout(editor).addWidget(field)
    editor.show()
    qtbot.keyClicks(field, "Notes a mitges")
    asked: list[bool] = []

    def not_yet(service: SecurityService, relock: bool) -> bool:
        asked.append(relock)
        return False

    application.ask_unlock = not_yet  # type: ignore[method-assign]
    application.auto_lock.timer.start(1)  # the idle time has passed
    qtbot.waitUntil(lambda: asked == [True])
    covers = window.findChildren(LockCover)  # the dialog is a child of the window
    assert {c.parentWidget() for c in covers} == {window, editor}
    assert all(c.isVisible() and c.geometry() == c.parentWidget().rect() for c in covers)

    def unlock(dialog: UnlockDialog) -> None:
        assert not dialog.remember.isVisible()
        qtbot.keyClicks(dialog.secret, PASSPHRASE)
        _ok(dialog)

    application.ask_unlock = lambda service, relock: _real_unlock(service, relock)  # type: ignore[method-assign]
    _when_modal(UnlockDialog, unlock)
    covers[0].button.click()
    qtbot.waitUntil(lambda: not application.auto_lock.locked)
    assert not application.auto_lock.locked
    assert field.text() == "Notes a mitges" and editor.isVisible()
    editor.close()


def _real_unlock(service: SecurityService, relock: bool) -> bool:
    dialog = UnlockDialog(service, None, relock=relock)
    try:
        return bool(dialog.exec())
    finally:
        dialog.deleteLater()


def test_settings_encrypts_existing_data_and_changes_the_passphrase(
    qtbot: QtBot, application: Application, prompts: FakePrompts
) -> None:
    from app.db.engine import open_database
    from app.domain.profile import EntityProfileDTO

    db = open_database(paths.db_path())
    db_services = Services(db)
    db_services.profile.save(EntityProfileDTO(id="", name="Casal en Clar"))
    db.close()
    shown: list[str] = []
    application.show_recovery = lambda recovery, parent: shown.append(recovery)  # type: ignore[method-assign]
    assert application.start("ca")
    window = application.window
    assert window is not None
    window.go_to("settings")
    from ui.pages.security_tab import SecurityTab

    tab = window.findChild(SecurityTab)
    assert tab is not None and tab.encrypt_button.isVisible() is not None
    assert not tab.change_button.isEnabled()

    def new_passphrase(dialog: NewPassphraseDialog) -> None:
        qtbot.keyClicks(dialog.fields.first, PASSPHRASE)
        qtbot.keyClicks(dialog.fields.second, PASSPHRASE)
        _ok(dialog)

    _when_modal(NewPassphraseDialog, new_passphrase)
    tab.encrypt_button.click()
    assert len(shown) == 1
    assert keys.is_encrypted(paths.db_path())
    new_window = application.window
    assert new_window is not None and new_window is not window
    qtbot.addWidget(new_window)
    profile = new_window.services.profile.get()
    assert profile is not None and profile.name == "Casal en Clar"

    new_window.go_to("settings")
    tab = new_window.findChild(SecurityTab)
    assert tab is not None and tab.change_button.isEnabled()
    other = "Una altra frase ben llarga 9"

    def change(dialog: ChangePassphraseDialog) -> None:
        qtbot.keyClicks(dialog.current, "malament del tot")
        qtbot.keyClicks(dialog.fields.first, other)
        qtbot.keyClicks(dialog.fields.second, other)
        _ok(dialog)
        assert dialog.isVisible() and dialog.error.isVisible()
        dialog.current.clear()
        qtbot.keyClicks(dialog.current, shown[0])  # the recovery key opens too
        _ok(dialog)

    _when_modal(ChangePassphraseDialog, change)
    tab.change_button.click()
    assert [shown.kind for shown in prompts.shown] == ["info"]
    keys.lock()
    _security().unlock(other)
    assert keys.current() is not None


def test_a_pointer_left_still_is_no_use_of_teixit(qtbot: QtBot) -> None:
    """The idle time restarts when the pointer moves, not when the system repeats its place
    (a window shown or moved under a pointer left still)."""
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    lock = AutoLock(qapp, lambda: True, minutes=5)
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()

    def move_to(x: float, y: float) -> None:
        where = QPointF(x, y)
        QApplication.sendEvent(
            widget,
            QMouseEvent(
                QEvent.Type.MouseMove,
                where,
                where,
                Qt.MouseButton.NoButton,
                Qt.MouseButton.NoButton,
                Qt.KeyboardModifier.NoModifier,
            ),
        )

    try:
        move_to(10, 10)
        lock.timer.start(60_000)  # a minute of the five left
        move_to(10, 10)
        assert lock.timer.remainingTime() < 2 * 60_000  # (a coarse timer: about a minute)
        move_to(11, 10)
        assert lock.timer.remainingTime() > 4 * 60_000
        qtbot.keyClick(widget, Qt.Key.Key_Shift)  # a key counts, wherever the pointer is
        lock.timer.start(60_000)
        qtbot.keyClick(widget, Qt.Key.Key_A)
        assert lock.timer.remainingTime() > 4 * 60_000
    finally:
        lock.stop()
