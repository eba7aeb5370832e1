"""Who is on a sheet, in which order, and how ID numbers are hidden."""

from __future__ import annotations

import datetime as dt

import pytest

from app.db.models import Enrolment, Participant, Session
from app.domain.people import sort_key
from app.domain.sheets import SheetOptions, mask_id
from app.errors import UserError
from app.services.sheets import SheetService, week_sheets
from tests.reports.sheet_data import SESSION_DATE, build


@pytest.mark.parametrize(
    ("number", "kind", "masked"),
    [
        ("12345678Z", "dni", "***4567**"),
        ("12345678-z", None, "***4567**"),
        ("X1234567L", "nie", "****4567*"),
        ("X1234567L", None, "****4567*"),
        ("PAB123456", "passport", "****2345*"),
        ("1234", "other", "****"),
        ("", None, ""),
    ],
)
def test_mask_id_never_shows_the_whole_number(number: str, kind: str | None, masked: str) -> None:
    assert mask_id(number, kind) == masked


def test_sort_ignores_case_accents_and_the_catalan_middle_dot() -> None:
    names = ["Colom", "Coŀlell", "àlvarez", "Abril", "Collado", "Zapata", "Ñúñez", "Nuñez"]
    ordered = sorted(names, key=lambda n: sort_key(n, ""))
    assert ordered == [
        "Abril",
        "àlvarez",
        "Collado",
        "Coŀlell",
        "Colom",
        "Ñúñez",
        "Nuñez",
        "Zapata",
    ]
    assert sort_key("Puig", "Anna") < sort_key("Puig", "Bernat")


def test_enrolled_on_the_session_date_only(db) -> None:  # type: ignore[no-untyped-def]
    data = build(db)
    with db.begin() as s:
        later = Participant(given_name="Tardana", family_names="Després")
        s.add(later)
        s.flush()
        s.add(
            Enrolment(
                participant_id=later.id,
                activity_id=data.activity_id,
                start=SESSION_DATE + dt.timedelta(days=1),
            )
        )
        on_day = Participant(given_name="Justa", family_names="Avui")
        s.add(on_day)
        s.flush()
        s.add(
            Enrolment(
                participant_id=on_day.id,
                activity_id=data.activity_id,
                start=SESSION_DATE,
                end=SESSION_DATE,
            )
        )
    sheet = SheetService(db).session_sheet(data.session_id)
    families = [p.family_names for p in sheet.people]
    assert "Avui" in families and "Després" not in families
    assert not {"Amagada", "Suprimida", "Baixa"} & set(families)
    assert len(families) == len(data.names) + 1
    assert sheet.place == "Casal de Barri de Sants" and sheet.facilitators == ("Anna Puig",)
    assert sheet.start_time == dt.time(17) and sheet.programme == "Infància i famílies"
    assert [f.name for f in sheet.funders] == [
        "Ajuntament de Barcelona",
        "Generalitat de Catalunya",
    ]


def test_unknown_or_deleted_session_is_a_user_error(db) -> None:  # type: ignore[no-untyped-def]
    data = build(db)
    with db.begin() as s:
        s.get(Session, data.session_id).deleted_at = dt.datetime(2026, 11, 25)
    with pytest.raises(UserError):
        SheetService(db).session_sheet(data.session_id)


def test_week_sheets_one_pdf_with_each_session_numbered_on_its_own(db) -> None:  # type: ignore[no-untyped-def]
    import io

    import pdfplumber

    data = build(db)
    monday = SESSION_DATE - dt.timedelta(days=SESSION_DATE.weekday())
    with db.begin() as s:
        s.add(Session(activity_id=data.activity_id, date=monday + dt.timedelta(days=3)))
        s.add(
            Session(
                activity_id=data.activity_id, date=monday + dt.timedelta(days=4), status="cancelled"
            )
        )
        s.add(Session(activity_id=data.activity_id, date=monday + dt.timedelta(days=7)))
    service = SheetService(db)
    assert len(service.week_session_ids(monday)) == 2
    pdf = week_sheets(db, monday, SheetOptions(lang="ca"), record=False)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        texts = [p.extract_text() for p in doc.pages]
    assert len(texts) == 2
    assert all("Pàgina 1 de 1" in t for t in texts)
    assert "24 de novembre" in texts[0] and "26 de novembre" in texts[1]
    with pytest.raises(UserError):
        week_sheets(db, monday + dt.timedelta(days=14), SheetOptions())


def test_warm_up_builds_a_sheet_and_logs_nothing(db) -> None:  # type: ignore[no-untyped-def]
    """Before any session exists (a made-up sheet) and after (the latest session's preview)."""
    from app.reports import fonts
    from app.services.audit import AuditService

    service = SheetService(db)
    service.warm_up()
    assert {fonts.SANS, fonts.SANS_BOLD, fonts.ARABIC} <= fonts._registered
    build(db)
    service.warm_up()
    assert AuditService(db).count() == 0
