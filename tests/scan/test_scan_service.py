"""The scan service: a signed sheet printed from the database, scanned, read back, confirmed;
attendance saved as if typed and the pages kept as the session's evidence. Pages that must not
give marks (another database, a cancelled session, a roster changed since printing, the same
page twice) say why."""

from __future__ import annotations

import datetime as dt
import io
import os
import stat
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Attendance, AuditEvent, Enrolment, EntityProfile, Participant, Session
from app.domain.scans import ABSENT, PRESENT, UNSURE
from app.domain.sheets import SheetOptions
from app.errors import UserError
from app.reports.attendance_sheet import build_sheet
from app.services.container import Services
from tests.reports.sheet_data import build
from tests.support import scan_maker as sm

DPI = 150


def _scan_files(db: Database, tmp_path: Path, signed_rows: set[int], name: str = "scan") -> Path:
    """The session's sheet printed, signed on ``signed_rows`` (0-based, page 1) and scanned."""
    services = Services(db)
    data = services.sheets.session_sheet(_session_id(db))
    out = io.BytesIO()
    build_sheet(data, SheetOptions(blank_rows=3), out)
    pages = sm.render(out.getvalue(), DPI)
    boxes = sm.cell_boxes_mm(sm.render(out.getvalue(), 200)[0])
    rng = np.random.default_rng(7)
    signed = [i in signed_rows for i in range(len(boxes))]
    scan = sm.make_scan(pages[0], DPI, boxes, signed, rng, strays=False, quality=85)
    path = tmp_path / f"{name}.jpg"
    cv2.imwrite(str(path), scan.image)
    return path


def _session_id(db: Database) -> str:
    with db.read() as s:
        return str(s.scalars(select(Session.id)).one())


@pytest.fixture
def sheet_db(db: Database) -> Database:
    build(db)
    return db


def test_a_signed_sheet_is_read_confirmed_and_kept(sheet_db: Database, tmp_path: Path) -> None:
    db = sheet_db
    services = Services(db)
    path = _scan_files(db, tmp_path, {0, 2, 3})
    result = services.scans.read([path])
    assert not result.failed and not result.unmatched
    (scan,) = result.sessions
    assert scan.session_id == _session_id(db)
    by_number = {r.number: r for r in scan.rows}
    assert {n for n, r in by_number.items() if r.verdict == PRESENT} == {1, 3, 4}
    assert all(r.verdict == ABSENT for n, r in by_number.items() if n not in (1, 3, 4))
    assert by_number[1].participant_id and by_number[1].cell_png.startswith(b"\x89PNG")
    assert by_number[len(by_number)].participant_id is None  # a blank row
    # Nothing is written until confirmed.
    with db.read() as s:
        assert not s.scalars(select(Attendance)).all()
    # The person corrects row 3 to "nothing" and confirms.
    walk_ins, changes = services.scans.apply(scan, {3: ABSENT})
    assert walk_ins == 0 and changes.areas
    with db.read() as s:
        present = {a.participant_id for a in s.scalars(select(Attendance))}
        sess = s.get(Session, scan.session_id)
        assert sess is not None and sess.status == "held"
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "import")).all()
    assert present == {by_number[1].participant_id, by_number[4].participant_id}
    assert len(events) == 1
    assert services.scans.evidence_pages(scan.session_id) == 1
    ((page, jpeg),) = services.scans.evidence(scan.session_id)
    assert page == 1 and jpeg.startswith(b"\xff\xd8")
    # The database stays private with the pages in it.
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(db.path).st_mode) == 0o600
    # Scanned again: the page is recognised as already kept.
    again = services.scans.read([path])
    assert again.sessions[0].pages[0].notice


def test_unsure_rows_must_be_decided(sheet_db: Database, tmp_path: Path) -> None:
    services = Services(sheet_db)
    result = services.scans.read([_scan_files(sheet_db, tmp_path, {1})])
    scan = result.sessions[0]
    row = scan.rows[0]
    unsure = replace(row, verdict=UNSURE)
    forced = replace(scan, pages=(replace(scan.pages[0], rows=(unsure,)),))
    with pytest.raises(UserError, match=str(row.number)):
        services.scans.apply(forced, {})
    services.scans.apply(forced, {row.number: PRESENT})


def test_pages_that_must_not_give_marks_say_why(sheet_db: Database, tmp_path: Path) -> None:
    db = sheet_db
    services = Services(db)
    first = _scan_files(db, tmp_path, {0}, "first")
    twice = services.scans.read([first, first])
    assert len(twice.sessions) == 1 and len(twice.unmatched) == 1
    assert "dues vegades" in twice.unmatched[0].problem
    # Somebody enrols after the sheet was printed: the printed rows no longer match.
    with db.begin() as s:
        p = Participant(given_name="Nova", family_names="Aaaa Primera")
        s.add(p)
        s.flush()
        activity_id = s.get(Session, _session_id(db)).activity_id  # type: ignore[union-attr]
        s.add(Enrolment(participant_id=p.id, activity_id=activity_id, start=dt.date(2026, 1, 1)))
    stale = services.scans.read([first])
    assert not stale.sessions and "canviat" in stale.unmatched[0].problem
    # The session cancelled.
    fresh = _scan_files(db, tmp_path, {0}, "fresh")
    assert services.scans.read([fresh]).sessions
    services.sessions.cancel(_session_id(db))
    assert "anul·lar" in services.scans.read([fresh]).unmatched[0].problem
    # Another database.
    with db.begin() as s:
        profile = s.scalars(select(EntityProfile)).one()
        s.delete(profile)
        s.flush()
        s.add(EntityProfile(name="Una altra"))
    assert "una altra base de dades" in services.scans.read([fresh]).unmatched[0].problem
    with db.read() as s:
        assert not s.scalars(select(Attendance)).all()
