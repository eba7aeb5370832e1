"""Scans of a test database's own session sheet, for the service and window tests: signed on
chosen rows, with the QR code spoilt, upside down, or photographed with a phone."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import cv2
import numpy as np
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Attendance, Participant, Session
from app.domain.sheets import SheetOptions
from app.reports.attendance_sheet import build_sheet
from app.services.container import Services
from tests.support import scan_maker as sm

DPI = 150


def session_id(db: Database) -> str:
    with db.read() as s:
        return str(s.scalars(select(Session.id)).one())


def sheet_scan(
    db: Database,
    tmp_path: Path,
    signed_rows: set[int],
    name: str = "scan",
    *,
    spoil: bool = False,
    upside_down: bool = False,
    photo: bool = False,
    blank_rows: int = 3,
    names: dict[int, str] | None = None,
) -> Path:
    """The session's sheet printed with ``blank_rows`` blank rows, signed on ``signed_rows``
    (0-based, page 1; blank rows count after the names) and scanned (or photographed).
    ``names``: what newcomers wrote by hand on blank rows (row -> name)."""
    services = Services(db)
    services.sheets.save_options(SheetOptions(blank_rows=blank_rows))
    data = services.sheets.session_sheet(session_id(db))
    out = io.BytesIO()
    build_sheet(data, SheetOptions(blank_rows=blank_rows), out)
    page = sm.render(out.getvalue(), DPI)[0]
    boxes = sm.cell_boxes_mm(sm.render(out.getvalue(), 200)[0])
    rng = np.random.default_rng(11)
    signed = [i in signed_rows for i in range(len(boxes))]
    for row, name in (names or {}).items():
        page = page.copy()
        sm.write_name(page, DPI, boxes[row], name)
    if spoil:
        page = sm.spoil_code(page, DPI)
    if photo:
        image = sm.make_photo(page, DPI, boxes, signed, rng).image
    else:
        scan = sm.make_scan(
            page, DPI, boxes, signed, rng, strays=False, quality=85, upside_down=upside_down
        )
        image = scan.image
    path = tmp_path / f"{name}.jpg"
    cv2.imwrite(str(path), image)
    return path


def scanned_and_typed(db: Database, tmp_path: Path) -> tuple[str, str]:
    """The test sheet's session signed, scanned and confirmed (its page kept); a second held
    session of the same activity typed by hand (two present, one absent), with no scan."""
    from tests.reports.sheet_data import build

    built = build(db)
    services = Services(db)
    scanned = session_id(db)
    result = services.scans.read([sheet_scan(db, tmp_path, {0, 1})])
    services.scans.apply(result.sessions[0], {})
    with db.begin() as s:
        typed = Session(activity_id=built.activity_id, date=dt.date(2026, 11, 10), status="held")
        s.add(typed)
        s.flush()
        people = s.scalars(
            select(Participant).where(Participant.given_name.in_(["Pau", "Núria", "Ahmed"]))
        ).all()
        by_name = {p.given_name: p.id for p in people}
        s.add(Attendance(session_id=typed.id, participant_id=by_name["Pau"], status="present"))
        s.add(Attendance(session_id=typed.id, participant_id=by_name["Núria"], status="late"))
        s.add(Attendance(session_id=typed.id, participant_id=by_name["Ahmed"], status="absent"))
        typed_id = str(typed.id)
    return scanned, typed_id
