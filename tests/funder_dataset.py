"""The dataset of the funders' forms tests (built with the ORM models): a school-year programme,
a person in two programmes of one category, head counts in the fine bands and one recorded
earlier in a general band, an estimate of new people at an open event, sessions cancelled with
and without a reason and one still without a record, referrals in and out of the period, and a
group of six people of one gender beside groups of one. The figures below are counted by hand
for the whole entity, 1 September 2026 to 30 June 2027 (the school-year programme's dates)."""

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
    Organisation,
    Participant,
    Programme,
    Referral,
    Session,
    Staff,
)

D, T = dt.date, dt.time
PERIOD = (D(2026, 9, 1), D(2027, 6, 30))
VALENCIAN = ("12-18", "19-24", "25-30")

#: By hand: 6 held sessions; Taller 8 + 7 named, Casal 2, Assemblea 2 (named 19) and head
#: counts 18 + 2 at the two open events.
EXPECTED = {
    "sessions": 6,
    "participants": 10,
    "attendances": 39,
    "anonymous_attendances": 20,
    "referrals": 4,
    "people_reached": {
        "named_participants": 10,
        "open_events": 2,
        "open_events_estimated": 1,
        "estimated_new_at_open_events": 12,
    },
    "by_gender": {
        "woman": {"participants": 7, "attendances": 29},
        "man": {"participants": 1, "attendances": 8},
        "nonbinary": {"participants": 1, "attendances": 1},
        "other": {"participants": 0, "attendances": 0},
        "undisclosed": {"participants": 1, "attendances": 1},
    },
}
#: The Valencian youth law's bands. Head counts in 18-24 (6), 30-44 (5) and the earlier 0-17
#: (3) straddle its bands: 14 attendances that cannot be built, inside "unknown" and apart.
VALENCIAN_AGES = {
    "12-18": (1, 7),
    "19-24": (6, 12),
    "25-30": (1, 2),
    "outside": (1, 3),
    "unknown": (1, 15),
}
NOT_BUILDABLE = {"0-17": 3, "18-24": 6, "30-44": 5}
#: The sex x age table, women: (participants, attendances).
WOMEN_BY_AGE = {"12-18": (1, 7), "19-24": (6, 12), "outside": (0, 2), "unknown": (0, 0)}
#: Per category (prestació): Anna is in two prevention programmes and counts once there.
CATEGORIES = {
    "prevention": {"sessions": 5, "participants": 8, "attendances": 37, "reached": 12},
    "associationism": {"sessions": 1, "participants": 2, "attendances": 2, "reached": 0},
}
#: activity -> (planned, held, cancelled, not recorded, reasons)
SESSIONS_PLANNED = {
    "Taller de ràdio": (5, 2, 2, 1, ["Pluja", ""]),
    "Festa de tardor": (2, 2, 0, 0, []),
    "Casal obert": (1, 1, 0, 0, []),
    "Assemblea": (1, 1, 0, 0, []),
}
#: (programme, destination, status) -> referrals
REFERRALS = {
    ("ACO", "Servei Social de Base", "accepted"): 1,
    ("ACO", "Servei Social de Base", "open"): 1,
    ("BAR", "Servei Social de Base", "accepted"): 1,
    ("BAR", "Servei Social de Base", "open"): 1,
    ("CAS", "Centre de Salut", "closed"): 1,
    (None, "Centre de Salut", "open"): 1,
}


