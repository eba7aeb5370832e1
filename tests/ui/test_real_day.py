"""A real day in the window, as a new educator goes through it: Home as the day's desk, a new
session from anywhere, walk-ins, saved sheets with names that do not overwrite, the blank sheet,
the shortcuts list, and the People, Settings, agreements and series details."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from app import i18n
from app.domain.people import PersonDTO
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import SessionDTO, SessionFilter
from app.services.container import Services
from tests.support.fake_prompts import FakePrompts
from ui import file_names
from ui.dialogs.attendance_dialog import AttendanceDialog
from ui.dialogs.quick_person_dialog import QuickPersonDialog
from ui.dialogs.series_dialog import SeriesDialog
from ui.dialogs.session_dialog import SessionDialog
from ui.dialogs.shortcuts_dialog import SHORTCUTS
from ui.events import DataBus
from ui.main_window import default_size
from ui.pages.home_page import HomePage
from ui.pages.sessions_page import SessionsPage

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _no_last_activity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as on a fresh start: no activity used before."""
    from ui.dialogs import session_dialog

    monkeypatch.setattr(session_dialog, "_last_activity_id", None)


def _activities(services: Services) -> tuple[str, str]:
    prog, _c = services.programmes.save(
        ProgrammeDTO(code="JOV", name="Joves", category="prevention")
    )
    assert prog.id
    cuina, _c = services.programmes.save_activity(
        ActivityDTO(programme_id=prog.id, name="Taller de cuina")
    )
    reforc, _c = services.programmes.save_activity(
        ActivityDTO(programme_id=prog.id, name="Reforç escolar")
    )
    assert cuina.id and reforc.id
    return cuina.id, reforc.id


def _session(services: Services, activity_id: str, day: dt.date, **kw: object) -> str:
    saved, _c = services.sessions.save(SessionDTO(activity_id=activity_id, date=day, **kw))  # type: ignore[arg-type]
    assert saved.id
    return saved.id


# --- Home: the day's desk ---------------------------------------------------------------------


def test_home_shows_todays_sessions_with_attendance_and_opens_it_in_one_click(
    qtbot: QtBot, services: Services, bus: DataBus, prompts: FakePrompts
) -> None:
    cuina, reforc = _activities(services)
    taken = _session(services, cuina, TODAY, start_time=dt.time(10))
    pending = _session(services, reforc, TODAY, start_time=dt.time(17))
    person, _c = services.people.save(PersonDTO("Aina", "Serra"))
    assert person.id
    services.sessions.set_attendance(taken, {person.id: "present"})
    later = _session(services, cuina, TODAY + dt.timedelta(days=6))
    page = HomePage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    m = page.today_model
    shown = {page.today_model.row(r).id: r for r in range(m.rowCount())}
    assert not page.today_view.isColumnHidden(m.COL_STATUS)
    assert m.index(shown[pending], m.COL_RECORDED).data() == "Sense passar llista"
    assert m.index(shown[taken], m.COL_RECORDED).data() == "1 assistents"
    assert m.index(shown[pending], m.COL_RECORDED).data(Qt.ItemDataRole.FontRole).bold()
    # The week list reaches the days to come, whatever the weekday.
    assert later in [r.id for r in page.week_model.rows()]
    assert "anul·lades" in page.week_legend.text()
    # One click on today's session opens its attendance.
    view = page.today_view
    proxy = view.model()
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 1).data() == "17:00")
    rect = view.visualRect(proxy.index(row, m.COL_ACTIVITY))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert isinstance(page.dialog, AttendanceDialog) and page.dialog.session_id == pending
    page.dialog.reject()


