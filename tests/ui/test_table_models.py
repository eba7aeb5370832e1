"""Every table model of the daily-work pages passes Qt's model checks, with rows set and reset."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.figures import Breakdown, Figures, IndicatorFigure
from app.domain.people import (
    AttendanceRecord,
    ConsentDTO,
    EnrolmentDTO,
    PersonHit,
)
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import AttendanceRow, RegisterGrid, SessionDTO
from ui.models.people import ConsentsModel, EnrolmentsModel, HistoryModel, PeopleModel
from ui.models.programmes import ActivitiesModel, FiguresModel, ProgrammesModel, RosterModel
from ui.models.rows import SORT_ROLE
from ui.models.sessions import AttendanceModel, RegisterModel, SessionsModel

D = dt.date
SESSION = SessionDTO(
    activity_id="a",
    date=D(2026, 3, 2),
    id="s1",
    start_time=dt.time(17),
    end_time=dt.time(19),
    activity_name="Taller",
    programme_code="P",
    status="held",
    recorded=3,
)
FIGURES = Figures(
    D(2026, 1, 1),
    D(2026, 12, 31),
    sessions=2,
    hours=4,
    participants=3,
    attendances=5,
    by_gender={"woman": Breakdown(2, 4)},
    by_age_band={"18-29": Breakdown(3, 5), "unknown": Breakdown()},
    indicators=(IndicatorFigure("i", "p", "Persones", "participants", 40, 3),),
)

CASES = [
    (ProgrammesModel, [ProgrammeDTO("P", "Prog", "prevention", id="p", activity_count=2)]),
    (ActivitiesModel, [ActivityDTO("p", "Taller", id="a", enrolled=3, sessions=4)]),
    (RosterModel, [EnrolmentDTO("x", "a", D(2026, 1, 1), None, "e", "Anna Puig")]),
    (FiguresModel, FiguresModel.lines(FIGURES)),
    (
        SessionsModel,
        [SESSION, SessionDTO(activity_id="a", date=D(2026, 3, 9), id="s2", status="cancelled")],
    ),
    (
        AttendanceModel,
        [AttendanceRow("x", "Anna", "present"), AttendanceRow("y", "Bea", None, False)],
    ),
    (PeopleModel, [PersonHit("x", "Anna Puig", "12345678Z", "600", D(1990, 1, 1))]),
    (ConsentsModel, [ConsentDTO("image_web", True, D(2026, 1, 1), "guardian", D(2026, 2, 1))]),
    (EnrolmentsModel, [EnrolmentDTO("x", "a", D(2026, 1, 1), D(2026, 6, 1), activity_name="T")]),
    (HistoryModel, [AttendanceRecord("s1", D(2026, 3, 2), "Taller", "late")]),
]


@pytest.mark.parametrize(("model_class", "rows"), CASES, ids=[c[0].__name__ for c in CASES])
def test_row_models(qtmodeltester, model_class, rows) -> None:
    model = model_class()
    qtmodeltester.check(model)
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.rowCount() == len(rows)
    assert all(
        model.headerData(c, __import__("PySide6").QtCore.Qt.Orientation.Horizontal)
        for c in range(model.columnCount())
    )
    assert model.index(0, 0).data(SORT_ROLE) is not None
    model.set_rows([])
    qtmodeltester.check(model)


def test_large_lists_load_in_batches(qtmodeltester) -> None:
    model = PeopleModel()
    model.set_rows([PersonHit(str(i), f"P {i}", "", "", None) for i in range(1200)])
    assert model.rowCount() == model.BATCH and model.total() == 1200
    qtmodeltester.check(model)
    from PySide6.QtCore import QModelIndex

    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 1200


def test_register_model(qtmodeltester) -> None:
    model = RegisterModel()
    qtmodeltester.check(model)
    grid = RegisterGrid(
        "a",
        (SESSION,),
        (AttendanceRow("x", "Anna", None), AttendanceRow("y", "Bea", None)),
        {("x", "s1"): "late"},
    )
    model.set_grid(grid)
    qtmodeltester.check(model)
    assert model.index(0, 0).data() and model.index(1, 0).data() == ""
    model.set_cell(model.index(1, 0), "present")
    assert model.status_at(model.index(1, 0)) == "present"


def test_headers_are_translated_once_per_language() -> None:
    from PySide6.QtCore import Qt

    from app import i18n
    from ui.models.rows import RowsModel

    class Counted(RowsModel[str]):
        calls = 0

        def headers(self) -> list[str]:
            Counted.calls += 1
            return [i18n._("Name"), i18n._("Date")]

        def text(self, row: str, column: int) -> str:
            return row

    before = i18n.current_language()
    model = Counted()
    try:
        i18n.set_language("ca")
        for _n in range(1000):
            assert model.columnCount() == 2
        assert model.headerData(0, Qt.Orientation.Horizontal) == "Nom"
        assert Counted.calls == 1
        i18n.set_language("es")
        assert model.headerData(0, Qt.Orientation.Horizontal) == "Nombre"
        assert model.headerData(1, Qt.Orientation.Horizontal) == "Fecha"
        assert Counted.calls == 2
    finally:
        i18n.set_language(before)
