"""Writing a justification report's files (PDF, XLSX, JSON) and the evidence pack (one ZIP with
the report and, for every held session of the period, its signed sheet as scanned when it was
kept, else an extract of the register titled as such: the people recorded present or late).

Files are built in memory and written at the end, so a cancelled or failed report leaves
nothing half-written behind.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app import paths
from app.db.engine import Database
from app.domain.report import CancelCheck, Progress, ReportCancelled, ReportData, ReportRequest
from app.i18n import _
from app.private_files import check_target, private_output, temporary_files_in, write_private
from app.writing import cannot_write

if TYPE_CHECKING:
    from app.services.sheets import ExtractPrint

#: Builds the evidence PDF of a session with no signed sheet kept: (session_id, lang) -> bytes.
SheetMaker = Callable[[str, str], bytes]
#: The kept pages of a session's signed sheet (JPEG), in page order: session_id -> pages.
SignedPages = Callable[[str], list[bytes]]


@dataclass(frozen=True)
class ReportFiles:
    pdf: Path | None = None
    xlsx: Path | None = None
    json: Path | None = None


def _scaled(progress: Progress | None, start: float, end: float) -> Progress | None:
    if progress is None:
        return None
    return lambda fraction, message: progress(start + (end - start) * fraction, message)


def _check(cancel: CancelCheck | None) -> None:
    if cancel is not None and cancel():
        raise ReportCancelled()


def pdf_bytes(
    data: ReportData, progress: Progress | None = None, cancel: CancelCheck | None = None
) -> bytes:
    from app.reports.justification import build_pdf

    buf = io.BytesIO()
    build_pdf(data, buf, progress, cancel)
    return buf.getvalue()


def xlsx_bytes(
    data: ReportData, progress: Progress | None = None, cancel: CancelCheck | None = None
) -> bytes:
    from app.reports.report_xlsx import build_xlsx

    buf = io.BytesIO()
    folder = paths.temp_dir()
    paths.make_private_dir(folder)
    with temporary_files_in(folder):  # openpyxl spills each sheet to a temporary file
        build_xlsx(data, buf, progress, cancel)
    return buf.getvalue()


def json_bytes(data: ReportData) -> bytes:
    """``json.dumps(data.json_dict(), ensure_ascii=False, indent=2)`` and a newline, in UTF-8:
    the same bytes, encoded a few thousand pieces at a time (``dumps`` holds every piece of
    the text at once: millions for a large entity's year, three times the file's size)."""
    out = io.BytesIO()
    pieces: list[str] = []
    for piece in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(data.json_dict()):
        pieces.append(piece)
        if len(pieces) == 8192:
            out.write("".join(pieces).encode("utf-8"))
            pieces.clear()
    pieces.append("\n")
    out.write("".join(pieces).encode("utf-8"))
    return out.getvalue()


def write_atomically(path: Path, content: bytes) -> None:
    write_private(Path(path), content)


def write_files(
    data: ReportData,
    files: ReportFiles,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
    record: Callable[[], None] | None = None,
) -> None:
    """Build every requested file, then write them all (none if cancelled). ``record`` commits
    the audit entry: the files appear only once it has."""
    built: list[tuple[Path, bytes]] = []
    if files.json is not None:
        built.append((files.json, json_bytes(data)))
    if files.xlsx is not None:
        built.append((files.xlsx, xlsx_bytes(data, _scaled(progress, 0.0, 0.3), cancel)))
    if files.pdf is not None:
        built.append((files.pdf, pdf_bytes(data, _scaled(progress, 0.3, 1.0), cancel)))
    _check(cancel)
    for path, _content in built:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise cannot_write(path, exc) from exc
    with private_output(built):
        if record is not None:
            record()


def slug(text: str, limit: int = 40) -> str:
    """A file-name-safe form of a title: "Taller de costura" -> "taller-de-costura"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit] or "report"


def base_name(request: ReportRequest, code: str | None) -> str:
    period = f"{request.date_from:%Y%m%d}-{request.date_to:%Y%m%d}"
    # TRANSLATORS: start of report file names, e.g. "memoria-jov-20260101-20261231.pdf".
    prefix = slug(_("report"))
    # TRANSLATORS: in report file names, for the whole entity.
    scope = slug(code or _("all"))
    return f"{prefix}-{scope}-{period}"


