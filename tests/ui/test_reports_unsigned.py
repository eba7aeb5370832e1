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
