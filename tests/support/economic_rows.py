"""A programme with two funders, their budgets and a handful of expenses, for the economic
tests: the numbers the report must show are worked out by hand in ``EXPECTED``."""

from __future__ import annotations

import datetime as dt

from app.db.engine import Database
from app.db.models import Funder, Programme, Staff, programme_funder
from app.domain.economics import BudgetDTO, BudgetLineDTO, ExpenseDraft
from app.services.economics import EconomicsService

D = dt.date
#: Valid tax ids (check digits computed): a CIF, a DNI, an NIE.
CIF = "B65410011"
DNI = "12345678Z"
NIE = "X1234567L"


def add_programme(db: Database, code: str = "ECO") -> tuple[str, str, str, str]:
    """(programme, city council, province, staff) ids: a 2026 programme with two funders."""
    with db.begin() as s:
        p = Programme(
            code=code,
            name="Economia",
            category="prevention",
            start=D(2026, 1, 1),
            end=D(2026, 12, 31),
        )
        city = Funder(name="Ajuntament")
        province = Funder(name="Diputació")
        staff = Staff(name="Marta Puig")
        s.add_all([p, city, province, staff])
        s.flush()
        for f in (city, province):
            s.execute(programme_funder.insert().values(programme_id=p.id, funder_id=f.id))
        return p.id, city.id, province.id, staff.id


def build(db: Database) -> dict[str, str]:
    """The programme ECO, the city council's budget (two lines, 10 % allowed on travel) and
    four expenses; returns the ids."""
    pid, city, province, staff = add_programme(db)
    svc = EconomicsService(db)
    svc.save_budget(
        BudgetDTO(
            "",
            pid,
            city,
            granted=1_000_000,
            own_funds=150_000,
            other_grants=50_000,
            fees=20_000,
            allowed_deviation=20,
            lines=(
                BudgetLineDTO("staff", amount=800_000),
                BudgetLineDTO("travel", amount=100_000, allowed_deviation=10),
                BudgetLineDTO("lloguer", "Lloguer de sala", 100_000),
            ),
        )
    )
    common = {"programme_id": pid}
    # 1 000,00 + 210,00 VAT, all to the city council: 1 210,00 on travel (over 10 %: +1 110 %).
    svc.save_expense(
        ExpenseDraft(
            issue_date=D(2026, 3, 2),
            amount=100_000,
            vat=21_000,
            line="travel",
            creditor="Autocars Sants SL",
            creditor_tax_id=CIF,
            document_number="F-001",
            payment_date=D(2026, 3, 20),
            shares={city: 10_000},
            **common,
        )
    )
    # Payroll of March: 2 500,00, 60 % city council (1 500,00), 40 % province.
    svc.save_expense(
        ExpenseDraft(
            kind="payroll",
            issue_date=D(2026, 3, 31),
            amount=250_000,
            line="staff",
            staff_id=staff,
            payment_date=D(2026, 3, 31),
            shares={city: 6_000, province: 4_000},
            **common,
        )
    )
    # Rent 300,00 + 63,00, half to the city council: 181,50.
    svc.save_expense(
        ExpenseDraft(
            issue_date=D(2026, 5, 4),
            amount=30_000,
            vat=6_300,
            line="lloguer",
            creditor='=HYPERLINK("x")',
            creditor_tax_id=DNI,
            document_number="2026/17",
            shares={city: 5_000},
            **common,
        )
    )
    # Outside the report's period (2025 is before the programme: kept with a reason).
    svc.save_expense(
        ExpenseDraft(
            issue_date=D(2025, 12, 20),
            amount=5_000,
            line="travel",
            creditor="Bitllets",
            creditor_tax_id=NIE,
            document_number="T-9",
            shares={city: 10_000},
            outside_reason="Bitllets comprats per avançat",
            **common,
        )
    )
    return {"programme": pid, "city": city, "province": province, "staff": staff}


#: The city council's part of programme ECO for 2026, by hand.
EXPECTED_CITY = {
    "staff": (800_000, 150_000),
    "travel": (100_000, 121_000),
    "lloguer": (100_000, 18_150),
    "spent": 289_150,
    "budget": 1_000_000,
    "cofinancing": 220_000,
}
