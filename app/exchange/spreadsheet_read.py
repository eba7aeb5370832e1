"""Reading the spreadsheets people keep: CSV with any separator and encoding, XLSX; finding the
header row among title rows; and turning cells as people type them into values (dates written
d/m/yyyy, Excel serial dates, phone numbers stored as numbers, DNI/NIE with spaces or dashes).

Everything here is pure: a file in, plain values out. Malformed input raises UserError.

Every file is bounded before it is read whole: its size on disk, the uncompressed size of each
part of a workbook (a zip bomb is refused from its directory, before inflating anything), the
rows and the columns. A workbook's declared dimensions are ignored (a 1.5 kB file may declare
A1:XFD1048576), so time and memory follow the cells really there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from app.domain.imports import FIELD_ALIASES, Table
from app.errors import UserError
from app.i18n import _, format_number

SEPARATORS = (";", ",", "\t", "|")
MAX_SCAN_ROWS = 30
#: More rows than a team imports at once (a municipal service's whole register is a few thousand).
MAX_ROWS = 50_000
#: Columns with something written in them; empty formatted cells further right are ignored.
MAX_COLUMNS = 200
#: A CSV file on disk, and the cells of one CSV field (a name or a note, not a book).
MAX_CSV_BYTES = 64 * 1024 * 1024
MAX_FIELD_CHARS = 10_000
#: The uncompressed parts of a workbook, one by one and together.
MAX_XLSX_PART_BYTES = 256 * 1024 * 1024
MAX_XLSX_TOTAL_BYTES = 512 * 1024 * 1024
#: Cells looked at, counting empty formatted ones: bounds the time a wide, sparse sheet takes.
MAX_CELLS = MAX_ROWS * MAX_COLUMNS
EXCEL_EPOCH = dt.date(1899, 12, 30)


def normalise(text: Any) -> str:
    """Lower case, no accents, single spaces: for matching column names and people's names."""
    s = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", " ", s.lower())
    return s.strip()


# -- files ------------------------------------------------------------------------------------


