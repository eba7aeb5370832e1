"""A team's school year through the real main window: set-up, a weekly series skipping a
holiday, attendance with the keyboard (and a walk-in), the figures on every screen, the printed
sheet, an export imported elsewhere; networks and agreements; and pages that follow each other's
changes and a live language switch.

Bugs between areas show up here and nowhere else: each check compares two places that must agree.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtCore import QAbstractItemModel, QDate, QModelIndex, QSettings, Qt, QThreadPool
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app import cli, i18n, paths
from app.db.engine import open_database
from app.domain.networks import AgreementDTO, AttendeeDTO, MeetingDTO, SpaceDTO
from app.domain.people import PersonDTO
from app.domain.profile import EntityProfileDTO, FunderDTO, PlaceDTO, StaffDTO
from app.domain.programmes import ActivityDTO, IndicatorDTO, ProgrammeDTO
from app.domain.report import ReportRequest
from app.domain.sessions import SeriesRequest
from app.services.container import Services
from tests.support.templates import new_database
from ui.dialogs.attendance_dialog import AttendanceDialog
from ui.dialogs.quick_person_dialog import QuickPersonDialog
from ui.dialogs.series_dialog import SeriesDialog
from ui.main import Application
from ui.main_window import AREAS, MainWindow
from ui.models.rows import ID_ROLE
from ui.settings import Preferences

FRIDAY = 4
# Fridays from 4 September to 9 October 2026: 11 September is Catalonia's national day and
# 9 October the Valencian Community's; the series skips the one of the entity's region.
SERIES_FROM, SERIES_TO = dt.date(2026, 9, 1), dt.date(2026, 10, 9)
YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def _set_up(region: str = "CT") -> dict[str, str]:
    """What a team enters in Settings and Programmes on its first morning."""
    db = open_database(new_database(paths.db_path()))
    s = Services(db)
    s.profile.save(EntityProfileDTO(id="", name="Casal del Teixit", region=region))
    staff, _c = s.profile.save_staff(StaffDTO(id="", name="Aina Puig", role="educadora"))
    place, _c = s.profile.save_place(PlaceDTO(id="", name="Casal de Barri", address="C/ Major 1"))
    funder, _c = s.profile.save_funder(
        FunderDTO(id="", name="Ajuntament", support_text="Amb el suport de")
    )
    programme, _c = s.programmes.save(
        ProgrammeDTO(
            code="JOVE",
            name="Joves al barri",
            category="community_participation",
            start=YEAR[0],
            end=YEAR[1],
            funder_ids=(funder.id or "",),
            responsible_staff_id=staff.id,
            indicators=(IndicatorDTO(name="Participants", kind="participants", target=10),),
        )
    )
    activity, _c = s.programmes.save_activity(
        ActivityDTO(
            programme_id=programme.id or "",
            name="Taller de ràdio",
            place_id=place.id,
            start_time=dt.time(17, 0),
            end_time=dt.time(19, 0),
            facilitator_ids=(staff.id or "",),
        )
    )
    ids = {"programme": programme.id or "", "activity": activity.id or "", "staff": staff.id or ""}
    for given, family in (("Laia", "Serra Vidal"), ("Omar", "Haddad Amrani")):
        person, _c = s.people.save(
            PersonDTO(
                given_name=given,
                family_names=family,
                gender="woman" if given == "Laia" else "man",
                birth_year=2008,
            )
        )
        s.people.enrol(activity.id or "", person.id or "", SERIES_FROM)
        ids[given] = person.id or ""
    db.close()
    return ids


def _window(qtbot: QtBot, application: Application, lang: str) -> MainWindow:
    assert application.start(lang)
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def _series(qtbot: QtBot, window: MainWindow, activity_id: str) -> SeriesDialog:
    """Sessions page > New series: Fridays of the period, the region's holiday skipped."""
    window.go_to("sessions")
    page = window.stack.currentWidget()
    page.new_series()  # type: ignore[attr-defined]
    dialog = page.dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, SeriesDialog)
    dialog.activity.setCurrentIndex(dialog.activity.findData(activity_id))
    dialog.date_from.set_value(SERIES_FROM)
    dialog.date_to.set_value(SERIES_TO)
    qtbot.mouseClick(dialog.days[FRIDAY], Qt.MouseButton.LeftButton)
    return dialog


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages)


