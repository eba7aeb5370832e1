"""Signed sheets read back: which session and page each scanned page is, what each row's
signature cell holds, and, once the person confirms, the attendance saved with the scanned pages
kept as the session's evidence — one unit of work.

A page is matched to exactly one page of one session of this database by its QR code; a page of
another database, of a session deleted or cancelled, of a sheet printed before the list of people
changed, or given twice, gets a clear message and no mark (see docs/signed-sheets.md)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session as OrmSession

from app.db.engine import Database
from app.db.models import Activity, EntityProfile, Evidence, Session
from app.domain.audit import AuditSubject
from app.domain.changes import Area, Changes
from app.domain.scans import ABSENT, PRESENT, UNSURE, ScanPage, ScanResult, ScanRow, SessionScan
from app.domain.sheet_code import SheetCode, database_code, fingerprint
from app.domain.sheets import SheetPerson
from app.errors import UserError
from app.i18n import _, format_date
from app.services import audit
from app.services.sessions import SessionsService
from app.services.sheets import _enrolled

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
    def read(self, paths: Sequence[Path], progress: Progress | None = None) -> ScanResult:
        """Read every page of ``paths``; nothing is written."""
        from app.scan import files
        from app.scan.reading import read_page

        pages: list[ScanPage] = []
        failed: list[tuple[str, str]] = []
        done = 0
        for path in paths:
            try:
                for item in files.pages(Path(path)):
                    reading = read_page(item.image, item.source, item.index)
                    pages.append(self._match(reading))
                    done += 1
                    if progress:
                        progress(done, item.source)
            except UserError as e:
                failed.append((Path(path).name, str(e)))
        return self._group(pages, failed)

    def _match(self, reading: object) -> ScanPage:
        from app.scan.reading import PageReading

        assert isinstance(reading, PageReading)
        jpeg = _jpeg(reading.image) if reading.image is not None else b""
        page = ScanPage(reading.source, reading.index, problem=reading.problem, jpeg=jpeg)
        code = reading.code
        if code is None:
            return page
        page = replace(page, session_id=code.session_id, page=code.page)
        with self._db.read() as s:
            problem = self._check(s, code)
            if problem:
                return replace(page, problem=problem)
            if reading.problem:
                return page
            roster = self._roster(s, code)
            kept = s.scalar(
                select(func.count(Evidence.id)).where(
                    Evidence.session_id == code.session_id, Evidence.page == code.page
                )
            )
        rows = []
        for d in reading.decisions:
            number = code.first_row + d.row
            person = roster[d.row] if d.row < len(roster) else None
            rows.append(
                ScanRow(
                    number=number + 1,
                    participant_id=person.key if person else None,
                    name=_name(person) if person else "",
                    verdict=d.verdict,
                    ink=d.ink,
                    cell_png=_png(d.image),
                )
            )
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

    def _group(self, pages: list[ScanPage], failed: list[tuple[str, str]]) -> ScanResult:
        by_session: dict[str, list[ScanPage]] = {}
        unmatched: list[ScanPage] = []
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

    # -- saving ----------------------------------------------------------------------------
    def apply(self, scan: SessionScan, marks: dict[int, str]) -> tuple[int, Changes]:
        """Save what the person confirmed for one session: ``marks`` is the final mark of each
        row (by its printed number: present or absent); every unsure row must have one. The
        people marked present are saved as present (nothing else changes: a row left empty
        removes no status typed before), the session becomes held as when typed, and the pages
        are kept as its signed evidence. Returns how many signed blank rows need a person added
        by hand."""
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
                else:
                    walk_ins += 1
        with self._db.begin() as s:
            if statuses:
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


def _database_id(s: OrmSession) -> str:
    return s.scalar(select(EntityProfile.id).limit(1)) or ""


def _keys(people: list[SheetPerson], rows: int) -> list[str]:
    keys = [p.key for p in people]
    return keys + [""] * (rows - len(keys))


def _name(p: SheetPerson) -> str:
    return f"{p.given_name} {p.family_names}".strip()


def _png(image: object) -> bytes:
    import cv2
    import numpy as np

    ok, enc = cv2.imencode(".png", np.asarray(image))
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
