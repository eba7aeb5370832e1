"""Rule 4 for the economic records: a budget, its lines and an expense's shares per funder made
or rewritten on two devices at once are neither refused (a unique key) nor doubled when they
sync; the same line with two amounts follows rule 2. Through a folder (two SQLite replicas) and
with the office database (PostgreSQL) as the other side."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db.engine import Database, open_database, open_url
from app.db.models import Budget, BudgetLine, ExpenseShare, Funder, Programme, SyncConflict
from app.domain.economics import BudgetDTO, BudgetLineDTO, ExpenseDraft
from app.services.container import Services
from app.services.economics import EconomicsService
from app.sync import device, folder
from app.sync import office as office_sync
from tests.support.economic_rows import CIF, add_programme

D = dt.date


@dataclass
class Two:
    first: Database
    second: Database
    #: Everyone syncs, then everyone again.
    sync: Callable[[], None]


@pytest.fixture(params=["folder", pytest.param("office", marks=pytest.mark.office)])
def two(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Two]:
    laptop_dir = tmp_path / "laptop"
    laptop_dir.mkdir()
    if request.param == "folder":
        shared = tmp_path / "shared"
        shared.mkdir()
        (tmp_path / "office").mkdir()
        first = open_database(tmp_path / "office" / "teixit.db")
        add_programme(first)
        code = device.create_key(first, "office")
        folder.sync_folder(first, shared)
        second = open_database(laptop_dir / "teixit.db")
        device.pair(second, code, "laptop")
        folder.join_folder(second, shared)

        def both() -> None:
            for db in (first, second, first, second):
                folder.sync_folder(db, shared)

    else:
        address = request.getfixturevalue("office_address")
        first = open_url(address)
        add_programme(first)
        second = open_database(laptop_dir / "teixit.db")
        office_sync.join_office(second, address)

        def both() -> None:
            for _ in range(2):
                office_sync.sync_office(second, address)

    try:
        yield Two(first, second, both)
    finally:
        first.close()
        second.close()


def _programme(db: Database) -> tuple[str, str, str]:
    """The programme ECO and its two funders (the city council, the province), as synced."""
    with db.read() as s:
        pid = s.scalar(select(Programme.id).where(Programme.code == "ECO"))
        funders = dict(s.execute(select(Funder.name, Funder.id)).all())
    assert pid
    return pid, funders["Ajuntament"], funders["Diputació"]


def _count(db: Database, model: type) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _budget(pid: str, funder: str, granted: int, travel: int) -> BudgetDTO:
    return BudgetDTO(
        "",
        pid,
        funder,
        granted=granted,
        lines=(BudgetLineDTO("staff", amount=800_000), BudgetLineDTO("travel", amount=travel)),
    )


def _export(db: Database) -> dict[str, object]:
    return Services(db).exchange.export_data()


def test_a_budget_made_on_two_devices_at_once_is_one_budget(two: Two) -> None:
    pid, city, _province = _programme(two.first)
    EconomicsService(two.first).save_budget(_budget(pid, city, 1_000_000, 100_000))
    EconomicsService(two.second).save_budget(_budget(pid, city, 1_000_000, 150_000))
    two.sync()  # no unique key refused
    for db in (two.first, two.second):
        assert _count(db, Budget) == 1
        assert _count(db, BudgetLine) == 2
        (budget,) = EconomicsService(db).budgets(pid)[:1]
        assert [x.code for x in budget.lines] == ["staff", "travel"]
        # Rule 2: the later amount of the travel line is kept everywhere.
        assert budget.lines[1].amount == 150_000
    assert _export(two.first) == _export(two.second)
    with two.second.read() as s:
        kinds = {(c.table_name, c.field) for c in s.scalars(select(SyncConflict))}
    with two.first.read() as s:
        kinds |= {(c.table_name, c.field) for c in s.scalars(select(SyncConflict))}
    assert ("budget_line", "amount") in kinds  # the other amount is listed, not lost


def test_budget_lines_rewritten_on_two_devices_are_neither_doubled_nor_refused(
    two: Two,
) -> None:
    pid, city, _province = _programme(two.first)
    EconomicsService(two.first).save_budget(_budget(pid, city, 1_000_000, 100_000))
    two.sync()
    # Each save rewrites the lines: a line added on one, an amount changed on the other.
    saved = EconomicsService(two.first).budgets(pid)[0]
    EconomicsService(two.first).save_budget(
        replace(saved, lines=(*saved.lines, BudgetLineDTO("lloguer", "Lloguer", 5_000)))
    )
    other = EconomicsService(two.second).budgets(pid)[0]
    EconomicsService(two.second).save_budget(
        replace(other, granted=1_200_000, lines=(other.lines[0], replace(other.lines[1], amount=1)))
    )
    two.sync()
    for db in (two.first, two.second):
        with db.read() as s:
            codes = sorted(s.scalars(select(BudgetLine.code)))
        # The later save (the second device's) rewrote the lines it had: the line added on
        # the first one was not in it, so the later rewrite decides; nothing is doubled.
        assert len(codes) == len(set(codes))
        assert {"staff", "travel"} <= set(codes)
        assert EconomicsService(db).budgets(pid)[0].granted == 1_200_000
    assert _export(two.first) == _export(two.second)


def test_an_expenses_shares_set_on_two_devices_are_one_share_per_funder(two: Two) -> None:
    pid, city, province = _programme(two.first)
    expense, _c = EconomicsService(two.first).save_expense(
        ExpenseDraft(
            programme_id=pid,
            issue_date=D(2026, 4, 1),
            amount=10_000,
            line="activities",
            creditor="Papereria Sants",
            creditor_tax_id=CIF,
            document_number="A-1",
            shares={city: 10_000},
        )
    )
    two.sync()
    draft = expense.draft()
    EconomicsService(two.first).save_expense(replace(draft, shares={city: 6_000, province: 4_000}))
    EconomicsService(two.second).save_expense(replace(draft, shares={city: 5_000, province: 5_000}))
    two.sync()
    for db in (two.first, two.second):
        with db.read() as s:
            shares = s.execute(select(ExpenseShare.funder_id, ExpenseShare.share)).all()
        assert sorted(f for f, _s in shares) == sorted([city, province])  # one per funder
        assert dict(shares) == {city: 5_000, province: 5_000}  # the later save
    assert _export(two.first) == _export(two.second)
