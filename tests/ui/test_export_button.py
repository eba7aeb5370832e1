import datetime as dt
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import AuditEvent
from app.services.exchange import ExchangeService
from tests.support.fake_prompts import FakePrompts
from ui.widgets.export_button import ExportButton

VALUE_ROLE = Qt.ItemDataRole.UserRole + 1


def _model() -> QSortFilterProxyModel:
    source = QStandardItemModel(0, 3)
    source.setHorizontalHeaderLabels(["Nom", "Data de naixement", "Notes"])
    for name, born in (("Pau", dt.date(1990, 5, 1)), ("Aina", dt.date(1985, 7, 3)), ("Biel", None)):
        date_item = QStandardItem(born.strftime("%d/%m/%Y") if born else "")
        if born:
            date_item.setData(born, VALUE_ROLE)
        source.appendRow([QStandardItem(name), date_item, QStandardItem("secret")])
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(source)
    proxy.setFilterKeyColumn(0)
    proxy.setFilterFixedString("a")  # Pau, Aina (case-insensitive below)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.sort(0)
    return proxy


def test_exports_rows_as_shown(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    proxy = _model()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.setColumnHidden(2, True)
    prompts = FakePrompts(files=[str(tmp_path / "persones"), str(tmp_path / "p.csv")])
    button = ExportButton(
        proxy,
        prompts,
        lambda: "Persones",
        exchange=ExchangeService(db),
        value_role=VALUE_ROLE,
        view=view,
    )
    qtbot.addWidget(button)
    assert [a.text() for a in button.menu().actions()] == [
        "Llibre d'Excel (XLSX)…",
        "Text CSV (punts i comes)…",
    ]
    button.xlsx_action.trigger()
    ws = load_workbook(tmp_path / "persones.xlsx").active
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["Nom", "Data de naixement"],
        ["Aina", dt.datetime(1985, 7, 3)],
        ["Pau", dt.datetime(1990, 5, 1)],
    ]
    button.csv_action.trigger()
    text = (tmp_path / "p.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines() == ["Nom;Data de naixement", "Aina;3/7/1985", "Pau;1/5/1990"]
    with db.read() as s:
        assert s.scalars(select(AuditEvent.action)).all() == ["export", "export"]
    assert "2 files" in prompts.shown[-1].text
