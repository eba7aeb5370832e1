"""The daily-work screens as a worker uses them after a session: the register grid by month,
enrolment dates, the justification report from a programme, empty states, columns that fit."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from app.domain.people import PersonDTO
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import SessionDTO
from app.services.container import Services
from ui.dialogs.register_dialog import RegisterDialog, month_of

D = dt.date


def _activity(services: Services) -> tuple[str, str]:
    prog, _c = services.programmes.save(
        ProgrammeDTO(code="JOV", name="Joves", category="prevention")
    )
    act, _c = services.programmes.save_activity(ActivityDTO(programme_id=prog.id, name="Taller"))
    return prog.id or "", act.id or ""


def test_month_of() -> None:
    assert month_of(D(2026, 2, 14)) == (D(2026, 2, 1), D(2026, 2, 28))
    assert month_of(D(2026, 12, 31)) == (D(2026, 12, 1), D(2026, 12, 31))


def test_register_grid_shows_one_month_and_moves_between_months(
    qtbot, services: Services, bus, prompts
) -> None:
    _p, activity_id = _activity(services)
    may, _c = services.sessions.save(SessionDTO(activity_id=activity_id, date=D(2026, 5, 9)))
    june, _c = services.sessions.save(SessionDTO(activity_id=activity_id, date=D(2026, 6, 6)))
    stayed, _c = services.people.save(PersonDTO("Ada", "Puig"))
    left, _c = services.people.save(PersonDTO("Biel", "Roca"))
    services.people.enrol(activity_id, stayed.id, D(2026, 1, 1))
    services.people.enrol(activity_id, left.id, D(2026, 1, 1), D(2026, 5, 31))
    dialog = RegisterDialog(services, bus, prompts, activity_id, today=D(2026, 5, 20))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.period() == (D(2026, 5, 1), D(2026, 5, 31))
    assert [s.id for s in dialog.model.grid.sessions] == [may.id]
    assert dialog.model.rowCount() == 2
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.period() == (D(2026, 6, 1), D(2026, 6, 30))
    assert [s.id for s in dialog.model.grid.sessions] == [june.id]
    # Biel left in May: not on June's register.
    assert [p.name for p in dialog.model.grid.people] == ["Ada Puig"]
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_P)
    assert services.sessions.attendance(june.id).rows[0].status == "present"
    # A month with no sessions says so and what to do.
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.stack.currentWidget() is dialog.empty
    assert "Sessions" in dialog.empty.text()
    # Any range, typed.
    dialog.date_from.set_value(D(2026, 5, 1))
    dialog.date_to.set_value(D(2026, 6, 30))
    assert dialog.model.columnCount() == 2
    assert dialog.stack.currentWidget() is dialog.table
    qtbot.mouseClick(dialog.this_month_button, Qt.MouseButton.LeftButton)
    assert dialog.period() == (D(2026, 5, 1), D(2026, 5, 31))
