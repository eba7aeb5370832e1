"""Budgets and the expenses register through the service: what is saved, what is refused with
which message, and that a refused expense leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db.engine import Database
from app.db.models import AuditEvent, Expense, ExpenseAttachment, ExpenseShare
from app.domain.economics import ExpenseDraft, parse_amount, parse_share, valid_tax_id
from app.errors import UserError
from app.services.economics import EconomicsService, OutsidePeriod
from tests.support.economic_rows import CIF, DNI, EXPECTED_CITY, NIE, add_programme, build

#: Each test runs on a SQLite file and on an office (PostgreSQL) database.
BOTH_ENGINES = True
D = dt.date


def _draft(pid: str, funder: str, **kw: object) -> ExpenseDraft:
    values: dict[str, object] = {
        "programme_id": pid,
        "issue_date": D(2026, 4, 1),
        "amount": 10_000,
        "vat": 2_100,
        "line": "activities",
        "creditor": "Papereria Sants",
        "creditor_tax_id": CIF,
        "document_number": "A-1",
        "shares": {funder: 10_000},
    }
    values.update(kw)
    return ExpenseDraft(**values)  # type: ignore[arg-type]


def _count(db: Database, model: type) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_numbers_and_tax_ids_as_people_type_them() -> None:
    assert parse_amount("1.234,56") == 123_456
    assert parse_amount("1234,5") == 123_450
    assert parse_amount("1234.56") == 123_456
    assert parse_amount("12.500") == 1_250_000
    assert parse_amount("12 €") == 1_200
    assert parse_share("33,33") == 3_333 and parse_share("60 %") == 6_000
    with pytest.raises(UserError, match="no és un import"):
        parse_amount("dotze")
    assert valid_tax_id(CIF) and valid_tax_id(DNI) and valid_tax_id(NIE)
    assert valid_tax_id("b-65410011") and valid_tax_id("FR40303265045")
    assert not valid_tax_id("B65410012") and not valid_tax_id("12345678A")


def test_budget_round_trip_and_default_lines(db: Database) -> None:
    ids = build(db)
    svc = EconomicsService(db)
    budgets = {b.funder_name: b for b in svc.budgets(ids["programme"])}
    city, province = budgets["Ajuntament"], budgets["Diputació"]
    assert city.id and city.granted == 1_000_000 and city.cofinancing == 220_000
    assert [(x.code, x.amount, x.allowed_deviation) for x in city.lines] == [
        ("staff", 800_000, None),
        ("travel", 100_000, 10),
        ("lloguer", 100_000, None),
    ]
    assert city.lines[2].name == "Lloguer de sala"
    # A funder without a budget yet: the common lines at zero, unsaved.
    assert province.id == "" and [x.code for x in province.lines] == [
        "staff",
        "activities",
        "services",
        "travel",
        "indirect",
    ]
    codes = [x.code for x in svc.lines(ids["programme"])]
    assert codes[:5] == ["staff", "activities", "services", "travel", "indirect"]
    assert "lloguer" in codes


def test_an_expense_split_between_funders_is_saved_whole(db: Database) -> None:
    ids = build(db)
    svc = EconomicsService(db)
    expenses = svc.expenses(ids["programme"])
    assert len(expenses) == 4
    payroll = next(e for e in expenses if e.kind == "payroll")
    assert payroll.creditor == "Marta Puig"
    assert payroll.document_number == "Nòmina 2026-03"
    assert payroll.shares == {ids["city"]: 6_000, ids["province"]: 4_000}
    assert _count(db, ExpenseShare) == 5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"shares": "over"}, "sumen 110 %"),
        ({"payment_date": D(2026, 3, 1)}, "anterior a la data d'emissió"),
        ({"creditor_tax_id": "B65410012"}, "no és un NIF, NIE o CIF vàlid"),
        ({"amount": 0}, "més de zero"),
        ({"line": "nothing"}, "línia del pressupost"),
        ({"creditor": " "}, "creditor"),
    ],
)
def test_bad_expenses_are_refused_and_nothing_is_saved(
    db: Database, change: dict[str, object], message: str
) -> None:
    pid, city, province, _staff = add_programme(db)
    svc = EconomicsService(db)
    if change.get("shares") == "over":
        change = {"shares": {city: 6_000, province: 5_000}}
    with pytest.raises(UserError, match=message):
        svc.save_expense(_draft(pid, city, **change))
    assert _count(db, Expense) == 0 and _count(db, ExpenseShare) == 0


def test_a_duplicate_invoice_of_the_same_creditor_is_refused(db: Database) -> None:
    pid, city, _province, _staff = add_programme(db)
    svc = EconomicsService(db)
    saved, _c = svc.save_expense(_draft(pid, city))
    with pytest.raises(UserError, match="ja té una despesa amb el número de document A-1"):
        svc.save_expense(_draft(pid, city, document_number="a-1", issue_date=D(2026, 5, 1)))
    # Another creditor may use the same number; the expense itself may be saved again.
    svc.save_expense(_draft(pid, city, creditor="Altres", creditor_tax_id=DNI))
    again, _c = svc.save_expense(saved.draft())
    assert again.id == saved.id and _count(db, Expense) == 2


def test_payroll_twice_in_a_month_is_refused(db: Database) -> None:
    pid, city, _province, staff = add_programme(db)
    svc = EconomicsService(db)
    payroll = _draft(pid, city, kind="payroll", staff_id=staff, vat=0, line="staff", creditor="")
    svc.save_expense(payroll)
    with pytest.raises(UserError, match="ja té una nòmina"):
        svc.save_expense(_draft(pid, city, kind="payroll", staff_id=staff, line="staff"))


def test_an_expense_outside_the_grant_period_needs_a_reason(db: Database) -> None:
    pid, city, _province, _staff = add_programme(db)
    svc = EconomicsService(db)
    early = _draft(pid, city, issue_date=D(2025, 12, 30))
    assert len(svc.period_warnings(early)) == 1
    with pytest.raises(OutsidePeriod, match="fora del període de la subvenció \\(Ajuntament: "):
        svc.save_expense(early)
    assert _count(db, Expense) == 0
    saved, _c = svc.save_expense(
        ExpenseDraft(**{**early.__dict__, "outside_reason": "Reserva anticipada"})
    )
    assert saved.outside_reason == "Reserva anticipada"


def test_attachments_are_kept_in_the_database_with_an_audit_entry(
    db: Database, tmp_path: Path
) -> None:
    pid, city, _province, _staff = add_programme(db)
    svc = EconomicsService(db)
    invoice = tmp_path / "factura.pdf"
    invoice.write_bytes(b"%PDF-1.4 an invoice")
    saved, _c = svc.save_expense(_draft(pid, city), [invoice])
    assert [(a.file_name, a.media_type) for a in saved.attachments] == [
        ("factura.pdf", "application/pdf")
    ]
    photo = tmp_path / "tiquet.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 a photo")
    info, _c = svc.attach(saved.id, photo)
    assert svc.attachment(info.id) == ("tiquet.jpg", b"\xff\xd8\xff\xe0 a photo")
    with db.read() as s:
        details = list(s.scalars(select(AuditEvent.details).where(AuditEvent.action == "import")))
    assert any("factura.pdf" in d and "A-1" in d for d in details)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "copy.pdf"
    svc.save_attachment_as(saved.attachments[0].id, out)
    if os.name == "posix":
        assert os.stat(out).st_mode & 0o777 == 0o600
    with db.read() as s:
        exported = list(s.scalars(select(AuditEvent.subject).where(AuditEvent.action == "export")))
    assert exported == [str(out)]
    assert out.read_bytes() == b"%PDF-1.4 an invoice"
    # Not a PDF or a photo: refused, and the expense is not saved either.
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(UserError, match="no és un PDF ni una foto"):
        svc.save_expense(_draft(pid, city, document_number="A-2"), [text])
    assert _count(db, Expense) == 1 and _count(db, ExpenseAttachment) == 2
    svc.delete_expense(saved.id)
    assert svc.expenses(pid) == [] and _count(db, ExpenseAttachment) == 0


@pytest.mark.sqlite_only
def test_the_database_holding_the_invoices_is_private(db: Database, tmp_path: Path) -> None:
    pid, city, _province, _staff = add_programme(db)
    invoice = tmp_path / "factura.pdf"
    invoice.write_bytes(b"%PDF-1.4 an invoice")
    EconomicsService(db).save_expense(_draft(pid, city), [invoice])
    if os.name == "posix":
        assert os.stat(db.path).st_mode & 0o777 == 0o600


def test_the_report_part_by_funder_and_line(db: Database) -> None:
    ids = build(db)
    part = EconomicsService(db).report_part(None, D(2026, 1, 1), D(2026, 12, 31))
    by_funder = {p.funder_name: p for p in part}
    city = by_funder["Ajuntament"]
    lines = {x.code: (x.budget, x.spent) for x in city.lines}
    assert lines == {k: EXPECTED_CITY[k] for k in ("staff", "travel", "lloguer")}
    assert city.spent_total == EXPECTED_CITY["spent"]
    assert city.budget_total == EXPECTED_CITY["budget"]
    assert city.cofinancing == EXPECTED_CITY["cofinancing"]
    over = {x.code: x.over for x in city.lines}
    assert over == {"staff": False, "travel": True, "lloguer": False}
    # The 2025 ticket is outside the report's period: not listed.
    assert [e.document_number for e in city.expenses] == ["Nòmina 2026-03", "F-001", "2026/17"]
    # The province has no budget but a share of the payroll: its part still shows.
    province = by_funder["Diputació"]
    assert province.granted == 0 and [(x.code, x.budget, x.spent) for x in province.lines] == [
        ("staff", 0, 100_000)
    ]
    assert ids


@pytest.mark.sqlite_only
def test_the_demo_has_budgets_and_some_thirty_expenses(db: Database) -> None:
    from app.db.models import Budget, Programme
    from app.demo import load_demo

    load_demo(db, "small", today=D(2027, 3, 15))
    assert _count(db, Expense) == 30
    with db.read() as s:
        programmes = {p.code: p.id for p in s.scalars(select(Programme))}
        assert int(s.scalar(select(func.count()).select_from(Budget)) or 0) >= len(programmes)
    svc = EconomicsService(db)
    # Every demo expense passes the checks a typed one does (saved again unchanged).
    for pid in programmes.values():
        for e in svc.expenses(pid):
            svc.save_expense(e.draft())
    part = svc.report_part(None, D(2026, 9, 1), D(2027, 8, 31))
    assert sum(len(p.expenses) for p in part) >= 30
    assert any(e.outside_reason for p in part for e in p.expenses) is False  # before the year
    assert all(p.granted > 0 for p in part)
