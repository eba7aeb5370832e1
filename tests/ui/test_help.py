"""F1 opens the user guide shipped with Teixit, in the interface language, at the section about
the page on screen; it works offline (the guide is Markdown in resources/help)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import i18n, paths
from app.services.container import Services
from tests.support.fake_prompts import FakePrompts
from ui.dialogs.help_window import KEYS, guide_text
from ui.events import DataBus
from ui.main import build_pages
from ui.main_window import AREAS, MainWindow


def _window(qtbot: QtBot, services: Services, prompts: FakePrompts) -> MainWindow:
    bus = DataBus()
    window = MainWindow(services, bus, prompts, build_pages(services, bus, prompts))  # type: ignore[arg-type]
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the offscreen platform
@pytest.mark.parametrize(
    ("lang", "page", "heading", "words"),
    [
        ("ca", "sessions", "Sessions", "calendari local"),
        ("ca", "networks", "Xarxes", "Només les reunions fetes compten"),
        ("es", "sessions", "Sesiones", "calendario local"),
        ("es", "settings", "Configuración", "cita solo la AEPD"),
        ("ca-valencia", "home", "Inici", "sessions d'hui"),
    ],
)
def test_f1_on_a_page_opens_its_section_of_the_guide(
    qtbot: QtBot,
    services: Services,
    prompts: FakePrompts,
    lang: str,
    page: str,
    heading: str,
    words: str,
) -> None:
    i18n.set_language(lang)
    window = _window(qtbot, services, prompts)
    window.go_to(page)
    qtbot.keyClick(window.nav, Qt.Key.Key_F1)
    help_window: Any = window.help_window
    assert help_window is not None
    qtbot.waitUntil(help_window.isVisible)
    assert help_window.current_section() == page
    text = help_window.text.toPlainText()
    assert text.splitlines()[0] == heading
    assert words in " ".join(text.split())
    assert help_window.windowTitle() in ("Guia d'ús de Teixit", "Guía de uso de Teixit")

    # Another page, F1 again: the same window, at that page's section.
    window.go_to("reports")
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window.nav, Qt.Key.Key_F1)
    assert window.help_window is help_window and help_window.current_section() == "reports"
    # Choosing a section in its list shows it.
    help_window.sections.setCurrentRow(KEYS.index("attendance"))
    assert "Ctrl+" in help_window.text.toPlainText()


def test_every_page_has_its_section_in_every_language() -> None:
    for lang in i18n.LANGUAGES:
        for key in (*AREAS, "attendance"):
            assert paths.resource_path("help", lang, f"{key}.md").is_file(), (lang, key)
            assert guide_text(key, lang).startswith("# ")
    assert set(AREAS) <= set(KEYS)


def test_the_valencian_guide_uses_the_standard_forms() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("manage", paths.ROOT / "i18n" / "manage.py")
    assert spec and spec.loader
    manage = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(manage)
    terms = [t for t in manage.load_terminology() if t["en"] == "Valencian standard forms (AVL)"]
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="ca@valencia")
    for key in KEYS:
        catalog.add(key, guide_text(key, "ca-valencia"))
    assert manage.terminology_problems("ca-valencia", catalog, terms) == []


def test_f1_while_taking_attendance_opens_that_section(
    qtbot: QtBot, services: Services, prompts: FakePrompts
) -> None:
    import datetime as dt

    from app.domain.programmes import ActivityDTO, ProgrammeDTO
    from app.domain.sessions import SessionDTO
    from ui.dialogs.attendance_dialog import AttendanceDialog

    i18n.set_language("es")
    prog, _c = services.programmes.save(ProgrammeDTO(code="P", name="P", category="prevention"))
    act, _c = services.programmes.save_activity(ActivityDTO(programme_id=prog.id or "", name="T"))
    session, _c = services.sessions.save(SessionDTO(activity_id=act.id or "", date=dt.date.today()))
    dialog = AttendanceDialog(services, DataBus(), prompts, session.id or "")
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    qtbot.keyClick(dialog.table, Qt.Key.Key_F1)
    help_window: Any = dialog.help_window
    assert help_window is not None and help_window.current_section() == "attendance"
    assert help_window.text.toPlainText().startswith("Pasar lista")


def _help(qtbot: QtBot, lang: str) -> Any:
    from ui.dialogs.help_window import HelpWindow

    i18n.set_language(lang)
    window = HelpWindow()
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


@pytest.mark.parametrize("lang", ["ca", "es", "ca-valencia"])
def test_each_section_shows_its_picture_in_its_language(qtbot: QtBot, lang: str) -> None:
    import re

    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QImage, QPixmap, QTextDocument

    window = _help(qtbot, lang)
    for key in KEYS:
        if key == "team":  # nothing on screen to show: no picture
            continue
        window.show_section(key)
        names = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", guide_text(key, lang))
        assert names == [f"img/{key}-{lang}.png"], (lang, key)
        resource = window.text.document().resource(
            QTextDocument.ResourceType.ImageResource, QUrl(names[0])
        )
        image = resource.toImage() if isinstance(resource, QPixmap) else resource
        assert isinstance(image, QImage) and not image.isNull(), (lang, key)
        # Scaled to the text's width (no scroll bar sideways at the window's usual size).
        assert 400 <= image.width() <= 540 < window.text.viewport().width()
        assert paths.resource_path("help", names[0]).stat().st_size < 60_000  # kept light


def test_searching_the_guide_finds_the_sections_that_say_it(qtbot: QtBot) -> None:
    window = _help(qtbot, "ca")
    window.show_section("home")
    qtbot.keyClick(window.text, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, "contrasenya")
    # Only "Working as a team" speaks of passwords: it is shown, the word marked in it.
    visible = [KEYS[r] for r in range(len(KEYS)) if not window.sections.isRowHidden(r)]
    assert visible == ["team"] and window.current_section() == "team"
    assert window.text.toPlainText().startswith("Treballar en equip")
    marked = [s.cursor.selectedText() for s in window.text.extraSelections()]
    assert marked and all(m.lower() == "contrasenya" for m in marked)

    # Without accents: «proteccio» finds «Protecció»; Enter goes on to the next section.
    window.search.clear()
    qtbot.keyClicks(window.search, "proteccio dades")
    visible = [KEYS[r] for r in range(len(KEYS)) if not window.sections.isRowHidden(r)]
    assert "settings" in visible and "people" in visible and "economics" not in visible
    first = window.current_section()
    assert first == visible[0]
    assert "Protecció" in [s.cursor.selectedText() for s in window.text.extraSelections()]
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.current_section() == visible[1]

    # A word the guide does not have: it says so, and no section is left.
    window.search.clear()
    qtbot.keyClicks(window.search, "xilofon")
    assert window.no_match.isVisible() and "xilofon" in window.no_match.text()
    assert all(window.sections.isRowHidden(r) for r in range(len(KEYS)))
    window.search.clear()
    assert not window.no_match.isVisible()
    assert not any(window.sections.isRowHidden(r) for r in range(len(KEYS)))


def test_a_link_to_another_section_opens_it(qtbot: QtBot) -> None:
    from PySide6.QtGui import QTextCursor

    window = _help(qtbot, "es")
    window.show_section("home")
    document = window.text.document()
    block = document.begin()
    position = None
    while block.isValid() and position is None:
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().anchorHref() == "attendance.md":
                position = fragment.position() + 1
                break
            it += 1
        block = block.next()
    assert position is not None
    cursor = QTextCursor(document)
    cursor.setPosition(position)
    window.text.setTextCursor(cursor)
    window.text.ensureCursorVisible()
    point = window.text.cursorRect(cursor).center()
    qtbot.mouseClick(window.text.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.current_section() == "attendance"
    assert window.text.toPlainText().startswith("Pasar lista")


def test_the_guide_window_keeps_its_size(qtbot: QtBot, tmp_path: Any) -> None:
    from PySide6.QtCore import QSettings

    from ui.dialogs.help_window import HelpWindow, remember_size_in
    from ui.settings import Preferences

    prefs = Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))
    remember_size_in(prefs)
    try:
        first = _help(qtbot, "ca")
        first.resize(640, 470)
        qtbot.waitUntil(lambda: first.size().width() == 640)
        first.close()
        assert prefs.help_geometry is not None
        again = HelpWindow()
        qtbot.addWidget(again)
        assert (again.width(), again.height()) == (640, 470)
    finally:
        remember_size_in(None)
