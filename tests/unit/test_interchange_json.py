"""The interchange file's text is json.dumps(indent=2, ensure_ascii=False)'s, written faster:
the same text for anything a file can hold (any strings, numbers, nesting)."""

from __future__ import annotations

import json
from enum import IntEnum, StrEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.exchange.interchange import indented_json

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4)
    | st.lists(st.text(), max_size=4)
    | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_the_same_text_as_json_dumps(value: Any) -> None:
    assert indented_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


class Colour(StrEnum):
    GREEN = "verd"


class Level(IntEnum):
    HIGH = 3


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": [], "b": {}, "c": [""], "d": [[]]},
        {"people": [{"id": "1", "tags": ["a", "b"], "n": 2, "x": None, "ok": True, "f": 2.5}]},
        ("a", 1),
        {Colour.GREEN: [Colour.GREEN, Level.HIGH]},
        "línia\n\"cometes\"\u2028\x00",
        -0.0,
    ],
)
def test_the_same_text_for_the_shapes_a_file_holds(value: Any) -> None:
    assert indented_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_what_json_refuses_is_refused() -> None:
    with pytest.raises(TypeError):
        indented_json({"when": object()})
    with pytest.raises(TypeError):
        indented_json({1: "a"})
