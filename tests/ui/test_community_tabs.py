"""Community work on the Networks page, driven as a person would: a group accompanied with a
contact, a stage change and a meeting; a mediation case with its team, a party and an
agreement; a need and what was done; a referral's follow-up. Each checked in the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from app.db.models import (
    Activity,
    Agreement,
    CommunityGroup,
    GroupContact,
    GroupStage,
    MediationCase,
    MediationParty,
    Need,
    NetworkMeeting,
    Organisation,
    Participant,
    Programme,
    Referral,
    Staff,
)
from app.services.container import Services
from ui.pages.networks_page import NetworksPage

D = dt.date
TODAY = D(2026, 5, 20)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _page(qtbot: Any, services: Services, bus: Any, prompts: Any) -> NetworksPage:
    page = NetworksPage(services, bus, prompts, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 780)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    return page


def _type(qtbot: Any, widget: Any, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def _choose(combo: Any, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


@pytest.fixture
def ids(services: Services) -> dict[str, str]:
    with services.db.begin() as s:
        laia = Staff(name="Laia Puig")
        prog = Programme(code="ESPV", name="Espais vulnerables", category="prevention")
        org = Organisation(name="Serveis Socials Sants", kind="social_services")
        anna = Participant(given_name="Anna", family_names="Serra")
        s.add_all([laia, prog, org, anna])
        s.flush()
        act = Activity(programme_id=prog.id, name="Reforç escolar")
        s.add(act)
        s.flush()
        s.add(Referral(participant_id=anna.id, to_organisation_id=org.id, date=D(2026, 4, 2)))
        return {"laia": laia.id, "prog": prog.id, "anna": anna.id, "act": act.id, "org": org.id}


def test_a_group_is_registered_followed_and_meets(
    qtbot: Any, services: Services, bus: Any, prompts: Any, ids: dict[str, str]
) -> None:
    page = _page(qtbot, services, bus, prompts)
    QTest.keyClick(page, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert page.tabs.currentWidget() is page.groups
    panel = page.groups
    QTest.keyClick(panel, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    _type(qtbot, panel.name, "Comunitat Olzinelles 12")
    _type(qtbot, panel.neighbourhood, "la Bordeta")
    _choose(panel.programme, "ESPV · Espais vulnerables")
    _choose(panel.staff, "Laia Puig")
    _type(qtbot, panel.picker.search, "serra")
    _type(qtbot, panel.contact_role, "Portaveu")
    qtbot.mouseClick(panel.add_contact, Qt.MouseButton.LeftButton)
    _type(qtbot, panel.contact_name, "Sr. Pons")
    qtbot.mouseClick(panel.add_contact, Qt.MouseButton.LeftButton)
    assert panel.contact_list.count() == 2
    QTest.keyClick(panel.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with services.db.read() as s:
        group = s.scalars(select(CommunityGroup)).one()
        assert (group.name, group.neighbourhood, group.programme_id) == (
            "Comunitat Olzinelles 12",
            "la Bordeta",
            ids["prog"],
        )
        contacts = s.scalars(select(GroupContact)).all()
        assert {(c.participant_id, c.person_name, c.role) for c in contacts} == {
            (ids["anna"], "", "Portaveu"),
            (None, "Sr. Pons", ""),
        }
        assert [st.stage for st in s.scalars(select(GroupStage))] == ["first_contact"]
    _choose(panel.new_stage, "Constituït")
    # Before the accompaniment began (today): refused, said under the field.
    panel.stage_date.setDate(QDate(2026, 5, 18))
    qtbot.mouseClick(panel.stage_button, Qt.MouseButton.LeftButton)
    assert panel.stage_error.isVisible() and panel.history.count() == 1
    panel.stage_date.setDate(QDate(2026, 5, 21))
    qtbot.mouseClick(panel.stage_button, Qt.MouseButton.LeftButton)
    assert panel.history.count() == 2
    _type(qtbot, panel.minutes, "Primera trobada de l'escala.")
    _type(qtbot, panel.agreements, "Demanar la clau del local")
    QTest.keyClick(panel.agreements, Qt.Key.Key_Return)
    qtbot.keyClicks(panel.agreements, "Fer una campanya")
    qtbot.mouseClick(panel.save_meeting_button, Qt.MouseButton.LeftButton)
    with services.db.read() as s:
        stages = s.execute(select(GroupStage.stage, GroupStage.date)).all()
        assert ("constituted", D(2026, 5, 21)) in stages
        meeting = s.scalars(select(NetworkMeeting)).one()
        assert meeting.group_id == group.id and meeting.space_id is None
        assert [a.text for a in s.scalars(select(Agreement).order_by(Agreement.number))] == [
            "Demanar la clau del local",
            "Fer una campanya",
        ]
    assert "grups acompanyats: 1;" in panel.summary.text()


def test_a_mediation_case_and_a_need(
    qtbot: Any, services: Services, bus: Any, prompts: Any, ids: dict[str, str]
) -> None:
    page = _page(qtbot, services, bus, prompts)
    page.tabs.setCurrentWidget(page.mediation)
    panel = page.mediation
    QTest.keyClick(panel, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    _type(qtbot, panel.reference, "MED-01")
    _choose(panel.kind, "Espai públic")
    # Without anyone on the case it cannot be saved.
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.errors["staff_ids"].isVisible()
    panel.team.item(0).setCheckState(Qt.CheckState.Checked)
    _type(qtbot, panel.party_name, "Parella del segon pis")
    qtbot.mouseClick(panel.add_party, Qt.MouseButton.LeftButton)
    _type(qtbot, panel.agreements, "Horari de la pista")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    with services.db.read() as s:
        case = s.scalars(select(MediationCase)).one()
        assert (case.reference, case.conflict_kind, case.outcome) == (
            "MED-01",
            "public_space",
            None,
        )
        assert [p.name for p in s.scalars(select(MediationParty))] == ["Parella del segon pis"]
        agreement = s.scalars(select(Agreement)).one()
        assert agreement.mediation_case_id == case.id and agreement.meeting_id is None
    assert panel.model.rowCount() == 1

    page.tabs.setCurrentWidget(page.needs)
    needs = page.needs
    QTest.keyClick(needs, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    _type(qtbot, needs.title, "Infants sense suport escolar")
    _type(qtbot, needs.place, "Badal")
    _choose(needs.response, "S'ha iniciat una activitat")
    _choose(needs.refs["response_activity_id"], "Reforç escolar")
    assert not needs.refs["response_organisation_id"].isEnabled()
    QTest.keyClick(needs.title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with services.db.read() as s:
        need = s.scalars(select(Need)).one()
        assert (need.title, need.response, need.response_activity_id) == (
            "Infants sense suport escolar",
            "activity",
            ids["act"],
        )


def test_a_referral_is_followed_up(
    qtbot: Any, services: Services, bus: Any, prompts: Any, ids: dict[str, str]
) -> None:
    page = _page(qtbot, services, bus, prompts)
    page.tabs.setCurrentWidget(page.referrals)
    panel = page.referrals
    assert panel.model.rowCount() == 1
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.follow_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog is not None
    _choose(dialog.activity, "ESPV · Reforç escolar")
    _choose(dialog.reached, "Sí")
    dialog.followed_up_on.setDate(QDate(2026, 4, 20))
    _type(qtbot, dialog.follow_up, "Ja hi va.")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    with services.db.read() as s:
        r = s.scalars(select(Referral)).one()
        assert (r.programme_id, r.activity_id, r.reached, r.followed_up_on, r.follow_up) == (
            ids["prog"],
            ids["act"],
            True,
            D(2026, 4, 20),
            "Ja hi va.",
        )
    assert [(row.programme_code, row.reached) for row in panel.counts.rows()] == [("ESPV", 1)]


def test_a_groups_minutes_print_and_its_agreements_are_followed_up_on_the_board(
    qtbot: Any, services: Services, bus: Any, prompts: Any, ids: dict[str, str], tmp_path: Any
) -> None:
    import io

    import pdfplumber

    from app.domain.community import GroupDTO, GroupMeetingDTO
    from app.domain.networks import AgreementDTO, MeetingDTO, SpaceDTO

    community = services.community
    group, _c = community.save_group(
        GroupDTO(None, "Comunitat Olzinelles 12", "residents_community", "La Bordeta"),
        since=D(2026, 1, 10),
    )
    firsts = ("Demanar la clau", "Fer una campanya")
    for day, texts in ((D(2026, 2, 3), firsts), (D(2026, 3, 3), ())):
        community.save_meeting(
            GroupMeetingDTO(None, group.id or "", day, "Portal", "Acta.", "held", texts)
        )
    space, _c = services.networks.save_space(SpaceDTO(None, "Xarxa de Sants"))
    services.networks.save_meeting(
        MeetingDTO(None, space.id or "", D(2026, 2, 4), agreements=(AgreementDTO(None, "Xarxa"),))
    )
    page = _page(qtbot, services, bus, prompts)
    page.tabs.setCurrentWidget(page.groups)
    panel = page.groups
    panel.table.selectRow(0)
    assert panel.meeting_list.count() == 2 and not panel.minutes_button.isEnabled()
    panel.meeting_list.setCurrentRow(0)  # the latest meeting
    target = tmp_path / "acta.pdf"
    prompts.files[:] = [str(target)]
    _choose(panel.minutes_lang, "Castellà")
    qtbot.mouseClick(panel.minutes_button, Qt.MouseButton.LeftButton)
    with pdfplumber.open(io.BytesIO(target.read_bytes())) as doc:
        minutes = "\n".join(p.extract_text() or "" for p in doc.pages)
    assert "Acta · Comunitat Olzinelles 12" in minutes and "Grupo acompañado" in minutes
    assert "Seguimiento de acuerdos anteriores" in minutes and "Fer una campanya" in minutes
    assert prompts.shown[-1].kind == "info"

    page.tabs.setCurrentWidget(page.board)
    board = page.board
    assert {a.text for a in board.model.rows()} == {"Demanar la clau", "Fer una campanya", "Xarxa"}
    _choose(board.where, "Grup: Comunitat Olzinelles 12")
    assert [a.text for a in board.model.rows()] == ["Demanar la clau", "Fer una campanya"]
    assert board.model.index(0, 0).data() == "Comunitat Olzinelles 12"
    assert not board.done_button.isEnabled()
    shown = board.table.model()
    row = next(r for r in range(shown.rowCount()) if shown.index(r, 3).data() == "Fer una campanya")
    board.table.selectRow(row)
    assert board.done_button.isEnabled() and not board.reopen_button.isEnabled()
    qtbot.mouseClick(board.done_button, Qt.MouseButton.LeftButton)
    with services.db.read() as s:
        statuses = dict(s.execute(select(Agreement.text, Agreement.status)).all())
    assert statuses == {"Demanar la clau": "open", "Fer una campanya": "done", "Xarxa": "open"}


@pytest.mark.parametrize("lang", ["ca", "es"])
def test_the_mediation_and_needs_lists_fit_beside_their_forms_at_1024_pixels(
    qtbot: Any, services: Services, bus: Any, prompts: Any, ids: dict[str, str], lang: str
) -> None:
    """The page's share of a 1024 x 700 window: no sideways scroll bar in either list; the short
    headings carry their full title as the header's tooltip."""
    from PySide6.QtWidgets import QApplication

    from app.db.models import MediationStaff
    from ui.i18n_qt import LanguageSwitcher

    switcher = LanguageSwitcher(QApplication.instance())  # type: ignore[arg-type]
    switcher.apply(lang)
    with services.db.begin() as s:
        for n, (kind, outcome) in enumerate(
            (("coexistence", "referred"), ("public_space", "withdrawn"), ("neighbours", None))
        ):
            case = MediationCase(
                reference=f"MED-2026-0{n}",
                conflict_kind=kind,
                opened_on=D(2026, 3, 1 + n),
                closed_on=D(2026, 4, 1) if outcome else None,
                outcome=outcome,
            )
            s.add(case)
            s.flush()
            s.add(MediationStaff(case_id=case.id, staff_id=ids["laia"]))
        s.add(
            Need(
                title="Infants sense suport escolar a les tardes del barri",
                place="Sants-Badal",
                detected_on=D(2026, 4, 2),
                activity_id=ids["act"],
                response="activity",
                response_activity_id=ids["act"],
            )
        )
    page = _page(qtbot, services, bus, prompts)
    page.resize(860, 640)
    for panel in (page.mediation, page.needs):
        page.tabs.setCurrentWidget(panel)
        panel.refresh()
        QApplication.processEvents()
        assert panel.model.rowCount() >= 1
        assert not panel.table.horizontalScrollBar().isVisible(), panel
    tips = {
        page.mediation: (4, "Sessions held"),
        page.needs: (4, "What was done"),
    }
    from app.i18n import _

    for panel, (column, title) in tips.items():
        tip = panel.model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert tip == _(title)
        heading = panel.model.headerData(column, Qt.Orientation.Horizontal)
        assert len(heading) < len(tip)
    switcher.apply("ca")
