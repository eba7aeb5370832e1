"""Every language list comes from app.i18n.LANGUAGES: adding a language adds it everywhere."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox

from app import i18n
from app.services.container import Services
from tests.support.fake_prompts import FakePrompts
from ui.dialogs.report_dialog import ReportDialog
from ui.dialogs.sheet_dialog import for_blank
from ui.dialogs.welcome_dialog import WelcomeDialog
from ui.events import DataBus
from ui.main import build_pages
from ui.main_window import MainWindow
from ui.pages.settings_page import SettingsPage
from ui.widgets.space_panel import SpacePanel


def _items(combo: QComboBox) -> dict[str, str]:
    return {combo.itemData(i): combo.itemText(i) for i in range(combo.count())}


def test_the_document_languages_derive_from_the_languages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert (
        i18n.document_languages()
        == ("ca", "es", "ca-valencia", "ca+es", "ca-valencia+es")
        == i18n.DOCUMENT_LANGUAGES
    )
    assert i18n.translator("ca-valencia+es").languages == ("ca-valencia", "es")
    monkeypatch.setattr(i18n, "LANGUAGES", ("ca", "es", "oc"))
    assert i18n.document_languages() == ("ca", "es", "oc", "ca+es", "ca+oc")
    assert i18n.translator("ca+oc").languages == ("ca", "oc")


def test_today_the_lists_name_catalan_spanish_valencian_and_both(
    qtbot: Any, services: Services
) -> None:
    panel = SpacePanel(services)
    qtbot.addWidget(panel)
    assert _items(panel.minutes_lang) == {
        "ca": "Català",
        "es": "Castellà",
        "ca-valencia": "Valencià",
        "ca+es": "Català i castellà",
        "ca-valencia+es": "Valencià i castellà",
    }
    i18n.set_language("es")
    panel.retranslate_ui()
    assert _items(panel.minutes_lang)["ca+es"] == "Catalán y castellano"
    assert _items(panel.minutes_lang)["ca-valencia+es"] == "Valenciano y castellano"


def test_the_interface_speaks_valencian_from_the_menu(
    qtbot: Any, services: Services, prompts: FakePrompts
) -> None:
    bus = DataBus()
    window = MainWindow(services, bus, prompts, build_pages(services, bus, prompts))  # type: ignore[arg-type]
    qtbot.addWidget(window)
    assert {a.text() for a in window.language_menu.actions()} == {
        "Català",
        "Castellano",
        "Valencià",
    }
    with qtbot.waitSignal(window.language_requested) as chosen:
        window.language_actions["ca-valencia"].trigger()
    assert chosen.args == ["ca-valencia"]
    i18n.set_language("ca-valencia")
    assert i18n._("Save") == "Guarda"
    assert i18n._("Delete") == "Suprimix"
    assert i18n._("Today, {date}").format(date="x") == "Hui, x"


def test_a_new_language_appears_in_every_language_list_and_menu(
    qtbot: Any, services: Services, prompts: FakePrompts, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(i18n, "LANGUAGES", ("ca", "es", "oc"))
    documents = {"ca", "es", "oc", "ca+es", "ca+oc"}

    report = ReportDialog(services, prompts)
    qtbot.addWidget(report)
    sheet = for_blank(services.sheets, prompts)
    qtbot.addWidget(sheet)
    qtbot.waitUntil(lambda: sheet.page_count >= 1)  # its preview is built in the background
    panel = SpacePanel(services)
    qtbot.addWidget(panel)
    for combo in (report.lang, sheet.lang, panel.minutes_lang):
        items = _items(combo)
        assert set(items) == documents
        assert items["oc"] == "occità"  # named by Babel until the catalogue has a name
        assert items["ca+oc"] == "Català i occità"

    bus = DataBus()
    window = MainWindow(services, bus, prompts, build_pages(services, bus, prompts))  # type: ignore[arg-type]
    qtbot.addWidget(window)
    menu = {a.text() for a in window.language_menu.actions()}
    assert menu == {"Català", "Castellano", "Occitan"}
    with qtbot.waitSignal(window.language_requested) as chosen:
        window.language_actions["oc"].trigger()
    assert chosen.args == ["oc"]

    settings = SettingsPage(services, DataBus(), prompts)
    qtbot.addWidget(settings)
    welcome = WelcomeDialog(prompts)
    qtbot.addWidget(welcome)
    for combo in (settings.language_combo, settings.doc_lang_combo, welcome.language_combo):
        assert _items(combo) == {"ca": "Català", "es": "Castellano", "oc": "Occitan"}
