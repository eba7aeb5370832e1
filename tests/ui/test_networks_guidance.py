"""What the networks screens say when there is nothing to show yet."""

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
