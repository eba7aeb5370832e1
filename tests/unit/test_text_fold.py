"""Folding text for search and order: the quick path for plain ASCII and the cache give exactly
what the full Unicode folding gives."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from app.domain.text import fold


def _reference(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", bare).strip()


NAMEY = st.text(
    alphabet=st.sampled_from(list("aAzZ ñÑçÇàÀéÉíÏóÒúÜŀĿ·'-\t\n\u00a0\u2003ßﬁİمحمد0123456789")),
    max_size=30,
)


@given(st.one_of(NAMEY, st.text(max_size=30)))
def test_fold_is_the_unicode_folding(text: str) -> None:
    assert fold(text) == _reference(text)


def test_fold_examples() -> None:
    assert fold("Núria  Pérez") == "nuria perez"
    assert fold("  JOAN\tPuig ") == "joan puig"
    assert fold("Coŀlell") == _reference("Coŀlell")
