"""Register grid, meeting sheet and blank sheet read back from the PDF."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest

from app.db.models import MeetingAttendee, NetworkMeeting, NetworkSpace, Organisation, Staff
from app.domain.sheets import SheetOptions
from app.errors import UserError
from app.services.sheets import SheetService
from tests.reports.sheet_data import add_sessions, build

NOVEMBER_WEEKDAYS = [
    dt.date(2026, 11, d) for d in range(1, 31) if dt.date(2026, 11, d).weekday() < 5
]


def _read(pdf: bytes) -> list[pdfplumber.page.Page]:
    return pdfplumber.open(io.BytesIO(pdf)).pages


def test_monthly_grid_has_a_column_per_session_date_in_landscape(db) -> None:  # type: ignore[no-untyped-def]
    data = build(db)
    add_sessions(db, data.activity_id, [dt.date(2026, 11, 3), dt.date(2026, 11, 10)])
    add_sessions(db, data.activity_id, [dt.date(2026, 11, 17)], status="cancelled")
    add_sessions(db, data.activity_id, [dt.date(2026, 12, 1)])
    service = SheetService(db)
    sheet = service.activity_grid(data.activity_id, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    # The session of the fixture (24/11) plus two held ones; cancelled and December left out.
    assert sheet.dates == (dt.date(2026, 11, 3), dt.date(2026, 11, 10), dt.date(2026, 11, 24))
    pages = _read(service.pdf(sheet, SheetOptions(lang="ca", blank_rows=2)))
    text = pages[0].extract_text()
    assert "Full d'assistència mensual" in text.replace("’", "'")
    for day in ("3/11", "10/11", "24/11"):
        assert day in text
    assert "17/11" not in text and "1/12" not in text
    assert pages[0].width < pages[0].height  # three dates fit upright
    assert "Gil·labert" in text and "Иванов" in text


def test_grid_of_a_month_of_weekdays_is_landscape_with_header_on_every_page(db) -> None:  # type: ignore[no-untyped-def]
    data = build(db, extra=50)
    add_sessions(db, data.activity_id, [d for d in NOVEMBER_WEEKDAYS if d.day != 24])
    service = SheetService(db)
    sheet = service.activity_grid(data.activity_id, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert len(sheet.dates) == len(NOVEMBER_WEEKDAYS)
    pages = _read(service.pdf(sheet, SheetOptions(lang="es")))
    assert len(pages) > 1
    for i, page in enumerate(pages, 1):
        assert page.width > page.height
        text = page.extract_text()
        assert "Hoja de asistencia mensual" in text
        assert f"Página {i} de {len(pages)}" in text
        if i < len(pages):
            assert "30/11" in text and "2/11" in text
    all_text = "\n".join(p.extract_text() for p in pages)
    assert all(f"Cognom{i:03d} Prova" in all_text for i in range(50))


def test_grid_over_a_range_is_a_register(db) -> None:  # type: ignore[no-untyped-def]
    data = build(db)
    add_sessions(db, data.activity_id, [dt.date(2026, 10, 6), dt.date(2026, 12, 1)])
    service = SheetService(db)
    sheet = service.activity_grid(data.activity_id, dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    text = _read(service.pdf(sheet, SheetOptions(lang="ca")))[0].extract_text()
    assert "Registre d'assistència" in text.replace("’", "'")
    with pytest.raises(UserError):
        service.activity_grid(data.activity_id, dt.date(2026, 12, 1), dt.date(2026, 11, 1))


def test_meeting_sheet_lists_attendees_and_their_organisation(db) -> None:  # type: ignore[no-untyped-def]
    build(db)
    with db.begin() as s:
        space = NetworkSpace(name="Xarxa d'Infància de Sants")
        org = Organisation(name="Escola Jaume I")
        staff = Staff(name="Anna Puig")
        s.add_all([space, org, staff])
        s.flush()
        meeting = NetworkMeeting(
            space_id=space.id, date=dt.date(2026, 11, 26), place="Casal", status="planned"
        )
        s.add(meeting)
        s.flush()
        s.add_all(
            [
                MeetingAttendee(meeting_id=meeting.id, staff_id=staff.id),
                MeetingAttendee(
                    meeting_id=meeting.id, person_name="Ramon Vila", organisation_id=org.id
                ),
                MeetingAttendee(
                    meeting_id=meeting.id, person_name="Excusada Soler", status="apologised"
                ),
            ]
        )
        meeting_id = meeting.id
    service = SheetService(db)
    sheet = service.meeting_sheet(meeting_id)
    text = _read(service.pdf(sheet, SheetOptions(lang="ca")))[0].extract_text()
    assert "Full de signatures de la reunió de xarxa" in text
    assert "Xarxa d'Infància de Sants" in text.replace("’", "'")
    assert "Entitat o servei que representa" in text
    lines = text.splitlines()
    anna = next(line for line in lines if "Anna Puig" in line and "Associació" in line)
    ramon = next(line for line in lines if "Ramon Vila" in line)
    assert "Escola Jaume I" in ramon and lines.index(anna) < lines.index(ramon)
    assert "Excusada" not in text


def test_blank_sheet_has_no_names_and_lines_to_fill(db) -> None:  # type: ignore[no-untyped-def]
    data = build(db)
    service = SheetService(db)
    pages = _read(service.pdf(service.blank_sheet(), SheetOptions(lang="ca", blank_rows=17)))
    assert len(pages) == 1
    text = pages[0].extract_text()
    assert "Full d'assistència" in text.replace("’", "'") and "Nom i cognoms" in text
    assert not any(family in text for _g, family, _n in data.names)
    assert "17" in text.split() and "18" not in text.split()
    with_activity = service.blank_sheet(data.activity_id)
    assert with_activity.activity == "Taller de costura" and not with_activity.people
