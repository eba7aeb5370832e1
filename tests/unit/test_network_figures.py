"""One definition of the network figures: the figures, the space page and the report's table of
network work agree, commissions count in their space, deleted spaces and meetings never count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.db.base import utcnow
from app.db.engine import Database
from app.db.models import NetworkSpace, Programme
from app.domain.figures import Figures
from app.services.figures import FiguresService
from app.services.networks import NetworkService
from app.services.report_tables import network_rows
from tests.support.network_rows import add_meeting

D, T = dt.date, dt.time
PERIOD = (D(2026, 1, 1), D(2026, 12, 31))


@pytest.fixture
def ids(db: Database) -> dict[str, str]:
    with db.begin() as s:
        prog = Programme(code="ACOM", name="Acció comunitària", category="prevention")
        xarxa = NetworkSpace(name="Xarxa Sants")
        taula = NetworkSpace(name="Taula Hostafrancs")
        gone = NetworkSpace(name="Taula tancada", deleted_at=utcnow())
        s.add_all([prog, xarxa, taula, gone])
        s.flush()
        com = NetworkSpace(name="Comissió de festes", parent_id=xarxa.id)
        s.add(com)
        s.flush()
        sub = NetworkSpace(name="Grup de cartells", parent_id=com.id)
        s.add(sub)
        s.flush()

        add_meeting(s, xarxa.id, D(2026, 2, 1), T(18), T(20), ("done", "open"), prog.id)
        add_meeting(s, com.id, D(2026, 3, 1), T(18), T(19, 30), ("done",), prog.id)
        add_meeting(s, sub.id, D(2026, 4, 1), T(18), T(19), ("dropped",))
        add_meeting(s, taula.id, D(2026, 5, 1), T(18), T(19), ("done",))
        add_meeting(s, taula.id, D(2026, 6, 1), T(18), T(21), ("open",), deleted=True)
        add_meeting(s, gone.id, D(2026, 6, 1), T(18), T(21), ("done",), prog.id)  # deleted space
        add_meeting(s, xarxa.id, D(2027, 1, 1), T(18), T(20), ("done",), prog.id)  # after
        return {"prog": prog.id, "xarxa": xarxa.id, "com": com.id, "taula": taula.id}


def _row(f: Any) -> tuple[int, float, int, int]:
    """A report row, a space's figures or the section-5 figures, as one comparable tuple."""
    hours = f.meeting_hours if isinstance(f, Figures) else f.hours
    return (f.meetings, hours, f.agreements_adopted, f.agreements_done)


def test_report_table_lists_commissions_under_their_space(db: Database, ids: dict) -> None:
    with db.read() as s:
        rows = network_rows(s, None, *PERIOD)
    assert [(r.space, r.parent, r.depth, _row(r)) for r in rows] == [
        ("Taula Hostafrancs", "", 0, (1, 1.0, 1, 1)),
        ("Xarxa Sants", "", 0, (3, 4.5, 4, 2)),
        ("Comissió de festes", "Xarxa Sants", 1, (2, 2.5, 2, 1)),
        ("Grup de cartells", "Xarxa Sants", 2, (1, 1.0, 1, 0)),
    ]


@pytest.mark.parametrize("linked", [False, True])
def test_report_totals_equal_the_figures(db: Database, ids: dict, linked: bool) -> None:
    programmes = [ids["prog"]] if linked else None
    figures = FiguresService(db).compute(programmes, *PERIOD)
    with db.read() as s:
        rows = network_rows(s, programmes, *PERIOD)
    top = [r for r in rows if r.depth == 0]
    assert (
        sum(r.meetings for r in top),
        sum(r.hours for r in top),
        sum(r.agreements_adopted for r in top),
        sum(r.agreements_done for r in top),
    ) == _row(figures)
    assert _row(figures) == ((2, 3.5, 3, 2) if linked else (4, 5.5, 5, 3))


def test_space_page_figures_equal_the_report_rows(db: Database, ids: dict) -> None:
    svc = NetworkService(db)
    with db.read() as s:
        rows = {r.space: _row(r) for r in network_rows(s, None, *PERIOD)}
    for key, name in (("xarxa", "Xarxa Sants"), ("com", "Comissió de festes")):
        assert _row(svc.space_figures(ids[key], *PERIOD)) == rows[name]
    by_space = {sp.name: _row(f) for sp, f in svc.figures_by_space(*PERIOD)}
    assert by_space == {
        "Taula Hostafrancs": rows["Taula Hostafrancs"],
        "Xarxa Sants": rows["Xarxa Sants"],
    }
