"""Reading an expenses register kept in a spreadsheet (CSV or XLSX): the header row, each
column by its name in Catalan, Spanish or English, and each row's cells as plain values.

Bounded: a file larger than ``MAX_BYTES``, with more than ``MAX_ROWS`` rows or ``MAX_COLUMNS``
columns is refused with a message saying so, before anything is read into the database.
Pure: a file in, rows out; the service resolves programmes, lines, staff and funders."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.exchange.spreadsheet_read import decode_bytes, normalise, sniff_separator
from app.i18n import _

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 60
#: Rows at the top where the header may be (titles above it are skipped).
HEADER_SCAN = 15

#: Field -> the column names it is recognised by (normalised: lower case, no accents).
ALIASES: dict[str, tuple[str, ...]] = {
    "programme": ("programa", "programme", "program", "codi programa", "codigo programa"),
    "kind": ("tipus", "tipo", "kind", "tipus de despesa", "tipo de gasto"),
    "creditor": ("creditor", "acreedor", "proveidor", "proveedor", "supplier", "emissor"),
    "tax_id": ("nif", "cif", "nif cif", "nif nie cif", "tax id", "nif del creditor", "dni"),
    "document_number": (
        "numero",
        "num",
        "numero de document",
        "numero de documento",
        "numero factura",
        "num factura",
        "n factura",
        "factura",
        "document",
        "documento",
        "document number",
    ),
    "description": ("descripcio", "descripcion", "concepte", "concepto", "description"),
    "issue_date": (
        "data",
        "fecha",
        "data emissio",
        "data d emissio",
        "fecha emision",
        "fecha de emision",
        "data factura",
        "fecha factura",
        "issue date",
    ),
    "payment_date": (
        "data pagament",
        "data de pagament",
        "fecha pago",
        "fecha de pago",
        "payment date",
        "pagament",
        "pago",
    ),
    "amount": (
        "base",
        "base imposable",
        "base imponible",
        "import",
        "importe",
        "import base",
        "importe base",
        "amount",
    ),
    "vat": ("iva", "vat", "import iva", "importe iva"),
    "line": (
        "linia",
        "linea",
        "partida",
        "line",
        "budget line",
        "linia del pressupost",
        "linea del presupuesto",
        "linia pressupost",
        "linea presupuesto",
    ),
    "staff": ("persona", "treballador", "treballadora", "trabajador", "trabajadora", "staff"),
    "reason": ("motiu", "motivo", "reason", "motiu fora del periode", "motivo fuera del periodo"),
}
_BY_ALIAS = {alias: field for field, names in ALIASES.items() for alias in names}


@dataclass(frozen=True)
class ExpenseSheet:
    """``columns``: field -> column index; ``shares``: column index -> the funder's name as
    written ("% Ajuntament"); ``rows``: (line number in the file, cells)."""

    columns: dict[str, int]
    shares: dict[int, str]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]

    def value(self, cells: tuple[Any, ...], field: str) -> Any:
        i = self.columns.get(field)
        return cells[i] if i is not None and i < len(cells) else None


def _share_column(header: str) -> str | None:
    """A header like "% Ajuntament", "Ajuntament %" or "% imputat Ajuntament": the funder."""
    text = header.strip()
    if not text or "%" not in text:
        return None
    name = text.replace("%", " ").strip()
    for prefix in ("imputat a", "imputat", "imputado a", "imputado", "charged to", "charged"):
        if normalise(name).startswith(prefix + " "):
            name = name[len(prefix) :].strip()
    return name or None


def _rows(path: Path) -> list[list[Any]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return _csv_rows(path)
    raise UserError(
        _("Teixit reads spreadsheets saved as CSV or XLSX; {name} is neither.").format(
            name=path.name
        )
    )


def _too_many_rows(path: Path) -> UserError:
    return UserError(
        _("{name} has more than {max} rows: split it into smaller files.").format(
            name=path.name, max=MAX_ROWS
        )
    )


def _csv_rows(path: Path) -> list[list[Any]]:
    text = decode_bytes(path.read_bytes())
    sep = sniff_separator(text)
    out: list[list[Any]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
            if len(out) > MAX_ROWS + HEADER_SCAN:
                raise _too_many_rows(path)
            out.append(list(row))
    except csv.Error as exc:
        raise UserError(
            _("The file {name} could not be read ({reason}).").format(name=path.name, reason=exc)
        ) from exc
    return out


def _xlsx_rows(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb.active or wb.worksheets[0]
            out: list[list[Any]] = []
            for row in ws.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
                if len(out) > MAX_ROWS + HEADER_SCAN:
                    raise _too_many_rows(path)
                out.append(list(row))
            return out
        finally:
            wb.close()
    except UserError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
        raise UserError(
            _("The file {name} could not be read as an Excel workbook ({reason}).").format(
                name=path.name, reason=exc
            )
        ) from exc
    except Exception as exc:  # openpyxl raises many kinds on broken files
        raise UserError(
            _("The file {name} could not be read as an Excel workbook ({reason}).").format(
                name=path.name, reason=type(exc).__name__
            )
        ) from exc


def read_expense_sheet(path: Path) -> ExpenseSheet:
    path = Path(path)
    if not path.is_file():
        raise UserError(_("The file {path} does not exist.").format(path=path))
    if path.stat().st_size > MAX_BYTES:
        raise UserError(
            _("{name} is larger than 20 MB: an expenses register is far smaller.").format(
                name=path.name
            )
        )
    rows = _rows(path)
    header_index = None
    for i, row in enumerate(rows[:HEADER_SCAN]):
        known = {_BY_ALIAS.get(normalise(c)) for c in row if c is not None} - {None}
        if {"issue_date", "amount"} <= known:
            header_index = i
            break
    if header_index is None:
        raise UserError(
            _(
                "No row with the column names was found at the top of {name}: it needs at "
                "least a date column (Data) and an amount column (Base or Import)."
            ).format(name=path.name)
        )
    header = rows[header_index]
    width = max((i + 1 for i, c in enumerate(header) if str(c or "").strip()), default=0)
    if width > MAX_COLUMNS:
        raise UserError(
            _("{name} has more than {max} columns: keep only the register's columns.").format(
                name=path.name, max=MAX_COLUMNS
            )
        )
    columns: dict[str, int] = {}
    shares: dict[int, str] = {}
    for i, cell in enumerate(header[:width]):
        text = str(cell or "").strip()
        field = _BY_ALIAS.get(normalise(text))
        if field and field not in columns:
            columns[field] = i
            continue
        funder = _share_column(text)
        if funder:
            shares[i] = funder
    data = []
    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = tuple(
            (c.strip() if isinstance(c, str) else c) for c in (list(row) + [None] * width)[:width]
        )
        if all(c is None or c == "" for c in cells):
            continue
        data.append((number, cells))
    if len(data) > MAX_ROWS:
        raise _too_many_rows(path)
    return ExpenseSheet(columns, shares, tuple(data))
