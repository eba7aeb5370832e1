"""``teixit expenses import``: a register kept in a spreadsheet, every row checked as in the
window, all saved or none, with the problem rows named; bounded in rows and columns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from app.cli import main
from app.db.engine import Database
from app.db.models import Expense
from app.exchange import expense_import
from app.services.economics import EconomicsService
from tests.support.economic_rows import CIF, DNI, add_programme

HEADER = (
    "Data;Creditor;NIF;Número;Base;IVA;Línia;Data pagament;Tipus;Persona;% Ajuntament;% Diputació"
)
ROWS = [
    "02/03/2026;Autocars Sants SL;B65410011;F-001;1.000,00;210,00;Desplaçaments;20/03/2026;"
    "factura;;100;",
    "31/03/2026;;;;2500;0;Personal;31/03/2026;nòmina;Marta Puig;60;40",
    "04/05/2026;Papereria;12345678Z;2026/17;300;63;Activitats i materials;;factura;;50;",
]


def _csv(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "despeses.csv"
    path.write_text(
        "Registre de despeses 2026\n\n" + header + "\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    return path


def _count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Expense)) or 0)


@pytest.mark.sqlite_only  # the command line opens the data folder's file
def test_a_csv_register_with_split_shares_and_payroll(
    db: Database, tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pid, city, province, staff = add_programme(db)
    path = _csv(tmp_path, *ROWS)
    db.close()
    args = ["--data-dir", str(data_dir), "expenses", "import", str(path), "--programme", "ECO"]
    assert main([*args, "--check"]) == 0
    out = capsys.readouterr().out
    assert "3 despeses, 4.073,00 € en total." in out and "res desat" in out.lower()
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Imputat a Ajuntament: 2.891,50 €" in out and "Imputat a Diputació: 1.000,00 €" in out
    from app import paths
    from app.db.engine import open_database

    db2 = open_database(paths.db_path())
    try:
        expenses = {e.document_number: e for e in EconomicsService(db2).expenses(pid)}
        assert set(expenses) == {"F-001", "Nòmina 2026-03", "2026/17"}
        assert expenses["F-001"].amount == 100_000 and expenses["F-001"].line == "travel"
        assert expenses["F-001"].payment_date == dt.date(2026, 3, 20)
        assert expenses["Nòmina 2026-03"].staff_id == staff
        assert expenses["Nòmina 2026-03"].shares == {city: 6_000, province: 4_000}
        assert expenses["2026/17"].creditor_tax_id == DNI
        # The same file again: every row is a duplicate, and nothing more is saved.
        with pytest.raises(Exception, match="Fila 4:.*Autocars Sants SL ja té una despesa"):
            EconomicsService(db2).import_expenses(path, "ECO")
        assert _count(db2) == 3
    finally:
        db2.close()


def test_a_bad_row_saves_nothing_and_every_problem_is_named(db: Database, tmp_path: Path) -> None:
    add_programme(db)
    rows = [
        ROWS[0],
        "31/02/2026;X;B65410011;A;10;0;Personal;;factura;;100;",
        "05/05/2026;Y;B65410012;B;10;0;Personal;;factura;;100;",
        "06/05/2026;Z;B65410011;C;10;0;Personal;01/05/2026;factura;;60;50",
        "07/05/2026;W;B65410011;D;10;0;Lloguer;;factura;;100;",
    ]
    with pytest.raises(Exception) as info:
        EconomicsService(db).import_expenses(_csv(tmp_path, *rows), "ECO")
    message = str(info.value)
    assert message.startswith("No s'ha importat res")
    assert "Fila 5: Data d'emissió: «31/02/2026» no és una data." in message
    assert "Fila 6: «B65410012» no és un NIF, NIE o CIF vàlid." in message
    assert "Fila 7: La data de pagament" in message
    assert "Fila 8: «Lloguer» no és una línia del pressupost del programa." in message
    assert _count(db) == 0


def test_an_xlsx_register_with_a_programme_column(db: Database, tmp_path: Path) -> None:
    pid, city, _province, _staff = add_programme(db)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        [
            "Programa",
            "Fecha",
            "Acreedor",
            "NIF",
            "Número de documento",
            "Importe",
            "IVA",
            "Partida",
            "% Ajuntament",
        ]
    )
    ws.append(["ECO", dt.datetime(2026, 6, 1), "Imprenta", CIF, "77", 99.5, 20.9, "Servicios", 1])
    path = tmp_path / "gastos.xlsx"
    wb.save(path)
    result, _c = EconomicsService(db).import_expenses(path)
    assert (result.expenses, result.total) == (1, 12_040)
    (e,) = EconomicsService(db).expenses(pid)
    assert (e.line, e.amount, e.vat, e.shares) == ("services", 9_950, 2_090, {city: 10_000})


def test_the_file_is_bounded(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_programme(db)
    monkeypatch.setattr(expense_import, "MAX_ROWS", 2)
    with pytest.raises(Exception, match="té més de 2 files"):
        EconomicsService(db).import_expenses(_csv(tmp_path, *ROWS, *ROWS), "ECO")
    wide = HEADER + ";" + ";".join(f"c{i}" for i in range(70))
    with pytest.raises(Exception, match="té més de 60 columnes"):
        EconomicsService(db).import_expenses(_csv(tmp_path, ROWS[0], header=wide), "ECO")
    with pytest.raises(Exception, match="no hi ha cap programa amb el codi|Indiqueu el programa"):
        EconomicsService(db).import_expenses(_csv(tmp_path, ROWS[0]))
    other = tmp_path / "notes.pdf"
    other.write_bytes(b"%PDF")
    with pytest.raises(Exception, match="CSV o XLSX"):
        EconomicsService(db).import_expenses(other, "ECO")
    assert _count(db) == 0
