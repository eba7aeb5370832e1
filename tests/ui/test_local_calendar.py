"""Settings > Calendar: local holidays and school breaks typed by the entity are skipped by a
series of sessions and named in its preview; a Valencian entity's documents and notice."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import i18n
from app.domain.profile import EntityProfileDTO
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.services.container import Services
from tests.support.fake_prompts import FakePrompts
from ui.dialogs.series_dialog import SeriesDialog
from ui.events import DataBus
from ui.pages.settings_page import SettingsPage
from ui.widgets.local_calendar import LocalCalendarEditor


def _activity(services: Services) -> str:
    prog, _c = services.programmes.save(ProgrammeDTO(code="P", name="P", category="prevention"))
    act, _c = services.programmes.save_activity(
        ActivityDTO(programme_id=prog.id or "", name="Reforç escolar", start_time=dt.time(17))
    )
    return act.id or ""


def test_a_school_break_typed_in_settings_is_skipped_and_named_in_the_series_preview(
    qtbot: QtBot, services: Services, prompts: FakePrompts
) -> None:
    services.profile.save(EntityProfileDTO(id="", name="Casal", region="VC"))
    activity = _activity(services)
    editor = LocalCalendarEditor(services, DataBus(), prompts)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.keyClicks(editor.name_edit, "Vacances de Pasqua")
    editor.from_edit.setDate(QDate(2026, 3, 30))
    editor.to_edit.setDate(QDate(2026, 4, 3))
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("school_break"))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.table.rowCount() == 1)
    (day,) = services.profile.local_days()
    assert (day.name, day.date_from, day.date_to, day.kind) == (
        "Vacances de Pasqua",
        dt.date(2026, 3, 30),
        dt.date(2026, 4, 3),
        "school_break",
    )
    assert editor.table.item(0, 1).text() == "30/03/2026 – 03/04/2026"
    assert editor.table.item(0, 2).text() == "Vacances escolars"

    # A single day: the last day follows the first.
    qtbot.keyClicks(editor.name_edit, "Sant Vicent Ferrer")
    editor.from_edit.setDate(QDate(2026, 4, 13))
    qtbot.keyClick(editor.name_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.table.rowCount() == 2)
    assert services.profile.local_days()[1].date_to == dt.date(2026, 4, 13)

    dialog = SeriesDialog(services, prompts, activity)
    qtbot.addWidget(dialog)
    dialog.date_from.set_value(dt.date(2026, 3, 23))
    dialog.date_to.set_value(dt.date(2026, 4, 20))
    dialog.days[0].setChecked(True)  # Mondays
    dialog.days[2].setChecked(True)  # Wednesdays
    QApplication.processEvents()
    lines = [dialog.preview.item(i).text() for i in range(dialog.preview.count())]
    skipped = [line for line in lines if "Vacances de Pasqua" in line]
    assert len(skipped) == 2  # Monday 30 March and Wednesday 1 April
    assert any("Sant Vicent Ferrer" in line for line in lines)

    # Removing it from the calendar gives the days back.
    editor.table.selectRow(0)
    prompts.confirms.append(True)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.table.rowCount() == 1)
    assert [d.name for d in services.profile.local_days()] == ["Sant Vicent Ferrer"]


def test_choosing_the_valencian_community_makes_documents_valencian_and_names_the_aepd(
    qtbot: QtBot, services: Services, prompts: FakePrompts
) -> None:
    services.profile.save(EntityProfileDTO(id="", name="Casal de Benimaclet"))
    page = SettingsPage(services, DataBus(), prompts)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    assert page.doc_lang_combo.currentData() == "ca"
    assert "APDCAT" in page.privacy_edits["privacy_rights_contact"].placeholderText()
    page.region_combo.setCurrentIndex(page.region_combo.findData("VC"))
    page.region_combo.activated.emit(page.region_combo.currentIndex())
    assert page.doc_lang_combo.currentData() == "ca-valencia"
    notice = page.privacy_edits["privacy_rights_contact"].placeholderText()
    assert "AEPD" in notice and "APDCAT" not in notice
    page.fill_suggestions()
    page.save()
    qtbot.waitUntil(lambda: services.profile.get().default_lang == "ca-valencia")  # type: ignore[union-attr]
    saved = services.profile.get()
    assert saved is not None and saved.region == "VC"
    assert "APDCAT" not in saved.privacy_rights_contact and "AEPD" in saved.privacy_rights_contact

    # Spanish stays Spanish whatever the region.
    page.doc_lang_combo.setCurrentIndex(page.doc_lang_combo.findData("es"))
    page.region_combo.setCurrentIndex(page.region_combo.findData("CT"))
    page.region_combo.activated.emit(page.region_combo.currentIndex())
    assert page.doc_lang_combo.currentData() == "es"


def test_the_settings_speak_valencian(
    qtbot: QtBot, services: Services, prompts: FakePrompts
) -> None:
    i18n.set_language("ca-valencia")
    page = SettingsPage(services, DataBus(), prompts)
    qtbot.addWidget(page)
    assert page.save_button.text() == "&Guarda"
    texts = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert "Protecció de dades" in texts


def test_barcelonas_local_holidays_come_from_the_holidays_package(
    qtbot: QtBot, services: Services, prompts: FakePrompts
) -> None:
    """Barcelona 2026: 25 May (Pasqua Granada) and 24 September (la Mercè), added once."""
    services.profile.save(EntityProfileDTO(id="", name="Casal de Sants"))
    editor = LocalCalendarEditor(services, DataBus(), prompts)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.known_row.isVisible()
    assert editor.municipality.currentData() == "Barcelona"
    editor.year.setValue(2026)
    qtbot.mouseClick(editor.add_known_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.table.rowCount() == 2)
    days = services.profile.local_days()
    assert [(d.date_from, d.kind) for d in days] == [
        (dt.date(2026, 5, 25), "holiday"),
        (dt.date(2026, 9, 24), "holiday"),
    ]
    assert "Mercè" in days[1].name
    assert editor.known_done.text() == "S'han afegit 2 festes locals."
    qtbot.mouseClick(editor.add_known_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.known_done.text() == "S'han afegit 0 festes locals.")
    assert len(services.profile.local_days()) == 2
