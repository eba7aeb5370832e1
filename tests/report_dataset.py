"""The dataset the justification-report tests share (built with the ORM models), and the
figures computed by hand for programme JOV in 2026."""

from __future__ import annotations

import datetime as dt

from app.db.engine import Database
from app.db.models import (
    Activity,
    Attendance,
    EntityProfile,
    Funder,
    HeadCount,
    Indicator,
    NetworkSpace,
    Participant,
    Place,
    Programme,
    Session,
    Staff,
)
from tests.support.network_rows import add_meeting

D, T = dt.date, dt.time
PERIOD = (D(2026, 1, 1), D(2026, 12, 31))

#: By hand, for programme JOV and 2026 (see build() for who did what).
EXPECTED = {
    "sessions": 3,
    "hours": 6.5,
    "participants": 4,
    "attendances": 16,
    "anonymous_attendances": 9,
    "by_gender": {
        "woman": {"participants": 2, "attendances": 8},
        "man": {"participants": 1, "attendances": 5},
        "nonbinary": {"participants": 0, "attendances": 0},
        "other": {"participants": 0, "attendances": 0},
        "undisclosed": {"participants": 1, "attendances": 3},
    },
    "by_age_band": {
        "0-17": {"participants": 2, "attendances": 8},
        "18-29": {"participants": 0, "attendances": 1},
        "30-64": {"participants": 0, "attendances": 3},
        "65+": {"participants": 1, "attendances": 3},
        "unknown": {"participants": 1, "attendances": 1},
    },
    "meetings": 2,
    "meeting_hours": 3.5,
    "agreements_adopted": 3,
    "agreements_done": 2,
}
FOLDED = {"woman": (2, 8), "man": (1, 5), "other": (1, 3)}
NEIGHBOURHOODS = {"Sants": (2, 4), "Hostafrancs": (1, 2), "": (1, 10)}
NATIONALITIES = {"ES": (2, 4), "MA": (1, 2), "": (1, 10)}
#: activity -> (sessions, hours, participants, attendances)
ACTIVITIES = {"Taller de costura": (2, 3.5, 4, 6), "Festa major del barri": (1, 3.0, 1, 10)}
MONTHS = {1: (1, 3), 2: (1, 3), 6: (1, 10)}
#: indicator -> (target, achieved)
INDICATORS = {
    "Persones participants": (5.0, 4.0),
    "Sessions realitzades": (3.0, 3.0),
    "Hores d'activitat": (8.0, 6.5),
    "Entitats implicades": (4.0, 5.0),
}


