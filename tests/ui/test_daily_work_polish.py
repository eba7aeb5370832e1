"""The daily-work screens as a worker uses them after a session: the register grid by month,
enrolment dates, the justification report from a programme, empty states, columns that fit."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from app.domain.people import PersonDTO
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import SessionDTO
from app.i18n import _, format_date, pgettext, set_language
from app.services.container import Services
from ui.dialogs.attendance_dialog import AttendanceDialog
from ui.dialogs.register_dialog import RegisterDialog, month_of
from ui.models.programmes import RosterModel
from ui.models.sessions import AttendanceModel
from ui.pages.home_page import HomePage
from ui.pages.people_page import PeoplePage
from ui.pages.programmes_page import ProgrammesPage
from ui.pages.sessions_page import SessionsPage

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
    assert _("Sessions") in dialog.empty.text()
    # Any range, typed.
    dialog.date_from.set_value(D(2026, 5, 1))
    dialog.date_to.set_value(D(2026, 6, 30))
    assert dialog.model.columnCount() == 2
    assert dialog.stack.currentWidget() is dialog.table
    qtbot.mouseClick(dialog.this_month_button, Qt.MouseButton.LeftButton)
    assert dialog.period() == (D(2026, 5, 1), D(2026, 5, 31))


def _programmes_page(qtbot, services: Services, bus, prompts) -> ProgrammesPage:
    page = ProgrammesPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.resize(1180, 760)
    page.show()
    page.refresh()
    return page


def test_enrolment_start_and_leaving_dates(qtbot, services: Services, bus, prompts) -> None:
    _p, activity_id = _activity(services)
    greta, _c = services.people.save(PersonDTO("Greta", "Ruiz"))
    page = _programmes_page(qtbot, services, bus, prompts)
    page.tabs.setCurrentIndex(1)
    panel = page.activities
    assert not panel.roster.save_dates_button.isEnabled()  # nobody selected yet
    panel.roster.enrol_from.set_value(D(2026, 1, 12))
    qtbot.keyClicks(panel.roster.picker.search, "greta")
    qtbot.keyClick(panel.roster.picker.search, Qt.Key.Key_Return)
    # The new enrolment is selected, its dates ready to change.
    assert (
        panel.roster.edit_start.value() == D(2026, 1, 12) and panel.roster.edit_end.value() is None
    )

    def state() -> str:  # what the row's tooltip says after the name
        tip = panel.roster.model.index(0, RosterModel.COL_NAME).data(Qt.ItemDataRole.ToolTipRole)
        return tip.split(" · ")[-1]

    assert state() == pgettext("enrolment", "Active")
    # A leaving date before the start: the message sits under the field, nothing is saved.
    panel.roster.edit_end.set_value(D(2026, 1, 5))
    qtbot.mouseClick(panel.roster.save_dates_button, Qt.MouseButton.LeftButton)
    assert panel.roster.errors.message("end") == _("The end date cannot be before the start date.")
    assert services.people.roster(activity_id)[0].end is None
    assert prompts.shown == []
    panel.roster.edit_end.set_value(D(2026, 3, 31))
    qtbot.mouseClick(panel.roster.save_dates_button, Qt.MouseButton.LeftButton)
    assert panel.roster.errors.message("end") == ""
    [row] = services.people.roster(activity_id)
    assert (row.participant_id, row.start, row.end) == (greta.id, D(2026, 1, 12), D(2026, 3, 31))
    assert state() == pgettext("enrolment", "Left")
    assert panel.roster.count.text().endswith(": 1")
    # Removing is confirmed (it is for mistakes; leaving keeps the history).
    prompts.confirms = [False]
    qtbot.mouseClick(panel.roster.unenrol_button, Qt.MouseButton.LeftButton)
    assert len(services.people.roster(activity_id)) == 1


def test_justification_report_opens_on_the_programme(qtbot, services: Services, bus, prompts):
    programme_id, _a = _activity(services)
    services.programmes.save(ProgrammeDTO(code="ALT", name="Altres", category="prevention"))
    page = _programmes_page(qtbot, services, bus, prompts)
    page.select(programme_id)
    assert page.report_button.isEnabled()
    qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.selected_programmes() == (programme_id,)
    dialog.reject()


def test_a_new_entity_is_told_what_to_do_first(qtbot, services: Services, bus, prompts) -> None:
    page = _programmes_page(qtbot, services, bus, prompts)
    with qtbot.waitActive(page):
        page.activateWindow()
    assert page.empty_hint.isVisible() and "Ctrl+S" in page.empty_hint.text()
    assert not page.report_button.isEnabled()
    qtbot.keyClicks(page.form.code, "NOU")
    qtbot.keyClicks(page.form.name, "Primer programa")
    qtbot.keyClick(page.form.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert [p.code for p in services.programmes.all()] == ["NOU"]
    assert not page.empty_hint.isVisible()
    # Its activities tab says what comes next; a new activity, once saved, opens its roster.
    page.tabs.setCurrentIndex(1)
    panel = page.activities
    assert panel.empty_hint.isVisible()
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    assert panel.sections.currentWidget() is panel.form_box
    qtbot.keyClicks(panel.name, "Taller de teatre")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert not panel.empty_hint.isVisible()
    assert panel.sections.currentWidget() is panel.roster
    assert panel.roster.picker.search.hasFocus()


def test_attendance_by_family_name_and_escape_keeps_what_was_typed(
    qtbot, services: Services, bus, prompts
) -> None:
    _p, activity_id = _activity(services)
    for given, family in (("Zoe", "Vidal"), ("Angel", "Zapata"), ("Ángel", "Abad")):
        person, _c = services.people.save(PersonDTO(given, family))
        services.people.enrol(activity_id, person.id, D(2026, 1, 1))
    session, _c = services.sessions.save(SessionDTO(activity_id=activity_id, date=D(2026, 5, 9)))
    dialog = AttendanceDialog(services, bus, prompts, session.id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert [r.name for r in dialog.model.rows()] == ["Ángel Abad", "Zoe Vidal", "Angel Zapata"]
    qtbot.keyClick(dialog.table, Qt.Key.Key_E)  # Ángel excused
    # The status column shows the whole label in Spanish too.
    header = dialog.table.horizontalHeader()
    metrics = dialog.table.fontMetrics()
    for lang in ("ca", "es"):
        set_language(lang)
        dialog.model.retranslate()
        dialog.table.resizeColumnToContents(AttendanceModel.COL_STATUS)
        label = dialog.model.text(dialog.model.rows()[0], AttendanceModel.COL_STATUS)
        assert header.sectionSize(AttendanceModel.COL_STATUS) >= metrics.horizontalAdvance(label)
    set_language("ca")
    qtbot.keyClicks(dialog.notes, "Pluja: poca gent")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    saved = services.sessions.get(session.id)
    assert saved.notes == "Pluja: poca gent" and saved.status == "planned"
    assert services.sessions.attendance(session.id).rows[0].status == "excused"


def test_home_tells_a_new_entity_where_to_start(qtbot, services: Services, bus, prompts) -> None:
    page = HomePage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    assert page.start_hint.isVisible() and "Ctrl+2" in page.start_hint.text()
    _activity(services)
    page.refresh()
    assert not page.start_hint.isVisible()


def test_changes_typed_are_never_lost_without_a_word(qtbot, services: Services, bus, prompts):
    first, _a = _activity(services)
    other, _c = services.programmes.save(
        ProgrammeDTO(code="ALT", name="Altres", category="prevention")
    )
    page = _programmes_page(qtbot, services, bus, prompts)
    page.select(first)
    page.form.name.selectAll()
    qtbot.keyClicks(page.form.name, "Joves del barri")
    # Choosing another programme asks; "yes" saves, then shows the other one.
    prompts.confirms = [True]
    page.list.selectRow(0)  # ALT (by code)
    assert prompts.shown[-1][0] == "confirm"
    assert services.programmes.get(first).name == "Joves del barri"
    assert page.programme_id == other.id and page.form.name.text() == "Altres"
    # "No" drops the change.
    qtbot.keyClicks(page.form.name, " i mes")
    prompts.confirms = [False]
    page.list.selectRow(1)  # JOV
    assert prompts.confirms == [] and page.programme_id == first
    assert services.programmes.get(other.id).name == "Altres"
    assert page.form.name.text() == "Joves del barri"
    # A change that cannot be saved keeps the programme on screen with its message.
    page.form.name.clear()
    prompts.confirms = [True]
    page.list.selectRow(0)
    assert page.programme_id == first and page.form.errors.message("name")
    # Nothing changed: no question.
    shown = len(prompts.shown)
    page.form.name.setText("Joves del barri")
    page.list.selectRow(0)
    assert len(prompts.shown) == shown and page.programme_id == other.id


def test_a_person_typed_is_not_lost_when_choosing_another(qtbot, services: Services, bus, prompts):
    for given, family in (("Aina", "Puig"), ("Biel", "Roca")):
        services.people.save(PersonDTO(given, family))
    page = PeoplePage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading() and page.model.total() == 2)
    page.list.selectRow(0)
    assert page.form.given_name.text() == "Aina"
    qtbot.keyClicks(page.form.phone, "600111222")
    prompts.confirms = [True]
    page.list.selectRow(1)
    assert services.people.search("aina")[0].phone == "600111222"
    assert page.form.given_name.text() == "Biel"
    # A new person half typed, then another chosen: asked, "no" drops it.
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.form.given_name, "Carla")
    prompts.confirms = [False]
    page.list.selectRow(0)
    assert services.people.count() == 2 and page.form.given_name.text() == "Aina"


def test_sessions_page_says_where_activities_come_from_and_uses_the_day_chosen(
    qtbot, services: Services, bus, prompts
) -> None:
    page = SessionsPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.mouseClick(page.buttons["new"], Qt.MouseButton.LeftButton)
    assert page.dialog is None and prompts.shown[-1][0] == "info"
    assert "Ctrl+2" in prompts.shown[-1][2]
    _activity(services)
    page.refresh()
    monday = page.week.monday
    page.tabs.setCurrentIndex(1)
    page.week.day_activated.emit(monday + dt.timedelta(days=2))  # Enter on an empty Wednesday
    assert page.dialog is not None
    assert page.dialog.date.value() == monday + dt.timedelta(days=2)
    page.dialog.reject()


def test_enter_in_the_attendance_list_does_not_close_the_session(
    qtbot, services: Services, bus, prompts
) -> None:
    _p, activity_id = _activity(services)
    for given in ("Ada", "Biel"):
        person, _c = services.people.save(PersonDTO(given, "Puig"))
        services.people.enrol(activity_id, person.id, D(2026, 1, 1))
    session, _c = services.sessions.save(SessionDTO(activity_id=activity_id, date=D(2026, 5, 9)))
    dialog = AttendanceDialog(services, bus, prompts, session.id)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert dialog.isVisible() and services.sessions.get(session.id).status == "planned"
    assert dialog.table.currentIndex().row() == 1  # Enter moves down, like on paper
    qtbot.keyClicks(dialog.picker.search, "zz")
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)
    assert dialog.isVisible() and services.sessions.get(session.id).status == "planned"


def test_register_columns_tell_the_whole_date(qtbot, services: Services, bus, prompts) -> None:
    _p, activity_id = _activity(services)
    services.sessions.save(
        SessionDTO(activity_id=activity_id, date=D(2026, 5, 9), start_time=dt.time(17))
    )
    dialog = RegisterDialog(services, bus, prompts, activity_id, today=D(2026, 5, 1))
    qtbot.addWidget(dialog)
    tip = dialog.model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(format_date(D(2026, 5, 9), fmt="full")) and "17:00" in tip
