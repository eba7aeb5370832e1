"""The networks page driven as a user would: spaces, a commission, meetings, follow-up, board,
the organisations directory and a person's referrals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit

from app.db.models import Participant, Staff
from app.domain.networks import OrganisationDTO
from app.services.container import Services
from ui.dialogs.referral_dialog import ReferralsWidget
from ui.pages.networks_page import NetworksPage

D = dt.date

# The offscreen platform cannot pass size hints of a dialog to a window manager: harmless.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


class Clock:
    def __init__(self, today: dt.date) -> None:
        self.value = today

    def __call__(self) -> dt.date:
        return self.value


def _staff(services: Services, *names: str) -> list[str]:
    with services.db.begin() as s:
        rows = [Staff(name=n) for n in names]
        s.add_all(rows)
        s.flush()
        return [r.id for r in rows]


def _choose(combo: Any, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def _page(qtbot: Any, services: Services, bus: Any, prompts: Any, clock: Clock) -> NetworksPage:
    page = NetworksPage(services, bus, prompts, today=clock)
    qtbot.addWidget(page)
    page.resize(1100, 720)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    return page


def test_spaces_meetings_follow_up_and_board(
    qtbot: Any, services: Services, bus: Any, prompts: Any
) -> None:
    anna, _pau = _staff(services, "Anna Puig", "Pau Roca")
    services.networks.save_organisation(OrganisationDTO(None, "CAP Numància", "health_centre"))
    clock = Clock(D(2026, 10, 1))
    page = _page(qtbot, services, bus, prompts, clock)
    net = services.networks

    # A space, with validation next to the field and nothing saved when the name is missing.
    qtbot.mouseClick(page.new_space_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.panel.save_button, Qt.MouseButton.LeftButton)
    assert page.panel.errors["name"].isVisible() and net.spaces() == []
    QTest.keyClicks(page.panel.name, "Xarxa de Sants")
    QTest.keyClicks(page.panel.territory, "Sants")
    qtbot.mouseClick(page.panel.save_button, Qt.MouseButton.LeftButton)
    assert not page.panel.errors["name"].isVisible()
    (xarxa,) = net.spaces()
    assert page.current_space_id() == xarxa.id

    # A commission under it.
    qtbot.mouseClick(page.new_commission_button, Qt.MouseButton.LeftButton)
    QTest.keyClicks(page.panel.name, "Grup de treball de festes")
    _choose(page.panel.role, "Grup motor")
    qtbot.mouseClick(page.panel.save_button, Qt.MouseButton.LeftButton)
    com = next(s for s in net.spaces() if s.parent_id == xarxa.id)
    assert (com.name, com.role, com.territory, com.depth) == (
        "Grup de treball de festes",
        "driving_group",
        "Sants",
        1,
    )
    assert page.current_space_id() == com.id

    # A meeting: two attendees, an apology, agenda, two agreements.
    qtbot.mouseClick(page.panel.new_meeting_button, Qt.MouseButton.LeftButton)
    dlg = page.meeting_dialog
    assert dlg is not None and dlg.isVisible()
    dlg.date.setDate(QDate(2026, 10, 5))
    QTest.keyClicks(dlg.place, "Casal de Barri Cotxeres")
    qtbot.mouseClick(dlg.attendees.add_staff_button, Qt.MouseButton.LeftButton)
    _choose(dlg.attendees.table.cellWidget(0, 0), "Anna Puig")
    for name, status in (("Marta Vidal", "Ha assistit"), ("Joan Serra", "S'excusa")):
        qtbot.mouseClick(dlg.attendees.add_person_button, Qt.MouseButton.LeftButton)
        row = dlg.attendees.table.rowCount() - 1
        QTest.keyClicks(dlg.attendees.table.cellWidget(row, 0), name)
        _choose(dlg.attendees.table.cellWidget(row, 1), "CAP Numància")
        _choose(dlg.attendees.table.cellWidget(row, 2), status)
    for item in ("Benvinguda", "Campanya de festes"):
        QTest.keyClicks(dlg.agenda.new_item, item)
        QTest.keyClick(dlg.agenda.new_item, Qt.Key.Key_Return)
    QTest.keyClicks(dlg.minutes, "Es revisa la campanya.")
    for text, owner, due in (
        ("Fer el cartell", "Anna Puig", QDate(2026, 10, 20)),
        ("Reservar la sala", "CAP Numància", QDate(2026, 11, 15)),
    ):
        qtbot.mouseClick(dlg.agreements.add_button, Qt.MouseButton.LeftButton)
        row = dlg.agreements.table.rowCount() - 1
        QTest.keyClicks(dlg.agreements.table.cellWidget(row, 1), text)
        _choose(dlg.agreements.table.cellWidget(row, 2), owner)
        dlg.agreements.table.cellWidget(row, 3).setDate(due)
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    (summary,) = net.meetings(com.id)
    first = net.meeting(summary.id)
    assert [(a.name, a.organisation_name, a.status) for a in first.attendees] == [
        ("Anna Puig", "", "attended"),
        ("Marta Vidal", "CAP Numància", "attended"),
        ("Joan Serra", "CAP Numància", "apologised"),
    ]
    assert first.agenda == ("Benvinguda", "Campanya de festes")
    assert [(a.number, a.text, a.owner_name, a.due_date) for a in first.agreements] == [
        (1, "Fer el cartell", "Anna Puig", D(2026, 10, 20)),
        (2, "Reservar la sala", "CAP Numància", D(2026, 11, 15)),
    ]
    assert page.panel.figure_values["meetings"].text() == "1"
    assert page.panel.figure_values["adopted"].text() == "2"

    # Prepare the next meeting (Ctrl+N): the follow-up lists both; close the first one there.
    clock.value = D(2026, 11, 2)
    with qtbot.waitActive(page):
        page.activateWindow()
    page.panel.meetings.setFocus()
    QTest.keyClick(page.panel.meetings, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    nxt = page.meeting_dialog
    assert nxt is not None and nxt is not dlg and nxt.isVisible()
    assert nxt.place.text() == "Casal de Barri Cotxeres"
    assert [a.staff_id for a in nxt.attendees.value()] == [anna]
    assert nxt.follow_up.table.rowCount() == 2
    nxt.tabs.setCurrentIndex(3)
    nxt.follow_up.table.selectRow(0)
    qtbot.mouseClick(nxt.follow_up.done_button, Qt.MouseButton.LeftButton)
    assert nxt.follow_up.table.item(0, 4).text() == "Fet"
    qtbot.mouseClick(nxt.buttons.button(nxt.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    second = net.meetings(com.id)[0]
    assert second.date == D(2026, 11, 2)
    done = net.board(status="done")
    assert [(a.text, a.closed_in_meeting_id) for a in done] == [("Fer el cartell", second.id)]

    # The board shows the other as open; overdue (red) once its date has passed.
    page.tabs.setCurrentWidget(page.board)
    board = page.board
    assert [a.text for a in board.model.rows()] == ["Reservar la sala"]
    assert board.model.index(0, 6).data() == "Obert"
    assert board.model.index(0, 3).data(Qt.ItemDataRole.ForegroundRole) is None
    board.overdue.setChecked(True)
    assert board.model.rows() == []
    clock.value = D(2026, 11, 16)
    board.refresh()
    assert [a.text for a in board.model.rows()] == ["Reservar la sala"]
    assert board.model.index(0, 6).data() == "Vençut"
    red = board.model.index(0, 3).data(Qt.ItemDataRole.ForegroundRole)
    assert red.color().name() == "#b00020"
    board.overdue.setChecked(False)
    _choose(board.status, "Tots")
    _choose(board.owner, "Anna Puig")
    assert [a.text for a in board.model.rows()] == ["Fer el cartell"]


def test_meeting_validation_keeps_dialog_open(
    qtbot: Any, services: Services, bus: Any, prompts: Any
) -> None:
    page = _page(qtbot, services, bus, prompts, Clock(D(2026, 10, 1)))
    qtbot.mouseClick(page.new_space_button, Qt.MouseButton.LeftButton)
    QTest.keyClicks(page.panel.name, "Taula Radars")
    qtbot.mouseClick(page.panel.save_button, Qt.MouseButton.LeftButton)
    QTest.keyClick(page.panel.meetings, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dlg = page.meeting_dialog
    assert dlg is not None
    dlg.start.setTime(dlg.end.time().addSecs(3600))
    qtbot.mouseClick(dlg.agreements.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dlg.isVisible()
    assert dlg.errors["end_time"].isVisible() and "acabar" in dlg.errors["end_time"].text()
    assert dlg.tabs.currentIndex() == 2 and dlg.errors["agreements"].isVisible()
    assert services.networks.meetings() == []
    dlg.reject()


def test_organisations_directory_and_referrals(
    qtbot: Any, services: Services, bus: Any, prompts: Any
) -> None:
    page = _page(qtbot, services, bus, prompts, Clock(D(2026, 10, 1)))
    page.tabs.setCurrentWidget(page.directory)
    directory = page.directory
    for name in ("Serveis Socials Sants", "Escola Jaume I"):
        qtbot.mouseClick(directory.new_button, Qt.MouseButton.LeftButton)
        QTest.keyClicks(directory.name, name)
        qtbot.mouseClick(directory.save_button, Qt.MouseButton.LeftButton)
    assert [o.name for o in services.networks.organisations()] == [
        "Escola Jaume I",
        "Serveis Socials Sants",
    ]
    QTest.keyClicks(directory.search, "servei")
    assert [o.name for o in directory.model.rows()] == ["Serveis Socials Sants"]

    with services.db.begin() as s:
        person = Participant(given_name="Nora", family_names="Haddad")
        s.add(person)
        s.flush()
        pid = person.id
    widget = ReferralsWidget(services, bus, prompts)
    qtbot.addWidget(widget)
    widget.show()
    widget.set_participant(pid)
    qtbot.mouseClick(widget.add_button, Qt.MouseButton.LeftButton)
    dialog = widget.dialog
    assert dialog is not None
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert dialog.isVisible() and dialog.errors["to_organisation_id"].isVisible()
    _choose(dialog.to_org, "Serveis Socials Sants")
    QTest.keyClicks(dialog.reason, "Acompanyament a la cita")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert not dialog.isVisible()
    (ref,) = services.referrals.for_participant(pid)
    assert (ref.to_name, ref.reason) == ("Serveis Socials Sants", "Acompanyament a la cita")
    assert widget.model.rowCount() == 1
    directory.table.selectRow(0)
    assert [r.participant_name for r in directory.referrals_model.rows()] == ["Nora Haddad"]
    assert isinstance(directory.name, QLineEdit) and isinstance(directory.kind, QComboBox)


def test_delete_key_language_switch_and_models(
    qtbot: Any, services: Services, bus: Any, prompts: Any, qtmodeltester: Any
) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    from app import i18n
    from app.domain.networks import AgreementDTO, MeetingDTO, SpaceDTO

    net = services.networks
    space, _c = net.save_space(SpaceDTO(None, "Taula Radars de Sants"))
    net.save_meeting(
        MeetingDTO(None, space.id or "", D(2026, 10, 1), agreements=(AgreementDTO(None, "Fer"),))
    )
    net.save_space(SpaceDTO(None, "Taula d'Acció Social", active=False))
    page = _page(qtbot, services, bus, prompts, Clock(D(2026, 10, 2)))
    inactive = page.tree_model.item(0)
    assert inactive.text() == "Taula d'Acció Social"
    assert inactive.foreground().color().name() == "#8a8a8a" and inactive.font().italic()
    assert not page.new_commission_button.isEnabled()
    page.tree.setCurrentIndex(page.tree_model.index(1, 0))
    assert page.new_commission_button.isEnabled()
    assert page.panel.meetings_model.rowCount() == 1
    qtmodeltester.check(page.panel.meetings_model)
    page.tabs.setCurrentWidget(page.board)
    qtmodeltester.check(page.board.model)
    page.tabs.setCurrentIndex(0)

    # Delete on the tree refuses (the space has meetings); Delete on the meetings asks first.
    page.tree.setFocus()
    prompts.confirms[:] = [True]
    QTest.keyClick(page.tree, Qt.Key.Key_Delete)
    assert prompts.shown[-1][0] == "error" and len(net.spaces()) == 2
    page.panel.meetings.selectRow(0)
    page.panel.meetings.setFocus()
    prompts.confirms[:] = [False]
    QTest.keyClick(page.panel.meetings, Qt.Key.Key_Delete)
    assert len(net.meetings()) == 1
    prompts.confirms[:] = [True]
    QTest.keyClick(page.panel.meetings, Qt.Key.Key_Delete)
    assert net.meetings() == [] and page.panel.meetings_model.rowCount() == 0

    # The interface language switches live.
    i18n.set_language("es")
    QCoreApplication.sendEvent(page, QEvent(QEvent.Type.LanguageChange))
    assert page.tabs.tabText(1) == "Acuerdos" and page.new_space_button.text() == "Nuevo espacio"
    assert page.panel.meetings_model.headerData(0, Qt.Orientation.Horizontal) == "Fecha"


def test_meeting_attendance_sheet_and_minutes_from_the_page(
    qtbot: Any, services: Services, bus: Any, prompts: Any, tmp_path: Any
) -> None:
    import io

    import pdfplumber

    from app.domain.networks import AttendeeDTO, MeetingDTO, SpaceDTO

    net = services.networks
    space, _c = net.save_space(SpaceDTO(None, "Taula Radars de Sants"))
    net.save_meeting(
        MeetingDTO(
            None,
            space.id or "",
            D(2026, 10, 1),
            attendees=(
                AttendeeDTO(person_name="Marta Vidal"),
                AttendeeDTO(person_name="Joan Serra", status="apologised"),
            ),
        )
    )
    page = _page(qtbot, services, bus, prompts, Clock(D(2026, 10, 2)))
    page.tree.setCurrentIndex(page.tree_model.index(0, 0))
    assert not page.panel.sheet_button.isEnabled()
    page.panel.meetings.selectRow(0)
    assert page.panel.sheet_button.isEnabled()

    qtbot.mouseClick(page.panel.sheet_button, Qt.MouseButton.LeftButton)
    sheet = page.sheet_dialog
    assert sheet is not None
    qtbot.waitUntil(lambda: sheet.page_count >= 1)  # the preview is built in the background

    def text(pdf: bytes) -> str:
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            return "\n".join(p.extract_text() or "" for p in doc.pages)

    sheet_text = text(sheet.preview_pdf)
    assert "Marta Vidal" in sheet_text and "Joan Serra" not in sheet_text
    sheet.accept()

    target = tmp_path / "acta.pdf"
    prompts.files[:] = [str(target)]
    _choose(page.panel.minutes_lang, "Castellà")
    with qtbot.waitActive(page):
        page.activateWindow()
    QTest.keyClick(page.panel.meetings, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    minutes = text(target.read_bytes())
    assert "Asistentes" in minutes and "Excusan su asistencia" in minutes
    assert prompts.shown[-1][0] == "info"