def test_a_term_of_a_workshop_from_set_up_to_another_computer(  # noqa: PLR0915
    qtbot: QtBot, application: Application, prompts, tmp_path: Path
) -> None:
    ids = _set_up()
    window = _window(qtbot, application, "ca")
    services = window.services

    # A weekly series: five Fridays, 11 September skipped with the holiday's name.
    dialog = _series(qtbot, window, ids["activity"])
    skipped = [dialog.preview.item(i).text() for i in range(dialog.preview.count())]
    assert len(skipped) == 6
    assert "11 de setembre" in skipped[1] and "Diada" in skipped[1]
    assert dialog.summary.text() == "Sessions que es crearan: 5. Dates omeses: 1."
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    sessions = sorted(services.sessions.find(), key=lambda s: s.date)
    assert [s.date.day for s in sessions] == [4, 18, 25, 2, 9]
    assert all(s.place_name == "Casal de Barri" for s in sessions)

    # Home: the five past sessions wait for their attendance.
    window.go_to("home")
    home = window.stack.currentWidget()
    qtbot.waitUntil(lambda: home.pending_model.total() == 5)  # type: ignore[attr-defined]

    # The first session, from the home list, with the keyboard: P for Laia, A for Omar.
    view = home.pending_view  # type: ignore[attr-defined]
    row = next(
        r
        for r in range(view.model().rowCount())
        if view.model().index(r, 0).data(ID_ROLE) == sessions[0].id
    )
    view.setFocus()
    view.setCurrentIndex(view.model().index(row, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)  # Enter opens the attendance
    att = home.dialog  # type: ignore[attr-defined]
    assert isinstance(att, AttendanceDialog)
    names = [r.name for r in att.model.rows()]
    assert len(names) == 2
    att.table.setFocus()
    att.table.setCurrentIndex(att.model.index(0, 0))
    for name in names:
        qtbot.keyClick(att.table, Qt.Key.Key_P if "Laia" in name else Qt.Key.Key_A)
    # A walk-in: not in the database yet, created with the short form and enrolled.
    prompts.confirms.append(True)
    att.picker.search.setText("Nil Roca")
    qtbot.mouseClick(att.picker.new_button, Qt.MouseButton.LeftButton)
    quick = att.quick_dialog
    assert isinstance(quick, QuickPersonDialog)
    assert quick.given_name.text() == "Nil" and quick.family_names.text() == "Roca"
    quick.gender.setCurrentIndex(quick.gender.findData("man"))
    quick.birth_year.setValue(2009)
    quick.save()
    statuses = {r.name: r.status for r in att.model.rows()}
    assert len(statuses) == 3, statuses
    assert sorted(v or "" for v in statuses.values()) == ["absent", "present", "present"]
    roster = {e.participant_id for e in services.people.roster(ids["activity"])}
    assert len(roster) == 3

    # The printed sheet of this session has the three names.
    sheet_pdf = tmp_path / "full.pdf"
    att.print_sheet()
    sheet = att.sheet_dialog
    prompts.files.append(str(sheet_pdf))
    assert sheet.save() == sheet_pdf  # type: ignore[attr-defined]
    sheet.close()
    text = _pdf_text(sheet_pdf)
    for family in ("Serra Vidal", "Haddad Amrani", "Roca"):
        assert family in text

    qtbot.mouseClick(att.held_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: home.pending_model.total() == 4)  # type: ignore[attr-defined]
    # The walk-in, enrolled without a data-processing consent yet, joins the home page's list.
    consent = home.consent_model  # type: ignore[attr-defined]
    assert any("Roca" in r.name for r in consent.rows())
    assert len(consent.rows()) == 3

    # Figures: the programme page, the report figures and the truth built above agree.
    truth = {"sessions": 1, "hours": 2.0, "participants": 2, "attendances": 2}
    figures = services.figures.compute([ids["programme"]], *YEAR)
    assert {k: getattr(figures, k) for k in truth} == truth
    assert figures.indicators[0].achieved == 2
    window.go_to("programmes")
    programmes = window.stack.currentWidget()
    programmes.select(ids["programme"])  # type: ignore[attr-defined]
    view_fig = programmes.figures  # type: ignore[attr-defined]
    view_fig.date_from.set_value(YEAR[0])
    view_fig.date_to.set_value(YEAR[1])
    view_fig.compute()
    qtbot.waitUntil(lambda: not view_fig.busy() and view_fig.figures is not None)
    assert view_fig.figures.as_dict() == figures.as_dict()

    # Reports page: the justification report's figures (JSON beside the PDF) say the same.
    window.go_to("reports")
    reports = window.stack.currentWidget()
    report = reports.open_dialog()  # type: ignore[attr-defined]
    assert report.selected_programmes() == (ids["programme"],)
    report.set_period(*YEAR)
    pdf = tmp_path / "memoria.pdf"
    prompts.files.append(str(pdf))
    report.save()
    qtbot.waitUntil(lambda: not report.is_busy() and pdf.with_suffix(".json").is_file())
    qtbot.waitUntil(lambda: "memoria" in report.status.text())
    written = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    as_json = json.loads(json.dumps(figures.as_dict(), default=str))
    assert {k: written[k] for k in as_json} == as_json
    assert written["programme"] == {"code": "JOVE", "name": "Joves al barri"}
    assert "Joves al barri" in _pdf_text(pdf)
    report.reject()
    qtbot.waitUntil(lambda: reports.recent.count() == 1)  # type: ignore[attr-defined]

    # Export, import into another data folder: the same figures there.
    export = tmp_path / "tot.json"
    prompts.files.append(str(export))
    window.export_data()
    assert prompts.shown[-1][0] == "info"
    other = tmp_path / "other"
    assert cli.main(["--data-dir", str(other), "import", str(export)]) == 0
    again = tmp_path / "r.json"
    assert (
        cli.main(
            [
                "--data-dir",
                str(other),
                "report",
                "--programme",
                "JOVE",
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
                "--json",
                str(again),
            ]
        )
        == 0
    )
    paths.set_data_dir(None)
    there = json.loads(again.read_text(encoding="utf-8"))
    here = figures.as_dict()
    assert {k: there[k] for k in here} == json.loads(json.dumps(here, default=str))

    # The other computer's window: the same work waiting on its home page, the same figures.
    window.close()
    application.stop()
    paths.set_data_dir(other)
    other_prefs = Preferences(QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat))
    second = Application(QApplication.instance(), prompts, other_prefs)  # type: ignore[arg-type]
    try:
        other_window = _window(qtbot, second, "ca")
        other_home = other_window.stack.currentWidget()
        qtbot.waitUntil(lambda: other_home.pending_model.total() == 4)  # type: ignore[attr-defined]
        assert other_window.services.figures.compute([ids["programme"]], *YEAR) == figures
        other_window.close()
    finally:
        second.stop()
        paths.set_data_dir(None)


