"""People through the real widgets: validation next to the field, duplicates before saving,
merging two records with nothing lost, and search as you type."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from app.db.models import AuditEvent
from app.domain.people import ConsentDTO, PersonDTO
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import SessionDTO
from app.i18n import _
from app.services.container import Services
from ui.dialogs.merge_dialog import MergeDialog
from ui.pages.people_page import PeoplePage

D = dt.date


def _page(qtbot, services, bus, prompts) -> PeoplePage:
    page = PeoplePage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.loading())  # the search index loads in the background
    return page


def test_validation_shows_next_to_the_field_and_saves_nothing(
    qtbot, services: Services, bus, prompts
) -> None:
    page = _page(qtbot, services, bus, prompts)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.form.given_name, "Nil")
    page.form.birth_date.set_value(D(dt.date.today().year - 8, 1, 15))
    page.form.doc_type.setCurrentIndex(page.form.doc_type.findData("dni"))
    qtbot.keyClicks(page.form.doc_number, "12345678A")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.form.errors.message("guardian_name").startswith(
        _("People under {age} need a parent or legal guardian: write their name.")[:10]
    )
    assert page.form.errors.message("id_document_number")
    assert services.people.search("") == []
    qtbot.keyClicks(page.form.guardian_name, "Rosa Puig")
    page.form.doc_number.clear()
    qtbot.keyClicks(page.form.doc_number, "12345678Z")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.form.errors.message("guardian_name") == ""
    [hit] = services.people.search("nil")
    assert hit.document == "12345678Z"


def test_search_as_you_type_over_name_document_and_phone(qtbot, services, bus, prompts) -> None:
    services.people.save(PersonDTO("Núria", "Pérez", phone="612 345 678"))
    services.people.save(PersonDTO("Joan", "Mas"))
    page = _page(qtbot, services, bus, prompts)
    assert page.model.total() == 2
    qtbot.keyClicks(page.search, "nuria")
    assert [h.name for h in page.model.rows()] == ["Núria Pérez"]
    page.search.clear()
    qtbot.keyClicks(page.search, "345 6")
    assert [h.name for h in page.model.rows()] == ["Núria Pérez"]


def test_duplicates_prompt_then_merge_two_records(qtbot, services: Services, bus, prompts) -> None:
    progs, sessions = services.programmes, services.sessions
    prog, _c = progs.save(ProgrammeDTO(code="P", name="P", category="prevention"))
    act, _c = progs.save_activity(ActivityDTO(programme_id=prog.id, name="Grup de dones"))
    s1, _c = sessions.save(SessionDTO(activity_id=act.id, date=D(2026, 3, 2), status="held"))
    s2, _c = sessions.save(SessionDTO(activity_id=act.id, date=D(2026, 3, 9), status="held"))
    first, _c = services.people.save(PersonDTO("Fatima", "Zahra", birth_date=D(1985, 4, 2)))
    services.people.enrol(act.id, first.id, D(2026, 3, 1))
    sessions.set_attendance(s1.id, {first.id: "present"})

    page = _page(qtbot, services, bus, prompts)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.form.given_name, "Fatima")
    qtbot.keyClicks(page.form.family_names, "Zahra El Idrissi")
    page.form.birth_date.set_value(D(1985, 4, 2))
    qtbot.keyClicks(page.form.phone, "600 111 222")
    # First answer: no, do not create it; second: yes, it is another record after all.
    prompts.confirms = [False]
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    kind, title, text = prompts.shown[-1]
    assert kind == "confirm" and "Fatima Zahra" in text
    assert len(services.people.search("fatima")) == 1
    prompts.confirms = [True]
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    second = page.form.person
    assert second is not None and second.id != first.id
    sessions.set_attendance(s2.id, {second.id: "late"})
    services.people.save_consent(second.id, ConsentDTO("data_processing", True, D(2026, 3, 9)))

    # Merge: keep the first, find the second by typing its phone.
    page.search.clear()
    qtbot.keyClicks(page.search, "fatima")
    page._select_row(first.id)
    page._show(first.id)
    qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, MergeDialog)
    qtbot.keyClicks(dialog.picker.search, "600111")
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)
    assert dialog.other_id == second.id
    prompts.confirms = [True]
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )

    kept = services.people.get(first.id)
    assert kept.phone == "600 111 222"
    assert [(r.date, r.status) for r in services.people.history(first.id)] == [
        (D(2026, 3, 9), "late"),
        (D(2026, 3, 2), "present"),
    ]
    assert [c.kind for c in services.people.consents(first.id)] == ["data_processing"]
    assert [h.id for h in services.people.search("fatima")] == [first.id]
    assert page.model.total() == 1
    figures = services.figures.compute([prog.id], D(2026, 1, 1), D(2026, 12, 31))
    assert (figures.participants, figures.attendances) == (1, 2)
    with services.db.read() as s:
        assert s.scalar(select(AuditEvent.action)) == "merge"


def test_history_follows_a_session_moved_elsewhere(qtbot, services: Services, bus, prompts) -> None:
    progs, sessions = services.programmes, services.sessions
    prog, _c = progs.save(ProgrammeDTO(code="P", name="P", category="prevention"))
    act, _c = progs.save_activity(ActivityDTO(programme_id=prog.id, name="Taller"))
    session, _c = sessions.save(SessionDTO(activity_id=act.id, date=D(2026, 3, 2), status="held"))
    person, _c = services.people.save(PersonDTO("Laia", "Puig"))
    sessions.set_attendance(session.id, {person.id: "present"})
    page = _page(qtbot, services, bus, prompts)
    page._select_row(person.id)
    page._show(person.id)
    assert [r.date for r in page.history_model.rows()] == [D(2026, 3, 2)]
    bus.emit_changes(sessions.move(session.id, D(2026, 3, 4)))  # as the sessions page does
    assert [r.date for r in page.history_model.rows()] == [D(2026, 3, 4)]