def test_home_without_sessions_today_says_so_and_plans_one(
    qtbot: QtBot, services: Services, bus: DataBus, prompts: FakePrompts
) -> None:
    cuina, _r = _activities(services)
    _session(services, cuina, TODAY + dt.timedelta(days=3))
    page = HomePage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    assert page.no_sessions.isVisible() and not page.today_view.isVisible()
    assert "Avui no hi ha cap sessió." in page.no_sessions.text()
    assert i18n.format_date(TODAY + dt.timedelta(days=3), fmt="full") in page.no_sessions.text()
    qtbot.mouseClick(page.new_session_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, SessionDialog)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    found = services.sessions.find(SessionFilter(date_from=TODAY, date_to=TODAY))
    assert len(found) == 1 and found[0].activity_id in (cuina, _r)
    assert page.today_view.isVisible() and page.today_model.rowCount() == 1


# --- New session -------------------------------------------------------------------------------


# The completer's popup on the off-screen platform (no raise, no keyboard grab there).
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")
def test_new_session_finds_the_activity_by_any_part_and_keeps_the_last_used(
    qtbot: QtBot, services: Services, bus: DataBus, prompts: FakePrompts
) -> None:
    cuina, reforc = _activities(services)
    page = SessionsPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    page.new_session()
    dialog = page.dialog
    assert isinstance(dialog, SessionDialog)
    line = dialog.activity.lineEdit()
    assert line is not None
    line.selectAll()
    qtbot.keyClicks(line, "escolar")  # the middle of "JOV · Reforç escolar"
    popup = dialog.activity.completer().popup()
    assert popup.isVisible() and popup.model().rowCount() == 1
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.activity.currentData() == reforc
    dialog.date.set_value(TODAY + dt.timedelta(days=100))  # beyond the list's dates
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    [saved] = services.sessions.find(SessionFilter(activity_id=reforc))
    # Selected and in sight, the dates widened to show it.
    assert page.current_session_id() == saved.id
    # The next new session starts on the activity used last.
    page.new_session()
    assert isinstance(page.dialog, SessionDialog) and page.dialog.activity.currentData() == reforc
    page.dialog.reject()
    assert not services.sessions.find(SessionFilter(activity_id=cuina))


def test_sessions_list_opens_around_today(
    qtbot: QtBot, services: Services, bus: DataBus, prompts: FakePrompts
) -> None:
    cuina, _r = _activities(services)
    for days in range(-14, 1):
        _session(services, cuina, TODAY + dt.timedelta(days=days))
    page = SessionsPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.resize(900, 300)
    page.show()
    page.refresh()
    QApplication.processEvents()
    today_row = next(r for r in range(page.proxy.rowCount()) if page._row_date(r) == TODAY)
    rect = page.table.visualRect(page.proxy.index(today_row, 0))
    assert page.table.viewport().rect().contains(rect.center())  # today in sight
    assert page._row_date(page.table.rowAt(0)) > TODAY - dt.timedelta(days=14)


