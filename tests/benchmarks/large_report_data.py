"""A large entity's year, inserted in bulk: 2 000 held sessions, 5 000 people, 60 000 named
attendances (plus head counts), network meetings and agreements (DESIGN section 10 budget), and
the economic part: each programme's budget and 3 000 expenses, a third split between two
funders. ``scale`` multiplies activities, people, sessions, attendances and expenses (8: the
480 000 attendances of the report's memory budget)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert

from app.db.base import new_id
from app.db.engine import Database
from app.db.models import (
    Activity,
    Agreement,
    Attendance,
    Budget,
    BudgetLine,
    EntityProfile,
    Expense,
    ExpenseShare,
    Funder,
    HeadCount,
    Indicator,
    NetworkMeeting,
    NetworkSpace,
    Participant,
    Place,
    Programme,
    Session,
    Staff,
    meeting_programme,
    programme_funder,
    session_facilitator,
)

YEAR = 2026
GENDERS = ("woman", "man", "nonbinary", "other", "undisclosed", None)
HOODS = ("Sants", "Hostafrancs", "la Bordeta", "Badal", "Poble-sec", "")
NATIONS = ("ES", "ES", "ES", "MA", "PK", "CO", "RO", "")


def build_large(db: Database, seed: int = 7, scale: int = 1) -> dict[str, int]:
    """``scale``: an entity ``scale`` times as large in the same year (sessions, activities,
    people, attendances and expenses; the same programmes, staff, places and networks)."""
    rnd = random.Random(seed)
    n_activities, n_people, n_sessions = 100 * scale, 5000 * scale, 2000 * scale
    staff = [{"id": new_id(), "name": f"Persona tècnica {i}"} for i in range(25)]
    places = [{"id": new_id(), "name": f"Equipament {i}"} for i in range(12)]
    funders = [{"id": new_id(), "name": f"Entitat finançadora {i}"} for i in range(4)]
    programmes = [
        {
            "id": new_id(),
            "code": f"P{i:02d}",
            "name": f"Programa {i}",
            "category": "prevention",
            "objectives": ["Objectiu general", "Objectiu específic"],
        }
        for i in range(10)
    ]
    activities = [
        {
            "id": new_id(),
            "programme_id": programmes[i % 10]["id"],
            "name": f"Activitat {i}",
            "kind": "workshop" if i % 4 else "event",
            "place_id": places[i % 12]["id"],
        }
        for i in range(n_activities)
    ]
    people = [
        {
            "id": new_id(),
            "given_name": f"Nom{i}",
            "family_names": f"Cognom{i}",
            "gender": GENDERS[i % 6],
            "birth_date": dt.date(1940 + i % 80, 1 + i % 12, 1 + i % 28) if i % 9 else None,
            "neighbourhood": HOODS[i % 6],
            "nationality": NATIONS[i % 8],
        }
        for i in range(n_people)
    ]
    start = dt.date(YEAR, 1, 1)
    sessions, facil, attendance, heads = [], [], [], []
    for i in range(n_sessions):
        act = activities[i % n_activities]
        sid = new_id()
        sessions.append(
            {
                "id": sid,
                "activity_id": act["id"],
                "date": start + dt.timedelta(days=(i * 365) // n_sessions),
                "start_time": dt.time(17),
                "end_time": dt.time(18, 30),
                "status": "held",
            }
        )
        facil.append({"session_id": sid, "staff_id": staff[i % 25]["id"]})
        # 30 named records per session: 60 000 in all, ~90 % present or late.
        base = (i % n_activities) * 50
        for j in range(30):
            pid = people[(base + j + (i // n_activities) % 20) % n_people]["id"]
            status = (
                "present",
                "present",
                "late",
                "present",
                "absent",
                "present",
                "excused",
                "present",
                "present",
                "present",
            )[rnd.randrange(10)]
            attendance.append(
                {"id": new_id(), "session_id": sid, "participant_id": pid, "status": status}
            )
        if act["kind"] == "event":
            heads.append(
                {
                    "id": new_id(),
                    "session_id": sid,
                    "gender": "woman",
                    "age_band": "30-64",
                    "count": 12,
                }
            )
    spaces = [{"id": new_id(), "name": f"Xarxa {i}"} for i in range(8)]
    meetings, links, agreements = [], [], []
    for i in range(160):
        mid = new_id()
        meetings.append(
            {
                "id": mid,
                "space_id": spaces[i % 8]["id"],
                "date": start + dt.timedelta(days=i * 2),
                "start_time": dt.time(10),
                "end_time": dt.time(12),
                "agenda": [],
            }
        )
        links.append({"meeting_id": mid, "programme_id": programmes[i % 10]["id"]})
        for n in range(3):
            agreements.append(
                {
                    "id": new_id(),
                    "meeting_id": mid,
                    "number": n + 1,
                    "text": f"Acord {n + 1}",
                    "status": ("done", "open")[n % 2],
                }
            )
    with db.begin() as s:
        s.add(EntityProfile(name="Entitat gran", tax_id="G00000000"))
        for model, rows in (
            (Staff, staff),
            (Place, places),
            (Funder, funders),
            (Programme, programmes),
            (Activity, activities),
            (Participant, people),
            (Session, sessions),
            (Attendance, attendance),
            (HeadCount, heads),
            (NetworkSpace, spaces),
            (NetworkMeeting, meetings),
            (Agreement, agreements),
        ):
            s.execute(insert(model), rows)
        s.execute(insert(session_facilitator), facil)
        s.execute(insert(meeting_programme), links)
        s.execute(
            insert(programme_funder),
            [
                {"programme_id": p["id"], "funder_id": funders[k % 4]["id"]}
                for k, p in enumerate(programmes)
            ],
        )
        s.execute(
            insert(Indicator),
            [
                {
                    "id": new_id(),
                    "programme_id": p["id"],
                    "name": "Persones participants",
                    "kind": "participants",
                    "target": 400,
                }
                for p in programmes
            ],
        )
        budgets, lines, expenses, shares = economic_rows(
            rnd, programmes, funders, staff, EXPENSES * scale
        )
        for model, rows in (
            (Budget, budgets),
            (BudgetLine, lines),
            (Expense, expenses),
            (ExpenseShare, shares),
        ):
            s.execute(insert(model), rows)
    return {"sessions": len(sessions), "people": len(people), "attendances": len(attendance)}


EXPENSES = 3000
LINES = ("staff", "activities", "services", "travel", "indirect")


def economic_rows(
    rnd: random.Random,
    programmes: list[dict[str, object]],
    funders: list[dict[str, str]],
    staff: list[dict[str, str]],
    count: int = EXPENSES,
) -> tuple[list[dict[str, object]], ...]:
    """Each programme's budget with its own funder and the next one (who also gets a share of
    a third of the expenses), and ``count`` invoices and payroll through the year."""
    budgets, lines, expenses, shares = [], [], [], []
    for k, p in enumerate(programmes):
        for f in (funders[k % 4], funders[(k + 1) % 4]):
            bid = new_id()
            budgets.append(
                {
                    "id": bid,
                    "programme_id": p["id"],
                    "funder_id": f["id"],
                    "granted": 6_000_000,
                    "own_funds": 500_000,
                    "other_grants": 0,
                    "fees": 120_000,
                    "allowed_deviation": 20,
                    "notes": "",
                }
            )
            for i, line in enumerate(LINES):
                lines.append(
                    {
                        "id": new_id(),
                        "budget_id": bid,
                        "code": line,
                        "label": "",
                        "amount": (3_600_000, 900_000, 800_000, 200_000, 500_000)[i],
                        "position": i,
                    }
                )
    start = dt.date(YEAR, 1, 1)
    for i in range(count):
        k = i % len(programmes)
        p = programmes[k]
        eid = new_id()
        payroll = i % 10 == 0
        base = rnd.randrange(2_000, 250_000)
        expenses.append(
            {
                "id": eid,
                "programme_id": p["id"],
                "kind": "payroll" if payroll else "invoice",
                "creditor": staff[i % 25]["name"] if payroll else f"Proveïdor {i % 120} SL",
                "creditor_tax_id": "" if payroll else "B65410011",
                "document_number": f"F-{i:05d}",
                "description": "Material i serveis de les activitats",
                "issue_date": start + dt.timedelta(days=(i * 365) // count),
                "payment_date": start + dt.timedelta(days=min((i * 365) // count + 20, 364)),
                "amount": base,
                "vat": 0 if payroll else base * 21 // 100,
                "line": "staff" if payroll else LINES[1 + i % 4],
                "staff_id": staff[i % 25]["id"] if payroll else None,
                "outside_reason": "",
            }
        )
        first, second = funders[k % 4]["id"], funders[(k + 1) % 4]["id"]
        split = ((first, 6_000), (second, 4_000)) if i % 3 == 0 else ((first, 10_000),)
        for funder_id, share in split:
            shares.append(
                {"id": new_id(), "expense_id": eid, "funder_id": funder_id, "share": share}
            )
    return budgets, lines, expenses, shares
