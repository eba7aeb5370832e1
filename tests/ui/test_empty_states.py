"""What the networks and reports screens say when there is nothing (or nothing left) to show."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from app.domain.networks import AgreementDTO
from ui.widgets.meeting_editors import FollowUpEditor


def test_follow_up_explains_an_empty_list_and_disables_its_buttons(qtbot: QtBot) -> None:
    editor = FollowUpEditor()
    qtbot.addWidget(editor)
    editor.show()
    assert editor.empty.isVisible() and not editor.done_button.isEnabled()
    assert editor.empty.text().startswith("No hi ha acords oberts")
    agreement = AgreementDTO(
        id="a1", text="Preparar la festa", number=1, meeting_date=dt.date(2026, 10, 6)
    )
    editor.set_items([agreement], {})
    assert not editor.empty.isVisible() and editor.done_button.isEnabled()
    editor.table.selectRow(0)
    editor.mark("done")
    assert editor.closures() == {"a1": "done"}
    assert editor.table.item(0, editor.COL_HERE).text() == "Fet"


def test_a_recent_report_moved_away_is_explained(qtbot: QtBot, services, bus, prompts) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from app.domain.report import ReportRequest
    from ui.pages.reports_page import ReportsPage

    gone = Path("/nonexistent/memoria-2026.pdf")
    request = ReportRequest(None, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    services.reports.remember(gone, "Memòria 2026", request, "justification report")
    page = ReportsPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    assert page.recent.count() == 1 and not page.recent_empty.isVisible()
    page.recent.itemActivated.emit(page.recent.item(0))
    kind, title, text = prompts.shown[-1]
    assert kind == "error" and title == "Memòries recents"
    assert text == f"El fitxer {gone} ja no hi és: s'ha mogut o suprimit."
