"""A session's attendance sheet read, and its print logged, with the SQLite driver alone.

Why this exists: ``teixit sheet --session`` is a short command, and importing SQLAlchemy and
mapping the models was about 70 % of its time (budget: the whole command within 0.45 s, see
docs/performance.md). For the usual case (the data folder's own file, at this version's schema
revision) the command comes here: the file is opened as ``app/db/engine.py`` opens it (the same
lock, checks, clean-close marker, key and pragmas, from ``app/db/sqlite_file.py``), the sheet is
read with the statements ``SheetService.session_sheet`` sends and localised by the same function
(``localised``), and the print is logged with the entry ``audit.record`` writes (``next_entry``).

Whenever this path cannot be sure to do what the usual one does (an office database, a
database named with ``--database``, a file to create or to migrate, a value not in the shape
SQLAlchemy writes, a database error), it raises ``Unsure`` before anything is written and the
command takes the usual path. ``tests/unit/test_sheets_without_orm.py`` compares both paths.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from app import paths
from app.db import keys, schema
from app.db.lock import InstanceLock
from app.db.sqlite_file import (
    check_regular_file,
    check_writable,
    inspect_file,
    make_private,
    mark_clean_close,
    set_pragmas,
    take_clean_close,
)
from app.domain.audit import next_entry
from app.domain.clock import utcnow
from app.domain.sheet_code import database_code
from app.domain.sheets import (
    EntityHeader,
    SheetData,
    SheetFunder,
    SheetOptions,
    SheetPerson,
    mask_id,
    print_entry,
)
from app.domain.text import sort_key
from app.domain.texts import PROFILE_ROW, TRANSLATABLE, Key, TextBook, languages_of
from app.domain.texts import missing_message as missing_message_of
from app.errors import UserError
from app.i18n import LANGUAGES, _
from app.private_files import private_output
from app.reports.layout import is_usual_support


class Unsure(Exception):
    """This path cannot be sure to do what the usual one does: the command takes that one."""


def localised(sheets: Sequence[SheetData], book: TextBook) -> list[SheetData]:
    """The sheets with the user's texts (entity, notice, programme, activity, funders) in the
    book's document language; the texts with no version in it are noted in ``book.missing``.
    Both paths print through here."""
    out = []
    for d in sheets:
        e = d.entity
        printed: dict[str, Any] = {
            name: book.text("entity_profile", PROFILE_ROW, name, getattr(e, name), "")
            for name in TRANSLATABLE["entity_profile"]
        }
        entity = replace(e, **printed)
        funders = tuple(
            replace(
                f,
                name=book.text("funder", f.id, "name", f.name, f.name),
                support_text=f.support_text
                if is_usual_support(f.support_text)
                else book.text("funder", f.id, "support_text", f.support_text, f.name),
            )
            if f.id
            else f
            for f in d.funders
        )
        out.append(
            replace(
                d,
                entity=entity,
                funders=funders,
                programme=book.text("programme", d.programme_id, "name", d.programme, d.programme)
                if d.programme_id
                else d.programme,
                activity=book.text("activity", d.activity_id, "name", d.activity, d.activity)
                if d.activity_id
                else d.activity,
            )
        )
    return out


# The statements SQLAlchemy sends for SheetService.session_sheet, the text_book and the audit
# entry: the same statement, the same plan, the same order of rows where the SQL leaves it open
# (people with the same name on one sheet).
_SESSION = (
    "SELECT activity_id, date, start_time, end_time, place_id, deleted_at "
    "FROM session WHERE session.id = ?"
)
_ACTIVITY = (
    "SELECT id, programme_id, name, place_id, start_time, end_time, deleted_at "
    "FROM activity WHERE activity.id = ?"
)
_PROGRAMME = "SELECT id, name FROM programme WHERE programme.id = ?"
_ENTITY = (
    "SELECT entity_profile.name, entity_profile.logo, entity_profile.privacy_controller, "
    "entity_profile.privacy_purpose, entity_profile.privacy_legal_basis, "
    "entity_profile.privacy_recipients, entity_profile.privacy_rights_contact "
    "FROM entity_profile LIMIT 1"
)
_ENTITY_ID = "SELECT entity_profile.id FROM entity_profile LIMIT 1"
_MAIN_LANGUAGE = "SELECT entity_profile.default_lang FROM entity_profile LIMIT 1"
_PLACE = "SELECT name, deleted_at FROM place WHERE place.id = ?"
_SESSION_STAFF = (
    "SELECT staff.name, staff.deleted_at FROM staff, session_facilitator "
    "WHERE ? = session_facilitator.session_id AND staff.id = session_facilitator.staff_id "
    "ORDER BY staff.name"
)
_ACTIVITY_STAFF = (
    "SELECT staff.name, staff.deleted_at FROM staff, activity_facilitator "
    "WHERE ? = activity_facilitator.activity_id AND staff.id = activity_facilitator.staff_id "
    "ORDER BY staff.name"
)
_ENROLLED = (
    "SELECT DISTINCT participant.given_name, participant.family_names, participant.gender, "
    "participant.birth_date, participant.birth_year, participant.id_document_type, "
    "participant.id_document_number, participant.nationality, participant.neighbourhood, "
    "participant.phone, participant.email, participant.guardian_name, "
    "participant.guardian_phone, participant.notes, participant.blocked_at, "
    "participant.version, participant.id, participant.created_at, participant.updated_at, "
    "participant.deleted_at \n"
    "FROM participant JOIN enrolment ON enrolment.participant_id = participant.id \n"
    "WHERE enrolment.activity_id = ? AND participant.deleted_at IS NULL "
    "AND participant.blocked_at IS NULL AND (enrolment.start IS NULL OR enrolment.start <= ?) "
    'AND (enrolment."end" IS NULL OR enrolment."end" >= ?)'
)
_FUNDERS = (
    "SELECT funder.id, funder.name, funder.support_text, funder.logo, funder.deleted_at "
    "FROM funder, programme_funder WHERE ? = programme_funder.programme_id "
    "AND funder.id = programme_funder.funder_id ORDER BY funder.name"
)
_PARTNERS = (
    "SELECT organisation.name FROM organisation "
    "JOIN activity_partner ON activity_partner.organisation_id = organisation.id "
    "WHERE activity_partner.activity_id = ? AND organisation.deleted_at IS NULL "
    "ORDER BY organisation.name"
)
_TEXTS = (
    "SELECT text_variant.table_name, text_variant.row_id, text_variant.field, "
    "text_variant.lang, text_variant.text FROM text_variant WHERE text_variant.lang IN ({})"
)
_LAST_AUDIT = (
    "SELECT audit_event.seq, audit_event.chain FROM audit_event "
    "ORDER BY audit_event.seq DESC LIMIT 1"
)
_ADD_AUDIT = (
    "INSERT INTO audit_event (at, action, subject, details, seq, chain, id, created_at, "
    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _date(value: object) -> dt.date:
    """A date as SQLAlchemy keeps it on SQLite (2026-10-01); anything else is Unsure."""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else None
    if day is None or day.isoformat() != value:
        raise Unsure(f"date {value!r}")
    return day


def _time(value: object) -> dt.time | None:
    """A time as SQLAlchemy keeps it on SQLite (17:30:00.000000), or none."""
    if value is None:
        return None
    moment = dt.time.fromisoformat(value) if isinstance(value, str) else None
    if moment is None or moment.isoformat(timespec="microseconds") != value:
        raise Unsure(f"time {value!r}")
    return moment


def _stored(moment: dt.datetime) -> str:
    """A time stamp as SQLAlchemy writes it on SQLite (2026-12-06 17:18:22.555012)."""
    return moment.isoformat(sep=" ", timespec="microseconds")


class SheetsOnFile:
    """The sheet command's reads and writes on one open file (``opened_sheets``)."""

    def __init__(self, con: Any) -> None:
        self._con = con

    @contextlib.contextmanager
    def _read(self) -> Iterator[Any]:
        """Reads that all see one snapshot (as ``Database.read``)."""
        con = self._con
        con.execute("BEGIN")
        try:
            yield con
        except UserError:
            raise
        except Exception as exc:  # a database error, a value not in the shape SQLAlchemy writes
            raise Unsure(str(exc)) from exc
        finally:
            if con.in_transaction:
                con.execute("ROLLBACK")

    def main_language(self) -> str:
        """The entity's language (the records' own columns are in it)."""
        with self._read() as con:
            return self._main_language(con)

    @staticmethod
    def _main_language(con: Any) -> str:
        row = con.execute(_MAIN_LANGUAGE).fetchone()
        return row[0] if row and row[0] in LANGUAGES else "ca"

    def default_lang(self) -> str:
        """The entity profile's language as ``ProfileService.get`` gives it ("ca" without one)."""
        with self._read() as con:
            row = con.execute(_MAIN_LANGUAGE).fetchone()
        return str(row[0]) if row else "ca"

    def session_sheet(self, session_id: str) -> SheetData:
        """What ``SheetService.session_sheet`` reads."""
        with self._read() as con:
            session = con.execute(_SESSION, (session_id,)).fetchone()
            if session is None or session[5]:
                raise UserError(_("The session {id} does not exist.").format(id=session_id))
            activity_id, date_text, start, end, place_id, _deleted = session
            activity = con.execute(_ACTIVITY, (activity_id,)).fetchone()
            if activity is None or activity[6]:
                raise UserError(_("The activity {id} does not exist.").format(id=activity_id))
            act_id, programme_id, act_name, act_place, act_start, act_end, _gone = activity
            programme = con.execute(_PROGRAMME, (programme_id,)).fetchone()
            entity = self._entity(con)
            place = self._place_name(con, place_id or act_place)
            staff = (
                con.execute(_SESSION_STAFF, (session_id,)).fetchall()
                or con.execute(_ACTIVITY_STAFF, (act_id,)).fetchall()
            )
            database_id = con.execute(_ENTITY_ID).fetchone()
            date = _date(date_text)
            people = self._enrolled(con, act_id, date.isoformat())
            funders = self._funders(con, programme[0]) if programme else ()
            partners = tuple(str(r[0]) for r in con.execute(_PARTNERS, (act_id,)))
            return SheetData(
                kind="session",
                entity=entity,
                programme=programme[1] if programme else "",
                programme_id=programme[0] if programme else "",
                activity=act_name,
                activity_id=act_id,
                date=date,
                start_time=_time(start) or _time(act_start),
                end_time=_time(end) or _time(act_end),
                place=place,
                facilitators=tuple(name for name, deleted in staff if not deleted),
                reference_id=session_id,
                database_code=database_code(database_id[0] if database_id else ""),
                people=people,
                funders=funders,
                partners=partners,
            )

    @staticmethod
    def _entity(con: Any) -> EntityHeader:
        row = con.execute(_ENTITY).fetchone()
        if row is None:
            return EntityHeader(name="")
        return EntityHeader(*row)

    @staticmethod
    def _place_name(con: Any, place_id: str | None) -> str:
        if not place_id:
            return ""
        row = con.execute(_PLACE, (place_id,)).fetchone()
        return str(row[0]) if row and not row[1] else ""

    @staticmethod
    def _enrolled(con: Any, activity_id: str, day: str) -> tuple[SheetPerson, ...]:
        rows = con.execute(_ENROLLED, (activity_id, day, day)).fetchall()
        # r[0] given name, r[1] family names, r[5] and r[6] the document's type and number,
        # r[16] the id; sorted as SheetService._enrolled sorts them (a stable sort).
        rows.sort(key=lambda r: sort_key(r[1], r[0]))
        return tuple(
            SheetPerson(
                given_name=r[0], family_names=r[1], masked_id=mask_id(r[6], r[5]), key=r[16]
            )
            for r in rows
        )

    @staticmethod
    def _funders(con: Any, programme_id: str) -> tuple[SheetFunder, ...]:
        return tuple(
            SheetFunder(name, support_text, logo, funder_id)
            for funder_id, name, support_text, logo, deleted in con.execute(
                _FUNDERS, (programme_id,)
            )
            if not deleted
        )

    def localised(self, sheets: Sequence[SheetData], lang: str) -> tuple[list[SheetData], TextBook]:
        """As ``SheetService.localised``: the sheets in ``lang`` and the book of what is missing."""
        wanted = sorted(set(languages_of(lang)) | {"ca", "ca-valencia"})
        variants: dict[Key, dict[str, str]] = {}
        with self._read() as con:
            statement = _TEXTS.format(", ".join("?" * len(wanted)))
            for table, row_id, name, language, text in con.execute(statement, wanted):
                variants.setdefault((table, row_id, name), {})[language] = text
            main = self._main_language(con)
        book = TextBook(main_lang=main, doc_lang=lang, variants=variants)
        return localised(sheets, book), book

    def missing_warning(self, sheet: SheetData, lang: str) -> str:
        """As ``SheetService.missing_warning``: "" when every text has a version in ``lang``."""
        book = self.localised([sheet], lang)[1]
        if not book.missing:
            return ""
        return missing_message_of(book.missing, self.main_language())

    def write(self, sheet: SheetData, options: SheetOptions, path: Path) -> None:
        """As ``SheetService.write``: the PDF appears only once its print is in the audit log."""
        from app.reports.attendance_sheet import build_sheets

        buf = io.BytesIO()
        build_sheets(self.localised([sheet], options.lang)[0], options, buf)
        with private_output([(Path(path), buf.getvalue())]):
            if sheet.has_names:
                self._record_print(sheet, options)

    def _record_print(self, sheet: SheetData, options: SheetOptions) -> None:
        """The entry ``audit.record`` adds, in a write of its own (BEGIN IMMEDIATE, as
        ``Database.begin``)."""
        subject, details = print_entry(sheet, options)
        con = self._con
        try:
            con.execute("BEGIN IMMEDIATE")
            last = con.execute(_LAST_AUDIT).fetchone()
            at = utcnow()
            entry = next_entry(None if last is None else tuple(last), at, "print", subject, details)
            row = (_stored(at), "print", entry.subject, details, entry.seq, entry.chain)
            created = _stored(utcnow())
            con.execute(_ADD_AUDIT, (*row, str(uuid.uuid4()), created, created))
            con.execute("COMMIT")
        except Exception as exc:
            # A full disk, a database busy too long: nothing was written; the usual path says it.
            raise Unsure(str(exc)) from exc
        finally:
            if con.in_transaction:
                con.execute("ROLLBACK")


