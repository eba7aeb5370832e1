"""Any list as a spreadsheet: XLSX (bold frozen header, fitted columns, real dates) or CSV for
Catalan/Spanish Excel (UTF-8 with BOM, semicolons, d/m/yyyy dates). The file is built in memory
and written the private way (app/private_files.py): created 0600, never half written.

User text is data, never a command: a cell a spreadsheet would run as a formula is neutralised,
and control characters the XLSX format cannot hold are dropped instead of failing the export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from app import paths
from app.domain.text import spreadsheet_text
from app.errors import UserError
from app.i18n import _
from app.private_files import temporary_files_in, write_private

FORMATS = ("xlsx", "csv")
MAX_WIDTH = 60
#: What makes a spreadsheet read a CSV cell as a formula (TAB and CR too: Excel skips them).
_FORMULA_START = ("=", "@", "+", "-", "\t", "\r")


def _safe_text(value: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (“=HYPERLINK(...)”
    in a name is data, not a command); a phone number such as +34 stays as it is."""
    if value.startswith(_FORMULA_START) and not value.lstrip("+-").replace(" ", "").isdigit():
        return "'" + value
    return value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return f"{value.day}/{value.month}/{value.year} {value:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value.day}/{value.month}/{value.year}"
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return _safe_text(str(value))


def _csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[bytes, int]:
    count = 0
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_safe_text(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
        count += 1
    return out.getvalue().encode("utf-8-sig"), count


def _xlsx_bytes(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str
) -> tuple[bytes, int]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    materialised = [list(r) for r in rows]
    widths = [len(str(h)) for h in headers]
    for row in materialised[:500]:
        for i, v in enumerate(row[: len(widths)]):
            shown = 10 if isinstance(v, dt.date) else len(str(v)) if v is not None else 0
            widths[i] = max(widths[i], shown)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(
        title=(title or "Teixit")[:31].translate(str.maketrans("[]:*?/\\", "       "))
    )
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, w + 2)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: Any, header: bool = False) -> WriteOnlyCell:
        if isinstance(value, str):
            value = spreadsheet_text(value)
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # never a formula
        elif isinstance(value, dt.datetime):
            c.number_format = "dd/mm/yyyy hh:mm"
        elif isinstance(value, dt.date):
            c.number_format = "dd/mm/yyyy"
        if header:
            c.font = bold
        return c

    ws.append([cell(h, header=True) for h in headers])
    for row in materialised:
        ws.append([cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), len(materialised)


def rows_bytes(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], kind: str, title: str = ""
) -> tuple[bytes, int]:
    """The file's bytes for ``kind`` ("xlsx" or "csv") and how many rows it holds."""
    if kind == "csv":
        return _csv_bytes(headers, rows)
    folder = paths.temp_dir()
    paths.make_private_dir(folder)
    # A write-only workbook spills each sheet to a temporary file from its first row on.
    with temporary_files_in(folder):
        return _xlsx_bytes(headers, rows, title)


def list_kind(path: Path) -> str:
    kind = Path(path).suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise UserError(_("Choose a file name ending in .xlsx or .csv."))
    return kind


def export_rows(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    path: Path,
    *,
    title: str = "",
) -> int:
    """Write the rows to ``path`` (.xlsx or .csv); return how many. (Lists of people are
    exported through the exchange service, which writes the export to the audit log.)"""
    path = Path(path)
    content, count = rows_bytes(headers, rows, list_kind(path), title)
    write_private(path, content)
    return count
