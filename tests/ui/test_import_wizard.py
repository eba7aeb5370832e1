"""The import wizard driven as a user would: a semicolon CSV in Windows-1252 -> columns ->
choices per row -> Import; the people are then in the database."""

import datetime as dt
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QWizard, QWizardPage
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app import temp_files
from app.db.engine import Database
from app.db.models import Participant
from app.services.people_import import PeopleImportService
from tests.support.fake_prompts import FakePrompts
from ui.dialogs.import_wizard import ImportWizard
from ui.main import install_handlers
from ui.models.import_plan_model import COL_CHOICE, COL_STATUS, ImportPlanModel

CSV = (
    "Llista del taller;;;;\r\n"
    ";;;;\r\n"
    "Nom;Cognoms;Data naixement;Gènere;DNI\r\n"
    "Núria;Martínez Pérez;3/7/1985;Dona;12345678Z\r\n"
    "Jordi;Castañé;15/11/1990;Home;\r\n"
    ";;;;\r\n"
    "Àlex;Roca;1/1/2000;Fluid;\r\n"
    "Pere;Vila;2/2/1970;H;12345678A\r\n"
    "Joan;Puig Soler;7/2/1958;H;\r\n"
)


def test_wizard_imports_people(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    with db.begin() as s:
        s.add(
            Participant(
                given_name="Joan", family_names="Puig Soler", birth_date=dt.date(1958, 2, 7)
            )
        )
    path = tmp_path / "llista.csv"
    path.write_bytes(CSV.encode("cp1252"))
    prompts = FakePrompts(files=[str(path)])
    wizard = ImportWizard(PeopleImportService(db), prompts)
    qtbot.addWidget(wizard)
    wizard.show()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()

    qtbot.mouseClick(wizard.file_page.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(wizard.file_page.isComplete)
    assert "5" in wizard.file_page.status.text()
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)

    page = wizard.mapping_page
    assert [c.currentData() for c in page.combos] == [
        "given_name", "family_names", "birth_date", "gender", "id_document"
    ]  # fmt: skip
    # The unknown gender word is mapped by the user.
    fluid = page.gender_combos["fluid"]
    assert fluid.currentData() == ""
    fluid.setCurrentIndex(fluid.findData("nonbinary"))
    assert page.gender_combos["h"].currentData() == "man"
    wizard.grab().save(str(tmp_path / "mapping.png"))
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)

    review = wizard.review_page
    qtbot.waitUntil(review.isComplete)
    model: ImportPlanModel = review.model
    rows = {model.plan_row(i).row: i for i in range(model.rowCount())}
    assert "12345678A" in model.index(rows[8], COL_STATUS).data()
    assert "ja és a la base de dades" in model.index(rows[9], COL_STATUS).data()
    # Complete the existing Joan instead of skipping him, through the view's combo editor.
    proxy_index = review.proxy.mapFromSource(model.index(rows[9], COL_CHOICE))
    review.view.edit(proxy_index)
    editor = review.view.indexWidget(proxy_index)
    assert isinstance(editor, QComboBox)
    editor.setCurrentIndex(editor.findData("merge"))
    review.view.commitData(editor)
    assert model.choices[9] == "merge"
    review.attention.setChecked(True)
    assert review.proxy.rowCount() == 2
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)

    assert "Persones noves per importar: 3" in wizard.summary_page.text.text()
    with db.read() as s:
        assert len(s.scalars(select(Participant)).all()) == 1  # nothing written yet
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)

    with db.read() as s:
        people = {p.given_name: p for p in s.scalars(select(Participant))}
    assert set(people) == {"Núria", "Jordi", "Àlex", "Joan"}
    assert people["Àlex"].gender == "nonbinary"
    assert prompts.shown[-1][0] == "info"
    assert not wizard.isVisible()


def test_wizard_shows_unreadable_file(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04 broken")
    wizard = ImportWizard(PeopleImportService(db), FakePrompts(files=[str(path)]))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.choose()
    qtbot.waitUntil(lambda: "Excel" in wizard.file_page.status.text())
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.wait_for_jobs()


def test_wizard_and_dialogs_switch_language_live(qtbot: QtBot, db: Database) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from app import i18n

    wizard = ImportWizard(PeopleImportService(db), FakePrompts())
    qtbot.addWidget(wizard)
    assert wizard.file_page.choose_button.text() == "Tria el fitxer…"
    i18n.set_language("es")
    for widget in (wizard, *wizard.findChildren(QWizardPage)):
        QApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))
    assert wizard.windowTitle() == "Importar personas de una hoja de cálculo"
    assert wizard.file_page.choose_button.text() == "Elegir el archivo…"
    assert wizard.review_page.title() == "Comprobación de las filas"


@pytest.mark.qt_no_exception_capture  # the test checks Teixit's own hook, not pytest-qt's
def test_a_bug_while_reading_the_file_is_reported_not_swallowed(
    qtbot: QtBot,
    qapp: QApplication,
    db: Database,
    tmp_path: Path,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A reader that fails in a way nobody expected reaches the unexpected-error hook with its
    traceback (logged, shown with copyable details), instead of a one-line status."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    path = tmp_path / "llista.csv"
    path.write_bytes(CSV.encode("cp1252"))
    prompts = FakePrompts(files=[str(path)])
    hook = install_handlers(qapp, prompts, lambda: None)
    try:
        importer = PeopleImportService(db)

        def read_the_columns(_path: Path) -> object:
            raise KeyError("column")

        monkeypatch.setattr(importer, "read", read_the_columns)
        wizard = ImportWizard(importer, prompts)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.file_page.choose()
        wizard.wait_for_jobs()
        qtbot.waitUntil(lambda: bool(prompts.shown))
    finally:
        hook.uninstall()
        qapp.aboutToQuit.disconnect(temp_files.remove_all)
    assert [shown.kind for shown in prompts.shown] == ["unexpected"]
    assert "in read_the_columns" in prompts.details[0]
    assert "read_the_columns" in (data_dir / "logs" / "teixit.log").read_text("utf-8")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
