"""Data in and out of files: the interchange file (the whole database, ``teixit export`` /
``teixit import``) and lists of people as spreadsheets. The formats are app.exchange's; this
service owns the unit of work and the audit entry of each."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from app.db.engine import Database
from app.errors import UserError
from app.exchange import interchange
from app.exchange.interchange import ExportSummary, ImportSummary
from app.exchange.spreadsheet_export import list_kind, rows_bytes
from app.exchange.validation import check_file
from app.i18n import _, ngettext
from app.private_files import private_output
from app.services import audit
from app.sync import importing


class ExchangeService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- the interchange file -----------------------------------------------------------------
    def export_data(self) -> dict[str, Any]:
        """The whole database as the interchange structure, read from one snapshot."""
        with self._db.read() as s:
            return interchange.dump(s)

    def export_file(self, path: Path, passphrase: str | None = None) -> ExportSummary:
        """Write the interchange file (private to the user: it holds personal data) and log it.
        One write unit of work: one snapshot read, and the log entry only if the file was
        written. With ``passphrase``: a ZIP sealed with AES-256 holding the file (app/sealed.py),
        named ``….zip``."""
        path = Path(path)
        with self._db.read() as s:
            data = interchange.dump(s)
        counts = interchange.counts(data)
        content = interchange.encode(data)
        if passphrase is not None:
            from app import sealed

            inner = path.name if path.suffix.lower() != ".zip" else path.stem + ".json"
            content = sealed.zip_bytes([(inner, content)], passphrase)
            path = sealed.sealed_name(path)
        with private_output([(path, content)]), self._db.begin() as s:
            audit.record(s, "export", str(path), json.dumps(counts, sort_keys=True))
        return ExportSummary(path, counts)

    def import_data(self, data: dict[str, Any]) -> ImportSummary:
        """Check ``data`` whole, then merge it by id in one transaction; UserError if invalid."""
        return self._import(data, None)

    def import_file(self, path: Path, passphrase: str | None = None) -> ImportSummary:
        """Import an interchange file; one sealed with a passphrase (``export --encrypt``)
        needs ``passphrase`` (interchange.PassphraseNeeded otherwise)."""
        path = Path(path)
        return self._import(interchange.read_file(path, passphrase), path)

    @staticmethod
    def is_sealed_file(path: Path) -> bool:
        """Whether ``path`` is an export sealed with a passphrase (asked before importing)."""
        from app import sealed

        try:
            with open(path, "rb") as f:
                return sealed.is_sealed(f.read(len(sealed.ZIP_MAGIC)))
        except OSError:
            return False  # the import itself says what is wrong with the file

    def _import(self, data: Any, source: Path | None) -> ImportSummary:
        try:
            with self._db.begin() as s:
                if importing.holds_records(s):
                    # Into data of its own: merged field by field, as sync merges.
                    checked = check_file(s, data, merging=True)
                    summary = importing.merge_file(s, checked, source)
                else:
                    summary = interchange.load(s, data, source)
                details = {
                    k: summary.inserted.get(k, 0) + summary.updated.get(k, 0)
                    for k in summary.inserted
                }
                audit.record(s, "import", str(source or ""), json.dumps(details, sort_keys=True))
                return summary
        except IntegrityError as exc:  # a safety net: the checks should have caught it first
            raise UserError(
                _("The database refused the import ({reason}); nothing was changed.").format(
                    reason=exc.orig
                )
            ) from exc

    # --- lists --------------------------------------------------------------------------------
    def export_list(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[Any]],
        path: Path,
        *,
        title: str = "",
        passphrase: str | None = None,
    ) -> int:
        """A list with personal data as a spreadsheet (.xlsx or .csv), written to the audit
        log; returns how many rows. With ``passphrase``: sealed in an AES-256 ZIP
        (``….csv.zip``, app/sealed.py)."""
        path = Path(path)
        content, count = rows_bytes(headers, rows, list_kind(path), title)
        if passphrase is not None:
            from app import sealed

            content = sealed.zip_bytes([(path.name, content)], passphrase)
            path = sealed.sealed_name(path)
        with private_output([(path, content)]), self._db.begin() as s:
            audit.record(
                s,
                "export",
                title or path.name,
                ngettext("{count} row to {path}", "{count} rows to {path}", count).format(
                    count=count, path=path
                ),
            )
        return count
