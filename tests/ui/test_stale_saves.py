"""Nobody overwrites anybody, in the window: another PC saves the record while the form is open;
saving shows both versions side by side (through the prompts) and the person keeps theirs, takes
the other's or chooses field by field. Checked in the database, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.db.engine import Database, open_database, open_url
from app.domain.networks import MeetingDTO, SpaceDTO
from app.domain.people import PersonDTO
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import SessionDTO
from app.services.container import Services
from tests.support.fake_prompts import FakePrompts
from ui.compare_dialog import CompareDialog
from ui.dialogs.meeting_dialog import MeetingDialog
from ui.dialogs.session_dialog import SessionDialog
from ui.pages.people_page import PeoplePage
from ui.pages.programmes_page import ProgrammesPage
from ui.prompts import StaleField

#: Each test runs on a SQLite file and on an office (PostgreSQL) database.
BOTH_ENGINES = True

D = dt.date


@pytest.fixture
def other_pc(db: Database) -> Iterator[Services]:
    """The same database opened a second time, as another office PC has it."""
    if db.is_file:
        other = open_database(db.path)
    else:
        other = open_url(db.engine.url.render_as_string(hide_password=False))
    yield Services(other)
    other.close()


def _person_page(qtbot, services: Services, bus, prompts) -> tuple[PeoplePage, PersonDTO]:
    person, _c = services.people.save(PersonDTO("Laia", "Serra", phone="600000001"))
    page = PeoplePage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.loading())
    qtbot.keyClicks(page.search, "laia")
    page.list.setCurrentIndex(page.proxy.index(0, 0))
    assert page.form.given_name.text() == "Laia"
    return page, person


def _retype(qtbot, line, text: str) -> None:
    line.clear()
    qtbot.keyClicks(line, text)


def _save(qtbot, page: PeoplePage) -> None:
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)


def _phone_edited_elsewhere(other_pc: Services, person: PersonDTO) -> None:
    """Another PC changes the phone while this PC has the form open."""
    other_pc.people.save(replace(other_pc.people.get(person.id or ""), phone="611111111"))


def _rows(prompts: FakePrompts) -> dict[str, StaleField]:
    [fields] = prompts.compared
    return {f.key: f for f in fields}


def test_keep_mine_reapplies_my_values_on_the_current_version(
    qtbot, services: Services, other_pc: Services, bus, prompts: FakePrompts
) -> None:
    page, person = _person_page(qtbot, services, bus, prompts)
    _phone_edited_elsewhere(other_pc, person)
    _retype(qtbot, page.form.phone, "622222222")
    qtbot.keyClicks(page.form.notes, "Ve els dimarts")
    prompts.compares.append("mine")
    _save(qtbot, page)
    [shown] = [s for s in prompts.shown if s.kind == "compare"]
    assert "Laia Serra" in shown.text
    rows = _rows(prompts)
    assert (rows["phone"].theirs, rows["phone"].mine) == ("611111111", "622222222")
    assert rows["phone"].differs and rows["notes"].differs
    assert not rows["given_name"].differs
    saved = services.people.get(person.id or "")
    assert (saved.phone, saved.notes, saved.version) == ("622222222", "Ve els dimarts", 3)
    assert page.form.phone.text() == "622222222" and not page.has_unsaved_changes()


def test_take_theirs_discards_mine_and_shows_the_current_record(
    qtbot, services: Services, other_pc: Services, bus, prompts: FakePrompts
) -> None:
    page, person = _person_page(qtbot, services, bus, prompts)
    _phone_edited_elsewhere(other_pc, person)
    _retype(qtbot, page.form.phone, "622222222")
    prompts.compares.append("theirs")
    _save(qtbot, page)
    saved = services.people.get(person.id or "")
    assert (saved.phone, saved.version) == ("611111111", 2)  # nothing of mine was written
    assert page.form.phone.text() == "611111111"
    assert not page.has_unsaved_changes()
    # The form now holds the current version: the next save goes through without a compare.
    qtbot.keyClicks(page.form.notes, "Ok")
    _save(qtbot, page)
    assert len(prompts.compared) == 1
    assert services.people.get(person.id or "").notes == "Ok"


def test_field_by_field_keeps_their_phone_and_my_notes(
    qtbot, services: Services, other_pc: Services, bus, prompts: FakePrompts
) -> None:
    page, person = _person_page(qtbot, services, bus, prompts)
    _phone_edited_elsewhere(other_pc, person)
    _retype(qtbot, page.form.phone, "622222222")
    qtbot.keyClicks(page.form.notes, "Ve els dimarts")
    prompts.compares.append({"phone": False, "notes": True})
    _save(qtbot, page)
    rows = _rows(prompts)
    assert rows["phone"].changed_by_me and rows["notes"].changed_by_me
    saved = services.people.get(person.id or "")
    assert (saved.phone, saved.notes, saved.version) == ("611111111", "Ve els dimarts", 3)


def test_cancelling_the_compare_saves_nothing_and_keeps_what_was_typed(
    qtbot, services: Services, other_pc: Services, bus, prompts: FakePrompts
) -> None:
    page, person = _person_page(qtbot, services, bus, prompts)
    _phone_edited_elsewhere(other_pc, person)
    _retype(qtbot, page.form.phone, "622222222")
    _save(qtbot, page)  # no answer queued: the compare is cancelled
    assert len(prompts.compared) == 1
    assert services.people.get(person.id or "").phone == "611111111"
    assert page.form.phone.text() == "622222222" and page.has_unsaved_changes()


def test_a_field_only_they_changed_starts_on_theirs(
    qtbot, services: Services, other_pc: Services, bus, prompts: FakePrompts
) -> None:
    page, person = _person_page(qtbot, services, bus, prompts)
    _phone_edited_elsewhere(other_pc, person)
    qtbot.keyClicks(page.form.notes, "Ve els dimarts")
    prompts.compares.append(None)
    _save(qtbot, page)
    rows = _rows(prompts)
    assert rows["phone"].differs and not rows["phone"].changed_by_me
    assert rows["notes"].changed_by_me


def _session(services: Services) -> SessionDTO:
    prog, _c = services.programmes.save(
        ProgrammeDTO(code="JOV", name="Joves", category="prevention")
    )
    act, _c = services.programmes.save_activity(ActivityDTO(prog.id or "", "Taller de cuina"))
    saved, _c = services.sessions.save(
        SessionDTO(act.id or "", D(2026, 3, 10), start_time=dt.time(17), end_time=dt.time(19))
    )
    return saved


def test_session_dialog_compares_and_keeps_both_changes(
    qtbot, services: Services, other_pc: Services, bus, prompts: FakePrompts
) -> None:
    opened = _session(services)
    dialog = SessionDialog(services, prompts, services.sessions.get(opened.id or ""), bus=bus)
    qtbot.addWidget(dialog)
    other_pc.sessions.save(replace(other_pc.sessions.get(opened.id or ""), notes="Davantals"))
    dialog.start_time.set_value(dt.time(18))
    prompts.compares.append({"start_time": True, "notes": False})
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    rows = _rows(prompts)
    assert (rows["notes"].theirs, rows["notes"].mine) == ("Davantals", "")
    assert (rows["start_time"].theirs, rows["start_time"].mine) == ("17:00", "18:00")
    saved = services.sessions.get(opened.id or "")
    assert (saved.start_time, saved.notes, saved.version) == (dt.time(18), "Davantals", 3)
    assert dialog.result() == SessionDialog.DialogCode.Accepted


def test_session_dialog_take_theirs_reloads_the_form(
    qtbot, services: Services, other_pc: Services, bus, prompts: FakePrompts
) -> None:
    opened = _session(services)
    dialog = SessionDialog(services, prompts, services.sessions.get(opened.id or ""), bus=bus)
    qtbot.addWidget(dialog)
    other_pc.sessions.save(replace(other_pc.sessions.get(opened.id or ""), notes="Davantals"))
    dialog.notes.setPlainText("Les meves")
    prompts.compares.append("theirs")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.notes.toPlainText() == "Davantals"
    assert services.sessions.get(opened.id or "").version == 2
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()  # now current
    assert services.sessions.get(opened.id or "").version == 3
    assert len(prompts.compared) == 1


def test_programme_page_compares_a_programme_saved_elsewhere(
    qtbot, services: Services, other_pc: Services, bus, prompts: FakePrompts
) -> None:
    prog, _c = services.programmes.save(
        ProgrammeDTO(code="JOV", name="Joves", category="prevention")
    )
    page = ProgrammesPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    assert page.form.code.text() == "JOV"
    other_pc.programmes.save(replace(other_pc.programmes.get(prog.id or ""), name="Joves 2026"))
    qtbot.keyClicks(page.form.description, "Per a joves de 14 a 18 anys")
    prompts.compares.append("mine")
    qtbot.mouseClick(page.form.save_button, Qt.MouseButton.LeftButton)
    rows = _rows(prompts)
    assert (rows["name"].theirs, rows["name"].mine) == ("Joves 2026", "Joves")
    assert not rows["name"].changed_by_me
    saved = services.programmes.get(prog.id or "")
    # Keep mine: everything as typed, over the current version.
    assert (saved.name, saved.description, saved.version) == (
        "Joves",
        "Per a joves de 14 a 18 anys",
        3,
    )


def test_meeting_dialog_compares_minutes_and_agreements(
    qtbot, services: Services, other_pc: Services, bus, prompts: FakePrompts
) -> None:
    space, _c = services.networks.save_space(SpaceDTO(None, "Xarxa de Sants", role="member"))
    meeting, _c = services.networks.save_meeting(
        MeetingDTO(None, space.id or "", D(2026, 3, 1), dt.time(10), dt.time(12))
    )
    dialog = MeetingDialog(services, bus, prompts, space.id or "", meeting.id)
    qtbot.addWidget(dialog)
    other_pc.networks.save_meeting(
        replace(other_pc.networks.meeting(meeting.id or ""), minutes="Acta de la Marta")
    )
    dialog.place.setText("Casal de Barri")
    dialog.minutes.setPlainText("La meva acta")
    prompts.compares.append({"minutes": False, "place": True, "status": True})
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    rows = _rows(prompts)
    assert (rows["minutes"].theirs, rows["minutes"].mine) == ("Acta de la Marta", "La meva acta")
    saved = services.networks.meeting(meeting.id or "")
    assert (saved.minutes, saved.place, saved.version) == ("Acta de la Marta", "Casal de Barri", 3)


def test_the_compare_dialog_shows_both_and_answers_each_button(qtbot) -> None:
    fields = [
        StaleField("given_name", "Nom", "Laia", "Laia"),
        StaleField("phone", "Telèfon", "611111111", "622222222"),
        StaleField("notes", "Notes", "", "Ve els dimarts", changed_by_me=True),
        StaleField("email", "Correu", "laia@example.org", "", changed_by_me=False),
    ]
    dialog = CompareDialog("Persona", "Algú altre ha canviat Laia Serra.", fields)
    qtbot.addWidget(dialog)
    dialog.show()
    assert set(dialog.mine_buttons) == {"phone", "notes", "email"}  # only differing fields
    assert dialog.theirs_buttons["phone"].text() == "611111111"
    assert dialog.mine_buttons["phone"].text() == "622222222"
    assert dialog.mine_buttons["phone"].isChecked()
    assert dialog.theirs_buttons["email"].isChecked()  # only they changed it
    assert dialog.theirs_buttons["phone"].styleSheet()  # highlighted
    qtbot.mouseClick(dialog.theirs_buttons["phone"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_choice, Qt.MouseButton.LeftButton)
    assert dialog.result() == CompareDialog.DialogCode.Accepted
    assert dialog.choice() == {"phone": False, "notes": True, "email": False}

    for button, expected in (("keep_mine", True), ("take_theirs", False)):
        again = CompareDialog("Persona", "…", fields)
        qtbot.addWidget(again)
        again.show()
        qtbot.mouseClick(getattr(again, button), Qt.MouseButton.LeftButton)
        assert again.choice() == {"phone": expected, "notes": expected, "email": expected}


@pytest.mark.parametrize("answer", ["mine", "theirs"])
def test_attendance_notes_over_someone_elses_compare_first(
    qtbot, services: Services, other_pc: Services, bus, prompts: FakePrompts, answer: str
) -> None:
    from ui.dialogs.attendance_dialog import AttendanceDialog

    opened = _session(services)
    dialog = AttendanceDialog(services, bus, prompts, opened.id or "")
    qtbot.addWidget(dialog)
    other_pc.sessions.close_attendance(opened.id or "", [], "Notes de la Laia")
    qtbot.keyClicks(dialog.notes, "Les meves notes")
    prompts.compares.append(answer)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    rows = _rows(prompts)
    assert (rows["notes"].theirs, rows["notes"].mine) == ("Notes de la Laia", "Les meves notes")
    stored = services.sessions.get(opened.id or "").notes
    if answer == "mine":
        assert stored == "Les meves notes"
        assert dialog.result() == AttendanceDialog.DialogCode.Accepted
    else:
        assert stored == "Notes de la Laia"
        assert dialog.notes.toPlainText() == "Notes de la Laia"
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)  # nothing else typed
        assert len(prompts.compared) == 1
