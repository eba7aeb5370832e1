"""Both languages typed side by side, as a person would: the programme's form (name,
description, an indicator), an activity, the entity and its notice, a funder and the report's
texts end up in the database as their record's other-language versions; the report dialog and
the sheet dialog say which texts have none. And a kept invoice opens in the viewer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QPlainTextEdit

from app import temp_files
from app.domain.economics import ExpenseDraft
from app.services.container import Services
from tests.report_dataset import PERIOD, build
from tests.support.economic_rows import CIF, add_programme
from ui.dialogs.report_dialog import ReportDialog
from ui.dialogs.sheet_dialog import for_session
from ui.events import DataBus
from ui.pages.economics_page import EconomicsPage
from ui.pages.programmes_page import ProgrammesPage
from ui.pages.settings_page import SettingsPage
from ui.widgets.reference_lists import SPECS, ListEditor

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def type_text(widget: Any, text: str) -> None:
    """Accented letters as a keyboard types them (Qt's test keys know only ASCII)."""
    widget.setFocus()
    if isinstance(widget, QPlainTextEdit):
        widget.insertPlainText(text)
    else:
        widget.insert(text)


def test_a_programme_and_an_activity_typed_in_both_languages(
    qtbot: Any, services: Services, bus: Any, prompts: Any
) -> None:
    page = ProgrammesPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    form = page.form
    assert (form.name_pair.main_tag.text(), form.name_pair.other_tag.text()) == ("ca", "es")
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.code, "JOV")
    qtbot.keyClicks(form.name, "Joves del barri")
    type_text(form.name_pair.other, "Jóvenes del barrio")
    qtbot.keyClicks(form.description, "Per a joves.")
    type_text(form.description_pair.other, "Para jóvenes.")
    form.indirect.setValue(25)
    qtbot.mouseClick(form.add_indicator, Qt.MouseButton.LeftButton)
    form.indicators.item(0, form.COL_NAME).setText("Persones participants")
    form.indicators.item(0, form.COL_OTHER).setText("Personas participantes")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    [programme] = services.programmes.all()
    saved = services.programmes.get(programme.id)
    assert saved.name == "Joves del barri" and saved.description == "Per a joves."
    assert saved.translations == (
        ("description", "es", "Para jóvenes."),
        ("name", "es", "Jóvenes del barrio"),
    )
    assert saved.indirect_beneficiaries == 25
    assert saved.indicators[0].translations == (("name", "es", "Personas participantes"),)
    assert not page.has_unsaved_changes()  # what the form shows is what was saved

    page.tabs.setCurrentIndex(1)
    panel = page.activities
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(panel.name, "Taller de cuina")
    qtbot.keyClicks(panel.name_pair.other, "Taller de cocina")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    [activity] = services.programmes.activities(programme.id)
    assert activity.translations == (("name", "es", "Taller de cocina"),)
    # Shown again, the Spanish version is in its field; emptied, it is gone.
    page.select(programme.id)
    assert form.name_pair.other_text() == "Jóvenes del barrio"
    form.name_pair.other.clear()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert services.programmes.get(programme.id).translations == (
        ("description", "es", "Para jóvenes."),
    )


def test_the_entity_its_notice_and_a_funder_in_both_languages(
    qtbot: Any, services: Services, prompts: Any
) -> None:
    build(services.db)
    page = SettingsPage(services, DataBus(), prompts)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    name = page.pairs["name"]
    assert name.main.text() == "Associació Veïnal de Sants"
    type_text(name.other, "Asociación Vecinal de Sants")
    type_text(page.pairs["privacy_purpose"].other, "Gestión de las actividades.")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    profile = services.profile.get()
    assert profile is not None and profile.translations == (
        ("name", "es", "Asociación Vecinal de Sants"),
        ("privacy_purpose", "es", "Gestión de las actividades."),
    )
    assert profile.privacy_purpose == "Gestió de les activitats."

    spec = next(spec for spec in SPECS if spec.kind == "funder")
    funders = ListEditor(spec, services, DataBus(), prompts)
    qtbot.addWidget(funders)
    funders.show()
    funders.refresh()
    assert funders.pairs["name"].other_tag.text() == "es"
    funders.table.selectRow(0)
    qtbot.keyClicks(funders.pairs["name"].other, "Ayuntamiento de Barcelona")
    qtbot.mouseClick(funders.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: services.profile.funders()[0].translations != ())
    assert services.profile.funders()[0].translations == (
        ("name", "es", "Ayuntamiento de Barcelona"),
    )