def test_ctrl_n_after_ctrl_3_opens_a_new_session(qtbot: QtBot, application) -> None:  # type: ignore[no-untyped-def]
    from app import paths
    from app.db.engine import open_database
    from app.services.container import Services as S

    db = open_database(paths.db_path())
    from app.domain.profile import EntityProfileDTO

    S(db).profile.save(EntityProfileDTO(id="", name="Casal"))
    _activities(S(db))
    db.close()
    assert application.start("ca")
    window = application.window
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "sessions"
    focus = QApplication.focusWidget() or window.nav
    qtbot.keyClick(focus, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page = window.page("sessions")
    assert isinstance(page.dialog, SessionDialog)  # type: ignore[attr-defined]
    page.dialog.reject()  # type: ignore[attr-defined]


# --- Walk-ins ----------------------------------------------------------------------------------


def test_walk_in_is_listed_with_consent_and_the_search_cleared(
    qtbot: QtBot, services: Services, bus: DataBus, prompts: FakePrompts
) -> None:
    cuina, _r = _activities(services)
    sid = _session(services, cuina, TODAY)
    dialog = AttendanceDialog(services, bus, prompts, sid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.picker.search, "Nil Vidal")
    assert dialog.picker.results.item(0).text() == "No s'ha trobat ningú" or (
        dialog.picker.results.item(0).flags() == Qt.ItemFlag.NoItemFlags
    )
    qtbot.mouseClick(dialog.picker.new_button, Qt.MouseButton.LeftButton)
    quick = dialog.quick_dialog
    assert isinstance(quick, QuickPersonDialog)
    quick.birth_year.setValue(TODAY.year - 10)  # a minor: the guardian signs
    qtbot.keyClicks(quick.guardian, "Rosa Vidal")
    qtbot.mouseClick(quick.consent, Qt.MouseButton.LeftButton)
    prompts.confirms.append(False)  # not enrolled: a walk-in today
    quick.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert [r.name for r in dialog.model.rows()] == ["Nil Vidal"]
    assert dialog.picker.search.text() == "" and not dialog.picker.results.isVisible()
    [consent] = services.people.consents(dialog.model.rows()[0].participant_id)
    assert consent.kind == "data_processing" and consent.granted
    assert consent.signed_by == "guardian"


def test_attendance_header_wraps_instead_of_widening(
    qtbot: QtBot, services: Services, bus: DataBus, prompts: FakePrompts
) -> None:
    prog, _c = services.programmes.save(ProgrammeDTO(code="J", name="J", category="prevention"))
    assert prog.id
    act, _c = services.programmes.save_activity(
        ActivityDTO(
            programme_id=prog.id,
            name="Punt d'informació i acompanyament a persones migrants i refugiades del barri",
        )
    )
    assert act.id
    sid = _session(services, act.id, TODAY, start_time=dt.time(9, 30), end_time=dt.time(13))
    dialog = AttendanceDialog(services, bus, prompts, sid)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.minimumSizeHint().width() <= 1000
    dialog.resize(1000, 640)
    QApplication.processEvents()
    assert dialog.held_button.geometry().right() <= dialog.width()
    assert dialog.picker.new_button.isVisible()


# --- Saved files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "start"), [("ca", "full-assistencia-"), ("es", "hoja-asistencia-")]
)
def test_saved_sheet_names_are_localized_dated_and_never_overwrite(
    qtbot: QtBot,
    services: Services,
    prompts: FakePrompts,
    tmp_path: Path,
    lang: str,
    start: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.dialogs import sheet_dialog

    i18n.set_language(lang)
    monkeypatch.setattr(file_names, "_last_folder", None)
    cuina, _r = _activities(services)
    day = dt.date(2026, 12, 3)
    sid = _session(services, cuina, day)
    expected = f"{start}2026-12-03-taller-de-cuina"
    asked: list[str] = []

    def save_file(parent: object, title: str, suggested: str, filters: str) -> str:
        asked.append(suggested)
        return str(tmp_path / Path(suggested).name)

    monkeypatch.setattr(prompts, "save_file", save_file)
    dialog = sheet_dialog.for_session(services.sheets, sid, prompts)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.page_count > 0, timeout=15000)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert asked == [f"{expected}.pdf"]
    assert str(tmp_path) in dialog.saved_label.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [Path(p).name for p in asked[1:]] == [f"{expected}-2.pdf", f"{expected}-3.pdf"]
    assert Path(asked[1]).parent == tmp_path  # the folder last used
    i18n.set_language("ca")


def test_blank_sheet_from_the_file_menu_and_ctrl_p_on_sessions(qtbot: QtBot, application) -> None:  # type: ignore[no-untyped-def]
    from app import paths
    from app.db.engine import open_database
    from app.domain.profile import EntityProfileDTO
    from ui.dialogs.sheet_dialog import SheetDialog

    db = open_database(paths.db_path())
    s = Services(db)
    s.profile.save(EntityProfileDTO(id="", name="Casal"))
    cuina, _r = _activities(s)
    sid = _session(s, cuina, TODAY)
    db.close()
    assert application.start("ca")
    window = application.window
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    assert window.act_blank_sheet in window.file_menu.actions()
    window.act_blank_sheet.trigger()
    assert isinstance(window.sheet_dialog, SheetDialog)
    qtbot.waitUntil(lambda: window.sheet_dialog.page_count > 0, timeout=15000)
    window.sheet_dialog.reject()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.go_to("sessions")
    page = window.page("sessions")
    page.select(sid)  # type: ignore[attr-defined]
    page.table.setFocus()  # type: ignore[attr-defined]
    qtbot.keyClick(page.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
    assert isinstance(page.sheet_dialog, SheetDialog)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.sheet_dialog.page_count > 0, timeout=15000)  # type: ignore[attr-defined]
    page.sheet_dialog.reject()  # type: ignore[attr-defined]


