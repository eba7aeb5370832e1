"""People written by another path (a spreadsheet import through the window's wizard) appear at
once in the People page that was already open: the search index follows every write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWizard
from pytestqt.qtbot import QtBot

from app.domain.people import PersonDTO
from app.services.container import Services
from ui.dialogs.import_wizard import ImportWizard
from ui.events import DataBus
from ui.main import build_pages
from ui.main_window import MainWindow
from ui.pages.people_page import PeoplePage

CSV = "Nom;Cognoms;Data naixement\r\nNúria;Martínez Pérez;3/7/1985\r\nJordi;Castañé;15/11/1990\r\n"


def _when_wizard(handle: Callable[[ImportWizard], None]) -> None:
    """Act on the wizard once it is shown (its exec() blocks the test otherwise)."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ImportWizard):
            handle(dialog)
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def _names(page: PeoplePage) -> list[str]:
    return [page.model.index(r, 0).data() for r in range(page.model.rowCount())]


def test_people_imported_from_a_spreadsheet_appear_in_the_open_people_page(
    qtbot: QtBot, services: Services, bus: DataBus, prompts: Any, tmp_path: Path
) -> None:
    services.people.save(PersonDTO("Aina", "Vidal"))
    window = MainWindow(services, bus, prompts, build_pages(services, bus, prompts))  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    window.go_to("people")
    page = window.page("people")
    assert isinstance(page, PeoplePage)
    qtbot.waitUntil(lambda: not page.loading())  # the search index is built now
    qtbot.keyClicks(page.search, "martinez")
    assert _names(page) == []

    path = tmp_path / "llista.csv"
    path.write_bytes(CSV.encode("cp1252"))
    prompts.files = [str(path)]
    finished: list[bool] = []

    def import_through(wizard: ImportWizard) -> None:
        next_button = wizard.button(QWizard.WizardButton.NextButton)
        qtbot.mouseClick(wizard.file_page.choose_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(wizard.file_page.isComplete)
        qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)  # the columns are guessed
        qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(wizard.review_page.isComplete)
        qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
        finish = wizard.button(QWizard.WizardButton.FinishButton)
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
        finished.append(True)

    _when_wizard(import_through)
    window.act_import_people.trigger()
    assert finished
    assert prompts.shown[-1][0] == "info"

    assert window.current_key() == "people"
    qtbot.waitUntil(lambda: not page.loading())
    # The text typed before the import still filters the list: the new person is in it.
    assert _names(page) == ["Núria Martínez Pérez"]
    page.search.clear()
    qtbot.keyClicks(page.search, "castane")
    assert _names(page) == ["Jordi Castañé"]
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.total() == 3)
