"""The report dialog's choices for a funder's form: the programme's own dates (calendar year and
quarters one click away), a band set for the funder, warnings said before printing, small
numbers on by default and targets pro-rated."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from app.services.container import Services
from tests.funder_dataset import PERIOD, build
from ui.dialogs.report_dialog import ReportDialog

D = dt.date


def open_dialog(qtbot: Any, services: Services, prompts: Any, ids: list[str]) -> ReportDialog:
    dialog = ReportDialog(services, prompts, ids, today=D(2026, 12, 6))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_period_defaults_to_the_programmes_dates(
    qtbot: Any, services: Services, prompts: Any
) -> None:
    ids = build(services.db)
    dialog = open_dialog(qtbot, services, prompts, [ids["aco"]])
    # A school-year programme: its own dates, not the calendar year.
    assert dialog.period_kind.currentData() == "programme"
    assert dialog.period() == PERIOD
    # The calendar year, one click away.
    dialog.year.setValue(2027)
    assert dialog.period_kind.currentData() == "year"
    assert dialog.period() == (D(2027, 1, 1), D(2027, 12, 31))
    # A quarter.
    dialog.period_kind.setCurrentIndex(dialog.period_kind.findData("quarter"))
    dialog.quarter.setCurrentIndex(dialog.quarter.findData(2))
    assert dialog.period() == (D(2027, 4, 1), D(2027, 6, 30))
    # A programme without dates: the calendar year.
    other = open_dialog(qtbot, services, prompts, [ids["bar"]])
    assert other.period_kind.currentData() == "year"
    assert other.period() == (D(2026, 1, 1), D(2026, 12, 31))
    dialog.reject()
    other.reject()


def test_band_set_for_the_funder_warnings_and_save(
    qtbot: Any, services: Services, prompts: Any, tmp_path: Path
) -> None:
    ids = build(services.db)
    dialog = open_dialog(qtbot, services, prompts, [ids["aco"]])
    assert dialog.small_numbers.isChecked()  # on by default: the report leaves the entity
    # Empty texts are warned about before printing (the general bands are built whole).
    empty_warning = dialog.warnings.text()
    assert empty_warning and len(empty_warning.splitlines()) == 1
    assert dialog.warnings.isVisibleTo(dialog)
    # A coordinator defines the Valencian youth law's bands for the funder.
    qtbot.mouseClick(dialog.new_band_set, Qt.MouseButton.LeftButton)
    band_dialog = dialog.band_set_dialog
    qtbot.keyClicks(band_dialog.name, "Formulari IVAJ")
    band_dialog.funder.setCurrentIndex(band_dialog.funder.findData(ids["funder"]))
    qtbot.keyClicks(band_dialog.bands, "12-18, 17-24")
    qtbot.mouseClick(band_dialog.save_button, Qt.MouseButton.LeftButton)
    assert "17-24" in band_dialog.error.text() and band_dialog.isVisible()
    band_dialog.bands.clear()
    qtbot.keyClicks(band_dialog.bands, "12-18, 19-24, 25-30")
    qtbot.mouseClick(band_dialog.save_button, Qt.MouseButton.LeftButton)
    assert not band_dialog.isVisible()
    assert dialog.current_band_set().name == "Formulari IVAJ"
    # Said before printing, with the share affected: 14 of ACO's 35 attendances.
    assert "14" in dialog.warnings.text() and "40 %" in dialog.warnings.text()
    # The funder's set is chosen again next time for a programme of that funder.
    again = open_dialog(qtbot, services, prompts, [ids["aco"]])
    assert again.current_band_set().name == "Formulari IVAJ"
    again.reject()

    # Typing a text removes the warning about empty texts.
    qtbot.keyClicks(dialog.texts["assessment"], "Bon curs.")
    assert empty_warning not in dialog.warnings.text()
    assert len(dialog.warnings.text().splitlines()) == 1

    # Saving asks first, before the file is chosen; declined, nothing is asked or written.
    prompts.confirms = [False]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [s.kind for s in prompts.shown] == ["confirm"]
    assert "40 %" in prompts.shown[-1].text
    assert not dialog.is_busy() and not list(tmp_path.glob("*.pdf"))
    # Accepted: the report with the funder's bands, small numbers hidden, targets pro-rated.
    qtbot.mouseClick(dialog.prorate, Qt.MouseButton.LeftButton)
    prompts.files.append(str(tmp_path / "memoria.pdf"))
    prompts.confirms = [True]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_busy() and dialog.last_result is not None, timeout=30000)
    out = json.loads((tmp_path / "memoria.json").read_text(encoding="utf-8"))
    assert out["age_bands"] == {
        "set": "Formulari IVAJ",
        "bands": ["12-18", "19-24", "25-30"],
        "not_buildable": {"0-17": 3, "18-24": 6, "30-44": 5},
        "not_buildable_share": round(14 / 35, 4),
    }
    assert out["small_numbers_hidden"] is True
    assert out["indicator_targets"] == "prorated"
    dialog.reject()
