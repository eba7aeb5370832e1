"""Purging erased people from the people page, as a user would."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.db.models import AuditEvent, Participant
from app.domain.data_protection import PURGED_NAME
from app.domain.people import PersonDTO
from app.services.container import Services
from ui.dialogs.purge_dialog import PurgeDialog
from ui.pages.people_page import PeoplePage
from ui.pages.settings_page import SettingsPage


def _people(services: Services) -> list[str]:
    ids = []
    for name in ("Aina", "Bilal", "Carme"):
        dto, _c = services.people.save(PersonDTO(name, "Soler", email=f"{name}@example.org"))
        assert dto.id
        ids.append(dto.id)
    services.people.erase(ids[0])
    services.people.erase(ids[1])
    with services.db.begin() as s:
        p = s.get(Participant, ids[0])
        assert p is not None and p.blocked_at is not None
        p.blocked_at -= dt.timedelta(days=45)
    return ids


def _given(services: Services, ids: list[str]) -> list[str]:
    return [services.people.get(pid).given_name for pid in ids]


def test_purge_from_settings_data_protection(qtbot, services: Services, bus, prompts) -> None:
    """Purging acts on everyone: it is in Settings > Data protection, not beside one person's
    Merge and Erase on the People page."""
    ids = _people(services)
    people = PeoplePage(services, bus, prompts)
    qtbot.addWidget(people)
    assert not hasattr(people, "purge_button")
    page = SettingsPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentIndex(1)
    assert page.purge_button.isVisible()
    seen: list[object] = []
    bus.changed.connect(lambda changes, _initiator: seen.append(changes))
    qtbot.mouseClick(page.purge_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, PurgeDialog)
    # Erased at least 30 days ago (the default): only the first; nobody is named.
    assert dialog.table.rowCount() == 1
    cells = [dialog.table.item(0, c).text() for c in range(2)]
    assert not any("Aina" in c or "Bilal" in c for c in cells)
    dialog.all_erased.setChecked(True)
    assert dialog.table.rowCount() == 2 and dialog.purge_button.isEnabled()

    prompts.confirms = [False]  # the user thinks again: nothing happens
    qtbot.mouseClick(dialog.purge_button, Qt.MouseButton.LeftButton)
    assert _given(services, ids) == ["Aina", "Bilal", "Carme"]
    assert prompts.shown[-1][0] == "confirm" and "2" in prompts.shown[-1][2]

    prompts.confirms = [True]
    qtbot.mouseClick(dialog.purge_button, Qt.MouseButton.LeftButton)
    assert _given(services, ids) == [PURGED_NAME, PURGED_NAME, "Carme"]
    assert prompts.shown[-1][0] == "info"
    assert not dialog.isVisible() and seen
    with services.db.read() as s:
        [event] = s.scalars(select(AuditEvent).where(AuditEvent.action == "purge"))
    assert "Aina" not in (event.details or "") + (event.subject or "")
    # Nothing left to purge: the button says so and is off.
    again = PurgeDialog(services, prompts)
    qtbot.addWidget(again)
    again.all_erased.setChecked(True)
    assert again.table.rowCount() == 0 and not again.purge_button.isEnabled()
