"""Hostile interchange files (from a security review): each is refused with one sentence that
names the record, the database stays as it was, and no traceback reaches the person."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import cli, i18n
from app.db.engine import Database
from app.errors import UserError
from app.services.exchange import ExchangeService
from tests.unit.interchange_samples import audit_count, fill_rich, load_example


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_current", "en")


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hostil.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


def _example_with(field: str, raw_value: str) -> str:
    """The example file as text, with the first participant's ``field`` set to ``raw_value``
    written verbatim (JSON that json.dumps would never produce: huge numbers, escapes)."""
    data = load_example()
    data["participants"][0][field] = "@@HOLE@@"
    return json.dumps(data).replace('"@@HOLE@@"', raw_value)


FILE_CASES = {
    "10**400": (_example_with("birth_year", "1" + "0" * 400), "holds a number"),
    "5000 digits": (_example_with("birth_year", "7" * 5000), "holds a number"),
    "1e999": (_example_with("birth_year", "1e999"), "holds a number"),
    "Infinity": (_example_with("birth_year", "Infinity"), "holds a number"),
    "nested 2000 deep": ("[" * 2000 + "]" * 2000, "nested deeper"),
    "nested 200000 deep": ('{"a":' * 200_000 + "1" + "}" * 200_000, "nested deeper"),
}


@pytest.mark.parametrize("case", sorted(FILE_CASES))
def test_a_hostile_file_is_one_sentence_and_changes_nothing(
    db: Database, tmp_path: Path, english: None, case: str
) -> None:
    fill_rich(db)
    service = ExchangeService(db)
    before = service.export_data()
    imports = audit_count(db, "import")
    text, expected = FILE_CASES[case]
    with pytest.raises(UserError, match=expected):
        service.import_file(_file(tmp_path, text))
    assert service.export_data() == before
    assert audit_count(db, "import") == imports


RECORD_CASES = {
    "lone surrogate": ("given_name", "\ud800", "U+D800"),
    "NUL": ("given_name", "Aina\x00Puig", "U+0000"),
    "right-to-left override": ("family_names", "Puig\u202egpj.exe", "U+202E"),
    "byte-order mark": ("given_name", "\ufeffAina", "U+FEFF"),
    "bell": ("neighbourhood", "Sants\x07", "U+0007"),
    "newline in a name": ("given_name", "Aina\nPuig", "U+000A"),
    "name longer than its column": ("given_name", "A" * 201, "longer than 200"),
}


@pytest.mark.parametrize("case", sorted(RECORD_CASES))
def test_texts_a_form_cannot_type_are_refused(
    db: Database, tmp_path: Path, english: None, case: str
) -> None:
    fill_rich(db)
    service = ExchangeService(db)
    before = service.export_data()
    field, value, expected = RECORD_CASES[case]
    data = load_example()
    data["participants"][0][field] = value
    path = _file(tmp_path, json.dumps(data))  # "\ud800" travels as an escape
    with pytest.raises(UserError) as caught:
        service.import_file(path)
    message = caught.value.message
    assert message.startswith("participants[0] (id 669fd609…)") and expected in message
    message.encode("utf-8")  # printable: the surrogate is shown by its code, not written
    assert service.export_data() == before


def test_notes_keep_their_lines_and_tabs(db: Database, tmp_path: Path) -> None:
    data = load_example()
    data["participants"][0]["notes"] = "Primera línia\n\tsegona"
    ExchangeService(db).import_file(_file(tmp_path, json.dumps(data)))
    exported = ExchangeService(db).export_data()
    notes = {p["id"]: p["notes"] for p in exported["participants"]}
    assert notes["669fd609-c9ff-5e0c-ad74-a7f47e876cd3"] == "Primera línia\n\tsegona"


def test_the_command_line_prints_the_sentence_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "ca")
    path = _file(tmp_path, "[" * 5000 + "]" * 5000)
    assert cli.main(["--data-dir", str(tmp_path / "d"), "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
