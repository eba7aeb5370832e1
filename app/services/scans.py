"""Signed sheets read back: which session and page each scanned page is, what each row's
signature cell holds, and, once the person confirms, the attendance saved with the scanned pages
kept as the session's evidence — one unit of work.

A page is matched to exactly one page of one session of this database by its QR code; a page of
another database, of a session deleted or cancelled, of a sheet printed before the list of people
changed, or given twice, gets a clear message and no mark (see docs/signed-sheets.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session as OrmSession

from app.db.engine import Database
from app.db.models import Activity, EntityProfile, Evidence, Participant, Programme, Session
from app.domain.audit import AuditSubject
from app.domain.changes import Area, Changes
from app.domain.scans import (
    ABSENT,
    PRESENT,
    UNSURE,
    ScanPage,
    ScanResult,
    ScanRow,
    SessionChoice,
    SessionScan,
    UnsignedSession,
)
from app.domain.sheet_code import SheetCode, database_code, fingerprint
from app.domain.sheets import SheetPerson
from app.errors import UserError
from app.i18n import _, format_date, ngettext
from app.services import audit
from app.services.sessions import SessionsService
from app.services.sheets import _enrolled

if TYPE_CHECKING:
    from app.scan.decide import Decision
    from app.scan.page import Image

SIGNED_SHEET = "signed_sheet"
#: The kept page: at most this wide (pixels), JPEG of this quality — enough to read a signature.
KEEP_WIDTH = 1400
KEEP_QUALITY = 80

Progress = Callable[[int, str], None]


class ScanService:
    def __init__(self, db: Database, sessions: SessionsService | None = None) -> None:
        self._db = db
        self._sessions = sessions or SessionsService(db)

    # -- reading ---------------------------------------------------------------------------
    def read(
        self,
        paths: Sequence[Path],
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ScanResult:
        """Read every page of ``paths``; nothing is written. ``progress(done, source)`` after
        each page; ``cancelled()`` true stops between pages (:class:`ScanCancelled`)."""
        from app.scan import files
        from app.scan.reading import read_page

        pages: list[ScanPage] = []
        failed: list[tuple[str, str]] = []
        done = 0
        for path in paths:
            try:
                for item in files.pages(Path(path)):
                    if cancelled is not None and cancelled():
                        raise ScanCancelled()
                    reading = read_page(item.image, item.source, item.index)
                    pages.append(self._match(reading))
                    done += 1
                    if progress:
                        progress(done, item.source)
            except UserError as e:
                failed.append((Path(path).name, str(e)))
        if cancelled is not None and cancelled():
            raise ScanCancelled()
        return self._group(pages, failed)

    @staticmethod
    def count_pages(paths: Sequence[Path]) -> int:
        """How many pages ``paths`` hold (a PDF's pages, one per image; files that cannot be
        read count one): the length of the progress bar."""
        from app.scan import files

        return sum(files.page_count(Path(p)) for p in paths)

    def _match(self, reading: object) -> ScanPage:
        from app.scan.reading import PageReading

        assert isinstance(reading, PageReading)
        jpeg = _jpeg(reading.image) if reading.image is not None else b""
        page = ScanPage(
            reading.source,
            reading.index,
            problem=reading.problem,
            jpeg=jpeg,
            choosable=reading.choosable,
        )
        code = reading.code
        if code is None:
            return page
        page = replace(page, session_id=code.session_id, page=code.page)
        with self._db.read() as s:
            problem = self._check(s, code)
            if problem:
                return replace(page, problem=problem, choosable=code.legacy)
            if reading.problem:
                return page
            roster = self._roster(s, code)
            kept = s.scalar(
                select(func.count(Evidence.id)).where(
                    Evidence.session_id == code.session_id, Evidence.page == code.page
                )
            )
        rows = _rows(code.first_row, roster, reading.decisions)
        notice = _("This page was already kept: confirming replaces it.") if kept else ""
        return replace(page, rows=tuple(rows), notice=notice)

    def _check(self, s: OrmSession, code: SheetCode) -> str:
        if code.legacy:
            return _(
                "This sheet was printed by an older version of Teixit: choose its page, or "
                "type its attendance."
            )
        if code.database != database_code(_database_id(s)):
            return _("This page comes from another Teixit database.")
        sess = s.get(Session, code.session_id)
        if sess is None or sess.deleted_at:
            return _("The session of this page no longer exists.")
        if sess.status == "cancelled":
            return _("The session of this page was cancelled.")
        if fingerprint(_keys(self._roster(s, code), code.rows)) != code.fingerprint:
            return _(
                "The list of people changed after this sheet was printed: type its attendance "
                "by hand (no mark is proposed)."
            )
        return ""

    def _roster(self, s: OrmSession, code: SheetCode) -> list[SheetPerson]:
        sess = s.get(Session, code.session_id)
        if sess is None:
            return []
        people = _enrolled(s, sess.activity_id, sess.date, sess.date)
        return list(people[code.first_row : code.first_row + code.rows])

    def _group(
        self,
        pages: list[ScanPage],
        failed: list[tuple[str, str]],
        unmatched_before: tuple[ScanPage, ...] = (),
    ) -> ScanResult:
        by_session: dict[str, list[ScanPage]] = {}
        unmatched: list[ScanPage] = list(unmatched_before)
        seen: set[tuple[str, int]] = set()
        for p in pages:
            if p.session_id is None or p.problem:
                unmatched.append(p)
                continue
            key = (p.session_id, p.page)
            if key in seen:
                twice = _("The same page was given twice: only the first is read.")
                unmatched.append(replace(p, rows=(), problem=twice))
                continue
            seen.add(key)
            by_session.setdefault(p.session_id, []).append(p)
        sessions = []
        with self._db.read() as s:
            for sid, items in by_session.items():
                sess = s.get(Session, sid)
                assert sess is not None
                activity = s.get(Activity, sess.activity_id)
                title = f"{activity.name if activity else ''} · {format_date(sess.date)}"
                items.sort(key=lambda p: p.page)
                sessions.append(SessionScan(sid, title, sess.status, tuple(items)))
        counts = {PRESENT: 0, ABSENT: 0, UNSURE: 0}
        for sc in sessions:
            for r in sc.rows:
                counts[r.verdict] += 1
        return ScanResult(tuple(sessions), tuple(unmatched), tuple(failed), counts)

    # -- a page without a readable code ------------------------------------------------------
    def choices(self, today: dt.date | None = None, days: int = 120) -> list[SessionChoice]:
        """The sessions a page without a readable code may be a sheet of: those of the last
        ``days`` days (and the next week), neither cancelled nor deleted, newest first."""
        today = today or dt.date.today()
        with self._db.read() as s:
            rows = s.execute(
                select(Session.id, Session.date, Session.start_time, Activity.name)
                .join(Activity, Activity.id == Session.activity_id)
                .where(
                    Session.deleted_at.is_(None),
                    Session.status != "cancelled",
                    Session.date >= today - dt.timedelta(days=days),
                    Session.date <= today + dt.timedelta(days=7),
                )
                .order_by(Session.date.desc(), Session.start_time.desc(), Activity.name)
                .limit(200)
            ).all()
        out = []
        for sid, date, start, name in rows:
            when = format_date(date) + (f" {start:%H:%M}" if start else "")
            out.append(SessionChoice(sid, f"{when} · {name}"))
        return out

    def read_as(self, page: ScanPage, session_id: str, number: int) -> ScanPage:
        """``page`` (whose code could not be read) read as page ``number`` of the sheet of
        ``session_id``, as the person said: straightened from its corner marks alone, each row
        matched to the person printed on it. Nothing is written."""
        from app.reports.attendance_sheet import sheet_pages
        from app.scan.reading import read_page_as
        from app.services.sheets import SheetService

        sheets = SheetService(self._db)
        data = sheets.session_sheet(session_id)
        layout = sheet_pages(data, sheets.saved_options())
        if not 1 <= number <= len(layout):
            raise UserError(
                ngettext(
                    "The sheet of this session has {count} page.",
                    "The sheet of this session has {count} pages.",
                    len(layout),
                ).format(count=len(layout))
            )
        first = layout[number - 1][0]
        image = _decoded(page.jpeg)
        with self._db.read() as s:
            code = SheetCode(database_code(_database_id(s)), session_id, number, first)
            problem = self._check_session(s, session_id)
        if problem:
            raise UserError(problem)
        reading = read_page_as(image, code, page.source, page.index)
        if reading.problem:
            raise UserError(reading.problem)
        with self._db.read() as s:
            full = SheetCode(code.database, session_id, number, first, len(reading.decisions))
            roster = self._roster(s, full)
            kept = s.scalar(
                select(func.count(Evidence.id)).where(
                    Evidence.session_id == session_id, Evidence.page == number
                )
            )
        rows = _rows(first, roster, reading.decisions)
        notices = [
            _(
                "A page without a readable code was read as page {page} of this session: check "
                "that the names are the ones printed on it."
            ).format(page=number)
        ]
        if kept:
            notices.append(_("This page was already kept: confirming replaces it."))
        notice = " ".join(notices)
        return replace(
            page,
            session_id=session_id,
            page=number,
            rows=tuple(rows),
            problem="",
            notice=notice,
            choosable=False,
        )

    def _check_session(self, s: OrmSession, session_id: str) -> str:
        sess = s.get(Session, session_id)
        if sess is None or sess.deleted_at:
            return _("The session of this page no longer exists.")
        if sess.status == "cancelled":
            return _("The session of this page was cancelled.")
        return ""

    def add_page(self, result: ScanResult, page: ScanPage) -> ScanResult:
        """``result`` with ``page`` (read as the person said) moved from the pages without a
        session to its session's pages; the same page given twice is refused."""
        assert page.session_id is not None
        for sc in result.sessions:
            if sc.session_id == page.session_id and any(p.page == page.page for p in sc.pages):
                raise UserError(_("The same page was given twice: only the first is read."))
        unmatched = tuple(
            p for p in result.unmatched if (p.source, p.index) != (page.source, page.index)
        )
        pages: list[ScanPage] = [p for sc in result.sessions for p in sc.pages]
        return self._group([*pages, page], list(result.failed), unmatched)

    # -- saving ----------------------------------------------------------------------------
    def apply(
        self, scan: SessionScan, marks: dict[int, str], people: dict[int, str] | None = None
    ) -> tuple[int, Changes]:
        """Save what the person confirmed for one session: ``marks`` is the final mark of each
        row (by its printed number: present or absent); every unsure row must have one.
        ``people`` names who signed a blank row (row number -> person, found or just created).
        The people marked present are saved as present (nothing else changes: a row left empty
        removes no status typed before), the session becomes held as when typed, and the pages
        are kept as its signed evidence. Returns how many signed blank rows are left with nobody
        named (to add by hand)."""
        people = people or {}
        statuses: dict[str, str | None] = {}
        walk_ins = 0
        for row in scan.rows:
            mark = marks.get(row.number, row.verdict)
            if mark == UNSURE:
                raise UserError(
                    _("Decide row {number} (present or nothing) before saving.").format(
                        number=row.number
                    )
                )
            if mark not in (PRESENT, ABSENT):
                raise UserError(_("Choose a valid attendance status."))
            if mark == PRESENT:
                if row.participant_id:
                    statuses[row.participant_id] = "present"
                elif people.get(row.number):
                    statuses[people[row.number]] = "present"
                else:
                    walk_ins += 1
        with self._db.begin() as s:
            if statuses:
                known = set(
                    s.scalars(
                        select(Participant.id).where(
                            Participant.id.in_(list(statuses)), Participant.deleted_at.is_(None)
                        )
                    )
                )
                if set(statuses) - known:
                    raise UserError(_("A person chosen for a blank row no longer exists."))
                self._sessions.write_attendance_in(s, scan.session_id, statuses)
            for page in scan.pages:
                s.execute(
                    delete(Evidence).where(
                        Evidence.session_id == scan.session_id, Evidence.page == page.page
                    )
                )
                s.add(
                    Evidence(
                        session_id=scan.session_id,
                        kind=SIGNED_SHEET,
                        page=page.page,
                        source=f"{page.source} ({page.index})"[:300],
                        media_type="image/jpeg",
                        content=page.jpeg,
                        sha256=hashlib.sha256(page.jpeg).hexdigest(),
                    )
                )
            details = _("signed sheet: {pages} pages, {present} present").format(
                pages=len(scan.pages), present=len(statuses)
            )
            audit.record(s, "import", AuditSubject.sheet("session", scan.session_id), details)
        return walk_ins, Changes.of(Area.SESSIONS, Area.ATTENDANCE)

    def without_signed_sheet(
        self,
        programme_ids: Sequence[str] | None,
        date_from: dt.date,
        date_to: dt.date,
        limit: int = 500,
    ) -> list[UnsignedSession]:
        """The held sessions of the period whose signed sheet was not kept (their evidence is
        the register only), oldest first: what a coordinator chases before a deadline."""
        from app.services.figures import held_sessions

        held = held_sessions(programme_ids, date_from, date_to)
        signed = select(Evidence.session_id).where(Evidence.kind == SIGNED_SHEET)
        with self._db.read() as s:
            rows = s.execute(
                held.add_columns(Activity.name, Programme.code)
                .where(Session.id.not_in(signed))
                .order_by(Session.date, Session.start_time, Programme.code, Activity.name)
                .limit(limit)
            ).all()
        return [UnsignedSession(r.id, r.date, r.code, r.name) for r in rows]

    def evidence_pages(self, session_id: str) -> int:
        """How many pages of the session's signed sheet are kept."""
        with self._db.read() as s:
            return int(
                s.scalar(
                    select(func.count(Evidence.id)).where(
                        Evidence.session_id == session_id, Evidence.kind == SIGNED_SHEET
                    )
                )
                or 0
            )

    def evidence(self, session_id: str) -> list[tuple[int, bytes]]:
        """The kept pages (page, JPEG), in page order."""
        with self._db.read() as s:
            rows = s.execute(
                select(Evidence.page, Evidence.content)
                .where(Evidence.session_id == session_id)
                .order_by(Evidence.page)
            ).all()
        return [(int(p), bytes(c)) for p, c in rows]


