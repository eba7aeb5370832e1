"""Fuzzing the two readers of files that come from outside: whatever the bytes, an interchange or
spreadsheet file is either read or refused with one UserError, and a refused import leaves the
database as it was. The default run tries a few dozen cases; ``-m slow`` tries many more."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.db.engine import Database
from app.errors import UserError
from app.exchange.spreadsheet_read import load_table
from app.services.exchange import ExchangeService
from tests.unit.interchange_samples import load_example

#: Cases per run: a few in the default run, many under ``-m slow``.
QUICK, LONG = 12, 150

#: Any JSON value, nested a little: what a hostile or broken file may put anywhere.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.text(max_size=300),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


def _mutate(data: dict[str, Any], choices: list[tuple[str, int, str]], value: Any) -> None:
    key, index, field = choices[0]
    records = data.get(key)
    if isinstance(records, list) and records:
        record = records[index % len(records)]
        if isinstance(record, dict):
            record[field] = value


def _paths(example: dict[str, Any]) -> list[tuple[str, int, str]]:
    found = []
    for key, records in example.items():
        if isinstance(records, list):
            for index, record in enumerate(records):
                if isinstance(record, dict):
                    found.extend((key, index, field) for field in record)
    return found


EXAMPLE = load_example()
PATHS = _paths(EXAMPLE)


def _interchange_case(
    db: Database, tmp_path: Path, where: tuple[str, int, str], value: Any
) -> None:
    service = ExchangeService(db)
    before = service.export_data()
    data = json.loads(json.dumps(EXAMPLE))
    _mutate(data, [where], value)
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        service.import_file(path)
    except UserError as refused:
        assert refused.message and "\n" not in refused.message.strip()
        assert service.export_data() == before
    else:
        service.import_file(tmp_path / "fuzz.json")  # and again: the same result, no clash


_INTERCHANGE = {"where": st.sampled_from(PATHS), "value": json_values}
_PATIENT = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@settings(max_examples=QUICK, deadline=None, suppress_health_check=_PATIENT)
@given(**_INTERCHANGE)
def test_a_mutated_interchange_file_is_read_or_refused_cleanly(
    db: Database, tmp_path: Path, where: tuple[str, int, str], value: Any
) -> None:
    _interchange_case(db, tmp_path, where, value)


@pytest.mark.slow
@settings(max_examples=LONG, deadline=None, suppress_health_check=_PATIENT)
@given(**_INTERCHANGE)
def test_many_mutated_interchange_files(
    db: Database, tmp_path: Path, where: tuple[str, int, str], value: Any
) -> None:
    _interchange_case(db, tmp_path, where, value)


def _spreadsheet_case(
    tmp_path_factory: pytest.TempPathFactory, content: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"llista{suffix}"
    path.write_bytes(content)
    try:
        table = load_table(path)
    except UserError as refused:
        assert refused.message
    else:
        assert all(len(cells) == len(table.headers) for _line, cells in table.rows)


_SPREADSHEET = dict(
    content=st.binary(max_size=4000)
    | st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass"))
    | st.lists(st.lists(st.text(max_size=30), max_size=8), max_size=30).map(
        lambda rows: "\n".join(";".join(r) for r in rows).encode("utf-8", "surrogatepass")
    ),
    suffix=st.sampled_from([".csv", ".xlsx", ".txt"]),
)


@settings(max_examples=3 * QUICK, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**_SPREADSHEET)
def test_any_bytes_as_a_spreadsheet_are_read_or_refused_cleanly(
    tmp_path_factory: pytest.TempPathFactory, content: bytes, suffix: str
) -> None:
    _spreadsheet_case(tmp_path_factory, content, suffix)


@pytest.mark.slow
@settings(max_examples=5 * LONG, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**_SPREADSHEET)
def test_many_byte_strings_as_spreadsheets(
    tmp_path_factory: pytest.TempPathFactory, content: bytes, suffix: str
) -> None:
    _spreadsheet_case(tmp_path_factory, content, suffix)