def test_networks_region_and_live_changes_in_spanish(  # noqa: PLR0915
    qtbot: QtBot, application: Application, prompts
) -> None:
    ids = _set_up()
    window = _window(qtbot, application, "es")
    services, bus = window.services, window.bus

    # The entity moves to the Valencian Community: a new series skips 9 October, not the 11th.
    window.go_to("sessions")  # built with the Catalan holidays in mind
    window.go_to("settings")
    settings = window.stack.currentWidget()
    settings.region_combo.setCurrentIndex(settings.region_combo.findData("VC"))  # type: ignore[attr-defined]
    qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert services.profile.get().region == "VC"  # type: ignore[union-attr]
    dialog = _series(qtbot, window, ids["activity"])
    texts = [dialog.preview.item(i).text() for i in range(dialog.preview.count())]
    assert "se omite" not in texts[1]  # 11 September: a working day in Valencia
    assert "9 de octubre" in texts[-1] and "se omite" in texts[-1]
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    sessions = sorted(services.sessions.find(), key=lambda s: s.date)
    assert [s.date for s in sessions][1] == dt.date(2026, 9, 11) and len(sessions) == 5

    # The programme's figures, open on their tab before any network work.
    window.go_to("programmes")
    programmes = window.stack.currentWidget()
    programmes.select(ids["programme"])  # type: ignore[attr-defined]
    programmes.tabs.setCurrentIndex(2)  # type: ignore[attr-defined]
    view = programmes.figures  # type: ignore[attr-defined]
    view.date_from.set_value(YEAR[0])
    view.date_to.set_value(YEAR[1])
    view.compute()
    qtbot.waitUntil(lambda: not view.busy() and view.figures is not None)
    assert view.figures.meetings == 0

    # A network: a table and its commission; a meeting linked to the programme adopts two
    # agreements, the next one closes the first.
    space, _c = services.networks.save_space(SpaceDTO(id=None, name="Taula Jove"))
    commission, _c = services.networks.save_space(
        SpaceDTO(id=None, name="Comisión de ocio", parent_id=space.id)
    )
    first, changes = services.networks.save_meeting(
        MeetingDTO(
            id=None,
            space_id=commission.id or "",
            date=dt.date(2026, 10, 15),
            start_time=dt.time(16, 0),
            end_time=dt.time(17, 30),
            programme_ids=(ids["programme"],),
            attendees=(
                AttendeeDTO(staff_id=ids["staff"]),
                AttendeeDTO(person_name="Marta Gil"),
            ),
            agreements=(
                AgreementDTO(id=None, text="Fiesta de final de curso"),
                AgreementDTO(id=None, text="Pedir la sala al distrito"),
            ),
        )
    )
    bus.emit_changes(changes)
    assert [a.number for a in first.agreements] == [1, 2]
    # The commission's next meeting, typed in the window: it starts from the last one (times,
    # programme) and lists the open agreements; the first is marked done.
    window.go_to("networks")
    networks = window.stack.currentWidget()
    tree = networks.tree_model  # type: ignore[attr-defined]
    table_item = tree.item(0)
    assert table_item.text() == "Taula Jove" and table_item.child(0).text() == "Comisión de ocio"
    networks.tree.setCurrentIndex(table_item.child(0).index())  # type: ignore[attr-defined]
    networks.new_meeting()  # type: ignore[attr-defined]
    meeting = networks.meeting_dialog  # type: ignore[attr-defined]
    meeting.date.setDate(QDate(2026, 11, 5))
    follow_up = meeting.follow_up
    texts = [follow_up.table.item(r, 1).text() for r in range(follow_up.table.rowCount())]
    assert texts == ["Fiesta de final de curso", "Pedir la sala al distrito"]
    follow_up.table.selectRow(0)
    qtbot.mouseClick(follow_up.done_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(
        meeting.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert meeting.saved is not None, prompts.shown
    assert meeting.saved.programme_ids == (ids["programme"],)
    figures = services.figures.compute([ids["programme"]], *YEAR)
    assert (figures.meetings, figures.meeting_hours) == (2, 3.0)
    assert (figures.agreements_adopted, figures.agreements_done) == (2, 1)

    # Back on the programme's figures, seen before the meetings: they count them now.
    window.go_to("programmes")
    qtbot.waitUntil(lambda: not view.busy() and view.figures.meetings == 2)
    assert view.figures.as_dict() == figures.as_dict()

    data = services.reports.load(ReportRequest((ids["programme"],), *YEAR, lang="es"))
    rows = {r.space: r for r in data.network}
    assert rows["Taula Jove"].meetings == figures.meetings
    assert rows["Taula Jove"].agreements_adopted == figures.agreements_adopted
    assert rows["Taula Jove"].agreements_done == figures.agreements_done
    assert rows["Comisión de ocio"].depth == 1

    window.go_to("networks")
    networks = window.stack.currentWidget()
    board = networks.board  # type: ignore[attr-defined]
    networks.tabs.setCurrentWidget(board)  # type: ignore[attr-defined]
    board.refresh()  # open ones by default: the one done has left the board
    assert [a.text for a in board.model.rows()] == ["Pedir la sala al distrito"]
    board.status.setCurrentIndex(board.status.findData(None))  # all
    board.refresh()
    statuses = {a.text: (a.status, a.closed_in_date) for a in board.model.rows()}
    assert statuses == {
        "Fiesta de final de curso": ("done", dt.date(2026, 11, 5)),
        "Pedir la sala al distrito": ("open", None),
    }

    # A person's name corrected elsewhere shows on the home page and in attendance at once.
    window.go_to("home")
    home = window.stack.currentWidget()
    window.go_to("people")
    people = window.stack.currentWidget()
    qtbot.waitUntil(lambda: not people.loading())  # type: ignore[attr-defined]
    qtbot.keyClicks(people.search, "Serra")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: people.proxy.rowCount() == 1)  # type: ignore[attr-defined]
    people.list.setCurrentIndex(people.proxy.index(0, 0))  # type: ignore[attr-defined]
    assert people.form.given_name.text() == "Laia"  # type: ignore[attr-defined]
    people.form.given_name.setText("Laia Maria")  # type: ignore[attr-defined]
    qtbot.mouseClick(people.save_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert services.people.get(ids["Laia"]).given_name == "Laia Maria"
    window.go_to("programmes")  # the activity's roster, built before, has the new name
    roster = programmes.activities.roster  # type: ignore[attr-defined]
    assert roster.activity_id == ids["activity"]
    qtbot.waitUntil(lambda: any("Laia Maria" in r.person_name for r in roster.model.rows()))
    window.go_to("home")
    qtbot.waitUntil(
        lambda: any("Laia Maria" in r.name for r in home.consent_model.rows())  # type: ignore[attr-defined]
    )
    home.open_attendance(sessions[0].id)  # type: ignore[attr-defined]
    att = home.dialog  # type: ignore[attr-defined]
    assert any("Laia Maria" in r.name for r in att.model.rows())
    assert att.held_button.text().replace("&", "").startswith("Marcar")

    # The language changes with the dialog open: the dialog and the pages follow.
    application.set_language("ca")
    qtbot.waitUntil(lambda: att.windowTitle() == "Assistència")
    qtbot.waitUntil(lambda: window.nav.item(0).text() == "Inici")
    att.table.setFocus()
    att.table.setCurrentIndex(att.model.index(0, 0))
    qtbot.keyClick(att.table, Qt.Key.Key_1)
    qtbot.mouseClick(att.held_button, Qt.MouseButton.LeftButton)
    assert services.figures.compute([ids["programme"]], *YEAR).sessions == 1


def _type_row(qtbot: QtBot, editor: object, *values: str) -> None:
    """Settings > Team, places and funders: New, type each field, Enter saves."""
    editor.new()  # type: ignore[attr-defined]
    inputs = [w for w in editor.inputs.values() if hasattr(w, "returnPressed")]  # type: ignore[attr-defined]
    for widget, value in zip(inputs, values, strict=False):
        widget.setFocus()
        qtbot.keyClicks(widget, value)
    qtbot.keyClick(inputs[0], Qt.Key.Key_Return)


def _check(checklist: object, label: str) -> None:
    for row in range(checklist.count()):  # type: ignore[attr-defined]
        item = checklist.item(row)  # type: ignore[attr-defined]
        if item.text() == label:
            item.setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(f"{label} is not offered")


def test_first_morning_set_up_through_the_window_then_spanish(  # noqa: PLR0915
    qtbot: QtBot, application: Application, prompts
) -> None:
    """Settings, programme, activity and roster typed in the window; pages already built see
    what the others add; the interface turns Spanish with the series dialog open."""
    db = open_database(paths.db_path())
    Services(db).profile.save(EntityProfileDTO(id="", name="Casal del Teixit"))
    people = [
        Services(db).people.save(PersonDTO(given_name=g, family_names=f))[0]
        for g, f in (("Laia", "Serra Vidal"), ("Omar", "Haddad Amrani"))
    ]
    db.close()
    window = _window(qtbot, application, "ca")
    services = window.services
    window.go_to("programmes")  # built before the team exists: must follow what Settings adds
    programmes = window.stack.currentWidget()

    window.go_to("settings")
    settings = window.stack.currentWidget()
    lists = next(
        settings.tabs.widget(i)  # type: ignore[attr-defined]
        for i in range(settings.tabs.count())  # type: ignore[attr-defined]
        if hasattr(settings.tabs.widget(i), "editors")  # type: ignore[attr-defined]
    )
    settings.tabs.setCurrentWidget(lists)  # type: ignore[attr-defined]
    staff_editor, place_editor, funder_editor = lists.editors
    _type_row(qtbot, staff_editor, "Aina Puig", "educadora")
    _type_row(qtbot, place_editor, "Casal de Barri", "C/ Major 1")
    _type_row(qtbot, funder_editor, "Ajuntament")
    assert [s.name for s in services.profile.staff()] == ["Aina Puig"]
    assert [p.name for p in services.profile.places()] == ["Casal de Barri"]
    assert [f.name for f in services.profile.funders()] == ["Ajuntament"]

    window.go_to("programmes")
    programmes.new_programme()  # type: ignore[attr-defined]
    form = programmes.form  # type: ignore[attr-defined]
    qtbot.keyClicks(form.code, "JOVE")
    qtbot.keyClicks(form.name, "Joves al barri")
    form.start.set_value(YEAR[0])
    form.end.set_value(YEAR[1])
    form.responsible.setCurrentIndex(form.responsible.findText("Aina Puig"))
    _check(form.funders, "Ajuntament")
    qtbot.mouseClick(form.add_indicator, Qt.MouseButton.LeftButton)
    form.indicators.item(0, form.COL_NAME).setText("Joves participants")
    kind = form.indicators.cellWidget(0, form.COL_KIND)
    kind.setCurrentIndex(kind.findData("participants"))
    form.indicators.setItem(0, form.COL_TARGET, QTableWidgetItem("10"))
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    programme = services.programmes.by_code("JOVE")
    assert programme is not None, prompts.shown
    assert programme.responsible_staff_id == services.profile.staff()[0].id
    assert len(programme.funder_ids) == 1
    assert [(i.kind, i.target) for i in programme.indicators] == [("participants", 10)]

    panel = programmes.activities  # type: ignore[attr-defined]
    programmes.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
    panel.new_activity()
    qtbot.keyClicks(panel.name, "Taller de radio")
    panel.place.setCurrentIndex(panel.place.findText("Casal de Barri"))
    panel.start_time.set_value(dt.time(17, 0))
    panel.end_time.set_value(dt.time(19, 0))
    _check(panel.facilitators, "Aina Puig")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    (activity,) = services.programmes.activities(programme.id)
    assert activity.place_id == services.profile.places()[0].id
    assert activity.facilitator_ids == (services.profile.staff()[0].id,)
    for person in people:  # the roster: type part of the name, Enter enrols
        panel.roster.picker.search.setFocus()
        qtbot.keyClicks(panel.roster.picker.search, person.family_names[:5])
        qtbot.keyClick(panel.roster.picker.search, Qt.Key.Key_Return)
    assert {e.participant_id for e in services.people.roster(activity.id or "")} == {
        p.id for p in people
    }

    # The series dialog is open when the interface turns Spanish: it follows, holidays too.
    dialog = _series(qtbot, window, activity.id or "")
    assert "Diada" in dialog.preview.item(1).text()
    application.set_language("es")
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Nueva serie de sesiones")
    assert "se omite" in dialog.preview.item(1).text()
    assert dialog.summary.text().startswith("Sesiones")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    created = services.sessions.find()
    assert len(created) == 5
    staff_id = services.profile.staff()[0].id
    assert {(s.facilitator_ids, s.place_name, s.start_time) for s in created} == {
        ((staff_id,), "Casal de Barri", dt.time(17, 0))
    }
    qtbot.waitUntil(lambda: programmes.figures.figures is not None)  # type: ignore[attr-defined]

    # Today's session on the home page names its place; the place renamed in Settings follows.
    today, changes = services.sessions.save(
        services.sessions.defaults_for(activity.id or "", dt.date.today())
    )
    window.bus.emit_changes(changes)
    window.go_to("home")
    home = window.stack.currentWidget()
    model = home.today_model  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: [r.place_name for r in model.rows()] == ["Casal de Barri"])
    window.go_to("settings")
    place_editor.table.selectRow(0)
    place_editor.inputs["name"].setText("Casal de Barri Nou")
    qtbot.keyClick(place_editor.inputs["name"], Qt.Key.Key_Return)
    window.go_to("home")
    qtbot.waitUntil(lambda: [r.place_name for r in model.rows()] == ["Casal de Barri Nou"])


def _columns(model: QAbstractItemModel) -> int:
    try:
        return model.columnCount(QModelIndex())
    except TypeError:  # list models hide it
        return 0


def _visible_texts(window: QWidget) -> set[tuple[str, str]]:
    """Every label, button, box title, tab, placeholder and column heading of the window."""
    out: set[tuple[str, str]] = set()
    out.update(("action", a.text()) for a in window.findChildren(QAction) if a.text())
    for w in window.findChildren(QWidget):
        if w.toolTip():
            out.add(("tooltip", w.toolTip()))
        if isinstance(w, QLabel | QAbstractButton) and w.text():
            out.add((w.objectName() or type(w).__name__, w.text()))
        if isinstance(w, QGroupBox):
            out.add(("box", w.title()))
        if isinstance(w, QTabWidget):
            out.update(("tab", w.tabText(i)) for i in range(w.count()))
        if isinstance(w, QLineEdit) and w.placeholderText():
            out.add(("placeholder", w.placeholderText()))
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            columns = _columns(model)
            for c in range(columns):
                out.add(("heading", str(model.headerData(c, Qt.Orientation.Horizontal))))
            for r in range(min(model.rowCount(QModelIndex()), 30)):  # cells: dates, statuses...
                for c in range(max(columns, 1)):
                    value = model.index(r, c, QModelIndex()).data()
                    if value is not None:
                        out.add(("cell", str(value)))
    return out


def _every_page(qtbot: QtBot, prompts, tmp_path: Path, first: str, then: str) -> set:  # type: ignore[no-untyped-def,type-arg]
    prefs = Preferences(
        QSettings(str(tmp_path / f"{first}-{then}.ini"), QSettings.Format.IniFormat)
    )
    app = Application(QApplication.instance(), prompts, prefs)  # type: ignore[arg-type]
    window = _window(qtbot, app, first)
    for key in AREAS:
        window.go_to(key)
    if then != first:
        app.set_language(then)
        qtbot.waitUntil(lambda: window.nav.item(0).text() == {"ca": "Inici", "es": "Inicio"}[then])
    for key in AREAS:
        window.go_to(key)
    QThreadPool.globalInstance().waitForDone(10000)
    qtbot.wait(100)  # queued results of background work (figures) reach their widgets
    texts = _visible_texts(window)
    window.close()
    app.stop()
    return texts


@pytest.mark.parametrize(
    ("first", "then"), [("ca", "es"), pytest.param("es", "ca", marks=pytest.mark.slow)]
)
def test_a_live_switch_looks_like_a_fresh_start(
    qtbot: QtBot, prompts, tmp_path: Path, first: str, then: str, db_templates
) -> None:  # type: ignore[no-untyped-def]
    """After switching language, every page shows exactly what a window opened in that
    language shows: no string left behind (the calendar pop-ups' month names were). The
    switch back to Catalan runs with the slow tests."""
    db_templates.place(db_templates.demo())
    switched = _every_page(qtbot, prompts, tmp_path, first, then)
    fresh = _every_page(qtbot, prompts, tmp_path, then, then)
    i18n.set_language("ca")
    assert len(fresh) > 200
    assert switched - fresh == set()
    assert fresh - switched == set()


def _open_dialogs(window: MainWindow) -> dict[str, QWidget]:
    """The dialogs a team opens every week, on the demo data."""
    services = window.services
    held = next(s for s in services.sessions.find() if s.status == "held" and s.recorded)
    window.go_to("sessions")
    sessions = window.stack.currentWidget()
    out: dict[str, QWidget] = {}
    sessions.new_series()  # type: ignore[attr-defined]
    out["series"] = sessions.dialog  # type: ignore[attr-defined]
    sessions.new_session()  # type: ignore[attr-defined]
    out["session"] = sessions.dialog  # type: ignore[attr-defined]
    sessions.open_attendance(held.id)  # type: ignore[attr-defined]
    attendance = sessions.dialog  # type: ignore[attr-defined]
    out["attendance"] = attendance
    attendance.new_walk_in("Nil Roca")
    out["new person"] = attendance.quick_dialog
    attendance.print_sheet()
    out["sheet"] = attendance.sheet_dialog
    window.go_to("reports")
    out["report"] = window.stack.currentWidget().open_dialog()  # type: ignore[attr-defined]
    window.go_to("programmes")
    programmes = window.stack.currentWidget()
    programmes.select(held.programme_id)  # type: ignore[attr-defined]
    programmes.open_register(held.activity_id)  # type: ignore[attr-defined]
    out["register"] = programmes.dialog  # type: ignore[attr-defined]
    window.go_to("networks")
    networks = window.stack.currentWidget()
    networks.tree.setCurrentIndex(networks.tree_model.index(0, 0))  # type: ignore[attr-defined]
    networks.new_meeting()  # type: ignore[attr-defined]
    out["meeting"] = networks.meeting_dialog  # type: ignore[attr-defined]
    return out


def _dialog_texts(qtbot: QtBot, prompts, tmp_path: Path, first: str, then: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    prefs = Preferences(
        QSettings(str(tmp_path / f"d{first}-{then}.ini"), QSettings.Format.IniFormat)
    )
    app = Application(QApplication.instance(), prompts, prefs)  # type: ignore[arg-type]
    window = _window(qtbot, app, first)
    dialogs = _open_dialogs(window)
    if then != first:
        app.set_language(then)
        qtbot.waitUntil(lambda: window.nav.item(0).text() == {"ca": "Inici", "es": "Inicio"}[then])
    QThreadPool.globalInstance().waitForDone(10000)
    qtbot.wait(100)
    assert all(dialogs.values()), dialogs
    texts = {name: _visible_texts(d) | {("title", d.windowTitle())} for name, d in dialogs.items()}
    for d in reversed(dialogs.values()):
        d.close()
    window.close()
    app.stop()
    return texts


def test_open_dialogs_follow_a_live_switch(
    qtbot: QtBot, prompts, tmp_path: Path, db_templates
) -> None:  # type: ignore[no-untyped-def]
    db_templates.place(db_templates.demo())
    switched = _dialog_texts(qtbot, prompts, tmp_path, "ca", "es")
    fresh = _dialog_texts(qtbot, prompts, tmp_path, "es", "es")
    i18n.set_language("ca")
    for name in fresh:
        assert switched[name] ^ fresh[name] == set(), name


def test_a_paper_register_typed_in_counts_in_the_figures(
    qtbot: QtBot, application: Application
) -> None:
    """A month's signed register typed into the grid: the sessions leave the home page's
    reminder and reach the figures (they took place: someone was there)."""
    ids = _set_up()
    db = open_database(paths.db_path())
    Services(db).sessions.create_series(
        SeriesRequest(
            activity_id=ids["activity"],
            date_from=SERIES_FROM,
            date_to=SERIES_TO,
            weekdays=frozenset({FRIDAY}),
        )
    )
    db.close()
    window = _window(qtbot, application, "ca")
    services = window.services
    home = window.stack.currentWidget()
    qtbot.waitUntil(lambda: home.pending_model.total() == 5)  # type: ignore[attr-defined]
    window.go_to("programmes")
    programmes = window.stack.currentWidget()
    programmes.select(ids["programme"])  # type: ignore[attr-defined]
    programmes.open_register(ids["activity"])  # type: ignore[attr-defined]
    register = programmes.dialog  # type: ignore[attr-defined]
    register.set_period(dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    assert register.model.columnCount() == 3  # 4, 18 and 25 September
    register.table.setFocus()
    for column, key in ((0, Qt.Key.Key_P), (1, Qt.Key.Key_L), (2, Qt.Key.Key_A)):
        register.table.setCurrentIndex(register.model.index(0, column))
        qtbot.keyClick(register.table, key)  # the first person: present, late, absent
    qtbot.mouseClick(register.close_button, Qt.MouseButton.LeftButton)
    window.go_to("home")
    qtbot.waitUntil(lambda: home.pending_model.total() == 2)  # type: ignore[attr-defined]
    figures = services.figures.compute([ids["programme"]], *YEAR)
    # 25 September (only an absence) is recorded but not known to have taken place.
    assert (figures.sessions, figures.participants, figures.attendances) == (2, 1, 2)
