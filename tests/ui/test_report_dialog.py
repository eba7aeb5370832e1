"""The reports page and the justification report dialog, driven as a user would."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pdfplumber
from PySide6.QtCore import Qt

from app.domain.report import ReportCancelled
from app.services.container import Services
from tests.report_dataset import EXPECTED, PERIOD, build
from ui.dialogs.report_dialog import ReportDialog
from ui.events import DataBus
from ui.pages.reports_page import ReportsPage


def open_dialog(qtbot: Any, services: Services, bus: DataBus, prompts: Any) -> ReportDialog:
    page = ReportsPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    assert page.programmes.count() == 2
    jov = next(
        i
        for i in range(page.programmes.count())
        if page.programmes.item(i).text().startswith("JOV")
    )
    page.programmes.setCurrentRow(jov)
    qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    dialog.page = page  # type: ignore[attr-defined]
    return dialog


def test_choose_programme_and_period_then_save(
    qtbot: Any, services: Services, bus: DataBus, prompts: Any, tmp_path: Path
) -> None:
    ids = build(services.db)
    dialog = open_dialog(qtbot, services, bus, prompts)
    assert dialog.selected_programmes() == (ids["prog"],)
    dialog.year.setValue(2026)  # calendar year is the default kind
    assert dialog.period() == PERIOD
    qtbot.keyClicks(dialog.texts["assessment"], "Un curs molt bo.")
    dialog.lang.setCurrentIndex(dialog.lang.findData("es"))
    prompts.files.append(str(tmp_path / "memoria.pdf"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_busy() and dialog.last_result is not None, timeout=30000)

    pdf, xlsx, js = (tmp_path / f"memoria.{ext}" for ext in ("pdf", "xlsx", "json"))
    assert pdf.exists() and xlsx.exists() and js.exists()
    figures = json.loads(js.read_text(encoding="utf-8"))
    for key, value in EXPECTED.items():
        assert figures[key] == value
    wb = openpyxl.load_workbook(xlsx)
    summary = {r[2]: r[1] for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert summary["participants"] == figures["participants"] == 4
    assert summary["attendances"] == figures["attendances"] == 16
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(p.extract_text() or "" for p in doc.pages)
    assert "Memoria de actuación" in text and "Un curs molt bo." in text
    # The texts are kept for this programme and period.
    assert services.reports.narratives(ids["prog"], *PERIOD)["assessment"] == "Un curs molt bo."
    assert "memoria.pdf" in dialog.status.text()
    dialog.reject()
    page = dialog.page  # type: ignore[attr-defined]
    assert page.recent.count() >= 1 and page.recent.item(0).data(Qt.ItemDataRole.UserRole) == str(
        pdf
    )


def test_texts_follow_programme_and_period(
    qtbot: Any, services: Services, bus: DataBus, prompts: Any
) -> None:
    ids = build(services.db)
    services.reports.save_narratives(ids["prog"], *PERIOD, {"difficulties": "Poc espai."})
    dialog = open_dialog(qtbot, services, bus, prompts)
    dialog.year.setValue(2025)
    assert dialog.texts["difficulties"].toPlainText() == ""
    dialog.year.setValue(2026)
    assert dialog.texts["difficulties"].toPlainText() == "Poc espai."
    dialog.set_programmes(None)  # the whole entity has its own texts
    assert dialog.texts["difficulties"].toPlainText() == ""
    dialog.reject()


def test_preview_renders_the_first_pages(
    qtbot: Any, services: Services, bus: DataBus, prompts: Any
) -> None:
    build(services.db)
    dialog = open_dialog(qtbot, services, bus, prompts)
    dialog.year.setValue(2026)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialog.preview_pages) == 3, timeout=30000)
    first = dialog.preview_pages[0]
    assert not first.pixmap().isNull() and first.pixmap().width() > 300
    # The whole page shows (scrolling), not a squeezed strip of it.
    qtbot.waitUntil(lambda: first.height() >= first.pixmap().height(), timeout=5000)
    dialog.reject()


def test_cancel_keeps_the_window_responsive(
    qtbot: Any, services: Services, bus: DataBus, prompts: Any, tmp_path: Path
) -> None:
    build(services.db)
    dialog = open_dialog(qtbot, services, bus, prompts)

    def slow_export(request: Any, files: Any, progress: Any, cancelled: Any) -> None:
        for step in range(1000):
            if cancelled():
                raise ReportCancelled()
            progress(step / 1000, "…")
            time.sleep(0.01)

    services.reports.export = slow_export  # type: ignore[method-assign]
    prompts.files.append(str(tmp_path / "slow.pdf"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=5000)
    assert dialog.cancel_button.isVisible() and not dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_busy() and dialog.save_button.isEnabled(), timeout=5000)
    qtbot.waitUntil(lambda: dialog.status.text() != "…", timeout=5000)
    assert not (tmp_path / "slow.pdf").exists()
    dialog.reject()


def test_no_programme_ticked_is_refused(
    qtbot: Any, services: Services, bus: DataBus, prompts: Any
) -> None:
    build(services.db)
    dialog = open_dialog(qtbot, services, bus, prompts)
    dialog.set_programmes([])
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert prompts.shown and prompts.shown[-1][0] == "error"
    assert not dialog.is_busy()
    dialog.reject()


def test_evidence_pack_button(
    qtbot: Any, services: Services, bus: DataBus, prompts: Any, tmp_path: Path
) -> None:
    build(services.db)
    dialog = open_dialog(qtbot, services, bus, prompts)
    dialog.year.setValue(2026)
    prompts.files.append(str(tmp_path / "pack"))  # the extension is added
    qtbot.mouseClick(dialog.evidence_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_busy() and dialog.last_result is not None, timeout=30000)
    with zipfile.ZipFile(tmp_path / "pack.zip") as zf:
        names = zf.namelist()
    assert names[0].endswith(".pdf") and len([n for n in names if "/" in n]) == 3
    assert "6" in dialog.status.text()  # report (3 files) and 3 sheets
    dialog.reject()
