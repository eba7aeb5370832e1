"""The command line from end to end: a real run of each command, and clear errors on bad input.

Errors are one translated line on stderr with exit code 1 (usage mistakes: 2), never a traceback.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from app import cli, i18n

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse: --help (0) and usage errors (2)
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages)


@pytest.mark.parametrize(
    "command",
    [
        "demo",
        "export",
        "import",
        "sheet",
        "minutes",
        "report",
        "backup",
        "restore",
        "import-people",
        "import-attendance",
        "purge",
        "list",
    ],
)
def test_every_command_has_help(capsys, command: str) -> None:  # type: ignore[no-untyped-def]
    code, out, _err = run(capsys, command, "--help")
    assert code == 0
    # argparse's "usage: " in the interface language (Catalan here: "ús: ")
    assert out.startswith(f"{i18n._('usage: ')}teixit {command}")


def test_a_year_from_the_command_line(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """demo -> export -> report -> sheet -> minutes -> import elsewhere: the same figures."""
    assert run(capsys, "demo", "--size", "small")[0] == 0
    code, _out, err = run(capsys, "demo")
    assert code == 1 and "--force" in err  # refuses to overwrite
    export = tmp_path / "all.json"
    assert run(capsys, "export", str(export))[0] == 0
    data = json.loads(export.read_text(encoding="utf-8"))
    code_ = data["programmes"][0]["code"]
    figures = tmp_path / "r.json"
    assert run(capsys, "report", "--programme", code_, "--json", str(figures))[0] == 0
    first = json.loads(figures.read_text(encoding="utf-8"))
    assert first["programme"]["code"] == code_ and first["sessions"] > 0

    held = {a["session_id"] for a in data["attendance"]}
    session = next(s for s in data["sessions"] if s["id"] in held)
    sheet = tmp_path / "s.pdf"
    code, out, _err = run(capsys, "sheet", "--session", session["id"], "-o", str(sheet))
    assert code == 0 and str(sheet) in out
    enrolled = {e["participant_id"] for e in data["enrolments"]}
    assert any(
        p["family_names"].split()[0] in _pdf_text(sheet)
        for p in data["participants"]
        if p["id"] in enrolled
    )
    minutes = tmp_path / "m.pdf"
    # Minutes are printed for a held meeting (the demo plans some ahead of time).
    meeting = next(m["id"] for m in data["network_meetings"] if m["status"] == "held")
    assert run(capsys, "minutes", "--meeting", meeting, "-o", str(minutes))[0] == 0
    assert minutes.read_bytes().startswith(b"%PDF")

    other = tmp_path / "other"
    assert run(capsys, "--data-dir", str(other), "import", str(export))[0] == 0
    again = tmp_path / "r2.json"
    code, _out, _err = run(
        capsys, "--data-dir", str(other), "report", "--programme", code_, "--json", str(again)
    )
    assert code == 0
    assert json.loads(again.read_text(encoding="utf-8")) == first


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [
        (["import", "/no/such/file.json"], 1, "/no/such/file.json"),
        (["sheet", "--session", "nope", "-o", "x.pdf"], 1, "nope"),
        (
            ["sheet", "--activity", "nope", "--from", "2026-13-01", "--to", "x", "-o", "x.pdf"],
            1,
            "2026-13-01",
        ),
        (["minutes", "--meeting", "nope", "-o", "x.pdf"], 1, "Error:"),
        (["report", "--programme", "NOPE"], 1, "NOPE"),
        (["report", "--programme", "X", "--from", "2026-99-01"], 1, "2026-99-01"),
        (["report", "--programme", "X", "--lang", "xx"], 2, "--lang"),
        (["restore", "/no/such/backup.db"], 1, "/no/such/backup.db"),
        (["import-people", "/no/such/people.csv"], 1, "/no/such/people.csv"),
        (["import-attendance", "--session", "nope", "/no/such.csv"], 1, "Error:"),
        (["sheet"], 2, "ús:"),  # "usage:" in the interface language
        (["demo", "--size", "huge"], 2, "huge"),
    ],
)
def test_bad_input_is_one_clear_line(capsys, argv, code, words) -> None:  # type: ignore[no-untyped-def]
    got, _out, err = run(capsys, *argv)
    assert got == code
    assert words in err


def test_bad_json_is_refused(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text("{bad", encoding="utf-8")
    code, _out, err = run(capsys, "import", str(bad))
    assert code == 1 and "JSON" in err


def test_data_folder_that_is_a_file_is_an_error_not_a_traceback(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    afile = tmp_path / "not-a-folder"
    afile.write_text("x", encoding="utf-8")
    for argv in (
        ["demo"],
        ["export", str(tmp_path / "x.json")],
        ["sheet", "--blank", "-o", "b.pdf"],
    ):
        code, _out, err = run(capsys, "--data-dir", str(afile), *argv)
        assert code == 1
        assert str(afile) in err and "--data-dir" in err


def test_launcher_from_a_shell(tmp_path: Path) -> None:
    """The real entry point: exit code and one line of error, no traceback, no window."""
    env = dict(os.environ, LANG="es_ES.UTF-8", LANGUAGE="es")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ui.launcher",
            "--data-dir",
            str(tmp_path / "d"),
            "report",
            "--programme",
            "NOPE",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "NOPE" in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_a_deleted_programme_takes_its_activities_along(  # type: ignore[no-untyped-def]
    capsys, tmp_path: Path, db_templates
) -> None:
    """Deleting a programme from the window: its activities no longer print sheets from the
    command line, nor show among a person's enrolments."""
    from app import paths
    from app.db.engine import open_database
    from app.services.container import Services

    db_templates.place(db_templates.demo())  # what `teixit demo --size small` writes
    db = open_database(paths.db_path())
    services = Services(db)
    activity = next(a for a in services.programmes.activities() if a.enrolled)
    person = services.people.roster(activity.id or "")[0].participant_id
    services.programmes.delete(activity.programme_id)
    assert activity.id not in {e.activity_id for e in services.people.enrolments(person)}
    db.close()
    code, _out, err = run(
        capsys,
        "sheet",
        "--activity",
        activity.id or "",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "-o",
        str(tmp_path / "g.pdf"),
    )
    assert code == 1 and "Error:" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "{dir}"],
        ["sheet", "--blank", "-o", "{dir}"],
        ["report", "--programme", "{code}", "--json", "{dir}"],
        ["report", "--programme", "{code}", "-o", "{dir}"],
    ],
)
def test_an_output_that_cannot_be_written_is_one_line(  # type: ignore[no-untyped-def]
    capsys, tmp_path: Path, argv, db_templates
) -> None:
    db_templates.place(db_templates.demo())  # what `teixit demo --size small` writes
    folder = tmp_path / "a-folder"
    folder.mkdir()
    filled = [a.format(dir=folder, code="MIGR") for a in argv]
    code, _out, err = run(capsys, *filled)
    assert code == 1
    assert str(folder) in err and err.count("\n") == 1


