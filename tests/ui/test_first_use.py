"""A new user's path: welcome, settings (data protection, audit log), networks, export and
import into another data folder, backups, attendance import, shortcuts; and start-up errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app import paths
from app.db.engine import open_database
from app.domain.profile import EntityProfileDTO, StaffDTO
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.services.container import Services
from tests.support.templates import new_database
from ui.dialogs.welcome_dialog import WelcomeDialog
from ui.main import Application
from ui.main_window import AREAS, MainWindow


def _seed(name: str = "Casal de Prova") -> None:
    db = open_database(new_database(paths.db_path()))
    Services(db).profile.save(EntityProfileDTO(id="", name=name))
    db.close()


def _window(qtbot: QtBot, application: Application, lang: str = "ca") -> MainWindow:
    _seed()
    assert application.start(lang)
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def _when_modal(handle: Callable[[Any], None], kind: type[QDialog] = QDialog) -> None:
    """Act on the next modal dialog of ``kind`` once it is shown (exec() blocks the test
    otherwise); one shown before it (a progress dialog on a slow machine) is let be."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            handle(dialog)
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def test_welcome_names_the_data_folder_and_focuses_the_name(qtbot: QtBot, prompts) -> None:  # type: ignore[no-untyped-def]
    dialog = WelcomeDialog(prompts)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    assert str(paths.data_dir()) in dialog.note.text()
    assert dialog.note.text().startswith("Les dades es queden en aquest ordinador")
    qtbot.mouseClick(dialog.empty_choice, Qt.MouseButton.LeftButton)
    assert dialog.name_edit.hasFocus()  # choosing "start empty" puts the cursor in the name
    qtbot.keyClicks(dialog.name_edit, "Casal Badal")
    assert dialog.entity_name == "Casal Badal"


def test_navigation_has_drawn_icons_and_fits_a_small_screen(
    qtbot: QtBot, application: Application
) -> None:
    window = _window(qtbot, application, "es")
    for row, key in enumerate(AREAS):
        assert not window.nav.item(row).icon().isNull(), key
        assert paths.resource_path("icons", f"{key}.svg").is_file()
    assert window.nav.width() < 180  # fitted to the longest name, not a fixed 210 px
    window.go_to("settings")
    window.go_to("networks")
    window.go_to("reports")
    assert window.minimumSizeHint().width() <= 1024


def test_ctrl_f1_lists_the_keyboard_shortcuts_and_escape_closes(
    qtbot: QtBot, application: Application
) -> None:
    window = _window(qtbot, application)
    seen: dict[str, Any] = {}

    def look(dialog: Any) -> None:
        seen["title"] = dialog.windowTitle()
        seen["texts"] = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    _when_modal(look)
    # F1 is the user guide (tests/ui/test_help.py); the list of shortcuts is Ctrl+F1.
    qtbot.keyClick(window.nav, Qt.Key.Key_F1, Qt.KeyboardModifier.ControlModifier)
    assert seen["title"] == "Dreceres de teclat"
    assert "Exporta totes les dades a un fitxer" in seen["texts"]
    assert "Marca tothom com a present" in seen["texts"]


def test_data_protection_suggestions_fill_only_empty_fields_and_save(
    qtbot: QtBot, application: Application
) -> None:
    window = _window(qtbot, application)
    window.go_to("settings")
    page: Any = window.page("settings")
    page.tabs.setCurrentIndex(1)
    purpose = page.privacy_edits["privacy_purpose"]
    assert purpose.placeholderText().startswith("Organitzar les activitats")
    assert "Casal de Prova" in page.privacy_edits["privacy_controller"].placeholderText()
    qtbot.keyClicks(page.privacy_edits["privacy_recipients"], "Ningu")
    qtbot.mouseClick(page.suggest_button, Qt.MouseButton.LeftButton)
    assert purpose.toPlainText() == purpose.placeholderText()
    assert page.privacy_edits["privacy_recipients"].toPlainText() == "Ningu"  # kept
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    profile = window.services.profile.get()
    assert profile is not None and profile.privacy_recipients == "Ningu"
    assert profile.privacy_purpose.startswith("Organitzar les activitats")
    assert "APDCAT" in profile.privacy_rights_contact