def decode_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes, else Windows-1252, else Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # An odd byte count or a lone surrogate: the file is damaged, not another encoding.
        return data.decode("utf-16", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def sniff_separator(text: str) -> str:
    """The separator that splits the first lines into the most consistent number of columns."""
    sample = [line for line in text.splitlines()[:MAX_SCAN_ROWS] if line.strip()]
    best, best_score = ";", (-1, -1)
    for sep in SEPARATORS:
        counts = [len(row) for row in csv.reader(sample, delimiter=sep)]
        wide = [c for c in counts if c > 1]
        if not wide:
            continue
        mode, freq = Counter(wide).most_common(1)[0]
        score = (freq, mode)
        if score > best_score:
            best, best_score = sep, score
    return best


def _too_many_rows(path: Path) -> UserError:
    return UserError(
        _(
            "The file {name} has more than {count} rows; Teixit imports at most {count} at a "
            "time. Split it into smaller files."
        ).format(name=path.name, count=format_number(MAX_ROWS))
    )


def _too_many_columns(path: Path, line: int) -> UserError:
    return UserError(
        _(
            "Row {line} of the file {name} has something written beyond column {count}; Teixit "
            "reads at most {count} columns."
        ).format(line=line, name=path.name, count=MAX_COLUMNS)
    )


def _bounded(path: Path, rows: Any) -> list[list[Any]]:
    """The rows of ``rows`` (an iterator) as lists, refusing a file past the row or column limit.
    Empty cells past the last column are dropped as they come, so memory follows content."""
    out: list[list[Any]] = []
    cells = 0
    for line, row in enumerate(rows, start=1):
        if len(out) > MAX_ROWS:
            raise _too_many_rows(path)
        cells += len(row)
        if cells > MAX_CELLS + MAX_ROWS:
            raise _too_many_rows(path)
        cells_of_row = list(row)
        if len(cells_of_row) > MAX_COLUMNS:
            if not all(_is_empty(c) for c in cells_of_row[MAX_COLUMNS:]):
                raise _too_many_columns(path, line)
            del cells_of_row[MAX_COLUMNS:]
        out.append(cells_of_row)
    return out


def read_csv(path: Path) -> list[list[Any]]:
    if path.stat().st_size > MAX_CSV_BYTES:
        raise UserError(
            _("The file {name} is larger than {size} MB; split it into smaller files.").format(
                name=path.name, size=MAX_CSV_BYTES // (1024 * 1024)
            )
        )
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError(_("The file {name} is not a CSV text file.").format(name=path.name))
    try:
        text = decode_bytes(data)
    except UnicodeDecodeError:
        raise UserError(
            _("The file {name} is damaged: its text cannot be decoded.").format(name=path.name)
        ) from None
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        sep = sniff_separator(text)
        return _bounded(path, csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise UserError(
                _(
                    "The file {name} has a cell longer than {count} characters; it does not look "
                    "like a list of people or attendance."
                ).format(name=path.name, count=format_number(MAX_FIELD_CHARS))
            ) from None
        raise UserError(
            _("The file {name} could not be read ({reason}).").format(name=path.name, reason=exc)
        ) from exc
    finally:
        csv.field_size_limit(limit)


def _check_parts(path: Path) -> None:
    """Refuse a workbook whose parts would inflate past the limits (read from the zip's
    directory; zipfile never inflates a member past its declared size)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UserError(
            _("The file {name} could not be read as an Excel workbook ({reason}).").format(
                name=path.name, reason=exc
            )
        ) from exc
    total = sum(p.file_size for p in parts)
    if any(p.file_size > MAX_XLSX_PART_BYTES for p in parts) or total > MAX_XLSX_TOTAL_BYTES:
        raise UserError(
            _(
                "The file {name} would take more than {size} MB once unpacked; it is not a "
                "spreadsheet Teixit can import."
            ).format(name=path.name, size=MAX_XLSX_TOTAL_BYTES // (1024 * 1024))
        )


def read_xlsx(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook

    _check_parts(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb.active or wb.worksheets[0]
            # The declared dimension is the file's claim, not its content: iterate what is there.
            reset = getattr(ws, "reset_dimensions", None)
            if reset is not None:
                reset()
            return _bounded(path, ws.iter_rows(values_only=True))
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


def read_rows(path: Path) -> list[list[Any]]:
    path = Path(path)
    if not path.is_file():
        raise UserError(_("The file {path} does not exist.").format(path=path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return read_csv(path)
    raise UserError(
        _("Teixit reads spreadsheets saved as CSV or XLSX; {name} is neither.").format(
            name=path.name
        )
    )


def _is_empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _known(cell: Any) -> bool:
    return normalise(cell) in FIELD_ALIASES


def find_header(rows: list[list[Any]]) -> int:
    """Index of the header row: the first with two or more known column names, else one, else
    the first with two or more text cells (titles and blank rows above it are skipped)."""
    scan = rows[:MAX_SCAN_ROWS]
    for wanted in (2, 1):  # a list of names alone has a single known column
        for i, row in enumerate(scan):
            if sum(1 for c in row if not _is_empty(c) and _known(c)) >= wanted:
                return i
    for i, row in enumerate(scan):
        if sum(1 for c in row if isinstance(c, str) and c.strip()) >= 2:
            return i
    raise UserError(_("No row with column names was found at the top of the file."))


def load_table(path: Path) -> Table:
    """Header and data rows (empty rows dropped; each row keeps its line number in the file)."""
    rows = read_rows(path)
    header_index = find_header(rows)
    header_row = rows[header_index]
    width = max((len(r) for r in rows[header_index:]), default=0)
    while width and all(len(r) < width or _is_empty(r[width - 1]) for r in rows[header_index:]):
        width -= 1
    headers = [
        str(header_row[i]).strip() if i < len(header_row) and not _is_empty(header_row[i]) else ""
        for i in range(width)
    ]
    data: list[tuple[int, tuple[Any, ...]]] = []
    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = tuple(
            (c.strip() if isinstance(c, str) else c) for c in (list(row) + [None] * width)[:width]
        )
        if all(_is_empty(c) for c in cells):
            continue
        data.append((number, cells))
    return Table(headers=tuple(headers), rows=tuple(data))


# -- values -----------------------------------------------------------------------------------


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")


def parse_date(value: Any, today: dt.date | None = None) -> dt.date | int | None:
    """A date from what people type: 3/7/1985, 03-07-85, 1985-07-03, an Excel date or serial;
    a year alone (1985) gives an int. None for an empty cell; ValueError when unreadable."""
    if _is_empty(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(value)
        number = int(value)
        if 1800 <= number <= 2200 and number == value:
            return number
        if 1 <= number < 80_000:
            return EXCEL_EPOCH + dt.timedelta(days=number)
        raise ValueError(value)
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    if len(text) > 40:  # no date is written in more
        raise ValueError(value)
    if re.fullmatch(r"\d{5}(?:\.0+)?", text):  # an Excel serial saved to CSV
        return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    m = _ISO.match(text)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DMY.match(text)
    if not m:
        raise ValueError(value)
    day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if year < 100:
        # Two-digit years are in the past (these are birth and session dates).
        this_year = (today or dt.date.today()).year
        year += 2000 if 2000 + year <= this_year else 1900
    return dt.date(year, month, day)


def cell_text(value: Any) -> str:
    """A cell as text: 612345678.0 (a number in Excel) becomes 612345678."""
    if _is_empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


def normalise_phone(value: Any) -> tuple[str, bool]:
    """(phone as stored, recognised?). Spanish numbers lose spaces and dashes; 0034 becomes +34;
    an unrecognised number is kept as written."""
    text = cell_text(value)
    if not text:
        return "", True
    digits = re.sub(r"[\s.\-()/]", "", text)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"[6789]\d{8}", digits):
        return digits, True
    if re.fullmatch(r"\+34[6789]\d{8}", digits):
        return digits[3:], True
    if re.fullmatch(r"\+\d{8,15}", digits):
        return digits, True
    return text, False


def classify_document(value: Any) -> tuple[str | None, str, str | None]:
    """(type, number, problem) for an identity document: a valid DNI or NIE, or another
    document (passport) kept as written. problem is a translated reason or None."""
    from stdnum.es import dni, nie

    text = cell_text(value).upper()
    if not text:
        return None, "", None
    compact = re.sub(r"[\s.\-]", "", text)
    if re.fullmatch(r"\d{1,8}[A-Z]", compact):
        compact = compact.zfill(9)
        if dni.is_valid(compact):
            return "dni", compact, None
        return (
            "dni",
            compact,
            _("The DNI {number} is not valid (the letter does not match).").format(number=text),
        )
    if re.fullmatch(r"\d{1,8}", compact):
        return "dni", compact, _("The DNI {number} lacks its letter.").format(number=text)
    if re.fullmatch(r"[XYZ]\d{7}[A-Z]?", compact):
        if nie.is_valid(compact):
            return "nie", compact, None
        return "nie", compact, _("The NIE {number} is not valid.").format(number=text)
    return "passport", text, None