def build(db: Database) -> dict[str, str]:
    """Programme JOV with: one person in both activities, sessions before and after 2026, a
    cancelled session, absent and excused records, a late arrival, head counts, a person with no
    birth date, one who turns 18 inside the period, and one erased (blocked) after attending."""
    with db.begin() as s:
        s.add(
            EntityProfile(
                name="Associació Veïnal de Sants",
                tax_id="G12345678",
                address="Carrer de Sants 1, Barcelona",
                privacy_purpose="Gestió de les activitats.",
            )
        )
        funder = Funder(name="Ajuntament de Barcelona", support_text="Amb el suport de")
        marta = Staff(name="Marta Ferrer")
        casal = Place(name="Casal de Barri")
        s.add_all([funder, marta, casal])
        s.flush()
        prog = Programme(
            code="JOV",
            name="Joves del barri",
            category="prevention",
            objectives=["Reforçar la xarxa de suport de les persones joves"],
            responsible_staff_id=marta.id,
            start=D(2026, 1, 1),
            end=D(2026, 12, 31),
        )
        prog.funders = [funder]
        other = Programme(code="ALT", name="Altre programa", category="associationism")
        s.add_all([prog, other])
        s.flush()
        taller = Activity(
            programme_id=prog.id, name="Taller de costura", kind="workshop", place_id=casal.id
        )
        taller.facilitators = [marta]
        festa = Activity(programme_id=prog.id, name="Festa major del barri", kind="event")
        alt = Activity(programme_id=other.id, name="Assemblea", kind="other")
        s.add_all([taller, festa, alt])
        people = {
            "anna": Participant(
                given_name="Anna",
                family_names="Puig",
                gender="woman",
                birth_date=D(2010, 3, 1),
                neighbourhood="Sants",
                nationality="ES",
            ),
            "bru": Participant(
                given_name="Bru",
                family_names="Soler",
                gender="man",
                birth_date=D(2008, 2, 1),
                neighbourhood="Hostafrancs",
                nationality="MA",
            ),
            "carme": Participant(given_name="Carme", family_names="Vidal"),
            "didac": Participant(
                given_name="Dídac",
                family_names="Roig",
                gender="nonbinary",
                birth_date=D(1990, 5, 5),
                neighbourhood="Sants",
            ),
            "eva": Participant(
                given_name="Eva",
                family_names="Mir",
                gender="woman",
                birth_date=D(1950, 1, 1),
                neighbourhood="Sants",
                nationality="ES",
            ),
            "pere": Participant(given_name="Pere", family_names="Pi", gender="man"),
        }
        s.add_all(people.values())
        s.flush()

        def session(
            act: Activity,
            day: D,
            start: int | None,
            end: tuple[int, int] | None,
            status: str = "held",
        ) -> Session:
            row = Session(
                activity_id=act.id,
                date=day,
                status=status,
                start_time=T(start) if start is not None else None,
                end_time=T(*end) if end else None,
            )
            s.add(row)
            return row

        s1 = session(taller, D(2026, 1, 15), 17, (19, 0))
        s1.facilitators = [marta]
        s2 = session(taller, D(2026, 2, 12), 17, (18, 30))
        cancelled = session(taller, D(2026, 3, 5), 17, (19, 0), "cancelled")
        before = session(taller, D(2025, 12, 18), 17, (19, 0))
        after = session(taller, D(2027, 1, 14), 17, (19, 0))
        fest = session(festa, D(2026, 6, 20), 10, (13, 0))
        alt_s = session(alt, D(2026, 4, 2), 18, (20, 0))
        s.flush()
        p = people
        marks = [
            (s1, "anna", "present"),
            (s1, "bru", "present"),
            (s1, "eva", "present"),
            (s1, "carme", "excused"),
            (s1, "didac", "absent"),
            (s2, "anna", "late"),
            (s2, "bru", "present"),
            (s2, "carme", "present"),
            (s2, "didac", "absent"),
            (fest, "anna", "present"),
            (fest, "carme", "absent"),
            (cancelled, "didac", "present"),
            (before, "didac", "present"),
            (after, "didac", "present"),
            (alt_s, "pere", "present"),
        ]
        s.add_all(
            Attendance(session_id=ses.id, participant_id=p[who].id, status=st)
            for ses, who, st in marks
        )
        s.add_all(
            [
                HeadCount(session_id=fest.id, gender="woman", age_band="0-17", count=4),
                HeadCount(session_id=fest.id, gender="man", age_band="30-64", count=3),
                HeadCount(session_id=fest.id, gender="undisclosed", age_band="65+", count=2),
                HeadCount(session_id=before.id, gender="man", age_band="30-64", count=50),
            ]
        )
        for name, (target, achieved) in INDICATORS.items():
            kind = {
                "Persones participants": "participants",
                "Sessions realitzades": "sessions",
                "Hores d'activitat": "hours",
            }.get(name, "manual")
            s.add(
                Indicator(
                    programme_id=prog.id,
                    name=name,
                    kind=kind,
                    target=target,
                    manual_value=achieved if kind == "manual" else None,
                )
            )
            s.flush()  # indicators keep their order (created_at)

        xarxa = NetworkSpace(name="Xarxa d'Infància de Sants", territory="Sants")
        s.add(xarxa)
        s.flush()
        comissio = NetworkSpace(name="Comissió de festes", parent_id=xarxa.id)
        s.add(comissio)
        s.flush()

        add_meeting(s, xarxa.id, D(2026, 3, 10), T(18), T(20), ("done", "open"), prog.id)
        add_meeting(s, comissio.id, D(2026, 5, 5), T(10), T(11, 30), ("done",), prog.id)
        add_meeting(s, xarxa.id, D(2026, 4, 1), T(18), T(20), ("done",))
        add_meeting(s, xarxa.id, D(2025, 11, 1), T(18), T(20), ("done",), prog.id)
        s.flush()
        p["eva"].blocked_at = dt.datetime(2026, 4, 1, 9, 0)
        return {"prog": prog.id, "other": other.id, "s1": s1.id, "s2": s2.id, "fest": fest.id}
