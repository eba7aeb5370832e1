"""Read signed sheets in the window: the rows proposed with their signature cells, unsure rows
first and highlighted, P/A change a mark, Enter confirms; nothing is written before."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Attendance, Session
from app.domain.scans import UNSURE
from app.services.container import Services
from tests.reports.sheet_data import build
from tests.scan.test_scan_service import _scan_files
from tests.support.fake_prompts import FakePrompts
from ui.dialogs.signed_sheets_dialog import UNSURE_COLOUR, SignedSheetsDialog


def _present(db: Database) -> set[str]:
    with db.read() as s:
        return {a.participant_id for a in s.scalars(select(Attendance))}


def test_rows_are_checked_corrected_and_confirmed(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    build(db)
    path = _scan_files(db, tmp_path, {0, 2})
    services = Services(db)
    prompts = FakePrompts()
    dialog = SignedSheetsDialog(services.scans, prompts)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.read([path])
    scan = dialog.session
    assert scan is not None
    table = dialog.table
    assert table.item(0, 3).text() == "present" and table.item(0, 1).text() == "1"
    assert table.item(1, 3).text() == "res"
    assert table.cellWidget(0, 0).pixmap().height() > 0  # the signature cell beside the mark
    assert not _present(db)
    # Row 2 signed too (the person sees it in the image): P on it, then Enter.
    table.setFocus()
    table.selectRow(1)
    qtbot.keyClick(table, Qt.Key.Key_P)
    assert table.item(1, 3).text() == "present"
    qtbot.keyClick(table, Qt.Key.Key_A)  # now on row 3: the person says nothing
    assert table.item(2, 3).text() == "res"
    qtbot.keyClick(table, Qt.Key.Key_Return)
    rows = {r.number: r.participant_id for r in scan.rows}
    assert _present(db) == {rows[1], rows[2]}
    with db.read() as s:
        assert s.get(Session, scan.session_id).status == "held"  # type: ignore[union-attr]
    assert services.scans.evidence_pages(scan.session_id) == 1
    assert not dialog.isVisible()


def test_unsure_rows_come_first_highlighted_and_must_be_decided(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    build(db)
    services = Services(db)
    result = services.scans.read([_scan_files(db, tmp_path, {0})])
    scan = result.sessions[0]
    page = scan.pages[0]
    rows = list(page.rows)
    rows[4] = replace(rows[4], verdict=UNSURE)
    result = replace(result, sessions=(replace(scan, pages=(replace(page, rows=tuple(rows)),)),))
    prompts = FakePrompts()
    dialog = SignedSheetsDialog(services.scans, prompts)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_result(result)
    table = dialog.table
    assert table.item(0, 1).text() == "5" and table.item(0, 3).text() == "dubtós"
    assert table.item(0, 2).background().color() == UNSURE_COLOUR
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert prompts.shown[-1].kind == "error" and "5" in prompts.shown[-1].text
    assert not _present(db)
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_A)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert len(_present(db)) == 1


def test_the_session_shows_its_signed_sheet(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    from ui.dialogs.session_dialog import SessionDialog

    build(db)
    services = Services(db)
    result = services.scans.read([_scan_files(db, tmp_path, {0})])
    scan = result.sessions[0]
    before = SessionDialog(services, FakePrompts(), services.sessions.get(scan.session_id))
    qtbot.addWidget(before)
    assert not before.evidence.isVisibleTo(before)
    services.scans.apply(scan, {})
    after = SessionDialog(services, FakePrompts(), services.sessions.get(scan.session_id))
    qtbot.addWidget(after)
    assert after.evidence.isVisibleTo(after)
    assert after.evidence.text() == "Full signat: 1 pàgina conservada."
