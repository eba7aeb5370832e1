"""Every export or print of personal data is written to the audit log: each headless path is
driven here on the demo data and must leave its event (DESIGN section 4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import cli, paths
from app.db.engine import open_database
from app.db.models import (
    Attendance,
    AuditEvent,
    NetworkMeeting,
    Participant,
    Programme,
    Session,
)
from app.services.people import PeopleService


def _events() -> list[tuple[str, str, str]]:
    db = open_database(paths.db_path())
    try:
        with db.read() as s:
            rows = s.execute(
                select(AuditEvent.action, AuditEvent.subject, AuditEvent.details).order_by(
                    AuditEvent.at, AuditEvent.id
                )
            ).all()
    finally:
        db.close()
    return [(a, sub or "", d or "") for a, sub, d in rows]


def _new(before: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    after = _events()
    return [e for e in after if e not in before]


@pytest.fixture
def demo(data_dir: Path) -> dict[str, str]:
    assert cli.main(["demo"]) == 0
    db = open_database(paths.db_path())
    with db.read() as s:
        session_id, activity_id = s.execute(
            select(Session.id, Session.activity_id)
            .join(Attendance, Attendance.session_id == Session.id)
            .where(Session.status == "held")
            .limit(1)
        ).one()
        meeting = s.scalar(select(NetworkMeeting.id).limit(1))
        code = s.scalar(select(Programme.code).limit(1))
        people = list(
            s.scalars(
                select(Participant.id)
                .where(Participant.blocked_at.is_(None), Participant.deleted_at.is_(None))
                .limit(3)
            )
        )
        assert s.scalar(select(func.count()).select_from(AuditEvent)) is not None
    db.close()
    return {
        "session": session_id,
        "activity": activity_id,
        "meeting": meeting or "",
        "code": code or "",
        "p0": people[0],
        "p1": people[1],
        "p2": people[2],
    }


def test_each_command_line_path_is_logged(demo: dict[str, str], tmp_path: Path) -> None:
    def run(*argv: str) -> list[tuple[str, str, str]]:
        before = _events()
        assert cli.main(list(argv)) == 0, argv
        return _new(before)

    out = tmp_path
    assert [e[0] for e in run("export", str(out / "all.json"))] == ["export"]
    [sheet] = run("sheet", "--session", demo["session"], "-o", str(out / "s.pdf"))
    assert sheet[0] == "print" and demo["session"] in sheet[1]
    today = dt.date.today()
    grid = run(
        "sheet", "--activity", demo["activity"], "--from", f"{today.year - 1}-01-01",
        "--to", f"{today.year + 1}-12-31", "-o", str(out / "g.pdf"),
    )  # fmt: skip
    assert [e[0] for e in grid] == ["print"]
    [minutes] = run("minutes", "--meeting", demo["meeting"], "-o", str(out / "m.pdf"))
    assert minutes[0] == "print" and demo["meeting"] in minutes[1]
    # The evidence pack holds attendance sheets with names: each is a print, the pack an export.
    pack = run(
        "report", "--programme", demo["code"], "--from", f"{today.year - 1}-01-01",
        "--to", f"{today.year}-12-31", "--evidence", str(out / "pack.zip"),
    )  # fmt: skip
    actions = [e[0] for e in pack]
    assert "export" in actions and actions.count("print") >= 1
    people_csv = out / "people.csv"
    people_csv.write_text("Nom;Cognoms\nProva;Importada\n", encoding="utf-8")
    [imported] = run("import-people", "--yes", str(people_csv))
    assert imported[0] == "import"
    att_csv = out / "att.csv"
    att_csv.write_text("Nom i cognoms\nProva Importada\n", encoding="utf-8")
    db = open_database(paths.db_path())
    PeopleService(db).enrol(demo["activity"], _person("Prova", db))
    db.close()
    assert [e[0] for e in run("import-attendance", "--session", demo["session"], "--yes",
                               str(att_csv))] == ["import"]  # fmt: skip
    assert [e[0] for e in run("import", str(out / "all.json"))] == ["import"]
    assert [e[0] for e in run("backup", "--to", str(out / "usb"))] == ["backup"]
    [backup] = list((out / "usb").glob("*.db"))
    # The restored database (older than the restore) carries the event of its own restore.
    assert [e[0] for e in run("restore", str(backup))] == ["restore"]


def _person(given: str, db) -> str:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return str(s.scalar(select(Participant.id).where(Participant.given_name == given)))


def test_erase_merge_and_purge_are_logged_without_names(demo: dict[str, str]) -> None:
    db = open_database(paths.db_path())
    people = PeopleService(db)
    names = {pid: people.get(pid).full_name for pid in (demo["p0"], demo["p1"], demo["p2"])}
    before = _events()
    people.merge(demo["p0"], demo["p1"])
    people.erase(demo["p2"])
    db.close()
    assert cli.main(["purge", "--yes"]) == 0
    new = _new(before)
    assert [e[0] for e in new] == ["merge", "erase", "purge"]
    text = repr(new)
    assert names[demo["p2"]] not in text  # neither erasure nor purge names the person
