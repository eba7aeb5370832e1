"""What the review needs from the scan service: a page whose code cannot be read is read as the
page the person chooses (from its corner marks alone), a page of another document is refused,
and signed blank rows come with the handwriting and record the person the reviewer names."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Attendance, Session
from app.domain.people import PersonDTO
from app.domain.scans import ABSENT, PRESENT
from app.errors import UserError
from app.services.container import Services
from tests.reports.sheet_data import SESSION_DATE, build
from tests.scan.scan_files import session_id, sheet_scan
from tests.support import scan_maker as sm


@pytest.fixture
def sheet_db(db: Database) -> Database:
    build(db)
    return db


def _present(db: Database) -> set[str]:
    with db.read() as s:
        return {
            a.participant_id
            for a in s.scalars(select(Attendance).where(Attendance.status == "present"))
        }


def test_a_page_whose_code_cannot_be_read_is_read_as_the_chosen_page(
    sheet_db: Database, tmp_path: Path
) -> None:
    db = sheet_db
    services = Services(db)
    sid = session_id(db)
    path = sheet_scan(db, tmp_path, {1, 4}, spoil=True, upside_down=True)
    result = services.scans.read([path])
    assert not result.sessions
    (page,) = result.unmatched
    assert page.choosable and page.jpeg.startswith(b"\xff\xd8")
    # The person picks the session among the recent ones...
    choices = services.scans.choices(today=SESSION_DATE)
    assert [c.session_id for c in choices] == [sid]
    assert "Taller de costura" in choices[0].title
    # ...and a page the sheet does not have is refused with a message.
    with pytest.raises(UserError, match="1 pàgina"):
        services.scans.read_as(page, sid, 3)
    read = services.scans.read_as(page, sid, 1)
    assert read.session_id == sid and read.page == 1 and not read.problem
    assert "comproveu que els noms" in read.notice  # no fingerprint to tell a changed list
    marks = {r.number: r.verdict for r in read.rows}
    assert {n for n, v in marks.items() if v == PRESENT} == {2, 5}
    assert all(v == ABSENT for n, v in marks.items() if n not in (2, 5))
    # It joins the result as any page read from its code, then is saved as usual.
    added = services.scans.add_page(result, read)
    assert not added.unmatched and [s.session_id for s in added.sessions] == [sid]
    with pytest.raises(UserError):
        services.scans.add_page(added, read)  # the same page twice
    services.scans.apply(added.sessions[0], {})
    by_number = {r.number: r.participant_id for r in read.rows}
    assert _present(db) == {by_number[2], by_number[5]}
    assert services.scans.evidence_pages(sid) == 1


def test_a_cancelled_session_cannot_be_chosen(sheet_db: Database, tmp_path: Path) -> None:
    services = Services(sheet_db)
    sid = session_id(sheet_db)
    result = services.scans.read([sheet_scan(sheet_db, tmp_path, {0}, spoil=True)])
    services.sessions.cancel(sid)
    assert services.scans.choices(today=SESSION_DATE) == []
    with pytest.raises(UserError, match="anul·lar"):
        services.scans.read_as(result.unmatched[0], sid, 1)
    assert not _present(sheet_db)


def test_a_page_of_another_document_is_refused_in_one_sentence(
    sheet_db: Database, tmp_path: Path
) -> None:
    services = Services(sheet_db)
    rng = np.random.default_rng(3)
    paths = []
    for n, with_qr in enumerate((True, False)):
        path = tmp_path / f"other{n}.jpg"
        cv2.imwrite(str(path), sm.other_document(150, rng, with_qr=with_qr))
        paths.append(path)
    result = services.scans.read(paths)
    assert not result.sessions and len(result.unmatched) == 2
    for page in result.unmatched:
        assert not page.choosable
        assert page.problem == "Aquesta pàgina no és un full imprès per Teixit: es deixa de banda."


def test_signed_blank_rows_show_the_handwriting_and_record_who_it_is(
    sheet_db: Database, tmp_path: Path
) -> None:
    db = sheet_db
    services = Services(db)
    # 10 names then 3 blank rows: rows 11 and 13 signed by people who came unannounced.
    result = services.scans.read([sheet_scan(db, tmp_path, {0, 10, 12})])
    scan = result.sessions[0]
    blank = {r.number: r for r in scan.rows if r.participant_id is None}
    assert sorted(blank) == [11, 12, 13]
    assert blank[11].verdict == PRESENT and blank[13].verdict == PRESENT
    # The whole line (what the newcomer wrote) as an image, wider than the signature cell.
    line = cv2.imdecode(np.frombuffer(blank[11].line_png, np.uint8), cv2.IMREAD_UNCHANGED)
    cell = cv2.imdecode(np.frombuffer(blank[11].cell_png, np.uint8), cv2.IMREAD_UNCHANGED)
    assert line.shape[1] > 2.5 * cell.shape[1]
    # One is someone known, the other a new person created from the review.
    known = services.people.search("Ahmed")[0].id
    new, _changes = services.people.save(PersonDTO(given_name="Rosa", family_names="Nova Vinguda"))
    assert new.id
    left, _changes = services.scans.apply(scan, {}, {11: known, 13: new.id})
    assert left == 0
    first = next(r.participant_id for r in scan.rows if r.number == 1)
    assert _present(db) == {first, known, new.id}
    with db.read() as s:
        assert s.get(Session, scan.session_id).status == "held"  # type: ignore[union-attr]


def test_a_signed_blank_row_left_without_a_person_is_counted(
    sheet_db: Database, tmp_path: Path
) -> None:
    services = Services(sheet_db)
    scan = services.scans.read([sheet_scan(sheet_db, tmp_path, {10})]).sessions[0]
    # The reviewer said nobody signed row 12 (wrong person chosen there is ignored).
    left, _changes = services.scans.apply(scan, {}, {12: "not-used"})
    assert left == 1 and not _present(sheet_db)
