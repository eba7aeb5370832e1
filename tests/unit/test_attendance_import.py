"""Attendance lists from spreadsheets, and the import commands."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from app import paths
from app.cli import main
from app.db.engine import Database, open_database
from app.db.models import Activity, Attendance, Participant, Programme, Session
from app.errors import UserError
from app.services.attendance_import import AttendanceImportService


def _setup(db: Database) -> dict[str, str]:
    with db.begin() as s:
        prog = Programme(code="P1", name="Prevenció", category="prevention")
        s.add(prog)
        s.flush()
        act = Activity(programme_id=prog.id, name="Taller de cuina")
        s.add(act)
        s.flush()
        ses = Session(activity_id=act.id, date=dt.date(2026, 10, 6), status="held")
        people = [
            Participant(
                given_name="Núria", family_names="Martínez Pérez", id_document_number="12345678Z"
            ),
            Participant(given_name="Jordi", family_names="Castañé Roca"),
            Participant(given_name="Anna", family_names="Vila"),
            Participant(given_name="Anna", family_names="Vila"),
        ]
        s.add_all([ses, *people])
        s.flush()
        s.add(Attendance(session_id=ses.id, participant_id=people[1].id, status="absent"))
        return {"activity": act.id, "session": ses.id, "nuria": people[0].id, "jordi": people[1].id}


def _attendance(db: Database) -> set[tuple[dt.date, str, str]]:
    with db.read() as s:
        rows = s.execute(
            select(Session.date, Participant.given_name, Attendance.status)
            .join(Attendance, Attendance.session_id == Session.id)
            .join(Participant, Participant.id == Attendance.participant_id)
        ).all()
    return {tuple(r) for r in rows}


def test_list_for_one_session(db: Database, tmp_path: Path) -> None:
    ids = _setup(db)
    path = tmp_path / "assistencia.csv"
    path.write_bytes(
        "Assistència 6/10\n\nNom i cognoms;DNI\nNuria Martinez;12345678Z\n"
        "Jordi Castañe Roca;\nAnna Vila;\nPere Desconegut;\n".encode("cp1252")
    )
    imp = AttendanceImportService(db)
    plan = imp.plan(path, session_id=ids["session"])
    by_row = {r.row: r for r in plan.rows}
    assert by_row[4].participant_id == ids["nuria"]  # by document, though the name differs
    assert by_row[5].participant_id == ids["jordi"]  # similar name
    assert "Hi ha diverses persones" in (by_row[6].error or "")
    assert by_row[7].error is not None
    summary, _changes = imp.execute(plan)
    assert (summary.recorded, summary.already, summary.sessions_created, summary.unmatched) == (
        2,
        0,
        0,
        2,
    )
    assert _attendance(db) == {
        (dt.date(2026, 10, 6), "Núria", "present"),
        (dt.date(2026, 10, 6), "Jordi", "present"),  # was absent: the list says present
    }


def test_list_for_an_activity_creates_sessions_by_date(db: Database, tmp_path: Path) -> None:
    ids = _setup(db)
    path = tmp_path / "a.csv"
    path.write_text(
        "Data,Nom,Cognoms\n6/10/2026,Núria,Martínez Pérez\n13/10/2026,Núria,Martínez Pérez\n"
        "13/10/2026,Jordi,Castañé Roca\nahir,Jordi,Castañé Roca\n",
        encoding="utf-8",
    )
    imp = AttendanceImportService(db)
    plan = imp.plan(path, activity_id=ids["activity"])
    assert [r.row for r in plan.unmatched] == [5]
    summary, _changes = imp.execute(plan)
    assert summary.sessions_created == 1 and summary.recorded == 3
    with db.read() as s:
        assert s.scalars(select(Session.date).order_by(Session.date)).all() == [
            dt.date(2026, 10, 6),
            dt.date(2026, 10, 13),
        ]
    # Without a date column an activity cannot be given.
    path.write_text("Nom,Cognoms\nNúria,Martínez Pérez\n", encoding="utf-8")
    with pytest.raises(UserError):
        imp.plan(path, activity_id=ids["activity"])


def test_import_people_command_shows_then_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "persones.csv"
    path.write_bytes(
        "Nom;Cognoms;DNI\nAina;Puig;12345678Z\nBiel;Roca;1234\nAina;Puig;12345678Z\n".encode(
            "cp1252"
        )
    )
    assert main(["import-people", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Fila 3:" in out and "Fila 4:" in out and "--yes" in out
    db = open_database(paths.db_path())
    with db.read() as s:
        assert s.scalars(select(Participant)).all() == []
    db.close()
    assert main(["import-people", str(path), "--yes"]) == 0
    db = open_database(paths.db_path())
    with db.read() as s:
        assert s.scalars(select(Participant.given_name)).all() == ["Aina"]
    db.close()
    assert main(["import-people", str(tmp_path / "missing.csv")]) == 1


# The command opens the data folder's file, not the db fixture's database.
@pytest.mark.sqlite_only
def test_import_attendance_command(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _setup(db)
    path = tmp_path / "a.csv"
    path.write_text("Nom i cognoms\nNúria Martínez Pérez\nPere Desconegut\n", encoding="utf-8")
    assert main(["import-attendance", str(path), "--session", ids["session"]]) == 0
    assert "Fila 3:" in capsys.readouterr().out
    assert _attendance(db) == {(dt.date(2026, 10, 6), "Jordi", "absent")}
    assert main(["import-attendance", str(path), "--session", ids["session"], "--yes"]) == 0
    assert (dt.date(2026, 10, 6), "Núria", "present") in _attendance(db)
    assert main(["import-attendance", str(path), "--session", "nope"]) == 1
    with pytest.raises(SystemExit) as usage:
        main(["import-attendance", str(path)])  # neither --session nor --activity
    assert usage.value.code == 2


def _on(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def test_future_dates_and_dates_outside_the_programme_are_refused(
    db: Database, tmp_path: Path
) -> None:
    ids = _setup(db)
    with db.begin() as s:
        programme = s.scalars(select(Programme)).one()
        programme.start, programme.end = dt.date(2026, 9, 1), dt.date(2026, 12, 31)
    today = dt.date(2026, 11, 20)
    path = tmp_path / "a.csv"
    path.write_text(
        "Data,Nom,Cognoms\n"
        f"{_on(dt.date(2026, 10, 13))},Núria,Martínez Pérez\n"  # fine
        f"{_on(dt.date(2026, 11, 27))},Núria,Martínez Pérez\n"  # next week
        f"{_on(dt.date(2099, 1, 1))},Jordi,Castañé Roca\n"  # far future
        f"{_on(dt.date(2026, 8, 31))},Jordi,Castañé Roca\n",  # before the programme
        encoding="utf-8",
    )
    imp = AttendanceImportService(db, today=lambda: today)
    plan = imp.plan(path, activity_id=ids["activity"])
    errors = {r.row: r.error or "" for r in plan.unmatched}
    assert sorted(errors) == [3, 4, 5]
    assert "27/11/2026" in errors[3] and "futur" in errors[3]
    assert "01/01/2099" in errors[4] or "1/1/2099" in errors[4]
    assert "31/8/2026" in errors[5] or "31/08/2026" in errors[5]
    assert all(r.participant_id is None for r in plan.unmatched)
    summary, _changes = imp.execute(plan)
    assert (summary.recorded, summary.sessions_created) == (1, 1)
    with db.read() as s:
        dates = s.scalars(select(Session.date).order_by(Session.date)).all()
    assert dates == [dt.date(2026, 10, 6), dt.date(2026, 10, 13)]  # no session in the future


def test_a_list_for_a_session_that_has_not_happened_is_refused(
    db: Database, tmp_path: Path
) -> None:
    ids = _setup(db)  # the session is on 6/10/2026
    path = tmp_path / "a.csv"
    path.write_text("Nom i cognoms\nNúria Martínez Pérez\n", encoding="utf-8")
    before = _attendance(db)
    early = AttendanceImportService(db, today=lambda: dt.date(2026, 10, 5))
    with pytest.raises(UserError, match="06/10/2026|6/10/2026"):
        early.plan(path, session_id=ids["session"])
    with db.begin() as s:
        s.scalars(select(Programme)).one().end = dt.date(2026, 9, 30)
    later = AttendanceImportService(db, today=lambda: dt.date(2026, 11, 1))
    with pytest.raises(UserError, match="30/09/2026|30/9/2026"):
        later.plan(path, session_id=ids["session"])
    assert _attendance(db) == before
