"""Planned network meetings in the window: Home lists a past one still planned; the space page
marks one held (it then counts in the space's figures); the meeting dialog starts a future
meeting planned, makes it held when attendance is entered, and cancels one with its reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app import paths
from app.db.engine import open_database
from app.db.models import Staff
from app.domain.networks import MeetingDTO, SpaceDTO
from app.domain.profile import EntityProfileDTO
from app.services.container import Services
from tests.support.templates import new_database
from ui.dialogs.meeting_dialog import MeetingDialog
from ui.main import Application
from ui.main_window import MainWindow
from ui.models.rows import ID_ROLE
from ui.widgets.form_bits import to_qdate

T = dt.time

# The offscreen platform cannot pass size hints of a dialog to a window manager: harmless.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _seed() -> dict[str, Any]:
    """A space with a meeting held a month ago and one three days ago nobody marked held."""
    today = dt.date.today()
    db = open_database(new_database(paths.db_path()))
    services = Services(db)
    services.profile.save(EntityProfileDTO(id="", name="Associació Sants"))
    with db.begin() as s:
        s.add(Staff(name="Anna Puig"))
    net = services.networks
    space, _c = net.save_space(SpaceDTO(None, "Xarxa d'Infància de Sants"))
    sid = space.id or ""
    held, _c = net.save_meeting(
        MeetingDTO(None, sid, today - dt.timedelta(days=30), T(10), T(11), status="held")
    )
    planned, _c = net.save_meeting(
        MeetingDTO(None, sid, today - dt.timedelta(days=3), T(18), T(20), status="planned")
    )
    db.close()
    return {"today": today, "space": sid, "held": held.id, "planned": planned.id}


def _window(qtbot: QtBot, application: Application) -> MainWindow:
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def _save(qtbot: QtBot, dialog: MeetingDialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_planned_meeting_is_marked_held_from_the_window(
    qtbot: QtBot, application: Application, prompts: Any
) -> None:
    seed = _seed()
    today = seed["today"]
    window = _window(qtbot, application)
    services = window.services
    net = services.networks

    # Home: the past meeting still planned, beside the past sessions without attendance.
    home: Any = window.page("home")
    qtbot.waitUntil(lambda: home.meetings_model.total() == 1)
    assert home.meetings_view.isVisible() and home.meetings_label.isVisible()
    assert home.meetings_model.rows()[0].id == seed["planned"]
    assert home.boxes[2].isAncestorOf(home.meetings_view)

    # The space's page: the meeting is shown planned (in red: its date has passed); the
    # minutes wait until it is held, the sheet to sign does not.
    window.go_to("networks")
    page: Any = window.stack.currentWidget()
    page.tree.setCurrentIndex(page.tree_model.item(0).index())
    panel = page.panel
    panel.date_from.setDate(to_qdate(today - dt.timedelta(days=60)))
    panel.date_to.setDate(to_qdate(today))
    assert panel.figure_values["meetings"].text() == "1"
    assert panel.figure_values["hours"].text() == "1"
    rows = panel.meetings_model.rows()
    row = next(i for i, m in enumerate(rows) if m.id == seed["planned"])
    status_column = panel.meetings_model.columnCount() - 1
    panel.meetings.selectRow(row)
    assert panel.meetings_model.index(row, status_column).data() == "Prevista"
    assert panel.held_button.isEnabled() and panel.sheet_button.isEnabled()
    assert not panel.minutes_button.isEnabled()

    qtbot.mouseClick(panel.held_button, Qt.MouseButton.LeftButton)
    assert net.meeting(seed["planned"]).status == "held"
    assert panel.figure_values["meetings"].text() == "2"
    assert panel.figure_values["hours"].text() == "3"
    f = net.space_figures(seed["space"], today - dt.timedelta(days=60), today)
    assert (f.meetings, f.hours) == (2, 3.0)
    row = next(i for i, m in enumerate(panel.meetings_model.rows()) if m.id == seed["planned"])
    assert panel.meetings_model.index(row, status_column).data() == "Feta"
    assert panel.selected_meeting().id == seed["planned"]
    assert panel.minutes_button.isEnabled() and not panel.held_button.isEnabled()

    # Home no longer lists it.
    window.go_to("home")
    qtbot.waitUntil(lambda: home.meetings_model.total() == 0)
    assert not home.meetings_view.isVisible()

    # A new meeting dated ahead starts planned; entering who attends makes it held.
    window.go_to("networks")
    qtbot.mouseClick(panel.new_meeting_button, Qt.MouseButton.LeftButton)
    dialog: MeetingDialog = page.meeting_dialog
    dialog.date.setDate(to_qdate(today + dt.timedelta(days=10)))
    assert dialog.status.currentData() == "planned" and not dialog.reason.isVisible()
    dialog.tabs.setCurrentIndex(0)
    qtbot.mouseClick(dialog.attendees.add_staff_button, Qt.MouseButton.LeftButton)
    assert dialog.status.currentData() == "held"
    # Back to planned by hand (the team is only expected), and saved planned.
    dialog.status.setFocus()
    qtbot.keyClick(dialog.status, Qt.Key.Key_Up)
    assert dialog.status.currentData() == "planned"
    _save(qtbot, dialog)
    assert dialog.saved is not None and dialog.saved.status == "planned"
    future = dialog.saved.id or ""
    assert net.meeting(future).status == "planned"
    assert panel.figure_values["meetings"].text() == "2"

    # Called off: cancelled needs its reason, shown next to the status.
    panel.meetings.setFocus()
    qtbot.keyClick(panel.meetings, Qt.Key.Key_Return)  # Enter opens the selected meeting
    dialog = page.meeting_dialog
    assert dialog.meeting_id == future
    dialog.status.setFocus()
    qtbot.keyClick(dialog.status, Qt.Key.Key_End)
    assert dialog.status.currentData() == "cancelled" and dialog.reason.isVisible()
    _save(qtbot, dialog)
    assert dialog.isVisible() and dialog.errors["cancellation_reason"].isVisible()
    assert net.meeting(future).status == "planned"
    qtbot.keyClicks(dialog.reason, "Coincideix amb la festa major")
    _save(qtbot, dialog)
    assert not dialog.isVisible()
    stored = net.meeting(future)
    assert (stored.status, stored.cancellation_reason) == (
        "cancelled",
        "Coincideix amb la festa major",
    )
    row = next(i for i, m in enumerate(panel.meetings_model.rows()) if m.id == future)
    assert panel.meetings_model.index(row, status_column).data() == (
        "Anul·lada: Coincideix amb la festa major"
    )
    panel.meetings.selectRow(row)
    assert not panel.sheet_button.isEnabled() and not panel.minutes_button.isEnabled()
    assert prompts.shown == []


def test_home_opens_a_past_planned_meeting_to_mark_it_held(
    qtbot: QtBot, application: Application
) -> None:
    seed = _seed()
    window = _window(qtbot, application)
    home: Any = window.page("home")
    window.go_to("home")
    qtbot.waitUntil(lambda: home.meetings_model.total() == 1)
    view = home.meetings_view
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    assert view.currentIndex().data(ID_ROLE) == seed["planned"]
    qtbot.keyClick(view, Qt.Key.Key_Return)
    dialog = home.dialog
    assert isinstance(dialog, MeetingDialog) and dialog.meeting_id == seed["planned"]
    assert dialog.status.currentData() == "planned"
    # Writing the minutes records that it was held.
    dialog.tabs.setCurrentIndex(1)
    qtbot.keyClicks(dialog.minutes, "Es prepara la festa.")
    assert dialog.status.currentData() == "held"
    _save(qtbot, dialog)
    assert window.services.networks.meeting(seed["planned"]).status == "held"
    qtbot.waitUntil(lambda: home.meetings_model.total() == 0)