def test_the_report_dialog_names_the_texts_with_no_version(
    qtbot: Any, services: Services, prompts: Any
) -> None:
    ids = build(services.db)
    dialog = ReportDialog(services, prompts, [ids["prog"]], today=PERIOD[1])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_period(*PERIOD)
    dialog.lang.setCurrentIndex(dialog.lang.findData("es"))
    qtbot.waitUntil(lambda: "castellà" in dialog.warnings.text())
    warning = dialog.warnings.text()
    # Nothing was typed in Spanish: every printed text is listed, the first six by name.
    assert warning.startswith("11 textos no tenen versió en castellà: l'entitat (nom); ")
    assert (
        "programa JOV (nom)" in warning
        and "; i 5 més. El document els imprimeix en català" in warning
    )

    # The assessment typed in both languages is kept with its Spanish version.
    qtbot.keyClicks(dialog.texts["assessment"], "Bon curs.")
    qtbot.keyClicks(dialog.text_pairs["assessment"].other, "Buen curso.")
    dialog.save_narratives()
    assert services.reports.narrative_translations(ids["prog"], *PERIOD) == (
        ("assessment", "es", "Buen curso."),
    )
    assert dialog.request().narrative_translations == (("assessment", "es", "Buen curso."),)
    dialog.lang.setCurrentIndex(dialog.lang.findData("ca"))
    qtbot.waitUntil(lambda: "castellà" not in dialog.warnings.text())
    dialog.reject()


def test_the_sheet_dialog_names_the_texts_with_no_version(
    qtbot: Any, services: Services, prompts: Any
) -> None:
    ids = build(services.db)
    dialog = for_session(services.sheets, ids["s1"], prompts)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.lang.setCurrentIndex(dialog.lang.findData("es"))
    dialog.refresh()
    assert dialog.texts_warning.isVisibleTo(dialog)
    assert "activitat Taller de costura (nom)" in dialog.texts_warning.text()
    dialog.lang.setCurrentIndex(dialog.lang.findData("ca"))
    dialog.refresh()
    assert not dialog.texts_warning.isVisibleTo(dialog)
    # The preview is built in the background: closed once it is there.
    qtbot.waitUntil(lambda: dialog.page_count > 0)
    dialog.accept()


def test_a_kept_invoice_opens_in_the_viewer(
    qtbot: Any,
    services: Services,
    bus: Any,
    prompts: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import datetime as dt

    pid, city, _province, _staff = add_programme(services.db)
    invoice = tmp_path / "factura.pdf"
    invoice.write_bytes(b"%PDF-1.4 an invoice")
    saved, _c = services.economics.save_expense(
        ExpenseDraft(
            programme_id=pid,
            issue_date=dt.date(2026, 4, 1),
            amount=10_000,
            line="activities",
            creditor="Papereria Sants",
            creditor_tax_id=CIF,
            document_number="A-1",
            shares={city: 10_000},
        ),
        [invoice],
    )
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(QUrl(url).toLocalFile()) or True
    )
    page = EconomicsPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    page.form.load(services.economics.expense(saved.id))
    page.form.files.setCurrentRow(0)
    qtbot.mouseClick(page.form.open_file_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1
    path = Path(opened[0])
    assert path.read_bytes() == b"%PDF-1.4 an invoice" and path in temp_files.registered()
    # No viewer: the private copy goes at once, and the person is told.
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    before = set(temp_files.registered())
    qtbot.mouseClick(page.form.open_file_button, Qt.MouseButton.LeftButton)
    assert set(temp_files.registered()) == before
    assert prompts.shown[-1].kind == "error" and "cap programa" in prompts.shown[-1].text
    temp_files.remove_all()
    assert not path.exists()