def test_profile_save_button_only_where_the_profile_is_edited(
    qtbot: QtBot, application: Application
) -> None:
    window = _window(qtbot, application)
    window.go_to("settings")
    page: Any = window.page("settings")
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert titles == [
        "Entitat",
        "Protecció de dades",
        "Registre d'activitat",
        "Equip, llocs i entitats finançadores",
        "Categories de programa",
        "Calendari",
        "Seguretat",
    ]
    assert page.save_button.isVisible()
    page.tabs.setCurrentIndex(3)
    assert not page.save_button.isVisible()
    page.tabs.setCurrentIndex(0)
    assert page.save_button.isVisible()


def test_export_is_audited_says_where_and_imports_into_another_folder(
    qtbot: QtBot, application: Application, prompts, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, application)
    window.services.profile.save_staff(StaffDTO(id="", name="Laia Puig"))
    target = tmp_path / "copia"  # no .json: added
    prompts.files.append(str(target))
    qtbot.keyClick(window.nav, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    written = tmp_path / "copia.json"
    assert json.loads(written.read_text())["format"] == "teixit"
    kind, title, text = prompts.shown[-1]
    assert kind == "info" and title == "Exporta totes les dades"
    assert str(written) in text and "registre d'activitat" in text
    # The audit log in the settings shows the export.
    window.go_to("settings")
    page: Any = window.page("settings")
    page.tabs.setCurrentIndex(2)
    log = page.audit_log
    assert log.table.rowCount() == 1
    assert log.table.item(0, 1).text() == "Exportació"
    assert log.table.item(0, 2).text() == str(written)
    assert not log.empty.isVisible()

    # Another data folder, another window: the file comes in after a confirmation.
    window.close()
    application.stop()
    paths.set_data_dir(tmp_path / "other")
    _seed("Un altre casal")
    assert application.start("ca")
    other = application.window
    assert other is not None
    qtbot.addWidget(other)
    with qtbot.waitActive(other):
        other.show()
        other.activateWindow()
    prompts.files.append(str(written))
    prompts.confirms.append(False)  # first the person says no: nothing changes
    other.import_data()
    assert other.services.profile.staff() == []
    prompts.files.append(str(written))
    prompts.confirms.append(True)
    qtbot.keyClick(other.nav, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert [s.name for s in other.services.profile.staff()] == ["Laia Puig"]
    assert prompts.shown[-1][0] == "info"
    assert [e.action for e in other.services.audit.recent()] == ["import"]


def test_a_sealed_export_imports_after_its_passphrase(
    qtbot: QtBot, application: Application, prompts, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, application, "es")
    window.services.profile.save_staff(StaffDTO(id="", name="Laia Puig"))
    sealed_file = window.services.exchange.export_file(
        tmp_path / "copia.json", "Un altre camí del riu 42"
    ).path
    assert sealed_file.name == "copia.json.zip"
    window.close()
    application.stop()
    paths.set_data_dir(tmp_path / "other")
    _seed("Un altre casal")
    assert application.start("es")
    other = application.window
    assert other is not None
    qtbot.addWidget(other)
    # The person cancels the passphrase: nothing imported, nothing said.
    prompts.files.append(str(sealed_file))
    prompts.confirms.append(True)
    prompts.file_passphrases.append(None)
    shown = len(prompts.shown)
    other.import_data()
    assert prompts.file_passphrase_asked == ["Importar datos"]
    assert other.services.profile.staff() == [] and len(prompts.shown) == shown + 1
    # A wrong passphrase: one translated sentence, nothing imported.
    prompts.files.append(str(sealed_file))
    prompts.confirms.append(True)
    prompts.file_passphrases.append("no es esta")
    other.import_data()
    qtbot.waitUntil(lambda: prompts.shown[-1][0] == "error")
    assert "contraseña" in prompts.shown[-1][2] and other.services.profile.staff() == []
    # The right one.
    prompts.files.append(str(sealed_file))
    prompts.confirms.append(True)
    prompts.file_passphrases.append("Un altre camí del riu 42")
    other.import_data()
    qtbot.waitUntil(lambda: prompts.shown[-1][0] == "info")
    assert [s.name for s in other.services.profile.staff()] == ["Laia Puig"]


def test_import_of_a_bad_file_shows_a_translated_message(
    qtbot: QtBot, application: Application, prompts, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, application, "es")
    bad = tmp_path / "malo.json"
    bad.write_text('{"format": "other"}')
    prompts.files.append(str(bad))
    prompts.confirms.append(True)
    window.import_data()
    kind, title, text = prompts.shown[-1]
    assert kind == "error" and title == "Importar datos"
    assert "Traceback" not in text and text


def test_networks_guides_the_first_space_and_ctrl_n_starts_one(
    qtbot: QtBot, application: Application
) -> None:
    window = _window(qtbot, application)
    window.go_to("networks")
    page: Any = window.page("networks")
    assert page.empty_hint.isVisible()
    assert "Espai nou" in page.empty_hint.text()
    page.new_meeting()  # Ctrl+N with no space: the space form instead
    assert page.panel.name.hasFocus()
    qtbot.keyClicks(page.panel.name, "Taula Comunitaria de Sants")
    qtbot.mouseClick(page.panel.save_button, Qt.MouseButton.LeftButton)
    assert [s.name for s in window.services.networks.spaces()] == ["Taula Comunitaria de Sants"]
    assert not page.empty_hint.isVisible()


def test_reports_page_tells_what_to_do_first(qtbot: QtBot, application: Application) -> None:
    window = _window(qtbot, application)
    window.go_to("reports")
    page: Any = window.page("reports")
    assert page.empty.isVisible() and "Programes (Ctrl+2)" in page.empty.text()
    assert page.recent_empty.isVisible()


def test_backups_dialog_empty_state_then_a_backup(
    qtbot: QtBot, application: Application, prompts
) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs.backups_dialog import BackupsDialog

    _window(qtbot, application)
    dialog = BackupsDialog(application.backups(), prompts, lambda: None, lambda: None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.empty.isVisible()
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1 and not dialog.empty.isVisible()
    assert prompts.shown[-1][0] == "info"
    assert len(application.backups().list_backups()) == 1


def test_attendance_import_from_the_file_menu(
    qtbot: QtBot, application: Application, prompts
) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, application)
    window.act_import_attendance.trigger()  # no activity yet: told what to do
    assert "Primer creeu un programa" in prompts.shown[-1][2]
    services = window.services
    programme, _c = services.programmes.save(
        ProgrammeDTO(code="TAL", name="Tallers", category="prevention")
    )
    services.programmes.save_activity(ActivityDTO(programme_id=programme.id or "", name="Cuina"))
    seen: dict[str, str] = {}

    def look(dialog: Any) -> None:
        seen["activity"] = dialog.activity_combo.currentText()
        seen["visible"] = str(dialog.activity_combo.isVisible())
        dialog.reject()

    _when_modal(look)
    window.act_import_attendance.trigger()
    assert seen == {"activity": "TAL · Cuina", "visible": "True"}


def test_saved_category_codes_are_not_editable(qtbot: QtBot, services, bus, prompts) -> None:  # type: ignore[no-untyped-def]
    from ui.widgets.categories_editor import CategoriesEditor

    editor = CategoriesEditor(services, bus, prompts)
    qtbot.addWidget(editor)
    code = editor.table.item(0, editor.COL_CODE)
    assert not code.flags() & Qt.ItemFlag.ItemIsEditable
    assert editor.table.item(0, editor.COL_CA).flags() & Qt.ItemFlag.ItemIsEditable
    editor.add_row()
    new_code = editor.table.item(editor.table.rowCount() - 1, editor.COL_CODE)
    assert new_code.flags() & Qt.ItemFlag.ItemIsEditable


def test_unusable_data_folder_is_explained(
    application: Application, prompts, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    paths.set_data_dir(blocker / "data")  # a folder inside a file cannot be created
    assert not application.start("es")
    kind, title, text = prompts.shown[-1]
    assert kind == "error" and title == "Teixit no se puede iniciar"
    assert text.startswith("Teixit no puede crear ni escribir los datos en la carpeta")
    assert str(blocker / "data") in text


def test_damaged_file_without_backup_says_what_to_do(application: Application, prompts) -> None:  # type: ignore[no-untyped-def]
    _seed()
    path = paths.db_path()
    data = bytearray(path.read_bytes())
    data[100:4000] = b"\x00" * 3900
    path.write_bytes(bytes(data))
    assert not application.start("ca")
    text = prompts.shown[-1][2]
    assert "No hi ha cap còpia de seguretat per restaurar" in text
    assert "llapis USB" in text


def test_damaged_file_with_a_backup_is_restored(application: Application, prompts) -> None:  # type: ignore[no-untyped-def]
    _seed("Casal Restaurat")
    application.backups().backup_now("manual")
    paths.db_path().write_bytes(b"\x07" * 8192)
    prompts.confirms.append(True)
    assert application.start("ca")
    assert application.window is not None
    profile = application.window.services.profile.get()
    assert profile is not None and profile.name == "Casal Restaurat"
    assert prompts.shown[0][0] == "confirm"


def test_empty_start_lands_on_the_next_step(qtbot: QtBot, application: Application) -> None:
    def start_empty(dialog: Any) -> None:
        qtbot.mouseClick(dialog.empty_choice, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(dialog.name_edit, "Casal Nou")
        dialog.encrypt_box.setChecked(False)  # no passphrase: tests/ui/test_encryption_window.py
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)  # Enter starts

    _when_modal(start_empty)
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    assert window.current_key() == "settings"
    assert window.page("settings").tabs.currentIndex() == 3  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Passos següents"))
    assert window.status_path.text().startswith("Dades: ")
    assert window.windowTitle() == "Casal Nou — Teixit"


def test_welcome_tab_order_follows_the_page(qtbot: QtBot, prompts) -> None:  # type: ignore[no-untyped-def]
    dialog = WelcomeDialog(prompts)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    dialog.language_combo.setFocus()
    qtbot.keyClick(dialog.language_combo, Qt.Key.Key_Tab)
    assert dialog.demo_choice.hasFocus()
    qtbot.mouseClick(dialog.empty_choice, Qt.MouseButton.LeftButton)  # the name gets the focus
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Tab)
    assert dialog.logo_button.hasFocus()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Escape cancels
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_enter_saves_a_team_member_in_settings(qtbot: QtBot, application: Application) -> None:
    window = _window(qtbot, application)
    window.go_to("settings")
    from ui.widgets.reference_lists import ReferenceLists

    lists = window.findChild(ReferenceLists)
    staff = lists.editors[0]
    qtbot.keyClicks(staff.inputs["name"], "Pau Riera")
    qtbot.keyClicks(staff.inputs["role"], "Dinamitzador")
    qtbot.keyClick(staff.inputs["role"], Qt.Key.Key_Return)
    saved = window.services.profile.staff()
    assert [(s.name, s.role) for s in saved] == [("Pau Riera", "Dinamitzador")]
    assert staff.table.item(0, 0).text() == "Pau Riera"


def _start_empty_as(qtbot: QtBot, name: str) -> Callable[[Any], None]:
    def handle(dialog: Any) -> None:
        assert isinstance(dialog, WelcomeDialog)
        qtbot.mouseClick(dialog.empty_choice, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(dialog.name_edit, name)
        dialog.encrypt_box.setChecked(False)
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)

    return handle


def test_start_again_after_the_demo_keeps_a_backup(
    qtbot: QtBot, application: Application, prompts
) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, application)
    window.services.profile.save_staff(StaffDTO(id="", name="Laia Puig"))
    prompts.confirms.append(True)
    # The backup's progress dialog may come first on a slow machine: wait for the welcome.
    _when_modal(_start_empty_as(qtbot, "Casal de Veritat"), WelcomeDialog)
    window.act_start_over.trigger()
    new = application.window
    assert new is not None and new is not window
    qtbot.addWidget(new)
    profile = new.services.profile.get()
    assert profile is not None and profile.name == "Casal de Veritat"
    assert new.services.profile.staff() == []
    # The new, empty database may take its own daily backup as the window opens: let it finish
    # so the list does not depend on how fast this machine is.
    application.wait_for_backup()
    backups = [b for b in application.backups().list_backups() if b.kind == "manual"]
    assert len(backups) == 1
    # The old data is one restore away.
    db = open_database(backups[0].path)
    assert [s.name for s in Services(db).profile.staff()] == ["Laia Puig"]
    db.close()


def test_start_again_cancelled_in_the_welcome_brings_the_data_back(
    qtbot: QtBot, application: Application, prompts
) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, application)
    window.services.profile.save_staff(StaffDTO(id="", name="Laia Puig"))
    prompts.confirms.append(True)
    _when_modal(lambda dialog: dialog.reject(), WelcomeDialog)
    window.act_start_over.trigger()
    new = application.window
    assert new is not None
    qtbot.addWidget(new)
    assert [s.name for s in new.services.profile.staff()] == ["Laia Puig"]
    profile = new.services.profile.get()
    assert profile is not None and profile.name == "Casal de Prova"


