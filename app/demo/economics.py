"""The economic half of the demo: each funder's budget for each programme (the common lines,
the amount granted, co-financing) and a register of invoices and payroll charged to them.

About thirty expenses in the small demo, three thousand in the large one. Everything comes from
its own ``random.Random``, so adding it changes none of the demo's other rows."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from stdnum.es import cif

from app.db import models as m

if TYPE_CHECKING:
    from app.demo.build import Builder

#: Expenses of the whole demo by size (the large demo adds groups: ``spec.sessions`` > 0).
SMALL_EXPENSES = 30
LARGE_EXPENSES = 3000

#: Share of a programme's budget per line (staff, activities, services, travel, indirect).
LINE_SHARES = (("staff", 0.62), ("activities", 0.14), ("services", 0.12), ("travel", 0.04),
               ("indirect", 0.08))  # fmt: skip
#: Creditors: name, the first seven digits of their CIF, what they sell, the VAT rate in %.
CREDITORS = (
    ("Papereria Creu Coberta SL", "B6512345", "activities", 21),
    ("Impremta del Barri SCCL", "F6623456", "services", 21),
    ("Autocars Sants SA", "A0834567", "travel", 10),
    ("Càtering La Bordeta SL", "B6745678", "activities", 10),
    ("Material Esportiu Hostafrancs SL", "B6556789", "activities", 21),
    ("Lloguer d'Equips Montjuïc SL", "B6667890", "services", 21),
    ("Neteges Badal SL", "B6778901", "indirect", 21),
    ("Assessoria Laboral Sants SLP", "B6589012", "indirect", 21),
    ("Transports Urbans Marina SL", "B6690123", "travel", 10),
    ("Traduccions Interculturals SCCL", "F6701234", "services", 21),
)
DESCRIPTIONS = {
    "activities": ("Material per als tallers", "Berenar de la festa de final de curs",
                   "Material de manualitats", "Pilotes i petos"),
    "services": ("Impressió de cartells", "Lloguer de projector i equip de so",
                 "Servei de traducció", "Disseny del fulletó"),
    "travel": ("Autocar de la sortida", "Bitllets de transport per a la sortida"),
    "indirect": ("Neteja del local", "Gestió laboral i nòmines"),
}  # fmt: skip


def _tax_id(body: str) -> str:
    return body[0] + body[1:8] + cif.calc_check_digits(body[:8])[0]


def build(b: Builder) -> None:
    rng = random.Random(f"economics:{b.ids.namespace}")
    wanted = LARGE_EXPENSES if b.spec.sessions else SMALL_EXPENSES
    programmes = {row["code"]: row for row in b.rows.tables.get("programme", [])}
    links: dict[str, list[str]] = {}
    for link in b.rows.tables.get("programme_funder", []):
        links.setdefault(link["programme_id"], []).append(link["funder_id"])
    responsible = {row["id"]: row.get("responsible_staff_id") for row in programmes.values()}
    staff_names = {row["id"]: row["name"] for row in b.rows.tables.get("staff", [])}
    codes = sorted(programmes)
    per_programme = max(wanted // max(len(codes), 1), 1)
    numbers: dict[str, int] = {}
    count = 0
    for index, code in enumerate(codes):
        p = programmes[code]
        funders = links.get(p["id"], [])
        if not funders:
            continue
        start: dt.date = p["start"]
        end: dt.date = min(p["end"], b.today)
        scale = 3.3 if b.spec.sessions else 1.0
        total = round(rng.choice((38_000, 45_000, 52_000, 61_000)) * scale) * 100
        for position, funder_id in enumerate(funders):
            part = 0.7 if position == 0 and len(funders) > 1 else 0.3 if len(funders) > 1 else 1
            budget_id = b.ids("budget", f"{code}:{funder_id}")
            granted = round(total * part / 100) * 100
            b.rows.add(
                m.Budget,
                id=budget_id,
                programme_id=p["id"],
                funder_id=funder_id,
                granted=granted,
                own_funds=round(granted * 0.1 / 100) * 100 if position == 0 else 0,
                other_grants=0,
                fees=rng.choice((0, 0, 45_000, 80_000)) if position == 0 else 0,
                allowed_deviation=20 if position == 0 else 15,
                period_from=None,
                period_to=None,
                notes="",
            )
            for i, (line, share) in enumerate(LINE_SHARES):
                b.rows.add(
                    m.BudgetLine,
                    id=b.ids("budget_line", f"{code}:{funder_id}:{line}"),
                    budget_id=budget_id,
                    code=line,
                    label="",
                    amount=round(granted * share / 100) * 100,
                    position=i,
                    allowed_deviation=None,
                )
        last = index == len(codes) - 1
        todo = wanted - count if last else per_programme
        count += _expenses(b, rng, p, funders, responsible.get(p["id"]), staff_names, start,
                           end, todo, numbers)  # fmt: skip


def _expenses(
    b: Builder,
    rng: random.Random,
    p: dict[str, object],
    funders: list[str],
    staff_id: str | None,
    staff_names: dict[str, str],
    start: dt.date,
    end: dt.date,
    todo: int,
    numbers: dict[str, int],
) -> int:
    code = str(p["code"])
    made = 0
    # Payroll of the person responsible: one a month, 60 % to the first funder.
    month = start.replace(day=1)
    while staff_id and made < todo // 3 and month <= end:
        last_day = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        if last_day > end:
            break
        eid = b.ids("expense", f"{code}:payroll:{month:%Y-%m}")
        b.rows.add(
            m.Expense,
            id=eid,
            programme_id=p["id"],
            kind="payroll",
            creditor=staff_names.get(staff_id, ""),
            creditor_tax_id="",
            document_number=f"Nòmina {month:%Y-%m}",
            description="Sou i Seguretat Social",
            issue_date=last_day,
            payment_date=last_day,
            amount=rng.randrange(2_150_00, 2_650_00, 100),
            vat=0,
            line="staff",
            staff_id=staff_id,
            outside_reason="",
            deleted_at=None,
        )
        _share(b, eid, funders, (6_000, 4_000))
        made += 1
        month = last_day + dt.timedelta(days=1)
    days = max((end - start).days, 1)
    n = 0
    while made < todo:
        name, body, line, vat_rate = CREDITORS[rng.randrange(len(CREDITORS))]
        numbers[name] = numbers.get(name, 0) + 1
        issued = start + dt.timedelta(days=rng.randrange(days))
        paid = issued + dt.timedelta(days=rng.randrange(0, 45))
        base = rng.randrange(40_00, 1_800_00, 5)
        eid = b.ids("expense", f"{code}:invoice:{n}")
        reason = ""
        if n == 0 and code == "CONV":
            # Material booked the week before the programme started: kept, with its reason.
            issued = start - dt.timedelta(days=6)
            reason = "Material reservat abans de l'inici del curs per tenir-lo el primer dia"
        b.rows.add(
            m.Expense,
            id=eid,
            programme_id=p["id"],
            kind="invoice",
            creditor=name,
            creditor_tax_id=_tax_id(body),
            document_number=f"{body[:1]}{issued:%y}/{numbers[name]:05d}",
            description=rng.choice(DESCRIPTIONS[line]),
            issue_date=issued,
            payment_date=paid if paid <= b.today else None,
            amount=base,
            vat=round(base * vat_rate / 100),
            line=line,
            staff_id=None,
            outside_reason=reason,
            deleted_at=None,
        )
        split = rng.choice(((10_000, 0), (10_000, 0), (7_000, 3_000), (5_000, 5_000)))
        _share(b, eid, funders, split)
        made += 1
        n += 1
    return made


def _share(b: Builder, expense_id: str, funders: list[str], split: tuple[int, int]) -> None:
    shares = split if len(funders) > 1 else (10_000,)
    for funder_id, share in zip(funders, shares, strict=False):
        if share:
            b.rows.add(
                m.ExpenseShare,
                id=b.ids("expense_share", f"{expense_id}:{funder_id}"),
                expense_id=expense_id,
                funder_id=funder_id,
                share=share,
            )
