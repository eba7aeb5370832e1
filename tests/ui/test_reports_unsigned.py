"""The Reports page lists the held sessions whose signed sheet was not kept, and writes the
evidence pack of the selected programme for the year."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from app.services.container import Services
from tests.scan.scan_files import scanned_and_typed
from ui.events import DataBus
from ui.pages.reports_page import ReportsPage


def test_held_sessions_without_a_signed_sheet_and_the_evidence_pack(
    qtbot: Any, services: Services, bus: DataBus, prompts: Any, tmp_path: Path
) -> None:
    scanned, typed = scanned_and_typed(services.db, tmp_path)
    page = ReportsPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.year.setValue(2026)
    assert page.unsigned.count() == 1
    item = page.unsigned.item(0)
    assert item.data(Qt.ItemDataRole.UserRole) == typed
    assert "Taller de costura" in item.text() and "10/11" in item.text()
    assert page.unsigned_count.text().startswith("1 sessió feta no té el full signat")
    # Another year: nothing held, nothing missing.
    page.year.setValue(2025)
    assert page.unsigned.count() == 0
    page.year.setValue(2026)
    prompts.files.append(str(tmp_path / "justificants"))  # the extension is added
    qtbot.mouseClick(page.evidence_button, Qt.MouseButton.LeftButton)
    with zipfile.ZipFile(tmp_path / "justificants.zip") as zf:
        names = zf.namelist()
    assert [n for n in names if n.startswith("fulls-signats/")][0].endswith(f"{scanned[:8]}.pdf")
    assert [n for n in names if n.startswith("extractes-del-registre/")][0].endswith(
        f"{typed[:8]}.pdf"
    )
    assert prompts.shown[-1].kind == "info" and "justificants.zip" in prompts.shown[-1].text


def test_the_report_dialog_says_which_held_sessions_have_no_signed_sheet(
    qtbot: Any, services: Services, bus: DataBus, prompts: Any, tmp_path: Path
) -> None:
    scanned, typed = scanned_and_typed(services.db, tmp_path)
    page = ReportsPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.period_kind.setCurrentIndex(dialog.period_kind.findData("year"))
    dialog.year.setValue(2026)
    # The same count as the Reports page, in one line; the list on request.
    page.year.setValue(2026)
    assert dialog.unsigned_line.text() == page.unsigned_count.text()
    assert dialog.unsigned_line.text().startswith("1 sessió feta no té el full signat")
    assert dialog.unsigned_list.isHidden() and dialog.unsigned_button.isEnabled()
    qtbot.mouseClick(dialog.unsigned_button, Qt.MouseButton.LeftButton)
    assert dialog.unsigned_list.isVisible() and dialog.unsigned_list.count() == 1
    item = dialog.unsigned_list.item(0)
    assert item.data(Qt.ItemDataRole.UserRole) == typed != scanned
    assert "10/11" in item.text() and "Taller de costura" in item.text()
    assert dialog.unsigned_button.text() == "Amaga les sessions"
    qtbot.mouseClick(dialog.unsigned_button, Qt.MouseButton.LeftButton)
    assert dialog.unsigned_list.isHidden()
    # A period with nothing held: nothing missing, nothing to show.
    dialog.year.setValue(2025)
    assert dialog.unsigned_line.text() == "Totes les sessions fetes tenen el full signat conservat."
    assert not dialog.unsigned_button.isEnabled() and dialog.unsigned_list.count() == 0