@contextlib.contextmanager
def opened_sheets() -> Iterator[SheetsOnFile]:
    """The data folder's database file opened as ``opened_database`` and ``open_database`` open
    it (the command's lock for its whole life, then the same checks), and closed as
    ``Database.close`` closes it (the clean-close marker). Raises ``Unsure`` first when the
    usual path has to open it."""
    if paths.database_address():
        raise Unsure("an address was given")  # an office database, or a file named
    path = paths.db_path()
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(InstanceLock(path))
            con = _open(path)
        except OSError as exc:
            raise Unsure(str(exc)) from None  # the usual path words the folder's problem
        stack.callback(_close, con, path)
        yield SheetsOnFile(con)


def _open(path: Path) -> Any:
    """``open_database`` for a file that exists at this version's revision."""
    check_writable(path.parent)
    check_regular_file(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise Unsure("no database yet")  # made, or refused as lost data, by the usual path
    revision = inspect_file(path, check=not take_clean_close(path))
    if revision != schema.HEAD:
        raise Unsure(f"revision {revision}")  # migrated (a copy first) by the usual path
    make_private(path)
    con = keys.connect(path)  # plain sqlite3, or SQLCipher with the key the command unlocked
    try:
        set_pragmas(con)
    except Exception as exc:
        con.close()
        raise Unsure(str(exc)) from exc  # a database busy or damaged: the usual path says so
    for suffix in ("-wal", "-shm"):
        make_private(path.with_name(path.name + suffix))
    return con


def _close(con: Any, path: Path) -> None:
    con.close()
    mark_clean_close(path)
