"""Network timings: minutes PDF of a large meeting, the agreements board and a space's figures
over a busy year (2 000 agreements in 200 meetings)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from app.db.engine import Database
from app.db.models import Agreement, MeetingAttendee, NetworkMeeting, NetworkSpace, Staff
from app.domain.networks import MinutesAgreement, MinutesData, MinutesPerson
from app.reports.minutes import build_minutes
from app.services.networks import NetworkService


@pytest.fixture
def busy(db: Database) -> tuple[NetworkService, str, str]:
    with db.begin() as s:
        staff = Staff(name="Laia Ferrer")
        space = NetworkSpace(name="Xarxa d'Infància de Sants")
        s.add_all([staff, space])
        s.flush()
        com = NetworkSpace(name="Comissió de comunicació", parent_id=space.id)
        s.add(com)
        s.flush()
        last = None
        for i in range(200):
            m = NetworkMeeting(
                space_id=space.id if i % 2 else com.id,
                date=dt.date(2026, 9, 1) + dt.timedelta(days=i),
                start_time=dt.time(10),
                end_time=dt.time(12),
                agenda=[f"Punt {n}" for n in range(6)],
                minutes="Es revisen els acords. " * 40,
                status="held",
            )
            s.add(m)
            s.flush()
            last = m.id
            for n in range(30):
                s.add(MeetingAttendee(meeting_id=m.id, person_name=f"Persona {n}"))
            for n in range(10):
                s.add(
                    Agreement(
                        meeting_id=m.id,
                        number=n + 1,
                        text=f"Acord {n}",
                        owner_staff_id=staff.id,
                        due_date=dt.date(2026, 10, 1) + dt.timedelta(days=i),
                        status="open" if n % 3 else "done",
                    )
                )
        space_id = space.id
    assert last
    return NetworkService(db), space_id, last


def test_bench_minutes_pdf(benchmark: Any) -> None:
    """A full plenary: 30 attendees, 6 apologies, 8 agenda items, 10 agreements, 25 to follow."""
    people = tuple(MinutesPerson(f"Persona {n} Cognom", "Serveis Socials Sants") for n in range(36))
    agreements = tuple(
        MinutesAgreement(
            n + 1, f"Acord número {n + 1} de la reunió", "CAP Numància", dt.date(2026, 12, 1)
        )
        for n in range(35)
    )
    data = MinutesData(
        entity_name="Associació Sants",
        space_name="Xarxa d'Infància de Sants",
        parent_space_name="",
        date=dt.date(2026, 11, 24),
        start_time=dt.time(10),
        end_time=dt.time(12),
        place="Casal de Barri",
        attendees=people[:30],
        apologies=people[30:],
        agenda=tuple(f"Punt {n}" for n in range(8)),
        summary="Es revisen els acords. " * 60,
        agreements=agreements[:10],
        follow_up=agreements[10:],
        privacy={"controller": "Associació Sants", "rights_contact": "dades@sants.cat"},
    )
    build_minutes(data, "ca", io.BytesIO())  # fonts registered once, as in the running app
    benchmark(lambda: build_minutes(data, "ca", io.BytesIO()))


def test_bench_board(benchmark: Any, busy: tuple[NetworkService, str, str]) -> None:
    svc, _space, _m = busy
    rows = benchmark(lambda: svc.board(status="open", today=dt.date(2027, 1, 1)))
    assert len(rows) == 1200


def test_bench_space_figures(benchmark: Any, busy: tuple[NetworkService, str, str]) -> None:
    svc, space, _m = busy
    figures = benchmark(lambda: svc.space_figures(space, dt.date(2026, 9, 1), dt.date(2027, 8, 31)))
    assert figures.meetings == 200 and figures.agreements_adopted == 2000
