"""The window offers each office login only what its role may do (the database refuses the
rest anyway): a viewer changes nothing and sees no personal data; an educator does the daily
work but only reads the entity's set-up; a coordinator is offered everything."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import make_url, text

from app.db.engine import open_url
from app.domain.networks import SpaceDTO
from app.domain.programmes import ProgrammeDTO
from app.i18n import _
from app.services.container import Services
from tests.support.fake_prompts import FakePrompts
from tests.support.postgres import PostgresServer
from tests.ui.test_office_window import _people_names, _prepare
from ui.main import Application
from ui.main_window import AREAS, MainWindow
from ui.settings import Preferences
from ui.widgets.reference_lists import ListEditor

pytestmark = pytest.mark.office


@pytest.fixture
def office(office_address: str) -> str:
    _prepare(office_address)
    db = open_url(office_address)
    try:
        services = Services(db)
        services.programmes.save(ProgrammeDTO(code="P1", name="Casal", category="prevention"))
        services.networks.save_space(SpaceDTO(id=None, name="Xarxa de Sants"))
    finally:
        db.close()
    return office_address


def _as(postgres: PostgresServer, office: str, group: str) -> str:
    name = f"login_{uuid.uuid4().hex[:8]}"
    postgres.execute(f"CREATE ROLE {name} LOGIN IN ROLE {group}")
    return make_url(office).set(username=name).render_as_string(hide_password=False)


def _window(
    qtbot: QtBot, application: Application, prefs: Preferences, address: str
) -> MainWindow:
    prefs.office_address = address
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    return window


def _offered(window: MainWindow) -> list[str]:
    return [key for row, key in enumerate(AREAS) if not window.nav.isRowHidden(row)]


def _count(office: str, table: str) -> int:
    db = open_url(office)
    try:
        with db.read() as session:
            return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)
    finally:
        db.close()


def test_a_viewer_changes_nothing_and_sees_no_personal_data(
    qtbot: QtBot,
    postgres: PostgresServer,
    office: str,
    application: Application,
    prefs: Preferences,
    prompts: FakePrompts,
) -> None:
    window = _window(qtbot, application, prefs, _as(postgres, office, "teixit_viewer"))
    assert _offered(window) == [
        "home", "programmes", "sessions", "networks", "reports", "settings"
    ]  # fmt: skip
    assert window.current_key() == "home"
    assert window.status_path.text().endswith(f"({_('viewer')})")
    assert not window.act_export.isVisible() and not window.act_import_people.isVisible()
    window.go_to("programmes")
    programmes = window.page("programmes")
    qtbot.waitUntil(lambda: programmes.model.rowCount() == 1)  # type: ignore[attr-defined]
    assert programmes.new_button.isHidden() and programmes.delete_button.isHidden()  # type: ignore[attr-defined]
    # The keys do not add or save either.
    qtbot.keyClick(programmes, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(programmes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    window.go_to("networks")
    networks = window.page("networks")
    assert networks.new_space_button.isHidden()  # type: ignore[attr-defined]
    window.go_to("settings")
    settings = window.page("settings")
    assert settings.save_button.isHidden()  # type: ignore[attr-defined]
    assert not settings.entity_box.isEnabled()  # type: ignore[attr-defined]
    tabs = settings.tabs  # type: ignore[attr-defined]
    assert not tabs.isTabVisible(tabs.indexOf(settings.audit_log))  # type: ignore[attr-defined]
    lists = settings.findChildren(ListEditor)
    assert len(lists) == 3 and all(editor.new_button.isHidden() for editor in lists)
    # Offered nothing the database refuses: no message at all on the way.
    assert prompts.shown == []
    assert _count(office, "programme") == 1


def test_a_viewer_reads_the_figures_sessions_and_reports_without_a_name(
    qtbot: QtBot,
    postgres: PostgresServer,
    office: str,
    application: Application,
    prefs: Preferences,
    prompts: FakePrompts,
    tmp_path: Path,
) -> None:
    import datetime as dt

    from app.domain.people import PersonDTO
    from app.domain.programmes import ActivityDTO
    from app.domain.sessions import SessionDTO
    from app.i18n import format_number

    # A held session this year with two people present (written by a coordinator's PC).
    db = open_url(office)
    try:
        services = Services(db)
        programme = services.programmes.all()[0]
        activity = services.programmes.save_activity(
            ActivityDTO(programme_id=programme.id or "", name="Taller")
        )[0]
        today = dt.date.today()
        session = services.sessions.save(
            SessionDTO(activity_id=activity.id or "", date=today, status="held")
        )[0]
        people = [services.people.save(PersonDTO(given, "Soler"))[0] for given in ("Anna", "Biel")]
        services.sessions.set_attendance(
            session.id or "", {p.id or "": "present" for p in people}
        )
    finally:
        db.close()
    window = _window(qtbot, application, prefs, _as(postgres, office, "teixit_viewer"))
    home = window.page("home")
    # This year's figures, counted by the database: two people, two attendances.
    qtbot.waitUntil(lambda: home.figures is not None, timeout=30000)  # type: ignore[attr-defined]
    assert home.figures.participants == 2 and home.figures.attendances == 2  # type: ignore[attr-defined]
    assert f"{format_number(2)}" in home.figures_label.text()  # type: ignore[attr-defined]
    assert home.boxes[3].isHidden()  # type: ignore[attr-defined]
    # Today's session shows; a click opens no attendance (the names are not a viewer's).
    qtbot.waitUntil(lambda: home.today_model.rowCount() == 1)  # type: ignore[attr-defined]
    view = home.today_view  # type: ignore[attr-defined]
    index = view.model().index(0, 0)
    spot = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert home.dialog is None  # type: ignore[attr-defined]
    window.go_to("sessions")
    sessions = window.page("sessions")
    qtbot.waitUntil(lambda: sessions.model.rowCount() == 1)  # type: ignore[attr-defined]
    buttons = sessions.buttons  # type: ignore[attr-defined]
    assert all(buttons[k].isHidden() for k in buttons)
    table = sessions.table  # type: ignore[attr-defined]
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.keyClick(sessions, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert sessions.dialog is None  # type: ignore[attr-defined]
    window.go_to("reports")
    reports = window.page("reports")
    # The justification report is a viewer's too (counted by the database); the evidence pack,
    # with the signed sheets, is not.
    assert reports.evidence_button.isHidden()  # type: ignore[attr-defined]
    assert not reports.entity_button.isHidden()  # type: ignore[attr-defined]
    qtbot.mouseClick(reports.entity_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    dialog = reports.dialog  # type: ignore[attr-defined]
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    assert dialog.evidence_button.isHidden() and dialog.new_band_set.isHidden()
    assert all(edit.isReadOnly() for edit in dialog.texts.values())
    economic = [
        dialog.sections.item(i)
        for i in range(dialog.sections.count())
        if dialog.sections.item(i).data(Qt.ItemDataRole.UserRole) == "economic"
    ]
    assert economic[0].isHidden()
    dialog.year.setValue(today.year)
    prompts.files.append(str(tmp_path / "memoria.pdf"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_busy() and dialog.last_result is not None, timeout=30000)
    figures = json.loads((tmp_path / "memoria.json").read_text(encoding="utf-8"))
    assert figures["participants"] == 2 and figures["attendances"] == 2
    assert (tmp_path / "memoria.pdf").stat().st_size > 0
    assert (tmp_path / "memoria.xlsx").stat().st_size > 0
    dialog.reject()
    assert [s for s in prompts.shown if s.kind in ("error", "unexpected")] == []
    assert _count(office, "session") == 1 and _count(office, "attendance") == 2


def test_an_educator_does_the_daily_work_and_reads_the_set_up(
    qtbot: QtBot,
    postgres: PostgresServer,
    office: str,
    application: Application,
    prefs: Preferences,
    prompts: FakePrompts,
) -> None:
    window = _window(qtbot, application, prefs, _as(postgres, office, "teixit_educator"))
    assert _offered(window) == list(AREAS)
    assert not window.act_export.isVisible() and window.act_import_people.isVisible()
    window.go_to("settings")
    settings = window.page("settings")
    assert settings.save_button.isHidden() and settings.purge_button.isHidden()  # type: ignore[attr-defined]
    assert not settings.entity_box.isEnabled()  # type: ignore[attr-defined]
    tabs = settings.tabs  # type: ignore[attr-defined]
    assert not tabs.isTabVisible(tabs.indexOf(settings.audit_log))  # type: ignore[attr-defined]
    editors = {e.spec.kind: e for e in settings.findChildren(ListEditor)}
    assert editors["funder"].save_button.isHidden()
    assert not editors["staff"].save_button.isHidden()
    # The team is daily work: an educator adds a colleague, typed and saved as a person would.
    tabs.setCurrentIndex(3)
    team = editors["staff"]
    qtbot.keyClicks(team.inputs["name"], "Laia Ferrer")
    qtbot.mouseClick(team.save_button, Qt.MouseButton.LeftButton)
    assert _count(office, "staff") == 1
    # And people.
    window.go_to("people")
    people = window.page("people")
    qtbot.waitUntil(lambda: not people.loading())  # type: ignore[attr-defined]
    qtbot.mouseClick(people.new_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.keyClicks(people.form.given_name, "Nil")  # type: ignore[attr-defined]
    qtbot.keyClicks(people.form.family_names, "Soler")  # type: ignore[attr-defined]
    qtbot.mouseClick(people.save_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert any("Soler" in name for name in _people_names(window))
    assert [s for s in prompts.shown if s.kind in ("error", "unexpected")] == []
    assert _count(office, "participant") == 1


def test_a_coordinator_is_offered_everything(
    qtbot: QtBot,
    postgres: PostgresServer,
    office: str,
    application: Application,
    prefs: Preferences,
) -> None:
    window = _window(qtbot, application, prefs, _as(postgres, office, "teixit_coordinator"))
    assert _offered(window) == list(AREAS)
    assert window.status_path.text().endswith(f"({_('coordinator')})")
    window.go_to("settings")
    settings = window.page("settings")
    assert not settings.save_button.isHidden() and settings.entity_box.isEnabled()  # type: ignore[attr-defined]
    tabs = settings.tabs  # type: ignore[attr-defined]
    assert tabs.isTabVisible(tabs.indexOf(settings.audit_log))  # type: ignore[attr-defined]
    assert window.act_export.isEnabled()