def test_attendance_imported_into_a_planned_session_counts(  # type: ignore[no-untyped-def]
    capsys, tmp_path: Path, db_templates
) -> None:
    """A signed sheet typed into a spreadsheet, imported into a past planned session: the
    session took place and the report counts it."""
    import datetime as dt

    from app import paths
    from app.db.engine import open_database
    from app.services.container import Services

    db_templates.place(db_templates.demo())  # what `teixit demo --size small` writes
    db = open_database(paths.db_path())
    services = Services(db)
    session = next(s for s in services.sessions.unrecorded(dt.date.today()))
    person = services.sessions.attendance(session.id or "").rows[0]
    year = (dt.date(session.date.year, 1, 1), dt.date(session.date.year, 12, 31))
    before = services.figures.compute([session.programme_id], *year).sessions
    db.close()
    sheet = tmp_path / "full.csv"
    sheet.write_text(f"Nom\n{person.name}\n", encoding="utf-8")
    code, out, _err = run(
        capsys, "import-attendance", "--session", session.id or "", "--yes", str(sheet)
    )
    assert code == 0, out
    db = open_database(paths.db_path())
    services = Services(db)
    assert services.sessions.get(session.id or "").status == "held"
    assert services.figures.compute([session.programme_id], *year).sessions == before + 1
    db.close()
