"""Fonts embedded in every printed document, and per-character fallback between them.

The files live in ``resources/fonts`` (licences beside them): Noto Sans for Latin, Greek and
Cyrillic, Noto Naskh Arabic for Arabic and Urdu, Droid Sans Fallback for Chinese, Japanese and
Korean. ReportLab embeds only TrueType outlines, so no CFF ``.otf`` files.

A text is split into runs, each in the first font that has its characters. Spaces, digits and
punctuation stay in the run around them so an Arabic name is shaped as one piece. Characters that
no font covers are reported by :func:`missing_chars`, so builders print a visible warning instead
of empty boxes. ReportLab is imported here lazily: importing this module costs nothing.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from app.paths import resource_path

#: Document font names as registered with ReportLab.
SANS = "TeixitSans"
SANS_BOLD = "TeixitSans-Bold"
ARABIC = "TeixitArabic"
CJK = "TeixitCJK"


@dataclass(frozen=True)
class FontFace:
    name: str
    filename: str
    #: The face used for bold text; the same face when the family has no bold.
    bold: str


#: Fallback order: the first face that has a character prints it.
FACES: tuple[FontFace, ...] = (
    FontFace(SANS, "NotoSans-Regular.ttf", SANS_BOLD),
    FontFace(ARABIC, "NotoNaskhArabic-Regular.ttf", ARABIC),
    FontFace(CJK, "DroidSansFallbackFull.ttf", CJK),
)
BOLD_FILES = {SANS_BOLD: "NotoSans-Bold.ttf"}

_lock = threading.Lock()
_registered: set[str] = set()
_cmaps: dict[str, frozenset[int]] = {}


def font_files() -> list[str]:
    """Every font file the documents embed (for packaging and the size check)."""
    return [f.filename for f in FACES] + list(BOLD_FILES.values())


def _register(name: str) -> None:
    """Register one face with ReportLab on first use (the CJK face alone takes ~0.1 s)."""
    if name in _registered:
        return
    with _lock:
        if name in _registered:
            return
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        filename = BOLD_FILES.get(name) or next(f.filename for f in FACES if f.name == name)
        font: Any = TTFont(name, str(resource_path("fonts", filename)))
        pdfmetrics.registerFont(font)
        _cmaps[name] = frozenset(font.face.charToGlyph)
        _registered.add(name)


def ensure_font(name: str) -> str:
    """Register ``name`` if needed and return it (for ``canvas.setFont``)."""
    _register(name)
    return name


def covered(name: str) -> frozenset[int]:
    _register(name)
    return _cmaps[name]


def _is_neutral(ch: str) -> bool:
    """Spaces, digits and punctuation: printed in whatever font the run around them uses."""
    cat = unicodedata.category(ch)
    return cat[0] in "ZPNS" or cat == "Cc"


def _is_ignorable(ch: str) -> bool:
    """Joiners, direction marks, controls: never shown, so never "missing"."""
    return unicodedata.category(ch) in ("Cf", "Cc")


@lru_cache(maxsize=4096)
def face_for_char(ch: str) -> str | None:
    """The first face that has ``ch``, or None when no embedded font covers it."""
    code = ord(ch)
    for face in FACES:
        if code in covered(face.name):
            return face.name
    return None


def missing_chars(text: str) -> str:
    """The characters of ``text`` that no embedded font covers, in order, without repeats."""
    out: list[str] = []
    for ch in text:
        if ch not in out and not ch.isspace() and not _is_ignorable(ch) and not face_for_char(ch):
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True)
class Run:
    """A piece of text printed in one face; ``font`` is None for characters nothing covers."""

    text: str
    font: str | None


@lru_cache(maxsize=8)
def _first_face_chars(name: str) -> frozenset[str]:
    """The characters the first face has, as characters (a whole text is checked in one call)."""
    return frozenset(map(chr, covered(name)))


@lru_cache(maxsize=8192)
def split_runs(text: str, bold: bool = False) -> tuple[Run, ...]:
    """Split ``text`` into runs of one face each (bold where the face has a bold)."""
    first = FACES[0]
    if text and _first_face_chars(first.name).issuperset(text):
        # The usual text, every character in the first face: one run (what the loop below
        # makes of it, without looking at each character; a wrapped paragraph is measured
        # line by growing line).
        return (Run(text, first.bold if bold else first.name),)
    runs: list[list[Any]] = []  # [face, chars]
    pending = ""  # leading neutral characters: they join the first real run
    for ch in text:
        if _is_neutral(ch):
            if not runs:
                pending += ch
                continue
            face = runs[-1][0]
            if face is None or ord(ch) in covered(face):
                runs[-1][1] += ch
                continue
        face = face_for_char(ch)
        if runs and runs[-1][0] == face:
            runs[-1][1] += ch
        else:
            runs.append([face, pending + ch])
            pending = ""
    if pending:
        runs.append([SANS, pending])
    result = []
    for face, chars in runs:
        if face is not None and bold:
            face = next(f.bold for f in FACES if f.name == face)
        result.append(Run(chars, face))
    return tuple(result)
