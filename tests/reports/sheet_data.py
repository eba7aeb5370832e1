"""Test data for attendance sheets, built with the ORM models: names in every script a sheet
must print, plus people who must not appear (blocked, deleted, enrolment over)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from PIL import Image

from app.db.engine import Database
from app.db.models import (
    Activity,
    Enrolment,
    EntityProfile,
    Funder,
    Participant,
    Place,
    Programme,
    Session,
    Staff,
)

SESSION_DATE = dt.date(2026, 11, 24)

#: (given, family, id number): expected order on the sheet (by family name, accents ignored).
NAMES = [
    ("Ahmed", "Al-Sayed", "X1234567L"),
    ("Núria", "Àlvarez Puig", "12345678Z"),
    ("Lluïsa", "Coŀlell Vidal", ""),
    ("Pau", "Gil·labert", "87654321X"),
    ("Αλέξης", "Παπαδόπουλος", ""),
    ("Дмитрий", "Иванов", ""),
    ("محمد", "علي", ""),
    ("عمران", "خان", ""),
    ("明", "王", ""),
    ("ሰላም", "Tesfaye", ""),
]
ARABIC_FAMILY = "علي"
URDU_FAMILY = "خان"
CHINESE_GIVEN = "明"
ETHIOPIC_GIVEN = "ሰላም"


@dataclass
class SheetDb:
    session_id: str
    activity_id: str
    programme_id: str
    names: list[tuple[str, str, str]]


def _png(color: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (120, 40), color).save(buf, "PNG")
    return buf.getvalue()


def expected_order(names: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    from app.domain.people import sort_key

    return sorted(names, key=lambda n: sort_key(n[1], n[0]))


def build(db: Database, extra: int = 0) -> SheetDb:
    """An entity, a programme with two funders, an activity and one session; NAMES enrolled plus
    ``extra`` generated people; and three people who must not be printed."""
    names = list(NAMES) + [
        (f"Persona{i:03d}", f"Cognom{i:03d} Prova", f"{10000000 + i}A") for i in range(extra)
    ]
    with db.begin() as s:
        s.add(
            EntityProfile(
                name="Associació Veïnal de Sants",
                logo=_png((200, 40, 40)),
                privacy_controller="Associació Veïnal de Sants",
                privacy_rights_contact="dades@example.org",
            )
        )
        funders = [
            Funder(
                name="Ajuntament de Barcelona",
                support_text="Amb el suport de",
                logo=_png((0, 0, 0)),
            ),
            Funder(name="Generalitat de Catalunya", support_text="Amb el suport de"),
        ]
        prog = Programme(code="INF", name="Infància i famílies", category="prevention")
        prog.funders = funders
        place = Place(name="Casal de Barri de Sants")
        anna = Staff(name="Anna Puig")
        s.add_all([prog, place, anna])
        s.flush()
        act = Activity(
            programme_id=prog.id,
            name="Taller de costura",
            place_id=place.id,
            start_time=dt.time(17),
            end_time=dt.time(19),
        )
        act.facilitators = [anna]
        s.add(act)
        s.flush()
        sess = Session(activity_id=act.id, date=SESSION_DATE, place_id=place.id, status="planned")
        s.add(sess)
        for given, family, number in names:
            p = Participant(
                given_name=given,
                family_names=family,
                id_document_type="dni"
                if number and number[0].isdigit()
                else ("nie" if number else None),
                id_document_number=number,
            )
            s.add(p)
            s.flush()
            s.add(Enrolment(participant_id=p.id, activity_id=act.id, start=dt.date(2026, 9, 1)))
        hidden = [
            Participant(
                given_name="Blocada", family_names="Amagada", blocked_at=dt.datetime(2026, 10, 1)
            ),
            Participant(
                given_name="Esborrada",
                family_names="Suprimida",
                deleted_at=dt.datetime(2026, 10, 1),
            ),
            Participant(given_name="Antiga", family_names="Baixa"),
        ]
        s.add_all(hidden)
        s.flush()
        for p in hidden[:2]:
            s.add(Enrolment(participant_id=p.id, activity_id=act.id))
        s.add(Enrolment(participant_id=hidden[2].id, activity_id=act.id, end=dt.date(2026, 10, 31)))
        s.flush()
        return SheetDb(sess.id, act.id, prog.id, names)


def add_sessions(
    db: Database, activity_id: str, dates: list[dt.date], status: str = "held"
) -> None:
    with db.begin() as s:
        for d in dates:
            s.add(Session(activity_id=activity_id, date=d, status=status))
