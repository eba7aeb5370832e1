"""A minor's data-processing consent signed by themself: the message shows by the field."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from app.domain.people import PersonDTO
from app.services.container import Services
from ui.pages.people_page import PeoplePage


def test_minor_consent_must_be_signed_by_a_guardian(
    qtbot, services: Services, bus, prompts
) -> None:
    born = dt.date.today().replace(day=1) - dt.timedelta(days=365 * 9)
    kid, _c = services.people.save(PersonDTO("Nil", "Puig", birth_date=born, guardian_name="Rosa"))
    page = PeoplePage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.loading())
    page.list.setCurrentIndex(page.proxy.index(0, 0))
    assert page.person_id == kid.id
    page.tabs.setCurrentIndex(1)
    assert page.consent_signed_by.currentData() == "guardian"  # the default for minors
    page.consent_signed_by.setCurrentIndex(page.consent_signed_by.findData("self"))
    qtbot.mouseClick(page.consent_save, Qt.MouseButton.LeftButton)
    assert "14" in page.consent_errors.message("signed_by")
    assert services.people.consents(kid.id or "") == []
    assert not [m for m in prompts.shown if m[0] == "error"]  # shown by the field, not a box
    page.consent_signed_by.setCurrentIndex(page.consent_signed_by.findData("guardian"))
    qtbot.mouseClick(page.consent_save, Qt.MouseButton.LeftButton)
    assert page.consent_errors.message("signed_by") == ""
    assert services.people.consents(kid.id or "")[0].signed_by == "guardian"
