"""The Volunteers page driven as a person would: make a person a volunteer, record their hours,
print their commitment agreement, record certificates; Home and the session form name who works
with minors without a valid certificate; an activity's coproduction is saved from its tab."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import insert, select

from app.db.models import (
    Activity,
    Enrolment,
    Organisation,
    Participant,
    Programme,
    SafeguardingCertificate,
    Session,
    Staff,
    Volunteer,
    VolunteerHours,
    activity_facilitator,
    activity_partner,
    activity_programme,
)
from app.services.container import Services
from ui.pages.volunteers_page import VolunteersPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TODAY = dt.date.today()


def _data(services: Services) -> dict[str, str]:
    """A volunteering programme, a children's homework club and its session, three people, a
    member of staff who facilitates the club."""
    with services.db.begin() as s:
        volu = Programme(code="VOLU", name="Voluntariat", category="associationism")
        espv = Programme(code="ESPV", name="Espais", category="community_participation")
        s.add_all([volu, espv])
        s.flush()
        club = Activity(programme_id=espv.id, name="Reforç escolar")
        group = Activity(programme_id=volu.id, name="Grup de voluntariat")
        rosa = Participant(given_name="Rosa", family_names="Vidal", birth_year=1961)
        nen = Participant(
            given_name="Nil", family_names="Roca", birth_date=TODAY.replace(year=TODAY.year - 9)
        )
        laia = Staff(name="Laia Puig")
        s.add_all([club, group, rosa, nen, laia, Organisation(name="Casal de Gent Gran")])
        s.flush()
        s.add(
            Enrolment(
                participant_id=nen.id, activity_id=club.id, start=TODAY - dt.timedelta(days=30)
            )
        )
        s.execute(insert(activity_facilitator), [{"activity_id": club.id, "staff_id": laia.id}])
        session = Session(
            activity_id=club.id,
            date=TODAY - dt.timedelta(days=1),
            start_time=dt.time(17),
            end_time=dt.time(18, 30),
            status="held",
        )
        s.add(session)
        s.flush()
        return {
            "volu": volu.id,
            "espv": espv.id,
            "club": club.id,
            "group": group.id,
            "rosa": rosa.id,
            "laia": laia.id,
            "session": session.id,
        }


def _page(qtbot: Any, services: Services, bus: Any, prompts: Any) -> VolunteersPage:
    page = VolunteersPage(services, bus, prompts)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    return page


def _check(checks: Any, label_part: str) -> None:
    for i in range(checks.count()):
        if label_part in checks.item(i).text():
            checks.item(i).setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(label_part)


def test_a_person_becomes_a_volunteer_gives_hours_and_gets_an_agreement(
    qtbot: Any, services: Services, bus: Any, prompts: Any, tmp_path: Path
) -> None:
    ids = _data(services)
    page = _page(qtbot, services, bus, prompts)
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.picker.search.hasFocus()
    qtbot.keyClicks(page.picker.search, "Rosa")
    qtbot.keyClick(page.picker.search, Qt.Key.Key_Return)
    assert page.picked.text() == "Rosa Vidal"
    page.start.setDate(QDate(TODAY.year, 1, 1) if TODAY.month > 1 else QDate(TODAY.year - 1, 12, 1))
    _check(page.programmes, "VOLU")
    _check(page.activities, "Reforç escolar")
    qtbot.keyClicks(page.tasks, "Acompanyar els deures")
    qtbot.keyClicks(page.schedule, "Dimarts de 17 a 18.30 h")
    qtbot.keyClicks(page.training, "Formacio inicial")
    page.training_hours.setValue(12)
    qtbot.keyClicks(page.insurer, "Mutua Sants")
    qtbot.keyClicks(page.policy, "P-1")
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with services.db.read() as s:
        row = s.scalar(select(Volunteer))
        assert row is not None and row.participant_id == ids["rosa"]
        assert [p.code for p in row.programmes] == ["VOLU"]
        assert [a.name for a in row.activities] == ["Reforç escolar"]
        assert row.training_hours == 12 and row.policy_number == "P-1"
    assert page.model.total() == 1 and page.heading.text() == "Rosa Vidal"

    # Hours in the club's session: it has a child and Rosa has no certificate: asked first.
    qtbot.keyClick(page, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert page.inner.currentIndex() == 1 and page.hours_value.hasFocus()
    assert page.session_choice.currentData() == ids["session"]
    page.hours_value.setValue(1.5)
    prompts.confirms.append(False)
    page.add_hours.click()
    assert prompts.shown[-1].kind == "confirm" and "Rosa Vidal" in prompts.shown[-1].text
    with services.db.read() as s:
        assert s.scalar(select(VolunteerHours)) is None  # said no: nothing recorded
    prompts.confirms.append(True)
    page.add_hours.click()
    # And a month of visits in VOLU.
    page.by_month.setChecked(True)
    page.month_programme.setCurrentIndex(page.month_programme.findData(ids["volu"]))
    page.hours_value.setValue(6)
    page.add_hours.click()
    with services.db.read() as s:
        hours = sorted(
            (h.hours, h.session_id is not None) for h in s.scalars(select(VolunteerHours))
        )
    assert hours == [(1.5, True), (6.0, False)]
    assert page.hours_model.total() == 2
    assert page.model.rows()[0].hours == 7.5

    # Ctrl+P: the commitment agreement, to print and sign.
    out = tmp_path / "acord.pdf"
    prompts.files.append(str(out))
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: out.exists() and prompts.shown[-1].kind == "info")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Rosa Vidal" in text and "Acompanyar els deures" in text and "P-1" in text


def test_certificates_on_the_page_home_and_the_session_form(
    qtbot: Any, services: Services, bus: Any, prompts: Any
) -> None:
    ids = _data(services)
    services.volunteers.save(
        services.volunteers.for_person(ids["rosa"])
        or __import__("app.domain.volunteers", fromlist=["VolunteerDTO"]).VolunteerDTO(
            participant_id=ids["rosa"],
            start=TODAY - dt.timedelta(days=60),
            activity_ids=(ids["club"],),
        )
    )
    page = _page(qtbot, services, bus, prompts)
    page.tabs.setCurrentIndex(1)
    names = [page.holders_model.row(i).name for i in range(page.holders_model.total())]
    assert sorted(names) == ["Laia Puig", "Rosa Vidal"]
    # Record Laia's certificate from the list: pick her row, date, result.
    for row in range(page.holders_proxy.rowCount()):
        if page.holders_proxy.index(row, 0).data() == "Laia Puig":
            page.holders_view.selectRow(row)
    assert page.holder.currentData() == ("staff", ids["laia"])
    page.issue_date.setDate(QDate(TODAY.year, TODAY.month, 1))
    page.record_certificate.click()
    with services.db.read() as s:
        cert = s.scalar(select(SafeguardingCertificate))
        assert cert is not None and cert.staff_id == ids["laia"] and cert.result == "negative"
    missing = [page.holders_model.row(i) for i in range(page.holders_model.total())]
    assert [(h.name, h.valid) for h in missing] == [("Rosa Vidal", False), ("Laia Puig", True)]

    # Home names Rosa.
    from ui.pages.home_page import HomePage

    home = HomePage(services, bus, prompts)
    qtbot.addWidget(home)
    home.show()
    home.refresh()
    assert home.certificate_warning.isVisible()
    assert "Rosa Vidal" in home.certificate_warning.text()
    assert "Laia" not in home.certificate_warning.text()

    # The session form names a facilitator without a valid certificate, before saving.
    from ui.dialogs.session_dialog import SessionDialog

    with services.db.begin() as s:
        pau = Staff(name="Pau Ferrer")
        s.add(pau)
        s.flush()
        pau_id = pau.id
    dialog = SessionDialog(services, prompts, None, activity_id=ids["club"], day=TODAY, bus=bus)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.certificate_warning.isVisible()  # Laia: valid
    for i in range(dialog.facilitators.count()):
        item = dialog.facilitators.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == pau_id:
            item.setCheckState(Qt.CheckState.Checked)
    QApplication.processEvents()
    assert dialog.certificate_warning.isVisible()
    assert "Pau Ferrer" in dialog.certificate_warning.text()
    # An activity without minors: nothing to say.
    dialog.activity.setCurrentIndex(dialog.activity.findData(ids["group"]))
    dialog.facilitators.set_checked([pau_id])
    QApplication.processEvents()
    assert not dialog.certificate_warning.isVisible()


def test_coproduction_is_saved_from_the_activity_tab(
    qtbot: Any, services: Services, bus: Any, prompts: Any
) -> None:
    ids = _data(services)
    from ui.widgets.activity_panel import ActivityPanel

    panel = ActivityPanel(services, bus, prompts)
    qtbot.addWidget(panel)
    panel.show()
    panel.set_programme(ids["espv"])
    panel.select(ids["club"])
    assert panel.sections.isTabEnabled(2)
    panel.sections.setCurrentIndex(2)
    copro = panel.coproduction
    labels = [copro.programmes.item(i).text() for i in range(copro.programmes.count())]
    assert labels == ["VOLU · Voluntariat"]  # never its own programme
    _check(copro.programmes, "VOLU")
    _check(copro.partners, "Casal de Gent Gran")
    copro.save_button.click()
    with services.db.read() as s:
        assert s.execute(select(activity_programme)).all() == [(ids["club"], ids["volu"])]
        assert len(s.execute(select(activity_partner)).all()) == 1
    sheet = services.sheets.session_sheet(ids["session"])
    assert sheet.partners == ("Casal de Gent Gran",)


def test_the_series_dialog_names_facilitators_without_a_valid_certificate(
    qtbot: Any, services: Services, bus: Any, prompts: Any
) -> None:
    """A series of the children's club schedules its facilitator Laia: named while she has no
    certificate, and while hers runs out before the series ends; not blocking."""
    ids = _data(services)
    from ui.dialogs.series_dialog import SeriesDialog

    def dialog_for(activity: str) -> SeriesDialog:
        dialog = SeriesDialog(services, prompts, activity, bus=bus)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.date_from.set_value(TODAY + dt.timedelta(days=1))
        dialog.date_to.set_value(TODAY + dt.timedelta(days=60))
        qtbot.mouseClick(dialog.days[TODAY.weekday()], Qt.MouseButton.LeftButton)
        QApplication.processEvents()
        return dialog

    dialog = dialog_for(ids["club"])
    assert dialog.certificate_warning.isVisible()
    assert "Laia Puig" in dialog.certificate_warning.text()
    assert "Registre de delinqüents sexuals" in dialog.certificate_warning.text()
    # Hers, issued eleven months and a half ago: valid at the start, out of date by the end.
    with services.db.begin() as s:
        s.add(
            SafeguardingCertificate(staff_id=ids["laia"], issue_date=TODAY - dt.timedelta(days=350))
        )
    again = dialog_for(ids["club"])
    assert again.certificate_warning.isVisible() and "Laia Puig" in again.certificate_warning.text()
    # Not blocking: the series is saved as the person decides.
    qtbot.mouseClick(
        again.buttons.button(again.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert len(again.created) >= 8
    with services.db.read() as s:
        assert len(s.scalars(select(Session).where(Session.activity_id == ids["club"])).all()) == (
            1 + len(again.created)
        )
    # A certificate of this month covers the whole series: nothing to say.
    with services.db.begin() as s:
        s.add(SafeguardingCertificate(staff_id=ids["laia"], issue_date=TODAY))
    renewed = dialog_for(ids["club"])
    assert renewed.summary.text() and not renewed.certificate_warning.isVisible()
    # An activity without minors: nothing to say either.
    with services.db.begin() as s:
        s.execute(
            insert(activity_facilitator), [{"activity_id": ids["group"], "staff_id": ids["laia"]}]
        )
    assert not dialog_for(ids["group"]).certificate_warning.isVisible()


@pytest.mark.parametrize("lang", ["ca", "es"])
def test_the_list_stays_readable_beside_the_form_at_1024_pixels(
    qtbot: Any, services: Services, bus: Any, prompts: Any, lang: str
) -> None:
    """The page's share of a 1024 x 700 window: the form's labels go above their fields and the
    list keeps the volunteers' full names; wider, the labels are beside their fields."""
    from PySide6.QtWidgets import QFormLayout

    from ui.i18n_qt import LanguageSwitcher

    LanguageSwitcher(QApplication.instance()).apply(lang)  # type: ignore[arg-type]
    ids = _data(services)
    from app.domain.volunteers import VolunteerDTO

    with services.db.begin() as s:
        long_name = Participant(given_name="José Luis", family_names="López Domínguez")
        s.add(long_name)
        s.flush()
        long_id = long_name.id
    for person in (ids["rosa"], long_id):
        services.volunteers.save(
            VolunteerDTO(participant_id=person, start=TODAY, activity_ids=(ids["group"],))
        )
    page = _page(qtbot, services, bus, prompts)
    page.resize(860, 640)
    page.list.selectRow(0)
    QApplication.processEvents()
    form = page.tasks.parentWidget().layout()
    assert isinstance(form, QFormLayout)
    assert form.rowWrapPolicy() == QFormLayout.RowWrapPolicy.WrapAllRows
    assert page.list.width() >= 380
    names = page.list.horizontalHeader().sectionSize(0)
    assert names >= page.list.fontMetrics().horizontalAdvance("José Luis López Domínguez")
    # Every button is on the page.
    for button in (page.save_button, page.print_button, page.remove_button):
        corner = button.mapTo(page, button.rect().bottomRight())
        assert button.isVisible() and corner.x() <= page.width() and corner.y() <= page.height()
    page.resize(1400, 760)
    QApplication.processEvents()
    assert form.rowWrapPolicy() == QFormLayout.RowWrapPolicy.WrapLongRows
    LanguageSwitcher(QApplication.instance()).apply("ca")  # type: ignore[arg-type]
