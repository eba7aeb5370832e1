"""Settings > Data protection: how long the scans of signed sheets are kept, and deleting those
past it, as ``teixit purge --scans-older-than`` does (a confirmation, one unit of work, one
audit entry; the attendance stays)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app.db.models import Attendance, AuditEvent, Evidence, Session
from app.services.container import Services
from tests.scan.scan_files import scanned_and_typed
from ui.events import DataBus
from ui.pages.settings_page import SettingsPage


def _count(services: Services, what: Any, *where: Any) -> int:
    with services.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(what).where(*where)) or 0)


def _type_years(qtbot: Any, page: SettingsPage, years: int) -> None:
    page.retention.setFocus()
    page.retention.selectAll()
    qtbot.keyClicks(page.retention, str(years))
    qtbot.keyClick(page.retention, Qt.Key.Key_Return)


def test_delete_scans_older_than_the_retention(
    qtbot: Any, services: Services, prompts: Any, tmp_path: Path
) -> None:
    scanned, _typed = scanned_and_typed(services.db, tmp_path)
    six_years_ago = dt.date.today().replace(day=1) - dt.timedelta(days=6 * 366)
    with services.db.begin() as s:
        row = s.get(Session, scanned)
        assert row is not None
        row.date = six_years_ago
    pages = _count(services, Evidence)
    marks = _count(services, Attendance, Attendance.session_id == scanned)
    assert pages == 1 and marks > 0
    page = SettingsPage(services, DataBus(), prompts)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentIndex(1)
    assert page.retention.value() == 4 and page.scans_button.isVisible()
    assert page.scans_button.text() == "Suprimeix els escanejos de més de 4 anys…"

    # Seven years: nothing is that old yet; the setting is kept.
    _type_years(qtbot, page, 7)
    assert services.purge.evidence_retention() == 7
    assert page.scans_button.text() == "Suprimeix els escanejos de més de 7 anys…"
    qtbot.mouseClick(page.scans_button, Qt.MouseButton.LeftButton)
    assert prompts.shown[-1].kind == "info" and "7 anys" in prompts.shown[-1].text
    assert _count(services, Evidence) == 1

    # Five years: asked first; a no deletes nothing.
    _type_years(qtbot, page, 5)
    audits = _count(services, AuditEvent)
    prompts.confirms.append(False)
    qtbot.mouseClick(page.scans_button, Qt.MouseButton.LeftButton)
    assert prompts.shown[-1].kind == "confirm" and "1 pàgina" in prompts.shown[-1].text
    assert _count(services, Evidence) == 1 and _count(services, AuditEvent) == audits

    # A yes: the page goes, with one audit entry; the attendance it gave stays.
    prompts.confirms.append(True)
    qtbot.mouseClick(page.scans_button, Qt.MouseButton.LeftButton)
    assert prompts.shown[-1].kind == "info"
    assert _count(services, Evidence) == 0
    assert _count(services, AuditEvent) == audits + 1
    assert _count(services, AuditEvent, AuditEvent.action == "purge") == 1
    assert _count(services, Attendance, Attendance.session_id == scanned) == marks

    # The retention chosen is the one the page shows next time.
    again = SettingsPage(services, DataBus(), prompts)
    qtbot.addWidget(again)
    again.show()
    assert again.retention.value() == 5
