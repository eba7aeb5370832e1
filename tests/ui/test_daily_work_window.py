"""The daily-work pages inside the real window, on the demo data: every page opens, shows data
and follows a live language switch."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QApplication

from app import i18n
from ui.main import Application
from ui.pages.people_page import PeoplePage
from ui.pages.programmes_page import ProgrammesPage
from ui.pages.sessions_page import SessionsPage
from ui.settings import Preferences


@pytest.fixture
def application(qtbot, prompts, tmp_path: Path, db_templates):  # type: ignore[no-untyped-def]
    db_templates.place(db_templates.demo())
    prefs = Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))
    app = Application(QApplication.instance(), prompts, prefs)  # type: ignore[arg-type]
    yield app
    QThreadPool.globalInstance().waitForDone(10000)
    if app.window is not None:
        app.window.close()
    app.stop()
    i18n.set_language("ca")


def test_pages_in_the_window(qtbot, application: Application) -> None:
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    pages = {}
    for key in ("home", "programmes", "sessions", "people"):
        window.go_to(key)
        pages[key] = window.stack.currentWidget()
    assert isinstance(pages["programmes"], ProgrammesPage)
    assert pages["programmes"].model.total() == 5
    assert isinstance(pages["sessions"], SessionsPage) and pages["sessions"].model.total() > 0
    people = pages["people"]
    assert isinstance(people, PeoplePage)
    qtbot.waitUntil(lambda: not people.loading())
    assert people.model.total() > 50
    application.set_language("es")  # LanguageChange events are posted: let them arrive
    qtbot.waitUntil(lambda: people.new_button.text() == "Nueva persona")
    assert pages["programmes"].tabs.tabText(2) == "Cifras"
    assert (
        pages["programmes"]
        .form.category.currentText()
        .startswith(("Prevención", "Mediación", "Intervención", "Promoción"))
    )
    assert pages["sessions"].tabs.tabText(1) == "Semana"


def test_closing_the_window_asks_about_a_programme_being_edited(
    qtbot, application: Application, prompts
) -> None:
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    window.go_to("programmes")
    page = window.stack.currentWidget()
    assert isinstance(page, ProgrammesPage)
    page.form.name.setText("")  # cannot be saved: the window must stay open
    prompts.confirms = [True]
    window.close()
    assert window.isVisible() and page.form.errors.message("name")
    page.form.name.setText("Nom nou")
    prompts.confirms = [True]
    window.close()
    assert not window.isVisible()
    assert "Nom nou" in [p.name for p in page.services.programmes.all()]
