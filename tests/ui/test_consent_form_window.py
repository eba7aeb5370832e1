"""People > Consents: the person's consent form to sign, and File > Blank consent form, saved
as PDFs from the window (the person's print is audited)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.people import PersonDTO
from app.domain.profile import EntityProfileDTO
from app.services.container import Services
from tests.support.fake_prompts import FakePrompts
from ui.events import DataBus
from ui.main import build_pages
from ui.main_window import MainWindow
from ui.pages.people_page import PeoplePage


def _text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)


def test_the_consent_forms_from_the_people_page(
    qtbot: QtBot, services: Services, prompts: FakePrompts, tmp_path: Path
) -> None:
    services.profile.save(EntityProfileDTO(id="", name="Casal de Sants", default_lang="ca"))
    saved, _c = services.people.save(PersonDTO("Amina", "Benali", birth_year=1990))
    page = PeoplePage(services, DataBus(), prompts)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.loading())
    page._select_row(saved.id or "")
    page._show(saved.id or "")
    page.tabs.setCurrentIndex(1)
    assert page.consent_form_button.isVisible() and page.consent_form_button.isEnabled()

    mine = tmp_path / "amina.pdf"
    prompts.files.append(str(mine))
    qtbot.mouseClick(page.consent_form_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(mine.exists)
    text = _text(mine)
    assert "Full de consentiment" in text and "Amina Benali" in text
    assert "Signatura de la persona" in text
    assert prompts.shown[-1].kind == "info" and str(mine) in prompts.shown[-1].text
    assert [e.label for e in services.audit.recent(action="print")] == ["Amina Benali"]

    bus = DataBus()
    window = MainWindow(services, bus, prompts, build_pages(services, bus, prompts))  # type: ignore[arg-type]
    qtbot.addWidget(window)
    assert window.act_blank_consent in window.file_menu.actions()
    assert window.act_blank_consent.text() == "Full de &consentiment en blanc…"
    blank = tmp_path / "blank.pdf"
    prompts.files.append(str(blank))
    window.act_blank_consent.trigger()
    qtbot.waitUntil(blank.exists)
    assert "Amina" not in _text(blank) and "Full de consentiment" in _text(blank)
    assert len(services.audit.recent(action="print")) == 1
