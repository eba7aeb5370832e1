"""The figures on screen, in the justification report's PDF and in its spreadsheet: the same
labels and the same values, hours with the same decimals (one table, app.domain.figures)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pdfplumber
import pytest
from PySide6.QtCore import Qt

from app import i18n
from app.db.engine import Database
from app.db.models import Activity, Attendance, HeadCount, NetworkSpace, Participant, Programme
from app.db.models import Session as SessionRow
from app.domain.report import ReportRequest
from app.reports.justification import build_pdf
from app.reports.report_xlsx import build_xlsx
from app.services.figures import FiguresService
from app.services.reports import ReportService
from tests.support.network_rows import add_meeting
from ui.widgets.figures_view import FiguresView

D, T = dt.date, dt.time
PERIOD = (D(2026, 1, 1), D(2026, 12, 31))


def _build(db: Database) -> str:
    """Two held sessions of 1 h 15 min and 40 min (1.9166… hours), a planned one that does not
    count; two people and a head count of three; a 45-minute meeting with two agreements."""
    with db.begin() as s:
        prog = Programme(code="BAR", name="Barri viu", category="prevention")
        s.add(prog)
        s.flush()
        act = Activity(programme_id=prog.id, name="Taller", kind="workshop")
        anna = Participant(given_name="Anna", family_names="Puig", gender="woman")
        bru = Participant(given_name="Bru", family_names="Soler", gender="man")
        s.add_all([act, anna, bru])
        s.flush()
        first = SessionRow(
            activity_id=act.id,
            date=D(2026, 3, 2),
            status="held",
            start_time=T(10),
            end_time=T(11, 15),
        )
        second = SessionRow(
            activity_id=act.id,
            date=D(2026, 3, 9),
            status="held",
            start_time=T(17),
            end_time=T(17, 40),
        )
        planned = SessionRow(
            activity_id=act.id,
            date=D(2026, 3, 16),
            status="planned",
            start_time=T(17),
            end_time=T(19),
        )
        s.add_all([first, second, planned])
        s.flush()
        s.add_all(
            [
                Attendance(session_id=first.id, participant_id=anna.id, status="present"),
                Attendance(session_id=first.id, participant_id=bru.id, status="late"),
                Attendance(session_id=second.id, participant_id=anna.id, status="present"),
                Attendance(session_id=second.id, participant_id=bru.id, status="absent"),
                HeadCount(session_id=second.id, gender="woman", age_band="18-29", count=3),
            ]
        )
        space = NetworkSpace(name="Taula del barri")
        s.add(space)
        s.flush()
        add_meeting(s, space.id, D(2026, 4, 1), T(18), T(18, 45), ("done", "open"), prog.id)
        return prog.id


def _pdf_figures(path: Path, header: str) -> dict[str, str]:
    """The report's table of figures (the one whose first header is ``header``): label -> text."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                if table and (table[0][0] or "") == header:
                    return {(r[0] or "").replace("\n", " "): r[1] or "" for r in table[1:]}
    raise AssertionError(f"no table {header!r}")


def _as_printed(value: Any) -> str:
    """A spreadsheet number as the report writes it in Catalan and Spanish (decimal comma)."""
    return f"{value:g}".replace(".", ",")


@pytest.mark.parametrize("lang", ["ca", "es"])
def test_screen_pdf_and_spreadsheet_show_the_same_figures(
    qtbot: Any, db: Database, tmp_path: Path, lang: str
) -> None:
    prog = _build(db)
    i18n.set_language(lang)
    _ = i18n._

    # The screen: the programme's figures for the year, as a person sees them.
    view = FiguresView(FiguresService(db))
    qtbot.addWidget(view)
    view.date_from.set_value(PERIOD[0])
    view.date_to.set_value(PERIOD[1])
    view.set_programmes([prog])
    qtbot.waitUntil(
        lambda: not view.busy() and view.figures is not None and view.figures.sessions == 2
    )
    model = view.model
    screen = {
        model.data(model.index(r, model.COL_LABEL)): model.data(model.index(r, model.COL_VALUE))
        for r in range(model.rowCount())
    }

    # The report, PDF and spreadsheet, in the same language.
    service = ReportService(db)
    data = service.load(ReportRequest((prog,), *PERIOD, lang=lang))
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    with pdf.open("wb") as fh:
        build_pdf(data, fh)
    with xlsx.open("wb") as fh:
        build_xlsx(data, fh)
    printed = _pdf_figures(pdf, _("Figure"))
    sheet = {
        r[0]: r[1] for r in openpyxl.load_workbook(xlsx)[_("Summary")].iter_rows(values_only=True)
    }

    # By hand: 1 h 15 min + 40 min; 45 minutes of meeting.
    expected = {
        _("Sessions held"): "2",
        _("Hours of activity"): "1,92",
        _("Unique participants"): "2",
        _("Total attendances"): "6",
        _("Anonymous attendances (head counts)"): "3",
        _("Network meetings"): "1",
        _("Hours of network meetings"): "0,75",
        _("Agreements adopted"): "2",
        _("Agreements done"): "1",
    }
    for label, text in expected.items():
        assert screen[label] == text, label
        assert printed[label] == text, label
        assert _as_printed(sheet[label]) == text, label
    # The same list of figures, in the same order, on screen and on paper.
    assert list(printed) == list(expected)
    assert list(screen)[: len(expected)] == list(expected)


def test_the_screen_shows_the_hours_of_network_meetings(qtbot: Any, db: Database) -> None:
    prog = _build(db)
    view = FiguresView(FiguresService(db))
    qtbot.addWidget(view)
    view.date_from.set_value(D(2026, 4, 1))
    view.date_to.set_value(D(2026, 4, 30))
    view.set_programmes([prog])
    qtbot.waitUntil(
        lambda: not view.busy() and view.figures is not None and view.figures.meetings == 1
    )
    rows = [line for line in view.model.rows() if line.id == "meeting_hours"]
    assert [(r.label, r.value) for r in rows] == [("Hores de reunions de xarxa", "0,75")]
    index = view.model.index(view.model.rows().index(rows[0]), view.model.COL_VALUE)
    assert view.model.data(index, Qt.ItemDataRole.DisplayRole) == "0,75"
