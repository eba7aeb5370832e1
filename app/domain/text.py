"""Text folding for searching and ordering names as people type them."""

from __future__ import annotations

import functools
import re
import unicodedata


@functools.lru_cache(maxsize=1 << 17)  # names and surnames repeat: 50 000 people fold in ~0.1 s
def fold(text: str) -> str:
    """Lower case without accents or extra spaces: "Núria  Pérez" -> "nuria perez"."""
    if text.isascii():  # nothing to decompose, and casefold() is lower() in ASCII
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.split())


def sort_key(family_names: str, given_name: str) -> tuple[str, str]:
    """Order by family name, then given name, ignoring case and accents (Àngel with Angel, Coŀlell
    as Collell), the way people look themselves up on a printed list. Every list of people (the
    attendance, the roster, the register grid, the people list, printed sheets) uses it."""
    return (_sort_fold(family_names), _sort_fold(given_name))


#: Dropped when ordering: the Catalan middle dot (ŀ folds to l·), initials' dots, apostrophes
#: and hyphens (Coŀlell with Collell, García-López with García López).
_SORT_DROP = str.maketrans("", "", "·.'’-")


@functools.lru_cache(maxsize=32_768)
def _sort_fold(value: str) -> str:
    # Cached: names repeat (a list of 50 000 people holds a few thousand given names).
    return fold(value).translate(_SORT_DROP)


#: Invisible characters that change how text reads without being seen: bidirectional embeddings,
#: overrides and isolates (U+202E turns "gpj.exe" into "exe.jpg"), the byte-order mark and the
#: line/paragraph separators.
_INVISIBLE = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u2028\u2029"
#: Control characters (a NUL cuts the text in other programs), the invisible ones above and lone
#: surrogates (not text at all: they cannot be saved). Texts of several lines may hold TAB, CR, LF.
_UNSAFE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff{_INVISIBLE}]")
_UNSAFE_LINES = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_INVISIBLE}]")


def unsafe_character(text: str, multiline: bool = False) -> str | None:
    """The first character a stored text must not hold, or None."""
    found = (_UNSAFE_LINES if multiline else _UNSAFE_LINE).search(text)
    return found.group() if found else None


def shown_safely(text: str) -> str:
    """``text`` for a message: every unsafe character written as its code (U+202E)."""
    return _UNSAFE_LINE.sub(lambda m: f"U+{ord(m.group()):04X}", text)


#: Control characters an XLSX file cannot hold (openpyxl refuses the whole workbook for one).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def spreadsheet_text(value: str) -> str:
    """User text as an XLSX cell can hold it; the writer also marks it a string cell, so a
    name starting with "=" is shown, never run as a formula."""
    return _XLSX_ILLEGAL.sub("", value)
