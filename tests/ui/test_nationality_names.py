"""The person form names the nationality as a country in the interface language, never as its
two-letter code, and still stores the code."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app import i18n
from app.domain.people import PersonDTO
from app.services.container import Services
from ui.pages.people_page import PeoplePage


def _page(qtbot, services, bus, prompts) -> PeoplePage:
    page = PeoplePage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.loading())
    return page


def test_nationality_shows_the_country_name_and_stores_the_code(
    qtbot, services: Services, bus, prompts
) -> None:
    saved, _c = services.people.save(PersonDTO("Amina", "Benali", nationality="MA"))
    page = _page(qtbot, services, bus, prompts)
    page._select_row(saved.id)
    page._show(saved.id)
    assert page.form.nationality.currentText() == "Marroc"
    texts = [page.form.nationality.itemText(i) for i in range(page.form.nationality.count())]
    assert "MA" not in texts and "Equador" in texts and "Espanya" in texts

    try:
        i18n.set_language("es")
        page.retranslate_ui()
        assert page.form.nationality.currentText() == "Marruecos"
        # Choose another country by its Spanish name, as a person would, and save.
        page.form.nationality.setFocus()
        qtbot.keyClicks(page.form.nationality, "Ecuador")
        assert page.form.nationality.currentText() == "Ecuador"
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    finally:
        i18n.set_language("ca")
    assert services.people.get(saved.id).nationality == "EC"


def test_a_person_without_nationality_keeps_it_empty(
    qtbot, services: Services, bus, prompts
) -> None:
    page = _page(qtbot, services, bus, prompts)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert page.form.nationality.currentData() == ""
    qtbot.keyClicks(page.form.given_name, "Nil")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    [hit] = services.people.search("nil")
    assert services.people.get(hit.id).nationality == ""
