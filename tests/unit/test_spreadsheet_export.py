import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app import paths
from app.db.engine import Database
from app.db.models import AuditEvent
from app.errors import UserError
from app.exchange.spreadsheet_export import export_rows
from app.exchange.spreadsheet_read import load_table
from app.services.exchange import ExchangeService

HEADERS = ["Nom", "Cognoms", "Data de naixement", "Telèfon", "Hores"]
ROWS = [
    ["Núria", "Martínez Pérez", dt.date(1985, 7, 3), "+34 612 345 678", 2.5],
    ['=HYPERLINK("http://x")', "Puig", None, "", 1],
]


def test_xlsx_has_bold_frozen_header_widths_and_real_dates(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "persones.xlsx"
    assert ExchangeService(db).export_list(HEADERS, ROWS, path, title="Persones") == 2
    wb = load_workbook(path)
    ws = wb.active
    assert ws.title == "Persones"
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.b and not ws["A2"].font.b
    assert [c.value for c in ws[1]] == HEADERS
    assert ws["C2"].value == dt.datetime(1985, 7, 3) and ws["C2"].number_format == "dd/mm/yyyy"
    assert ws["A3"].data_type == "s" and ws["A3"].value.startswith("=HYPERLINK")
    assert ws.column_dimensions["B"].width >= len("Martínez Pérez")
    with db.read() as s:
        event = s.scalar(select(AuditEvent))
    assert event is not None and event.action == "export" and event.subject == "Persones"


def test_csv_for_spanish_excel_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "persones.csv"
    export_rows(HEADERS, ROWS, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Nom;Cognoms;Data de naixement;Telèfon;Hores"
    assert lines[1] == "Núria;Martínez Pérez;3/7/1985;+34 612 345 678;2,5"
    assert lines[2].startswith("\"'=HYPERLINK")
    table = load_table(path)
    assert table.headers == tuple(HEADERS)
    assert table.rows[0][1][:2] == ("Núria", "Martínez Pérez")


def test_failure_leaves_no_file(tmp_path: Path) -> None:
    def rows():  # type: ignore[no-untyped-def]
        yield ["a", "b"]
        raise RuntimeError("boom")

    out = tmp_path / "out"
    out.mkdir()
    for name in ("x.csv", "x.xlsx"):
        with pytest.raises(RuntimeError):
            export_rows(["A", "B"], rows(), out / name)
    assert list(out.iterdir()) == []
    assert list(paths.temp_dir().iterdir()) == []  # nor a spilled worksheet
    with pytest.raises(UserError):
        export_rows(["A"], [], tmp_path / "x.pdf")
