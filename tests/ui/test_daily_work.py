"""The daily work driven through the real widgets: a programme, an activity, a weekly series
with a holiday skipped, three people enrolled, attendance by keyboard, and the figures."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.db.models import Place, Staff
from app.domain.people import PersonDTO
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import SessionFilter
from app.i18n import _
from app.services.container import Services
from ui.dialogs.attendance_dialog import AttendanceDialog
from ui.dialogs.series_dialog import SeriesDialog
from ui.pages.programmes_page import ProgrammesPage
from ui.pages.sessions_page import SessionsPage

D = dt.date


def _figure(page: ProgrammesPage, label: str) -> tuple[str, str]:
    for line in page.figures.model.rows():
        if line.label == label:
            return line.value, line.second
    raise AssertionError(label)


def test_programme_to_figures_by_keyboard(qtbot, services: Services, bus, prompts) -> None:
    with services.db.begin() as s:
        s.add_all([Staff(name="Marta Vila"), Place(name="Casal de Barri")])
    for given, family, gender in (
        ("Anna", "Puig", "woman"),
        ("Bea", "Roca", "woman"),
        ("Carles", "Soler", "man"),
    ):
        services.people.save(PersonDTO(given, family, gender=gender, birth_year=1990))

    page = ProgrammesPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.form.code, "COST-26")
    qtbot.keyClicks(page.form.name, "Costura al barri")
    qtbot.keyClicks(page.form.objectives, "Crear vincles")
    qtbot.mouseClick(page.form.add_indicator, Qt.MouseButton.LeftButton)
    page.form.indicators.item(0, 0).setText("Persones participants")
    kind = page.form.indicators.cellWidget(0, 1)
    kind.setCurrentIndex(kind.findData("participants"))
    page.form.indicators.item(0, 2).setText("3")
    qtbot.mouseClick(page.form.save_button, Qt.MouseButton.LeftButton)
    [programme] = services.programmes.all()
    assert programme.code == "COST-26" and programme.objectives == ("Crear vincles",)
    assert programme.indicators[0].kind == "participants"

    # An activity with its usual times, then three people enrolled by typing.
    page.tabs.setCurrentIndex(1)
    panel = page.activities
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(panel.name, "Taller de costura")
    panel.start_time.set_value(dt.time(17))
    panel.end_time.set_value(dt.time(19))
    panel.place.setCurrentIndex(1)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    [activity] = services.programmes.activities(programme.id)
    assert activity.start_time == dt.time(17) and activity.place_id
    panel.roster.enrol_from.set_value(D(2026, 9, 1))
    for typed in ("anna", "roca", "carl"):
        qtbot.keyClicks(panel.roster.picker.search, typed)
        assert panel.roster.picker.results.isVisible()
        qtbot.keyClick(panel.roster.picker.search, Qt.Key.Key_Return)
    assert [r.person_name for r in panel.roster.model.rows()] == [
        "Anna Puig",
        "Bea Roca",
        "Carles Soler",
    ]

    # A weekly series over September 2026: Friday 11 (Diada) is skipped.
    sessions = SessionsPage(services, bus, prompts)
    qtbot.addWidget(sessions)
    sessions.show()
    sessions.date_from.set_value(D(2026, 9, 1))
    sessions.date_to.set_value(D(2026, 9, 30))
    qtbot.mouseClick(sessions.buttons["series"], Qt.MouseButton.LeftButton)
    dialog = sessions.dialog
    assert isinstance(dialog, SeriesDialog)
    dialog.activity.setCurrentIndex(dialog.activity.findData(activity.id))
    dialog.date_from.set_value(D(2026, 9, 1))
    dialog.date_to.set_value(D(2026, 9, 30))
    qtbot.mouseClick(dialog.days[4], Qt.MouseButton.LeftButton)  # Friday
    assert dialog.preview.count() == 4
    assert "11" in dialog.preview.item(1).text() and "Diada" in dialog.preview.item(1).text()
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    created = services.sessions.find(SessionFilter(activity_id=activity.id))
    assert [x.date.day for x in created] == [4, 18, 25]
    assert sessions.model.total() == 3

    # Attendance of the first session with the keyboard only.
    sessions.table.setFocus()
    sessions.table.selectRow(0)
    qtbot.keyClick(sessions.table, Qt.Key.Key_Return)
    att = sessions.dialog
    assert isinstance(att, AttendanceDialog)
    assert [r.name for r in att.model.rows()] == ["Anna Puig", "Bea Roca", "Carles Soler"]
    qtbot.keyClick(att.table, Qt.Key.Key_P)  # Anna present, moves down
    qtbot.keyClick(att.table, Qt.Key.Key_2)  # Bea late
    qtbot.keyClick(att.table, Qt.Key.Key_A)  # Carles absent...
    qtbot.keyClick(att.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # ...undone
    assert att.model.row(2).status is None
    att.table.setCurrentIndex(att.model.index(2, 0))
    qtbot.keyClick(att.table, Qt.Key.Key_E)  # Carles excused
    assert [r.status for r in att.model.rows()] == ["present", "late", "excused"]
    qtbot.mouseClick(att.held_button, Qt.MouseButton.LeftButton)
    assert services.sessions.get(created[0].id).status == "held"

    # Second session: everyone present with Ctrl+Shift+P.
    sessions.select(created[1].id)
    qtbot.mouseClick(sessions.buttons["attendance"], Qt.MouseButton.LeftButton)
    att = sessions.dialog
    qtbot.keyClick(
        att.table,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert [r.status for r in att.model.rows()] == ["present"] * 3
    qtbot.mouseClick(att.held_button, Qt.MouseButton.LeftButton)

    # The programme's figures for September.
    page.tabs.setCurrentIndex(2)
    page.figures.date_from.set_value(D(2026, 9, 1))
    page.figures.date_to.set_value(D(2026, 9, 30))
    qtbot.waitUntil(
        lambda: (
            not page.figures.busy()
            and page.figures.figures is not None
            and page.figures.figures.date_from == D(2026, 9, 1)
            and page.figures.figures.date_to == D(2026, 9, 30)
        )
    )
    f = page.figures.figures
    assert (f.sessions, f.hours, f.participants, f.attendances) == (2, 4.0, 3, 5)
    assert f.by_gender["woman"].participants == 2 and f.by_gender["man"].attendances == 1
    # What the table shows (in the interface language).
    assert _figure(page, _("Sessions held")) == ("2", "")
    assert _figure(page, _("Unique participants")) == ("3", "")
    assert _figure(page, _("Total attendances")) == ("5", "")
    label = _("Indicator: {name}").format(name="Persones participants")
    assert _figure(page, label)[0] == _("{achieved} of {target}").format(achieved=3, target=3)


def test_enrolling_keeps_the_activity_and_unsaved_edits(
    qtbot, services: Services, bus, prompts
) -> None:
    prog, _c = services.programmes.save(ProgrammeDTO(code="P", name="Prog", category="prevention"))
    for name in ("Arts", "Teatre"):
        services.programmes.save_activity(ActivityDTO(programme_id=prog.id, name=name))
    services.people.save(PersonDTO("Greta", "Ruiz"))
    page = ProgrammesPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    qtbot.keyClicks(page.form.name, " nou")  # not saved yet
    page.tabs.setCurrentIndex(1)
    panel = page.activities
    panel.list.selectRow(1)
    assert panel.name.text() == "Teatre"
    qtbot.keyClicks(panel.roster.picker.search, "greta")
    qtbot.keyClick(panel.roster.picker.search, Qt.Key.Key_Return)
    assert panel.name.text() == "Teatre"
    assert [r.person_name for r in panel.roster.model.rows()] == ["Greta Ruiz"]
    assert page.form.name.text() == "Prog nou"
    teatre = [a for a in services.programmes.activities(prog.id) if a.name == "Teatre"][0]
    assert [e.person_name for e in services.people.roster(teatre.id)] == ["Greta Ruiz"]
