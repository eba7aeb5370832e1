"""The window as a person uses it: start-up, navigation, language switch, welcome dialog."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from app import i18n, paths
from app.db.engine import open_database
from app.db.lock import WINDOW, InstanceLock
from app.domain.profile import EntityProfileDTO
from app.services.profile import ProfileService
from tests.support.templates import DatabaseTemplates, new_database
from ui import main as ui_main
from ui.dialogs.welcome_dialog import WelcomeDialog
from ui.main import Application
from ui.main_window import AREAS
from ui.settings import Preferences


def _seed_profile(name: str = "Associació de Prova") -> None:
    db = open_database(new_database(paths.db_path()))
    ProfileService(db).save(EntityProfileDTO(id="", name=name))
    db.close()


def _handle_welcome(action) -> None:  # type: ignore[no-untyped-def]
    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, WelcomeDialog):
            action(dialog)
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def test_navigation_by_click_and_shortcut(qtbot: QtBot, application: Application) -> None:
    _seed_profile()
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    assert window.current_key() == "home"
    window.nav.setCurrentRow(AREAS.index("people"))
    assert window.current_key() == "people"
    qtbot.keyClick(window.nav, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "settings"
    qtbot.keyClick(window.nav, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "home"
    assert window.status_entity.text() == "Associació de Prova"


def test_language_switches_live_and_is_kept(
    qtbot: QtBot, application: Application, prefs: Preferences
) -> None:
    _seed_profile()
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    titles_ca = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert "Configuració" in titles_ca
    window.language_actions["es"].trigger()
    QApplication.processEvents()
    titles_es = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert "Configuración" in titles_es and "Personas" in titles_es
    assert window.file_menu.title() == "&Archivo"
    assert prefs.language == "es"
    settings = window.page("settings")
    assert settings.save_button.text() == "&Guardar"  # type: ignore[attr-defined]
    # Qt's own strings follow too (standard buttons come from Qt's catalogue)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancelar"


def test_first_run_follows_system_language(
    monkeypatch: pytest.MonkeyPatch, application: Application
) -> None:
    _seed_profile()
    monkeypatch.setenv("LANGUAGE", "es_ES:en")
    assert application.start()
    assert i18n.current_language() == "es"


def test_welcome_start_empty_saves_the_entity(qtbot: QtBot, application: Application) -> None:
    def fill(dialog: WelcomeDialog) -> None:
        qtbot.mouseClick(dialog.empty_choice, Qt.MouseButton.LeftButton)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # no name: refused
        assert dialog.isVisible() and dialog.name_error.isVisible()
        qtbot.keyClicks(dialog.name_edit, "Casal Popular de Badal")
        qtbot.mouseClick(dialog.encrypt_box, Qt.MouseButton.LeftButton)  # not encrypted
        dialog.language_combo.setCurrentIndex(1)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    _handle_welcome(fill)
    assert application.start("ca")
    assert application.window is not None
    profile = application.window.services.profile.get()
    assert profile is not None
    assert profile.name == "Casal Popular de Badal" and profile.default_lang == "es"
    assert i18n.current_language() == "es"  # the dialog switched the interface live


def test_welcome_cancel_quits_without_writing_a_profile(
    qtbot: QtBot, application: Application
) -> None:
    _handle_welcome(lambda d: d.reject())
    assert not application.start("ca")
    db = open_database(paths.db_path())
    assert ProfileService(db).is_empty()
    db.close()


def test_second_instance_is_told_and_stops(application: Application, prompts) -> None:  # type: ignore[no-untyped-def]
    _seed_profile()
    with InstanceLock(paths.db_path(), WINDOW):
        assert not application.start("es")
    kind, title, text = prompts.shown[-1]
    assert kind == "error" and title == "Teixit no se puede iniciar"
    assert "ya está abierto" in text and "otra ventana" in text


def test_foreign_file_is_told_and_left_alone(application: Application, prompts) -> None:  # type: ignore[no-untyped-def]
    path = paths.db_path()
    path.parent.mkdir(parents=True)
    path.write_text("not a database")
    assert not application.start("ca")
    assert "no és una base de dades de Teixit" in prompts.shown[-1][2]
    assert path.read_text() == "not a database"


def test_settings_page_saves_profile_with_validation(
    qtbot: QtBot, application: Application
) -> None:
    _seed_profile()
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    window.go_to("settings")
    page = window.page("settings")
    page.name_edit.clear()  # type: ignore[attr-defined]
    page.save()  # type: ignore[attr-defined]
    assert page.errors["name"].text() == "L'entitat necessita un nom."  # type: ignore[attr-defined]
    qtbot.keyClicks(page.name_edit, "Associacio Nova")  # QTest types ASCII only  # type: ignore[attr-defined]
    page.region_combo.setCurrentIndex(1)  # type: ignore[attr-defined]
    page.save()  # type: ignore[attr-defined]
    profile = window.services.profile.get()
    assert profile is not None and profile.name == "Associacio Nova" and profile.region == "VC"
    assert window.status_entity.text() == "Associacio Nova"


def test_team_places_and_funders_are_edited_in_settings(
    qtbot: QtBot, application: Application, prompts
) -> None:  # type: ignore[no-untyped-def]
    _seed_profile()
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    window.go_to("settings")
    from ui.widgets.reference_lists import ReferenceLists

    lists = window.findChild(ReferenceLists)
    staff = lists.editors[0]
    staff.save()  # empty name: refused next to the form
    assert staff.error.text() == "Escriviu el nom de la persona."
    qtbot.keyClicks(staff.inputs["name"], "Laia Puig")
    qtbot.keyClicks(staff.inputs["role"], "Educadora social")
    qtbot.mouseClick(staff.save_button, Qt.MouseButton.LeftButton)
    assert [s.name for s in window.services.profile.staff()] == ["Laia Puig"]
    assert staff.table.item(0, 1).text() == "Educadora social"
    staff.table.selectRow(0)
    prompts.confirms.append(True)
    qtbot.mouseClick(staff.remove_button, Qt.MouseButton.LeftButton)
    assert window.services.profile.staff() == []
    places = lists.editors[1]
    qtbot.keyClicks(places.inputs["name"], "Casal de Barri de Sants")
    places.save()
    assert [p.name for p in window.services.profile.places()] == ["Casal de Barri de Sants"]


def test_welcome_with_demo_data_fills_the_database(qtbot: QtBot, application: Application) -> None:
    def choose_demo(dialog: WelcomeDialog) -> None:
        assert dialog.demo_choice.isChecked()  # the default
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    _handle_welcome(choose_demo)
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    profile = window.services.profile.get()
    assert profile is not None and profile.name == "Associació Sants Acció Comunitària"
    assert len(window.services.profile.staff()) >= 5
    assert window.status_entity.text() == profile.name


def test_damaged_database_offers_the_latest_backup(application: Application, prompts) -> None:  # type: ignore[no-untyped-def]
    from app.services.backups import BackupService

    _seed_profile("Entitat de la còpia")
    BackupService(paths.db_path(), paths.backups_dir()).backup_now("auto")
    damaged = bytearray(paths.db_path().read_bytes())
    damaged[4096:8192] = b"\xff" * 4096
    paths.db_path().write_bytes(bytes(damaged))
    prompts.confirms.append(True)
    assert application.start("ca")
    assert prompts.shown[0][0] == "confirm" and "malmesa" in prompts.shown[0][2]
    assert application.window is not None
    profile = application.window.services.profile.get()
    assert profile is not None and profile.name == "Entitat de la còpia"
    # the damaged file was kept aside, not lost
    kept = [p for p in paths.backups_dir().iterdir() if p.read_bytes() == bytes(damaged)]
    assert kept


def test_backups_on_open_and_on_close(
    qtbot: QtBot, application: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The delay is what is checked, not its length: a short one keeps the test quick and leaves
    # a loaded machine the whole wait below.
    monkeypatch.setattr(ui_main, "BACKUP_DELAY_MS", 200)
    _seed_profile()
    assert application.start("ca")
    assert application.window is not None
    assert not paths.backups_dir().exists()  # nothing slows the start: it comes a bit later
    qtbot.waitUntil(lambda: application._backup_job is not None, timeout=8000)
    application.wait_for_backup()
    daily = list(paths.backups_dir().glob("teixit-auto-*"))
    assert len(daily) == 1
    time.sleep(1.1)  # backups are named by the second
    application.window.close()
    after = list(paths.backups_dir().glob("teixit-auto-*"))
    # rotation keeps one automatic backup a day: the one taken on closing
    assert len(after) == 1 and after != daily
    assert application.lock is None  # released after the closing backup


def test_documents_are_made_ready_in_the_background_once_the_window_is_up(
    qtbot: QtBot,
    application: Application,
    monkeypatch: pytest.MonkeyPatch,
    db_templates: DatabaseTemplates,
) -> None:
    """The first sheet printed after start would wait for ReportLab and the fonts: the window
    has them prepared off its thread a moment after it shows, and nothing is logged."""
    import threading

    from app.services.audit import AuditService
    from app.services.sheets import SheetService

    monkeypatch.setattr(ui_main, "WARM_UP_DELAY_MS", 100)
    warmed: list[bool] = []
    warm_up = SheetService.warm_up

    def spy(service: SheetService) -> None:
        warm_up(service)
        warmed.append(threading.current_thread() is threading.main_thread())

    monkeypatch.setattr(SheetService, "warm_up", spy)
    db_templates.place(db_templates.demo())
    assert application.start("ca")
    window = application.window
    assert window is not None and warmed == []  # not before the window is up
    qtbot.waitUntil(lambda: warmed != [], timeout=30000)
    assert warmed == [False]  # off the window's thread
    assert AuditService(window.services.db).recent(action="print") == []


#: The per-language window checks: one language in the default run, the others with the slow
#: tests (.ci/run runs both).
LANGUAGES = [
    pytest.param("ca", marks=pytest.mark.slow),
    "es",
    pytest.param("ca-valencia", marks=pytest.mark.slow),
]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_fits_a_small_screen_in_both_languages(
    qtbot: QtBot, application: Application, lang: str, db_templates: DatabaseTemplates
) -> None:
    db_templates.place(db_templates.demo())
    assert application.start(lang)
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    for key in AREAS:
        window.go_to(key)
        QApplication.processEvents()
        hint = window.minimumSizeHint()
        assert hint.width() <= 1024 and hint.height() <= 700, (key, hint)


def _dialogs(window):  # type: ignore[no-untyped-def]
    """Every dialog of the window, on the demo's longest names: (name, dialog)."""
    import datetime as dt

    from app.domain.sessions import SessionFilter
    from ui.dialogs import sheet_dialog
    from ui.dialogs.attendance_dialog import AttendanceDialog
    from ui.dialogs.attendance_import_dialog import AttendanceImportDialog
    from ui.dialogs.backups_dialog import BackupsDialog
    from ui.dialogs.import_wizard import ImportWizard
    from ui.dialogs.meeting_dialog import MeetingDialog
    from ui.dialogs.merge_dialog import MergeDialog
    from ui.dialogs.purge_dialog import PurgeDialog
    from ui.dialogs.quick_person_dialog import QuickPersonDialog
    from ui.dialogs.register_dialog import RegisterDialog
    from ui.dialogs.report_dialog import ReportDialog
    from ui.dialogs.series_dialog import SeriesDialog
    from ui.dialogs.session_dialog import SessionDialog
    from ui.dialogs.shortcuts_dialog import ShortcutsDialog
    from ui.dialogs.welcome_dialog import WelcomeDialog

    s, bus, prompts = window.services, window.bus, window.prompts
    sessions = s.sessions.find(SessionFilter(date_from=dt.date(2000, 1, 1)))
    longest = max(sessions, key=lambda x: len(x.activity_name) + len(x.place_name))
    person = s.people.search("a", limit=1)[0]
    space = s.networks.spaces()[0]
    meetings = s.networks.meetings(space.id)
    yield "attendance", AttendanceDialog(s, bus, prompts, longest.id or "", window)
    yield "session", SessionDialog(s, prompts, longest, parent=window)
    yield "new session", SessionDialog(s, prompts, None, parent=window)
    yield "series", SeriesDialog(s, prompts, longest.activity_id, window)
    yield "quick person", QuickPersonDialog(s, prompts, "Nova Persona", window)
    yield "merge", MergeDialog(s, prompts, person.id, window)
    yield "purge", PurgeDialog(s, prompts, window)
    yield "register", RegisterDialog(s, bus, prompts, longest.activity_id, window)
    yield "report", ReportDialog(s, prompts, None, window)
    yield "sheet", sheet_dialog.for_session(s.sheets, longest.id or "", prompts, window)
    yield "blank sheet", sheet_dialog.for_blank(s.sheets, prompts, parent=window)
    yield "meeting", MeetingDialog(s, bus, prompts, space.id, meetings[0].id, window)
    yield "new meeting", MeetingDialog(s, bus, prompts, space.id, None, window)
    yield "shortcuts", ShortcutsDialog(window)
    from ui.dialogs.help_window import HelpWindow

    guide = HelpWindow(window)
    guide.show_section("settings")
    yield "user guide", guide
    yield "welcome", WelcomeDialog(prompts)
    yield "backups", BackupsDialog(s.backups, prompts, lambda: None, lambda: None, window)
    yield "import people", ImportWizard(s.people_import, prompts, window)
    activities = [(a.id, a.label()) for a in s.programmes.activities()]
    yield "import attendance", AttendanceImportDialog(
        s.attendance_import, prompts, activities=activities, parent=window
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_dialog_and_every_page_visited_fit_1024_by_700(
    qtbot: QtBot,
    application: Application,
    lang: str,
    tmp_path_factory: pytest.TempPathFactory,
    db_templates: DatabaseTemplates,
) -> None:
    """A 1024x700 screen: the window's minimum stays within it after visiting every page (a
    wide page must not widen the window for good), and so does every dialog, opened on the
    demo's longest names. The screenshots are kept in the test's temporary folder."""
    shots = tmp_path_factory.mktemp(f"screens-{lang}")
    db_templates.place(db_templates.demo())
    assert application.start(lang)
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    for key in AREAS:
        window.go_to(key)
        QApplication.processEvents()
        window.resize(1024, 700)
        QApplication.processEvents()
        window.grab().save(str(shots / f"page-{key}.png"))
    hint = window.minimumSizeHint()
    too_big = []
    if hint.width() > 1024 or hint.height() > 700:
        too_big.append(("window after every page", hint.width(), hint.height()))
    for name, dialog in _dialogs(window):
        dialog.show()
        QApplication.processEvents()
        if hasattr(dialog, "page_count"):  # a sheet: its preview, built in the background
            qtbot.waitUntil(lambda d=dialog: d.page_count > 0, timeout=15000)
        minimum, size = dialog.minimumSizeHint(), dialog.size()
        width, height = max(minimum.width(), size.width()), max(minimum.height(), size.height())
        dialog.grab().save(str(shots / f"dialog-{name.replace(' ', '-')}.png"))
        if width > 1024 or height > 700:
            too_big.append((name, width, height))
        dialog.hide()
        dialog.deleteLater()
    assert too_big == []
