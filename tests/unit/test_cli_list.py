"""``teixit list`` finds the ids the other commands ask for, and the whole command line speaks
the interface language, argparse's own words included."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from app import cli, i18n
from app.db.engine import open_database
from app.services.audit import AuditService
from tests.support.templates import DatabaseTemplates


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture
def demo(tmp_path: Path, db_templates: DatabaseTemplates) -> Path:
    """A data folder holding what ``teixit demo --size small`` writes (a copy of it)."""
    folder = tmp_path / "data"
    db_templates.place(db_templates.demo(), folder / "teixit.db")
    return folder


def _language(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(i18n.locale, "getlocale", lambda *_category: (None, None))
    monkeypatch.setenv("LANGUAGE", value)


def test_argparse_speaks_spanish(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _language(monkeypatch, "es_ES")
    code, out, _err = run(capsys, "--help")
    assert code == 0
    assert out.startswith("uso: teixit")
    assert "\nopciones:\n" in out and "muestra este mensaje de ayuda y sale" in out
    assert "usage" not in out and "show this help" not in out
    code, out, _err = run(capsys, "list", "--help")
    assert "argumentos posicionales:" in out
    code, _out, err = run(capsys, "sheet")
    assert code == 2
    assert err.startswith("uso: teixit sheet")
    assert "teixit sheet: error: " in err and "se requiere" not in err
    code, _out, err = run(capsys, "list", "things")
    assert code == 2 and "opción no válida: 'things' (elija entre" in err


def test_argparse_speaks_valencian_and_catalan(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _language(monkeypatch, "ca_ES@valencia")
    code, out, _err = run(capsys, "list", "--help")
    assert out.startswith("ús: teixit list") and "mostra este missatge d'ajuda i ix" in out
    _language(monkeypatch, "ca_ES")
    code, out, _err = run(capsys, "list", "--help")
    assert "mostra aquest missatge d'ajuda i surt" in out and "\nopcions:\n" in out
    code, _out, err = run(capsys, "report")
    assert code == 2 and "cal un dels arguments --programme --all" in err


def test_list_programmes_activities_and_sessions(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "--data-dir", str(demo), "list", "programmes")
    assert code == 0
    header, rule, *rows = out.splitlines()
    assert header.split()[:2] == ["Codi", "Nom"] and set(rule) <= {"-", " "}
    assert rows
    code, out, _err = run(capsys, "--data-dir", str(demo), "list", "programmes", "--format", "json")
    programmes = json.loads(out)
    assert len(programmes) == len(rows)
    first = programmes[0]["code"]

    code, out, _err = run(
        capsys,
        "--data-dir",
        str(demo),
        "list",
        "activities",
        "--programme",
        first,
        "--format",
        "csv",
    )
    activities = list(csv.DictReader(io.StringIO(out)))
    assert activities and {a["programme"] for a in activities} == {first}

    code, out, _err = run(
        capsys,
        "--data-dir",
        str(demo),
        "list",
        "sessions",
        "--programme",
        first,
        "--format",
        "json",
    )
    every = json.loads(out)
    assert every and {s["programme"] for s in every} == {first}
    assert [s["date"] for s in every] == sorted(s["date"] for s in every)
    start, end = every[len(every) // 2]["date"], every[-1]["date"]
    code, out, _err = run(
        capsys,
        "--data-dir",
        str(demo),
        "list",
        "sessions",
        "--programme",
        first,
        "--from",
        start,
        "--to",
        end,
        "--format",
        "json",
    )
    sessions = json.loads(out)
    assert sessions == [s for s in every if start <= s["date"] <= end]
    assert len(sessions) < len(every)
    # The id a session sheet asks for is the one listed.
    sheet = demo / "full.pdf"
    assert (
        run(
            capsys,
            "--data-dir",
            str(demo),
            "sheet",
            "--session",
            sessions[0]["id"],
            "-o",
            str(sheet),
        )[0]
        == 0
    )

    code, out, _err = run(capsys, "--data-dir", str(demo), "list", "meetings", "--format", "json")
    assert json.loads(out) and {"id", "date", "space", "status"} <= set(json.loads(out)[0])
    code, _out, err = run(capsys, "--data-dir", str(demo), "list", "meetings", "--programme", first)
    assert code == 1 and "--programme" in err
    code, _out, err = run(capsys, "--data-dir", str(demo), "list", "sessions", "--programme", "ZZZ")
    assert code == 1 and "ZZZ" in err


def test_people_are_listed_by_name_and_contact_only_when_asked_with_an_audit_entry(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def audited() -> list[str]:
        db = open_database(demo / "teixit.db")
        try:
            return [e.details for e in AuditService(db).recent(action="export")]
        finally:
            db.close()

    before = len(audited())
    code, out, _err = run(capsys, "--data-dir", str(demo), "list", "people", "--format", "json")
    assert code == 0
    people = json.loads(out)
    assert people and set(people[0]) == {"id", "name"}
    assert len(audited()) == before + 1
    assert audited()[0] == f"{len(people)} persones, només el nom"

    code, out, _err = run(
        capsys, "--data-dir", str(demo), "list", "people", "--with-contact", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert set(rows[0]) == {"id", "name", "phone", "email"}
    assert any(r["phone"] for r in rows)
    assert audited()[0] == f"{len(rows)} persones, amb el telèfon i el correu"

    code, out, _err = run(capsys, "--data-dir", str(demo), "list", "people")
    assert "Telèfon" not in out and all(p["name"] in out for p in people[:5])
    code, _out, err = run(capsys, "--data-dir", str(demo), "list", "sessions", "--with-contact")
    assert code == 1 and "--with-contact" in err