def test_start_again_refused_changes_nothing(
    qtbot: QtBot, application: Application, prompts
) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, application)
    window.act_start_over.trigger()  # the confirmation says no
    assert application.window is window
    assert application.backups().list_backups() == []
    assert window.services.profile.get() is not None


def test_ctrl_b_opens_the_backups(qtbot: QtBot, application: Application) -> None:
    window = _window(qtbot, application)
    seen: list[str] = []

    def look(dialog: Any) -> None:
        seen.append(dialog.windowTitle())
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    _when_modal(look)
    qtbot.keyClick(window.nav, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["Còpies de seguretat"]


def test_people_imported_from_a_csv_are_shown(
    qtbot: QtBot, application: Application, prompts, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, application)
    csv = tmp_path / "persones.csv"
    csv.write_text("Nom;Cognoms\nMaria;Puig Vila\nJoan;Serra\n", encoding="utf-8")
    prompts.files.append(str(csv))

    def run(wizard: Any) -> None:
        wizard.currentPage().choose()
        for _step in range(3):
            wizard.wait_for_jobs()
            qtbot.waitUntil(lambda: wizard.button(wizard.WizardButton.NextButton).isEnabled())
            wizard.next()
        wizard.wait_for_jobs()
        qtbot.waitUntil(lambda: wizard.button(wizard.WizardButton.FinishButton).isEnabled())
        wizard.button(wizard.WizardButton.FinishButton).click()

    _when_modal(run)
    qtbot.keyClick(
        window.nav,
        Qt.Key.Key_I,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.current_key() == "people"
    with window.services.db.read() as s:
        from sqlalchemy import select

        from app.db.models import Participant

        names = sorted(p.given_name for p in s.scalars(select(Participant)))
    assert names == ["Joan", "Maria"]


def test_the_shell_is_painted_first_then_filled_with_the_data(
    qtbot: QtBot, application: Application
) -> None:
    """The window's frame, navigation and a placeholder Home come first; opening the data turns
    that same window into the window on the data, on Home."""
    _seed("Casal de la Closca")
    assert application.begin("ca")
    application.show_shell()
    shell = application.window
    assert shell is not None
    qtbot.addWidget(shell)
    assert shell.is_shell() and shell.isVisible()
    assert shell.opening.isVisible() and shell.opening.text() == "S'estan obrint les dades…"
    assert not shell.nav.isEnabled() and not shell.act_export.isEnabled()
    assert shell.language_actions["es"].isEnabled()  # the language can change meanwhile
    assert application.open_data()
    assert application.window is shell and not shell.is_shell()
    assert shell.nav.isEnabled() and shell.act_export.isEnabled()
    assert shell.current_key() == "home" and not shell.opening.isVisible()
    assert shell.status_entity.text() == "Casal de la Closca"
    assert shell.windowTitle() == "Casal de la Closca — Teixit"
    qtbot.mouseClick(shell.nav.viewport(), Qt.MouseButton.LeftButton, pos=_row_centre(shell, 3))
    assert shell.current_key() == "people"


def _row_centre(window: MainWindow, row: int) -> Any:
    return window.nav.visualItemRect(window.nav.item(row)).center()


def test_the_shell_is_on_screen_before_the_database_layer_is_imported() -> None:
    """A whole start on existing data: the shell is shown while SQLAlchemy, the models and the
    services are not imported yet; the window on the data follows."""
    import os
    import subprocess
    import sys

    _seed()
    code = (
        "import os, sys\n"
        "from ui import main\n"
        "seen = []\n"
        "real = main.Application.show_shell\n"
        "def show_shell(self):\n"
        "    real(self)\n"
        "    loaded = [m for m in ('sqlalchemy', 'app.db.models', 'app.services.container')\n"
        "              if m in sys.modules]\n"
        "    seen.append((loaded, self.window.is_shell(), self.window.isVisible()))\n"
        "main.Application.show_shell = show_shell\n"
        "def said(what):\n"
        "    print(what, seen, 'home' if main_window().current_key() == 'home' else '',\n"
        "          not main_window().is_shell(), file=sys.stderr, flush=True)\n"
        "windows = []\n"
        "real_new = main.Application._new_window\n"
        "def new_window(self, services):\n"
        "    windows.append(real_new(self, services))\n"
        "    return windows[-1]\n"
        "main.Application._new_window = new_window\n"
        "def main_window():\n"
        "    return windows[-1]\n"
        "main._say_after = said\n"
        "sys.exit(main.run([]))\n"
    )
    env = {**os.environ, "TEIXIT_QUIT_WHEN_READY": "1", "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stderr.splitlines() if line.endswith(("True", "False"))]
    assert lines == [
        "shell-after [([], True, True)] home False",
        "ready-after [([], True, True)] home True",
    ], out.stderr


def test_a_bug_while_the_data_opens_is_reported_and_teixit_ends() -> None:
    """A bug met while the data opens behind the shell is shown as an unexpected error, and
    Teixit ends with a failure instead of staying on an empty shell."""
    import os
    import subprocess
    import sys

    _seed()
    code = (
        "import sys\n"
        "from ui import main\n"
        "class Told(main.QtPrompts):\n"
        "    def unexpected(self, parent, title, text, details):\n"
        "        print('unexpected', details.strip().splitlines()[-1], file=sys.stderr,\n"
        "              flush=True)\n"
        "main.QtPrompts = Told\n"
        "def broken(self):\n"
        "    raise RuntimeError('broken opening')\n"
        "main.Application.open_data = broken\n"
        "sys.exit(main.run([]))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("TEIXIT_QUIT_WHEN_READY", None)
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1, out.stderr
    assert "unexpected RuntimeError" in out.stderr, out.stderr


def test_data_protection_suggestions_fill_both_language_versions(
    qtbot: QtBot, application: Application
) -> None:
    """A bilingual notice: the suggestion goes in the entity's language and beside it in the
    other one, each in its own words; a version already written is kept."""
    from app.domain.texts import translation

    window = _window(qtbot, application)
    window.go_to("settings")
    page: Any = window.page("settings")
    page.tabs.setCurrentIndex(1)
    purpose = page.pairs["privacy_purpose"]
    assert (purpose.main_lang, purpose.other_lang) == ("ca", "es")
    assert purpose.other.placeholderText().startswith("Organizar las actividades")
    recipients = page.pairs["privacy_recipients"]
    recipients.other.setFocus()
    qtbot.keyClicks(recipients.other, "Nadie")
    qtbot.mouseClick(page.suggest_button, Qt.MouseButton.LeftButton)
    assert purpose.main.toPlainText().startswith("Organitzar les activitats")
    assert purpose.other_text().startswith("Organizar las actividades")
    assert recipients.other_text() == "Nadie"  # kept
    controller = page.pairs["privacy_controller"].other_text()
    assert "Casal de Prova" in controller and "domicilio" in controller
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    profile = window.services.profile.get()
    assert profile is not None
    assert profile.privacy_purpose.startswith("Organitzar les activitats")
    es = translation(profile.translations, "privacy_purpose", "es")
    assert es.startswith("Organizar las actividades")
    assert translation(profile.translations, "privacy_recipients", "es") == "Nadie"
    assert "APDCAT" in translation(profile.translations, "privacy_rights_contact", "es")


def test_the_shortcuts_list_names_the_guides_search(qtbot: QtBot) -> None:
    from ui.dialogs.shortcuts_dialog import ShortcutsDialog

    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    rows = [
        (dialog.table.item(r, 0).text() if dialog.table.item(r, 0) else "",
         dialog.table.item(r, 1).text() if dialog.table.item(r, 1) else "")
        for r in range(dialog.table.rowCount())
    ]  # fmt: skip
    guide = rows.index(("A la guia d'ús (F1)", ""))  # a section's title spans the row
    keys, text = rows[guide + 1]
    assert "Ctrl+F" in keys and text.startswith("Cerca a la guia")
