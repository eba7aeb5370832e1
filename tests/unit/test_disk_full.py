"""A full disk while saving: one translated sentence, nothing half-saved, the data intact."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from app.db.engine import Database, open_database
from app.db.models import Participant
from app.domain.people import PersonDTO
from app.errors import UserError
from app.services.people import PeopleService


def full_after_now(db: Database) -> None:
    """Every new connection may not grow the file past its size now: SQLite then answers
    SQLITE_FULL ("database or disk is full"), as on a disk with no room left."""
    with db.engine.connect() as con:
        pages = con.exec_driver_sql("PRAGMA page_count").scalar()

    def cap(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")  # type: ignore[attr-defined]

    event.listen(db.engine, "connect", cap)
    db.engine.dispose()


def test_a_full_disk_is_one_sentence_and_saves_nothing(tmp_path: Path) -> None:
    db = open_database(tmp_path / "teixit.db")
    people = PeopleService(db)
    people.save(PersonDTO("Aina", "Puig"))
    full_after_now(db)
    with pytest.raises(UserError, match="disc .* és ple") as caught:
        for n in range(200):  # enough to need new pages
            people.save(PersonDTO(f"Persona {n}", "Cognom", notes="x" * 5000))
    assert "Traceback" not in caught.value.message
    with db.read() as s:
        count = s.scalar(select(func.count()).select_from(Participant))
    assert count is not None and count >= 1
    with db.engine.connect() as con:
        assert con.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    db.close()
