"""A large entity's year, inserted in bulk: 2 000 held sessions, 5 000 people, 60 000 named
attendances (plus head counts), network meetings and agreements (DESIGN section 10 budget)."""

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
    EntityProfile,
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


def build_large(db: Database, seed: int = 7) -> dict[str, int]:
    rnd = random.Random(seed)
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
        for i in range(100)
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
        for i in range(5000)
    ]
    start = dt.date(YEAR, 1, 1)
    sessions, facil, attendance, heads = [], [], [], []
    for i in range(2000):
        act = activities[i % 100]
        sid = new_id()
        sessions.append(
            {
                "id": sid,
                "activity_id": act["id"],
                "date": start + dt.timedelta(days=(i * 365) // 2000),
                "start_time": dt.time(17),
                "end_time": dt.time(18, 30),
                "status": "held",
            }
        )
        facil.append({"session_id": sid, "staff_id": staff[i % 25]["id"]})
        # 30 named records per session: 60 000 in all, ~90 % present or late.
        base = (i % 100) * 50
        for j in range(30):
            pid = people[(base + j + (i // 100) % 20) % 5000]["id"]
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
    return {"sessions": len(sessions), "people": len(people), "attendances": len(attendance)}