def build(db: Database) -> dict[str, str]:
    with db.begin() as s:
        s.add(
            EntityProfile(
                name="Associació Juvenil del Grau",
                tax_id="G46000000",
                address="Carrer de la Reina 5, València",
                privacy_purpose="Gestió de les activitats.",
            )
        )
        funder = Funder(name="Generalitat Valenciana", support_text="Amb el suport de")
        staff = Staff(name="Maria de les Neus Benavent i Castellví-Sanchis")
        social = Organisation(name="Servei Social de Base", kind="public")
        health = Organisation(name="Centre de Salut", kind="public")
        s.add_all([funder, staff, social, health])
        s.flush()
        aco = Programme(
            code="ACO",
            name="Acompanyament juvenil",
            category="prevention",
            start=D(2026, 9, 1),
            end=D(2027, 6, 30),
        )
        aco.funders = [funder]
        bar = Programme(code="BAR", name="Casal de barri", category="prevention")
        cas = Programme(code="CAS", name="Associacionisme", category="associationism")
        s.add_all([aco, bar, cas])
        s.flush()
        taller = Activity(
            programme_id=aco.id,
            name="Taller de ràdio",
            kind="workshop",
            description="",
        )
        taller.facilitators = [staff]
        festa = Activity(programme_id=aco.id, name="Festa de tardor", kind="event")
        casal = Activity(programme_id=bar.id, name="Casal obert", kind="other")
        assemblea = Activity(programme_id=cas.id, name="Assemblea", kind="other")
        s.add_all([taller, festa, casal, assemblea])
        anna = Participant(given_name="Anna", gender="woman", birth_date=D(2010, 5, 1))
        biel = Participant(given_name="Biel", gender="man", birth_date=D(2000, 1, 1))
        cesc = Participant(given_name="Cesc", gender="nonbinary", birth_year=1980)
        dani = Participant(given_name="Dani")
        women = [
            Participant(given_name=f"Dona {i}", gender="woman", birth_date=D(2006, 1, 1))
            for i in range(6)
        ]
        nobody = Participant(given_name="Ester", gender="woman", birth_date=D(1990, 1, 1))
        s.add_all([anna, biel, cesc, dani, *women, nobody])
        s.flush()

        def session(act: Activity, day: D, status: str = "held", notes: str = "") -> Session:
            row = Session(
                activity_id=act.id,
                date=day,
                status=status,
                start_time=T(17),
                end_time=T(19),
                notes=notes,
            )
            s.add(row)
            return row

        s1 = session(taller, D(2026, 10, 1))
        s2 = session(taller, D(2026, 11, 5))
        session(taller, D(2026, 12, 3), "cancelled", "Pluja")
        session(taller, D(2026, 12, 10), "cancelled")
        session(taller, D(2027, 1, 14), "planned")
        f1 = session(festa, D(2026, 10, 1))
        f1.new_people = 12
        f2 = session(festa, D(2027, 3, 1))
        c1 = session(casal, D(2026, 10, 20))
        a1 = session(assemblea, D(2026, 11, 11))
        before = session(taller, D(2026, 6, 1))  # before the period: not counted
        s.flush()
        marks = [
            (s1, anna, "present"),
            (s1, biel, "present"),
            *((s1, w, "present") for w in women),
            (s2, anna, "present"),
            (s2, biel, "absent"),
            *((s2, w, "present") for w in women),
            (c1, anna, "present"),
            (c1, biel, "present"),
            (a1, cesc, "present"),
            (a1, dani, "late"),
            (before, nobody, "present"),
        ]
        s.add_all(
            Attendance(session_id=ses.id, participant_id=who.id, status=st)
            for ses, who, st in marks
        )
        s.add_all(
            [
                HeadCount(session_id=f1.id, gender="woman", age_band="16-17", count=4),
                HeadCount(session_id=f1.id, gender="man", age_band="18-24", count=6),
                HeadCount(session_id=f1.id, gender="woman", age_band="30-44", count=5),
                # Recorded before the fine bands: kept as it was, and named in the report.
                HeadCount(session_id=f1.id, gender="woman", age_band="0-17", count=3),
                HeadCount(session_id=f2.id, gender="woman", age_band="45-64", count=2),
            ]
        )
        s.add_all(
            [
                Referral(
                    participant_id=anna.id,
                    to_organisation_id=social.id,
                    date=D(2026, 10, 10),
                    status="accepted",
                ),
                Referral(
                    participant_id=biel.id,
                    to_organisation_id=social.id,
                    date=D(2026, 11, 1),
                    status="open",
                ),
                Referral(
                    participant_id=cesc.id,
                    to_organisation_id=health.id,
                    date=D(2026, 12, 1),
                    status="closed",
                ),
                Referral(
                    participant_id=nobody.id,
                    to_organisation_id=health.id,
                    date=D(2027, 2, 1),
                    status="open",
                ),
                Referral(  # before the period
                    participant_id=dani.id,
                    to_organisation_id=health.id,
                    date=D(2026, 5, 1),
                    status="open",
                ),
                Referral(  # received from another service: not a referral to one
                    participant_id=dani.id,
                    from_organisation_id=health.id,
                    date=D(2026, 10, 1),
                    status="open",
                ),
            ]
        )
        s.add(
            Indicator(programme_id=aco.id, name="Sessions realitzades", kind="sessions", target=20)
        )
        s.add(
            Indicator(
                programme_id=aco.id,
                name="Derivacions a serveis del territori",
                kind="referrals",
                target=4,
            )
        )
        s.flush()
        return {"aco": aco.id, "bar": bar.id, "cas": cas.id, "funder": funder.id}
