"""Every main list exports the rows as shown (filtered, in order) to XLSX or CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from sqlalchemy import select

from app.db.models import AuditEvent
from app.domain.people import PersonDTO
from app.services.container import Services
from ui.pages.people_page import PeoplePage
from ui.pages.programmes_page import ProgrammesPage


def test_people_list_exports_the_filtered_rows_and_is_audited(
    qtbot, services: Services, bus, prompts, tmp_path: Path
) -> None:
    services.people.save(PersonDTO("Núria", "Gel·labert Puig", phone="612345678"))
    services.people.save(PersonDTO("Àngel", "Abad"))
    services.people.save(PersonDTO("Pau", "Zamora"))
    page = PeoplePage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.loading())
    target = tmp_path / "persones"
    prompts.files.append(str(target))
    assert page.export_button.export("xlsx") == target.with_suffix(".xlsx")
    sheet = openpyxl.load_workbook(target.with_suffix(".xlsx")).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert names == ["Àngel Abad", "Núria Gel·labert Puig", "Pau Zamora"]  # family-name order
    qtbot.keyClicks(page.search, "zam")
    prompts.files.append(str(tmp_path / "filtrat.csv"))
    page.export_button.export("csv")
    with (tmp_path / "filtrat.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["Pau Zamora"]
    with services.db.read() as s:
        actions = s.scalars(select(AuditEvent.action)).all()
    assert actions.count("export") == 2  # personal data leaving Teixit is on record


def test_programmes_list_exports(qtbot, services: Services, bus, prompts, tmp_path: Path) -> None:
    from app.domain.programmes import ProgrammeDTO

    services.programmes.save(ProgrammeDTO(code="PREV", name="Prevenció", category="prevention"))
    page = ProgrammesPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    prompts.files.append(str(tmp_path / "programes.xlsx"))
    page.export_button.export("xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "programes.xlsx").active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "PREV" in values and "Prevenció" in values
