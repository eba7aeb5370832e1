"""Interchange format: a bad file is refused whole, with the record named, the database left
as it was and exit code 1 from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app import cli, i18n
from app.db.engine import Database, open_database
from app.errors import UserError
from app.exchange.spec import CATEGORY_CODES, PROFILE, SPECS
from app.services.exchange import ExchangeService
from tests.unit.interchange_samples import (
    EXAMPLE,
    HERE,
    SHARED_EXAMPLE,
    audit_count,
    fill_rich,
    load_example,
)


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in the English of the code (no catalogue), to check them word for word."""
    monkeypatch.setattr(i18n, "_current", "en")


# ---- bad files ------------------------------------------------------------------------------

NURIA = "669fd609-c9ff-5e0c-ad74-a7f47e876cd3"


def _set(path: str, value: Any) -> Any:
    """A change to the example: "participants.1.birth_date" = value."""

    def change(data: dict[str, Any]) -> None:
        *parts, last = path.split(".")
        target: Any = data
        for part in parts:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        elif value is _DELETE:
            del target[last]
        else:
            target[last] = value

    return change


_DELETE = object()

BAD = {
    "wrong format": (_set("format", "other"), "“format” must be “teixit”"),
    "newer version": (_set("version", 2), "version 2"),
    "not a list": (_set("staff", {"a": 1}), "“staff”"),
    "broken reference": (
        _set("attendance.1.participant_id", "00000000-0000-4000-8000-000000000099"),
        "attendance[1] (id 240d4414…): participant_id refers to "
        "“00000000-0000-4000-8000-000000000099”",
    ),
    "invalid date": (
        _set("participants.1.birth_date", "2011-13-01"),
        "participants[1] (id cc30c51b…): birth_date “2011-13-01” is not a valid date",
    ),
    "invalid code": (
        _set("activities.0.kind", "party"),
        "activities[0] (id a65b9df9…): kind “party” is not an accepted code",
    ),
    "invalid gender": (_set("head_counts.0.gender", "male"), "head_counts[0]"),
    "unknown category": (_set("programmes.0.category", "sports"), "category “sports”"),
    "bad time": (
        _set("sessions.1.end_time", "18.30"),
        "sessions[1] (id f1b612de…): end_time “18.30” is not a valid time",
    ),
    "hour out of range": (_set("sessions.0.start_time", "25:00"), "sessions[0]"),
    "missing field": (_set("staff.0.name", _DELETE), "staff[0] (id 8338dd02…): the field name"),
    "empty name": (_set("places.0.name", " "), "places[0]"),
    "bad id": (_set("funders.0.id", "ABC"), "funders[0] (id ABC)"),
    "not an object": (_set("consents.2", "x"), "consents[2]"),
    "boolean as text": (_set("consents.0.granted", "yes"), "consents[0]"),
    "bad status": (_set("attendance.0.status", "here"), "attendance[0]"),
    "bad signed_by": (_set("consents.1.signed_by", "mother"), "consents[1]"),
    "bad base64": (_set("funders.0.logo", "not base64!"), "funders[0]"),
    "not an image": (_set("entity_profile.logo", "aGVsbG8="), "entity_profile: logo"),
    "negative count": (_set("head_counts.0.count", -1), "head_counts[0]"),
    "huge number": (_set("agreements.0.number", 10**20), "agreements[0]"),
    "not a number": (_set("indicators.0.target", float("nan")), "indicators[0]"),
    "text list with a number": (_set("network_meetings.0.agenda", ["a", 1]), "network_meetings[0]"),
    "ids not a list": (_set("sessions.0.facilitator_ids", "x"), "sessions[0]"),
    "duplicate id": (
        _set("places", [{"id": NURIA, "name": "a"}, {"id": NURIA, "name": "b"}]),
        "places[1]",
    ),
    "same person twice in a session": (
        _set("attendance.1.participant_id", NURIA),
        "attendance[1] (id 240d4414…): session_id, participant_id",
    ),
    "network inside itself": (
        _set("network_spaces.0.parent_id", "93c44838-cf76-50f3-b237-1072beec20d9"),
        "network_spaces[0]",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_file_is_refused_whole(db: Database, english: None, case: str) -> None:
    fill_rich(db)
    before = ExchangeService(db).export_data()
    imports = audit_count(db, "import")
    change, expected = BAD[case]
    data = load_example()
    change(data)
    with pytest.raises(UserError) as caught:
        ExchangeService(db).import_data(data)
    assert expected in caught.value.message
    assert ExchangeService(db).export_data() == before
    assert audit_count(db, "import") == imports


def test_a_programme_code_used_by_another_programme_is_refused(db: Database, english: None) -> None:
    fill_rich(db)
    data = load_example()
    data["programmes"][0]["code"] = "OLD"
    with pytest.raises(UserError, match="programmes\\[0\\].*“OLD” is already used"):
        ExchangeService(db).import_data(data)


def test_the_message_is_translated(db: Database) -> None:
    data = load_example()
    data["participants"][1]["birth_date"] = "2011-13-01"
    i18n.set_language("es")
    with pytest.raises(UserError, match="no es una fecha válida"):
        ExchangeService(db).import_data(data)
    i18n.set_language("ca")
    with pytest.raises(UserError, match="no és una data vàlida"):
        ExchangeService(db).import_data(data)


# ---- through the command line ---------------------------------------------------------------


def test_cli_export_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert cli.main(["--data-dir", str(first), "import", str(EXAMPLE)]) == 0
    assert "2" in capsys.readouterr().out
    out = tmp_path / "out.json"
    assert cli.main(["--data-dir", str(first), "export", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    assert cli.main(["--data-dir", str(second), "import", str(out)]) == 0
    again = tmp_path / "again.json"
    assert cli.main(["--data-dir", str(second), "export", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no existeix"),
        (b"{not json", "línia 1"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
        (b'{"format": "csv"}', "teixit"),
        (b"[]", "teixit"),
    ],
)
def test_cli_refuses_a_bad_file_with_exit_code_1(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    content: bytes | None,
    expected: str,
) -> None:
    monkeypatch.setenv("LANGUAGE", "ca")
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_bytes(content)
    assert cli.main(["--data-dir", str(tmp_path / "d"), "import", str(bad)]) == 1
    assert expected in capsys.readouterr().err


def test_cli_refuses_a_broken_reference_and_leaves_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "ca")
    folder = tmp_path / "d"
    assert cli.main(["--data-dir", str(folder), "import", str(EXAMPLE)]) == 0
    db = open_database(folder / "teixit.db")
    before = ExchangeService(db).export_data()
    data = load_example()
    data["participants"][0]["given_name"] = "Canviat"
    data["enrolments"][1]["activity_id"] = "00000000-0000-4000-8000-000000000099"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["--data-dir", str(folder), "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "enrolments[1] (id 5b83c5ae…): activity_id" in err
    assert ExchangeService(db).export_data() == before
    db.close()


def test_copy_of_the_example_is_current() -> None:
    if not SHARED_EXAMPLE.exists():
        pytest.skip("the design documents are not beside the project")
    assert json.loads(SHARED_EXAMPLE.read_text(encoding="utf-8")) == load_example()


def test_every_array_and_field_is_documented() -> None:
    doc = (HERE.parents[1] / "docs" / "data-format.md").read_text(encoding="utf-8")
    for spec in (PROFILE, *SPECS):
        start = doc.index(f"### `{spec.key}`")
        end = doc.find("\n### ", start + 1)
        section = doc[start : end if end > 0 else None]
        for f in spec.fields:
            assert f"| `{f.name}` |" in section, f"{spec.key}.{f.name} is not documented"
            for code in f.codes if f.codes != CATEGORY_CODES else ():
                assert f"`{code}`" in section, f"{spec.key}.{f.name}: code {code} not documented"
