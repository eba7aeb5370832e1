"""Sessions through the page: one new session with the activity's defaults, validation next to
the field, edit to move it, cancel, filters, the week calendar, and a live language switch."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt, QTime
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app import i18n
from app.db.models import Place
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import SessionFilter
from app.services.container import Services
from ui.dialogs.session_dialog import SessionDialog
from ui.pages.sessions_page import SessionsPage

D = dt.date


def _activities(services: Services) -> tuple[str, str]:
    with services.db.begin() as s:
        place = Place(name="Casal")
        s.add(place)
        s.flush()
        place_id = place.id
    prog, _c = services.programmes.save(ProgrammeDTO(code="P", name="P", category="prevention"))
    a, _c = services.programmes.save_activity(
        ActivityDTO(
            programme_id=prog.id,
            name="Ioga",
            start_time=dt.time(10),
            end_time=dt.time(11),
            place_id=place_id,
        )
    )
    b, _c = services.programmes.save_activity(ActivityDTO(programme_id=prog.id, name="Cuina"))
    return a.id, b.id


def test_new_edit_move_cancel_and_filters(qtbot, services: Services, bus, prompts) -> None:
    yoga, cooking = _activities(services)
    page = SessionsPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    today = dt.date.today()
    page.activity.setCurrentIndex(page.activity.findData(yoga))
    qtbot.mouseClick(page.buttons["new"], Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, SessionDialog)
    assert dialog.start_time.value() == dt.time(10) and dialog.place.currentData() is not None
    dialog.end_time.setTime(QTime(9, 0))  # before the start: refused, shown by the field
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("end_time")
    assert services.sessions.find() == []
    dialog.end_time.setTime(QTime(11, 30))
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    [created] = services.sessions.find()
    assert created.date == today and created.end_time == dt.time(11, 30)
    assert page.model.total() == 1

    # Move it to tomorrow through "Edit or move".
    page.table.selectRow(0)
    qtbot.mouseClick(page.buttons["edit"], Qt.MouseButton.LeftButton)
    page.dialog.date.set_value(today + dt.timedelta(days=1))
    qtbot.mouseClick(
        page.dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert services.sessions.get(created.id).date == today + dt.timedelta(days=1)

    # Cancel it (confirmed) and filter by status.
    page.table.selectRow(0)
    prompts.confirms = [True]
    qtbot.mouseClick(page.buttons["cancel"], Qt.MouseButton.LeftButton)
    assert services.sessions.get(created.id).status == "cancelled"
    page.status.setCurrentIndex(page.status.findData("planned"))
    assert page.model.total() == 0
    page.status.setCurrentIndex(0)
    page.activity.setCurrentIndex(page.activity.findData(cooking))
    assert page.model.total() == 0
    page.activity.setCurrentIndex(0)
    assert page.model.total() == 1
    # The week calendar shows it on its weekday (next week when tomorrow is a Monday).
    page.tabs.setCurrentIndex(1)
    day = today + dt.timedelta(days=1)
    while not page.week.monday <= day <= page.week.monday + dt.timedelta(days=6):
        qtbot.mouseClick(page.week.next_button, Qt.MouseButton.LeftButton)
    item = page.week.table.item(0, day.weekday())
    assert item is not None and "Ioga" in item.text()
    assert services.sessions.find(SessionFilter(status="cancelled"))[0].id == created.id
    # An empty cell of the week proposes a new session on that day.
    page.week.table.cellActivated.emit(page.week.table.rowCount() - 1, 3)
    assert page.dialog.date.value() == page.week.monday + dt.timedelta(days=3)
    page.dialog.reject()


def test_language_switch_is_live(qtbot, services: Services, bus, prompts) -> None:
    page = SessionsPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    i18n.set_language("es")
    QApplication.sendEvent(page, QEvent(QEvent.Type.LanguageChange))
    assert page.buttons["new"].text() == "Nueva sesión"
    assert page.tabs.tabText(1) == "Semana"
    i18n.set_language("ca")
    QApplication.sendEvent(page, QEvent(QEvent.Type.LanguageChange))
    assert page.buttons["new"].text() == "Sessió nova"