def default_sheet_maker(db: Database, pending: list[ExtractPrint] | None = None) -> SheetMaker:
    """The register extract of a session (who is recorded present or late, titled as an extract
    of the register, never as a signed sheet), in the report's language; each one goes to the
    audit log as a print (with ``pending``: added to it, for the pack's own entry)."""
    from app.services.sheets import SheetService

    service = SheetService(db)

    def make(session_id: str, lang: str) -> bytes:
        return service.register_extract(session_id, lang, pending=pending)

    return make


def default_signed_pages(db: Database) -> SignedPages:
    from app.services.scans import ScanService

    service = ScanService(db)

    def pages(session_id: str) -> list[bytes]:
        return [jpeg for _page, jpeg in service.evidence(session_id)]

    return pages


def scans_pdf(pages: list[bytes], title: str) -> bytes:
    """The scanned pages of a signed sheet as one PDF, each page fitted on an A4 as scanned."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from app.reports.layout import A4

    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, pageCompression=1, invariant=1)
    canvas.setTitle(title)
    canvas.setCreator("Teixit")
    pw, ph = A4
    for jpeg in pages:
        image = ImageReader(io.BytesIO(jpeg))
        iw, ih = image.getSize()
        f = min(pw / iw, ph / ih)
        w, h = iw * f, ih * f
        canvas.drawImage(image, (pw - w) / 2, (ph - h) / 2, w, h)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def evidence_zip(
    data: ReportData,
    path: Path,
    sheet_maker: SheetMaker | None,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
    signed_pages: SignedPages | None = None,
    extra: Sequence[tuple[str, bytes]] = (),
    record: Callable[[], None] | None = None,
    passphrase: str | None = None,
) -> list[str]:
    """Write the ZIP and return its member names: the report first, then one PDF per held
    session — its signed sheet as scanned when kept (``signed_pages``), else what
    ``sheet_maker`` makes (the register extract) — then ``extra``: the invoices kept with the
    period's expenses. Like every file with names, the ZIP is staged private beside ``path``
    and appears only after ``record`` (its audit entry) commits; a failure leaves nothing.
    With ``passphrase`` every member is encrypted with AES-256 (app/sealed.py)."""
    check_target(Path(path))  # refused before minutes of building, not after
    code = (
        data.programmes[0].code
        if len(data.programmes) == 1 and data.request.programme_ids
        else None
    )
    name = base_name(data.request, code)
    members: list[tuple[str, bytes]] = [
        (f"{name}.pdf", pdf_bytes(data, _scaled(progress, 0.0, 0.4), cancel)),
        (f"{name}.xlsx", xlsx_bytes(data, None, cancel)),
        (f"{name}.json", json_bytes(data)),
    ]
    # TRANSLATORS: folder of the evidence pack holding the scanned signed sheets.
    signed_folder = slug(_("signed sheets"))
    # TRANSLATORS: folder of the evidence pack holding the lists taken from the register.
    extract_folder = slug(_("register extracts"))
    total = max(len(data.annex), 1)
    for i, row in enumerate(data.annex):
        _check(cancel)
        if progress is not None and i % 10 == 0:
            progress(
                0.4 + 0.6 * i / total,
                _("Attendance sheets: {done} of {total}").format(done=i, total=len(data.annex)),
            )
        stem = f"{row.date:%Y%m%d}-{slug(row.activity, 30)}-{row.session_id[:8]}.pdf"
        pages = signed_pages(row.session_id) if signed_pages and row.signed_pages else []
        if pages:
            title = f"{row.activity} · {row.date.isoformat()}"
            members.append((f"{signed_folder}/{stem}", scans_pdf(pages, title)))
        elif sheet_maker is not None:
            extract = sheet_maker(row.session_id, data.request.lang)
            members.append((f"{extract_folder}/{stem}", extract))
    members.extend(extra)
    _check(cancel)
    from app import sealed

    # With a passphrase, every member is encrypted (AES-256): app/sealed.py.
    with private_output([(Path(path), sealed.zip_bytes(members, passphrase))]):
        if record is not None:
            record()
    return [m for m, _c in members]
