"""Ctrl+Z in an attendance window undoes that window's own marks, never another session's, and
puts the session back as it was: a past planned session a mark made held is planned again and
leaves the figures."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from app.domain.people import PersonDTO
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import SessionDTO
from app.i18n import _
from app.services.container import Services
from ui.dialogs.attendance_dialog import AttendanceDialog
from ui.dialogs.register_dialog import RegisterDialog

D = dt.date
LAST_WEEK = dt.date.today() - dt.timedelta(days=7)


def _activity_with(services: Services, *names: str) -> tuple[str, list[str]]:
    prog, _c = services.programmes.save(
        ProgrammeDTO(code="JOV", name="Joves", category="prevention")
    )
    act, _c = services.programmes.save_activity(ActivityDTO(programme_id=prog.id, name="Taller"))
    ids = []
    for name in names:
        person, _c = services.people.save(PersonDTO(name, "Puig"))
        services.people.enrol(act.id, person.id, D(2020, 1, 1))
        ids.append(person.id)
    return act.id, ids


def _session(services: Services, activity_id: str, day: dt.date) -> str:
    sess, _c = services.sessions.save(SessionDTO(activity_id=activity_id, date=day))
    return sess.id


def _marks(services: Services, session_id: str) -> dict[str, str | None]:
    return {r.name: r.status for r in services.sessions.attendance(session_id).rows}


def _undo_key(qtbot, dialog) -> None:
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def _open(qtbot, services: Services, bus, prompts, session_id: str) -> AttendanceDialog:
    dialog = AttendanceDialog(services, bus, prompts, session_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_ctrl_z_in_another_session_leaves_the_first_sessions_marks(
    qtbot, services: Services, bus, prompts
) -> None:
    activity_id, _ids = _activity_with(services, "Ada", "Biel")
    first = _session(services, activity_id, LAST_WEEK)
    second = _session(services, activity_id, LAST_WEEK + dt.timedelta(days=1))
    dialog = _open(qtbot, services, bus, prompts, first)
    qtbot.keyClick(dialog.table, Qt.Key.Key_P)  # Ada present
    assert dialog.undo_button.isEnabled()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    other = _open(qtbot, services, bus, prompts, second)
    assert not other.undo_button.isEnabled()  # nothing done in this window yet
    _undo_key(qtbot, other)
    assert _marks(services, first) == {"Ada Puig": "present", "Biel Puig": None}
    assert services.sessions.get(first).status == "held"
    # This window's own mark is what it undoes.
    qtbot.keyClick(other.table, Qt.Key.Key_4)  # Ada absent
    assert _marks(services, second)["Ada Puig"] == "absent"
    _undo_key(qtbot, other)
    assert _marks(services, second) == {"Ada Puig": None, "Biel Puig": None}
    assert not other.undo_button.isEnabled()
    _undo_key(qtbot, other)  # nothing left: the first session stays as it was
    assert _marks(services, first) == {"Ada Puig": "present", "Biel Puig": None}


def test_undoing_the_mark_that_made_a_past_session_held_makes_it_planned_again(
    qtbot, services: Services, bus, prompts
) -> None:
    activity_id, _ids = _activity_with(services, "Ada", "Biel")
    session_id = _session(services, activity_id, LAST_WEEK)
    year = (D(LAST_WEEK.year, 1, 1), D(LAST_WEEK.year, 12, 31))
    dialog = _open(qtbot, services, bus, prompts, session_id)
    qtbot.keyClick(dialog.table, Qt.Key.Key_P)  # Ada present: the session took place
    assert services.sessions.get(session_id).status == "held"
    figures = services.figures.compute(None, *year)
    assert (figures.sessions, figures.attendances) == (1, 1)
    qtbot.keyClick(dialog.table, Qt.Key.Key_4)  # Biel absent: still held
    _undo_key(qtbot, dialog)
    assert _marks(services, session_id) == {"Ada Puig": "present", "Biel Puig": None}
    assert services.sessions.get(session_id).status == "held"

    _undo_key(qtbot, dialog)
    assert _marks(services, session_id) == {"Ada Puig": None, "Biel Puig": None}
    assert services.sessions.get(session_id).status == "planned"
    figures = services.figures.compute(None, *year)
    assert (figures.sessions, figures.attendances, figures.participants) == (0, 0, 0)
    assert _("Planned") in dialog.header.text()


def test_everyone_present_undone_in_one_step_makes_the_session_planned_again(
    qtbot, services: Services, bus, prompts
) -> None:
    activity_id, _ids = _activity_with(services, "Ada", "Biel")
    session_id = _session(services, activity_id, LAST_WEEK)
    dialog = _open(qtbot, services, bus, prompts, session_id)
    qtbot.mouseClick(dialog.all_present, Qt.MouseButton.LeftButton)
    assert services.sessions.get(session_id).status == "held"
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert _marks(services, session_id) == {"Ada Puig": None, "Biel Puig": None}
    assert services.sessions.get(session_id).status == "planned"


def test_register_grid_undoes_its_own_marks_and_the_held_status(
    qtbot, services: Services, bus, prompts
) -> None:
    activity_id, _ids = _activity_with(services, "Ada")
    session_id = _session(services, activity_id, LAST_WEEK)
    window = _open(qtbot, services, bus, prompts, session_id)
    qtbot.keyClick(window.table, Qt.Key.Key_L)  # Ada late, in the attendance window
    qtbot.mouseClick(window.close_button, Qt.MouseButton.LeftButton)
    grid = RegisterDialog(services, bus, prompts, activity_id, today=LAST_WEEK)
    qtbot.addWidget(grid)
    grid.show()
    qtbot.keyClick(grid.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _marks(services, session_id) == {"Ada Puig": "late"}  # not the grid's mark

    earlier = _session(services, activity_id, LAST_WEEK - dt.timedelta(days=1))
    grid.set_period(LAST_WEEK - dt.timedelta(days=1), LAST_WEEK)
    grid.table.setCurrentIndex(grid.model.index(0, 0))  # Ada, the earlier session
    assert grid.model.cell_ids(grid.table.currentIndex()) == (_ids[0], earlier)
    qtbot.keyClick(grid.table, Qt.Key.Key_P)
    assert services.sessions.get(earlier).status == "held"
    qtbot.keyClick(grid.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _marks(services, earlier) == {"Ada Puig": None}
    assert services.sessions.get(earlier).status == "planned"
    assert _marks(services, session_id) == {"Ada Puig": "late"}