def test_every_listed_shortcut_exists(qtbot: QtBot, application, db_templates) -> None:  # type: ignore[no-untyped-def]
    """Help > Keyboard shortcuts tells the truth: each combination listed is a shortcut of the
    window, a page or a dialog (letters and Enter/Esc/Tab are the widgets' own keys)."""
    from ui.dialogs.attendance_dialog import AttendanceDialog as Attendance
    from ui.dialogs.meeting_dialog import MeetingDialog
    from ui.dialogs.register_dialog import RegisterDialog
    from ui.main_window import AREAS

    db_templates.place(db_templates.demo())
    assert application.start("ca")
    window = application.window
    qtbot.addWidget(window)
    for key in AREAS:
        window.go_to(key)
    svc = window.services
    session = svc.sessions.find(SessionFilter(date_from=dt.date(2000, 1, 1)))[0]
    space = svc.networks.spaces()[0]
    dialogs = [
        Attendance(svc, window.bus, window.prompts, session.id or "", window),
        RegisterDialog(svc, window.bus, window.prompts, session.activity_id, window),
        MeetingDialog(svc, window.bus, window.prompts, space.id, None, window),
    ]
    known: set[str] = set()
    for action in window.findChildren(QAction):
        known |= {k.toString() for k in action.shortcuts()}
    for shortcut in window.findChildren(QShortcut):
        known |= {k.toString() for k in shortcut.keys()}  # noqa: SIM118 - a QShortcut
    known |= {QKeySequence("Del").toString()}  # Delete is the list widgets' own, as Enter
    for _section, entries in SHORTCUTS:
        for keys, _text in entries:
            if len(keys) == 1 or keys in ("Enter", "Esc", "Tab"):
                continue
            assert QKeySequence(keys).toString() in known, keys
    for d in dialogs:
        d.deleteLater()


# --- Also found --------------------------------------------------------------------------------


def test_agreements_board_is_sorted_by_due_date(qtbot: QtBot, services: Services) -> None:
    from app.demo import load_demo
    from ui.widgets.agreements_board import AgreementsBoard

    load_demo(services.db)
    board = AgreementsBoard(services)
    qtbot.addWidget(board)
    board.refresh()
    proxy = board.table.model()
    assert board.table.horizontalHeader().sortIndicatorSection() == 5
    dues = [proxy.index(r, 5).data() for r in range(proxy.rowCount())]
    as_dates = [dt.datetime.strptime(d, "%d/%m/%Y").date() for d in dues if d]
    assert len(as_dates) > 3 and as_dates == sorted(as_dates)


def test_series_dialog_shows_mistakes_only_after_an_edit_or_save(
    qtbot: QtBot, services: Services, prompts: FakePrompts
) -> None:
    cuina, _r = _activities(services)
    dialog = SeriesDialog(services, prompts, cuina)
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    assert dialog.errors.message("weekdays") == ""  # nothing touched yet: no red
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.errors.message("weekdays") != ""
    assert prompts.shown[-1].kind == "error"


def test_default_window_size_fits_a_laptop_screen() -> None:
    from PySide6.QtCore import QSize

    size = default_size(QSize(1366, 728))  # 1366x768 less a taskbar
    assert size.width() <= 1366 and size.height() + 40 <= 728
    assert default_size(QSize(1920, 1040)) == QSize(1180, 760)
