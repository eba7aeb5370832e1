"""A period with held, planned and cancelled network meetings: only the held ones count, in the
JSON, the spreadsheet, the PDF, the figures on screen and each space's figures."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.db.engine import Database
from app.db.models import EntityProfile, NetworkSpace, Programme
from app.i18n import translator
from app.services.figures import FiguresService
from app.services.networks import NetworkService
from tests.reports.test_justification import num, pdf_tables, pdf_text
from tests.support.network_rows import add_meeting
from tests.support.postgres import database_args

D, T = dt.date, dt.time
PERIOD = ("2026-01-01", "2026-06-30")

#: By hand: the network's two held meetings (one in its commission), not the planned June
#: meetings nor the cancelled one, nor the held one of July.
HELD = {
    "meetings": 2,
    "meeting_hours": 3.5,  # 2 + 1.5
    "agreements_adopted": 3,  # 2 + 1
    "agreements_done": 2,  # 1 + 1
}


@pytest.fixture
def ids(db: Database) -> dict[str, str]:
    with db.begin() as s:
        s.add(EntityProfile(name="Associació Sants"))
        prog = Programme(code="XAR", name="Treball en xarxa", category="community_participation")
        xarxa = NetworkSpace(name="Xarxa d'Infància de Sants")
        s.add_all([prog, xarxa])
        s.flush()
        com = NetworkSpace(name="Comissió de festes", parent_id=xarxa.id)
        s.add(com)
        s.flush()
        p = prog.id
        # Held in the period: they count.
        add_meeting(s, xarxa.id, D(2026, 3, 10), T(18), T(20), ("done", "open"), p)
        add_meeting(s, com.id, D(2026, 5, 5), T(10), T(11, 30), ("done",), p)
        # Entered ahead of time, in the period: planned, they do not count yet.
        add_meeting(s, xarxa.id, D(2026, 6, 9), T(18), T(21), ("open",), p, status="planned")
        add_meeting(s, com.id, D(2026, 6, 16), T(10), T(12), (), p, status="planned")
        # Called off: never counts, nor its agreement.
        add_meeting(s, xarxa.id, D(2026, 4, 14), T(18), T(20), ("done",), p, status="cancelled")
        # Held, but after the period.
        add_meeting(s, xarxa.id, D(2026, 7, 7), T(18), T(20), ("done",), p)
        return {"prog": p, "xarxa": xarxa.id, "com": com.id}


@pytest.mark.parametrize("lang", ["ca", "es"])
def test_only_held_meetings_count_in_the_json_spreadsheet_and_pdf(
    db: Database, ids: dict[str, str], tmp_path: Path, data_dir: Path, lang: str
) -> None:
    pdf, xlsx, js = tmp_path / "r.pdf", tmp_path / "r.xlsx", tmp_path / "r.json"
    rc = main(
        [
            *database_args(db),
            "--data-dir",
            str(data_dir),
            "report",
            "--programme",
            "XAR",
            "--from",
            PERIOD[0],
            "--to",
            PERIOD[1],
            "--lang",
            lang,
            "-o",
            str(pdf),
            "--xlsx",
            str(xlsx),
            "--json",
            str(js),
        ]
    )
    assert rc == 0
    _ = translator(lang).gettext

    out = json.loads(js.read_text(encoding="utf-8"))
    for key, value in HELD.items():
        assert out[key] == value, key

    wb = openpyxl.load_workbook(xlsx)
    summary = {r[2]: r[1] for r in wb[_("Summary")].iter_rows(min_row=2, values_only=True)}
    for key, value in HELD.items():
        assert summary[key] == value, key
    net = list(wb[_("Network work")].iter_rows(min_row=2, values_only=True))
    assert net == [
        ("Xarxa d'Infància de Sants", None, 2, 3.5, 3, 2),
        ("Xarxa d'Infància de Sants", "Comissió de festes", 1, 1.5, 1, 1),
        (_("Total"), None, 2, 3.5, 3, 2),
    ]

    tables = pdf_tables(pdf)
    figs = {r[0]: r[1] for r in tables[_("Figure")][1:]}
    assert figs[_("Network meetings")] == num(HELD["meetings"])
    assert figs[_("Hours of network meetings")] == num(HELD["meeting_hours"])
    assert figs[_("Agreements adopted")] == num(HELD["agreements_adopted"])
    assert figs[_("Agreements done")] == num(HELD["agreements_done"])
    net_pdf = {r[0]: r[1:] for r in tables[_("Network space")][1:]}
    assert net_pdf == {
        "Xarxa d'Infància de Sants": ["2", "3,5", "3", "2"],
        "Comissió de festes": ["1", "1,5", "1", "1"],
        _("Total"): ["2", "3,5", "3", "2"],
    }
    # The text of the PDF as a reader sees it: the network figures, not those of June's plans.
    text = pdf_text(pdf)
    assert f"{_('Network meetings')} 2" in text
    assert f"{_('Hours of network meetings')} 3,5" in text
    assert f"{_('Network meetings')} 4" not in text


def test_the_figures_and_each_space_count_the_same(db: Database, ids: dict[str, str]) -> None:
    period = D(2026, 1, 1), D(2026, 6, 30)
    figures = FiguresService(db).compute([ids["prog"]], *period)
    assert {k: figures.as_dict()[k] for k in HELD} == HELD
    networks = NetworkService(db)
    xarxa = networks.space_figures(ids["xarxa"], *period)
    assert (xarxa.meetings, xarxa.hours, xarxa.agreements_adopted, xarxa.agreements_done) == (
        2,
        3.5,
        3,
        2,
    )
    com = networks.space_figures(ids["com"], *period)
    assert (com.meetings, com.hours) == (1, 1.5)
    ((space, top),) = networks.figures_by_space(*period, [ids["prog"]])
    assert space.id == ids["xarxa"] and top == xarxa
    # Once June's meetings are held they count everywhere.
    for m in networks.meetings():
        if m.status == "planned":
            networks.mark_held(m.id)
    figures = FiguresService(db).compute([ids["prog"]], *period)
    assert (figures.meetings, figures.meeting_hours, figures.agreements_adopted) == (4, 8.5, 4)
