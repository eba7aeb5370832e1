import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Activity, Attendance, Participant, Programme, Session
from app.services.attendance_import import AttendanceImportService
from tests.support.fake_prompts import FakePrompts
from ui.dialogs.attendance_import_dialog import AttendanceImportDialog


def test_attendance_list_into_an_activity(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    with db.begin() as s:
        prog = Programme(code="P1", name="Prevenció", category="prevention")
        s.add(prog)
        s.flush()
        act = Activity(programme_id=prog.id, name="Taller de cuina")
        s.add_all([act, Participant(given_name="Núria", family_names="Martínez Pérez")])
        s.flush()
        activity_id = act.id
    path = tmp_path / "assistencia.csv"
    path.write_bytes(
        "Data;Nom i cognoms\n6/10/2026;Núria Martínez Pérez\n6/10/2026;Ningú\n".encode("cp1252")
    )
    prompts = FakePrompts(files=[str(path)])
    dialog = AttendanceImportDialog(AttendanceImportService(db), prompts, activity_id=activity_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None)
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 3).text() == "Trobada (mateix nom)."
    assert "Ningú" in dialog.table.item(1, 3).text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    with db.read() as s:
        rows = s.execute(select(Session.date, Attendance.status).join(Attendance)).all()
    assert [tuple(r) for r in rows] == [(dt.date(2026, 10, 6), "present")]
    assert prompts.shown[-1][0] == "info"
    assert not dialog.isVisible()
