"""Walk-ins (found or created) offered enrolment, head counts, notes, the register grid, and the
categories editor."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.domain.people import PersonDTO
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import HeadCountDTO, SessionDTO
from app.services.container import Services
from ui.dialogs.attendance_dialog import AttendanceDialog
from ui.dialogs.register_dialog import RegisterDialog
from ui.widgets.categories_editor import CategoriesEditor

D = dt.date


def _session(services: Services) -> tuple[str, str]:
    prog, _c = services.programmes.save(ProgrammeDTO(code="P", name="P", category="prevention"))
    act, _c = services.programmes.save_activity(ActivityDTO(programme_id=prog.id, name="Festa"))
    sess, _c = services.sessions.save(SessionDTO(activity_id=act.id, date=D(2026, 5, 9)))
    return act.id, sess.id


def test_walk_ins_head_counts_and_held(qtbot, services: Services, bus, prompts) -> None:
    activity_id, session_id = _session(services)
    services.people.save(PersonDTO("Omar", "Haddad", phone="699000111"))
    dialog = AttendanceDialog(services, bus, prompts, session_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.total() == 0
    # Found by phone, marked present, enrolment accepted.
    prompts.confirms = [True]
    qtbot.keyClicks(dialog.picker.search, "699000")
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)
    assert [(r.name, r.status, r.enrolled) for r in dialog.model.rows()] == [
        ("Omar Haddad", "present", True)
    ]
    # Someone new: the short form, then enrolment declined.
    qtbot.keyClicks(dialog.picker.search, "Lucia Ferrer")
    qtbot.mouseClick(dialog.picker.new_button, Qt.MouseButton.LeftButton)
    quick = dialog.quick_dialog
    assert quick.given_name.text() == "Lucia" and quick.family_names.text() == "Ferrer"
    quick.gender.setCurrentIndex(quick.gender.findData("woman"))
    prompts.confirms = [False]
    qtbot.mouseClick(
        quick.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    rows = {r.name: (r.status, r.enrolled) for r in dialog.model.rows()}
    assert rows["Lucia Ferrer"] == ("present", False)
    # Head counts for the open event, notes, and the session is held.
    dialog.counts_box.setChecked(True)
    # Recorded in the fine bands every band set is built from.
    dialog.counts[("woman", "30-44")].setValue(12)
    dialog.counts[("man", "65-79")].setValue(3)
    dialog.new_people.setValue(9)
    qtbot.keyClicks(dialog.notes, "Molt bona participacio")
    qtbot.mouseClick(dialog.held_button, Qt.MouseButton.LeftButton)
    sheet = services.sessions.attendance(session_id)
    assert sheet.session.status == "held" and sheet.session.notes == "Molt bona participacio"
    assert set(sheet.head_counts) == {
        HeadCountDTO("woman", "30-44", 12),
        HeadCountDTO("man", "65-79", 3),
    }
    assert sheet.session.new_people == 9
    assert [e.person_name for e in services.people.roster(activity_id)] == ["Omar Haddad"]
    f = services.figures.compute(None, D(2026, 1, 1), D(2026, 12, 31))
    assert (f.participants, f.attendances, f.anonymous_attendances) == (2, 17, 15)
    assert (f.open_events, f.open_events_estimated, f.people_reached_estimate) == (1, 1, 9)
    assert f.by_age_band["30-64"].attendances == 12  # the fine bands build the general set


def test_head_counts_recorded_earlier_in_other_bands_are_kept(
    qtbot, services: Services, bus, prompts
) -> None:
    _activity_id, session_id = _session(services)
    services.sessions.set_head_counts(session_id, [HeadCountDTO("woman", "0-17", 5)])
    dialog = AttendanceDialog(services, bus, prompts, session_id)
    qtbot.addWidget(dialog)
    dialog.show()
    # The count recorded in a general band shows in a row of its own, beside the fine bands.
    assert dialog.counts[("woman", "0-17")].value() == 5
    assert dialog.new_people.value() == 0 and dialog.estimated_new_people() is None
    dialog.counts[("man", "12-15")].setValue(2)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    sheet = services.sessions.attendance(session_id)
    assert set(sheet.head_counts) == {
        HeadCountDTO("woman", "0-17", 5),
        HeadCountDTO("man", "12-15", 2),
    }
    assert sheet.session.new_people is None


def test_register_grid_edited_like_paper(qtbot, services: Services, bus, prompts) -> None:
    activity_id, first = _session(services)
    second, _c = services.sessions.save(SessionDTO(activity_id=activity_id, date=D(2026, 5, 16)))
    for name in ("Ada", "Biel"):
        p, _c = services.people.save(PersonDTO(name))
        services.people.enrol(activity_id, p.id)
    dialog = RegisterDialog(services, bus, prompts, activity_id, today=D(2026, 5, 20))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.rowCount() == 2 and dialog.model.columnCount() == 2
    qtbot.keyClick(dialog.table, Qt.Key.Key_P)  # Ada, first session; moves down
    qtbot.keyClick(dialog.table, Qt.Key.Key_4)  # Biel absent
    qtbot.keyClick(dialog.table, Qt.Key.Key_Right)
    qtbot.keyClick(dialog.table, Qt.Key.Key_L)  # Biel late in the second session
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    grid = services.sessions.register(activity_id)
    names = {p.participant_id: p.name for p in grid.people}
    assert {(names[p], s): st for (p, s), st in grid.cells.items()} == {
        ("Ada", first): "present",
        ("Biel", first): "absent",
    }


def test_categories_editor(qtbot, services: Services, bus, prompts) -> None:
    editor = CategoriesEditor(services, bus, prompts)
    qtbot.addWidget(editor)
    assert editor.table.rowCount() == 5
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    row = editor.table.rowCount() - 1
    for col, text in ((0, "youth"), (1, "Joventut"), (2, "Juventud")):
        editor.table.item(row, col).setText(text)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert [c.code for c in services.profile.categories()][-1] == "youth"
    editor.table.item(0, 1).setText("")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.error.text()


def test_print_sheet_opens_the_sheet_dialog(qtbot, services: Services, bus, prompts) -> None:
    from PySide6.QtCore import QThreadPool

    from ui.dialogs.sheet_dialog import SheetDialog

    _activity_id, session_id = _session(services)
    dialog = AttendanceDialog(services, bus, prompts, session_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert isinstance(dialog.sheet_dialog, SheetDialog)
    qtbot.waitUntil(lambda: QThreadPool.globalInstance().activeThreadCount() == 0, timeout=20000)
    dialog.sheet_dialog.reject()