class ScanCancelled(Exception):
    """The person cancelled the reading: nothing was kept, nothing written."""


def _rows(
    first_row: int, roster: list[SheetPerson], decisions: Sequence[Decision]
) -> list[ScanRow]:
    rows = []
    for d in decisions:
        person = roster[d.row] if d.row < len(roster) else None
        line = _png(d.line, grey=True) if person is None and d.line is not None else b""
        rows.append(
            ScanRow(
                number=first_row + d.row + 1,
                participant_id=person.key if person else None,
                name=_name(person) if person else "",
                verdict=d.verdict,
                ink=d.ink,
                cell_png=_png(d.image),
                line_png=line,
            )
        )
    return rows


def _decoded(jpeg: bytes) -> Image:
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise UserError(_("The page's corner marks were not found: scan the whole page, flat."))
    return np.asarray(image, dtype=np.uint8)


def _database_id(s: OrmSession) -> str:
    return s.scalar(select(EntityProfile.id).limit(1)) or ""


def _keys(people: list[SheetPerson], rows: int) -> list[str]:
    keys = [p.key for p in people]
    return keys + [""] * (rows - len(keys))


def _name(p: SheetPerson) -> str:
    return f"{p.given_name} {p.family_names}".strip()


#: Cell and line images are kept this tall (pixels): as the review shows them, so a 300-page
#: scan's proposal stays small in memory.
SHOWN_HEIGHT = 48


def _png(image: object, grey: bool = False) -> bytes:
    import cv2
    import numpy as np

    img = np.asarray(image)
    if grey and img.ndim == 3:
        img = img.min(axis=2)
    if img.shape[0] > SHOWN_HEIGHT:
        f = SHOWN_HEIGHT / img.shape[0]
        size = (max(1, round(img.shape[1] * f)), SHOWN_HEIGHT)
        img = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
    ok, enc = cv2.imencode(".png", img, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    return bytes(enc) if ok else b""


def _jpeg(image: object) -> bytes:
    import cv2
    import numpy as np

    img = np.asarray(image)
    if img.shape[1] > KEEP_WIDTH:
        f = KEEP_WIDTH / img.shape[1]
        img = cv2.resize(img, (KEEP_WIDTH, int(img.shape[0] * f)), interpolation=cv2.INTER_AREA)
    ok, enc = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, KEEP_QUALITY])
    return bytes(enc) if ok else b""
