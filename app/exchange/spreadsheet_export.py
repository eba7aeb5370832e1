"""Any list as a spreadsheet: XLSX (bold frozen header, fitted columns, real dates) or CSV for
Catalan/Spanish Excel (UTF-8 with BOM, semicolons, d/m/yyyy dates). The file is written under a
temporary name and renamed at the end, so a failure never leaves half a file."""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.i18n import _
from app.writing import cannot_write

FORMATS = ("xlsx", "csv")
MAX_WIDTH = 60
_FORMULA_START = ("=", "@", "+", "-")


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


def _write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        writer.writerow([_safe_text(h) for h in headers])
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
            count += 1
    return count


def _write_xlsx(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], path: Path, title: str
) -> int:
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
    wb.save(path)
    return len(materialised)


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
    kind = path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise UserError(_("Choose a file name ending in .xlsx or .csv."))
    partial = path.with_name(f".{path.name}.partial")
    try:
        # Created private (0600 on POSIX) before anything is written: lists hold personal data.
        os.close(os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
        if os.name == "posix":
            os.chmod(partial, 0o600)
        if kind == "csv":
            count = _write_csv(headers, rows, partial)
        else:
            count = _write_xlsx(headers, rows, partial, title)
        os.replace(partial, path)
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    finally:
        if partial.exists():
            partial.unlink()
    return count
