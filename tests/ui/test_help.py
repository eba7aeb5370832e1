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
