"""What an audit event is about: one encoding (app.domain.audit) written by the services and read
back by the log; the minutes of a meeting written and audited by one service call."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import AuditEvent
from app.domain.audit import MINUTES, PERSON, AuditSubject
from app.domain.networks import AttendeeDTO, MeetingDTO, SpaceDTO
from app.errors import UserError
from app.services.audit import AuditService
from app.services.networks import NetworkService

ID = "0b7f5a4e-3c1d-4e2f-9a8b-7c6d5e4f3a2b"


def test_each_subject_is_stored_as_documented_and_read_back() -> None:
    stored = {
        AuditSubject.person(ID): f"participant:{ID}",
        AuditSubject.sheet("session", ID): f"sheet:session:{ID}",
        AuditSubject.sheet("grid", ID): f"sheet:grid:{ID}",
        AuditSubject.sheet("meeting", ID): f"sheet:meeting:{ID}",
        AuditSubject.sheet("blank"): "sheet:blank",
        AuditSubject.minutes(ID): f"minutes:{ID}",
        AuditSubject.text("/tmp/còpia.json"): "/tmp/còpia.json",
        AuditSubject.text("Persones"): "Persones",
        AuditSubject.text("participants"): "participants",
    }
    for subject, text in stored.items():
        assert subject.encode() == text
        assert AuditSubject.decode(text) == subject, text
    assert AuditSubject.decode(f"participant:{ID}").kind == PERSON
    assert AuditSubject.decode(None) == AuditSubject.text("")


def test_minutes_logged_by_earlier_versions_still_read_as_minutes() -> None:
    assert AuditSubject.decode(f"minutes {ID}") == AuditSubject(MINUTES, ID)
    # A file that merely starts with the word is a file.
    assert AuditSubject.decode("minutes of june.pdf") == AuditSubject.text("minutes of june.pdf")


def _meeting(db: Database) -> str:
    net = NetworkService(db)
    space, _c = net.save_space(SpaceDTO(None, "Taula de Gent Gran"))
    meeting, _c = net.save_meeting(
        MeetingDTO(
            None,
            space.id or "",
            dt.date(2026, 5, 4),
            attendees=(AttendeeDTO(person_name="Rosa Martí"),),
        )
    )
    return meeting.id or ""


def _events(db: Database) -> list[tuple[str, str, str]]:
    with db.read() as s:
        rows = s.execute(select(AuditEvent.action, AuditEvent.subject, AuditEvent.details))
        return [(a, sub, d) for a, sub, d in rows]


def test_write_minutes_writes_the_pdf_and_audits_the_print(db: Database, tmp_path: Path) -> None:
    meeting_id = _meeting(db)
    target = tmp_path / "acta.pdf"
    NetworkService(db).write_minutes(meeting_id, target)
    assert target.read_bytes().startswith(b"%PDF")
    [(action, subject, details)] = _events(db)
    assert action == "print" and details == str(target)
    assert AuditSubject.decode(subject) == AuditSubject.minutes(meeting_id)
    [entry] = AuditService(db).recent()
    assert entry.label == "Acta: Taula de Gent Gran, 04/05/2026"


def test_minutes_that_cannot_be_written_are_not_logged(db: Database, tmp_path: Path) -> None:
    meeting_id = _meeting(db)
    with pytest.raises(UserError):
        NetworkService(db).write_minutes(meeting_id, tmp_path / "no-such-folder" / "acta.pdf")
    assert _events(db) == []


def test_fixed_subjects_read_in_the_readers_language(db: Database) -> None:
    """A report, an evidence pack and a purge's deleted records are logged with fixed words,
    shown translated (not the English word stored in the row)."""
    from app import i18n
    from app.domain.audit import EVIDENCE_PACK, PURGED_PEOPLE, PURGED_SCANS, REPORT
    from app.services import audit

    with db.begin() as s:
        for subject in (REPORT, EVIDENCE_PACK, PURGED_PEOPLE, PURGED_SCANS):
            audit.record(s, "export", subject, "x")
    i18n.set_language("es")
    try:
        labels = {e.subject: e.label for e in AuditService(db).recent()}
        assert labels[REPORT] == "Memoria de actuación"
        assert labels[EVIDENCE_PACK] == "Documentación acreditativa"
        assert labels[PURGED_SCANS] == "Hojas firmadas (escaneadas)"
        i18n.set_language("ca")
        labels = {e.subject: e.label for e in AuditService(db).recent()}
        assert labels[PURGED_PEOPLE] == "Fitxes de persones"
        assert labels[REPORT] != REPORT
    finally:
        i18n.set_language("ca")
