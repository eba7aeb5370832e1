"""The signed sheets review in the window: a page whose code cannot be read is given its session
and page by the person, signed blank rows show the handwriting and get a person (found or
created), and a long reading shows a progress bar whose Cancel leaves nothing recorded."""

from __future__ import annotations

import io
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Attendance, Evidence, Participant
from app.domain.sheets import SheetOptions
from app.reports.attendance_sheet import build_sheet
from app.services.container import Services
from tests.reports.sheet_data import build
from tests.scan.scan_files import session_id, sheet_scan
from tests.support.fake_prompts import FakePrompts
from ui.dialogs.signed_sheets_dialog import SignedSheetsDialog


def _present(db: Database) -> set[str]:
    with db.read() as s:
        return {a.participant_id for a in s.scalars(select(Attendance))}


def _dialog(qtbot: QtBot, services: Services, prompts: FakePrompts) -> SignedSheetsDialog:
    dialog = SignedSheetsDialog(services.scans, prompts, services=services)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_page_without_a_readable_code_is_given_its_session_and_page(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    build(db)
    services = Services(db)
    sid = session_id(db)
    path = sheet_scan(db, tmp_path, {0, 3}, spoil=True)
    dialog = _dialog(qtbot, services, FakePrompts())
    assert dialog.read([path])
    assert dialog.session is None and dialog.choose_box.isVisible()
    assert "trieu" in dialog.heading.text().lower()
    assert not dialog.save_button.isEnabled()
    assert dialog.choose_preview.pixmap().height() > 100  # the page, to recognise it
    assert dialog.choose_session.findData(sid) >= 0
    dialog.choose_session.setCurrentIndex(dialog.choose_session.findData(sid))
    dialog.choose_number.setValue(1)
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    scan = dialog.session
    assert scan is not None and scan.session_id == sid
    assert not dialog.choose_box.isVisible()
    marks = {dialog.table.item(i, 1).text(): dialog.table.item(i, 3).text() for i in range(13)}
    assert marks["1"] == "present" and marks["4"] == "present" and marks["2"] == "res"
    assert not _present(db)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    rows = {r.number: r.participant_id for r in scan.rows}
    assert _present(db) == {rows[1], rows[4]}
    assert services.scans.evidence_pages(sid) == 1
    assert not dialog.isVisible()


def test_a_page_chosen_wrongly_says_why_and_stays_to_choose(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    build(db)
    services = Services(db)
    prompts = FakePrompts()
    dialog = _dialog(qtbot, services, prompts)
    assert dialog.read([sheet_scan(db, tmp_path, {0}, spoil=True)])
    dialog.choose_number.setValue(2)  # the sheet has one page
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert prompts.shown[-1].kind == "error" and "1 pàgina" in prompts.shown[-1].text
    assert dialog.choose_box.isVisible() and dialog.session is None


def test_signed_blank_rows_get_the_person_who_came(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    build(db)
    services = Services(db)
    prompts = FakePrompts()
    dialog = _dialog(qtbot, services, prompts)
    # Rows 11 and 12 are blank rows signed by newcomers; row 13 blank and empty.
    assert dialog.read([sheet_scan(db, tmp_path, {0, 10, 11})])
    assert dialog.walk_in_box.isVisible()
    first, second = dialog.walk_in_rows
    assert [first.row.number, second.row.number] == [11, 12]
    # Their handwriting, beside the search box.
    assert first.handwriting.pixmap().width() > 3 * first.handwriting.pixmap().height()
    # One is somebody known: typed and chosen with Enter.
    qtbot.keyClicks(first.picker.search, "Gil·lab")
    qtbot.keyClick(first.picker.search, Qt.Key.Key_Return)
    assert "Pau Gil·labert" in first.chosen.text()
    # The other is new: created from the review.
    qtbot.keyClicks(second.picker.search, "Rosa Nova")
    qtbot.mouseClick(second.picker.new_button, Qt.MouseButton.LeftButton)
    quick = dialog.quick_dialog
    assert quick is not None and quick.given_name.text() == "Rosa"  # type: ignore[attr-defined]
    quick.buttons.button(quick.buttons.StandardButton.Save).click()  # type: ignore[attr-defined]
    assert "Rosa Nova" in second.chosen.text()
    assert not _present(db)  # nothing recorded before confirming
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    with db.read() as s:
        names = {
            f"{p.given_name} {p.family_names}"
            for p in s.scalars(
                select(Participant).join(Attendance, Attendance.participant_id == Participant.id)
            )
        }
    assert "Pau Gil·labert" in names and "Rosa Nova" in names and len(names) == 3
    assert not any(p.kind == "info" for p in prompts.shown)  # nobody left to add by hand


def test_a_blank_row_marked_present_by_hand_asks_who_it_is(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    build(db)
    services = Services(db)
    prompts = FakePrompts()
    dialog = _dialog(qtbot, services, prompts)
    assert dialog.read([sheet_scan(db, tmp_path, {0})])
    assert not dialog.walk_in_box.isVisible()
    row = next(i for i in range(dialog.table.rowCount()) if dialog.table.item(i, 1).text() == "12")
    dialog.table.selectRow(row)
    qtbot.keyClick(dialog.table, Qt.Key.Key_P)
    assert dialog.walk_in_box.isVisible() and dialog.walk_in_rows[0].row.number == 12
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert prompts.shown[-1].kind == "info" and "1 fila en blanc" in prompts.shown[-1].text


def test_cancelling_a_long_reading_records_nothing(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    build(db, extra=120)  # a sheet of several pages, as a scanner's PDF
    services = Services(db)
    data = services.sheets.session_sheet(session_id(db))
    pdf = io.BytesIO()
    build_sheet(data, SheetOptions(), pdf)
    path = tmp_path / "escaneig.pdf"
    path.write_bytes(pdf.getvalue())
    dialog = _dialog(qtbot, services, FakePrompts())
    seen: list[int] = []

    def cancel_when_shown() -> None:
        progress = dialog.progress_dialog
        if progress is not None and progress.isVisible() and progress.value() > 0:
            seen.append(progress.value())
            button = progress.findChild(QPushButton)
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        else:
            QTimer.singleShot(20, cancel_when_shown)

    QTimer.singleShot(0, cancel_when_shown)
    assert not dialog.read([path])
    assert seen and 0 < seen[0] < 1000  # the bar moved, then Cancel stopped it
    assert dialog.reading is None and dialog.session is None
    assert not _present(db)
    with db.read() as s:
        assert not s.scalars(select(Evidence)).all()
