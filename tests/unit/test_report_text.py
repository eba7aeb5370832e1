"""Font fallback and text layout for printed documents (no PDF needed)."""

from __future__ import annotations

import unicodedata
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from app.reports import fonts, text


def test_runs_pick_the_face_that_has_the_characters() -> None:
    assert [r.font for r in fonts.split_runs("Pau Gil·l Ŀ Αλέξης Дмитрий")] == [fonts.SANS]
    runs = fonts.split_runs("Ali محمد علي")
    assert [(r.text, r.font) for r in runs] == [("Ali ", fonts.SANS), ("محمد علي", fonts.ARABIC)]
    assert fonts.split_runs("王明", bold=True)[0].font == fonts.CJK
    assert fonts.split_runs("Núria", bold=True)[0].font == fonts.SANS_BOLD
    # Urdu letters are in the Arabic face.
    assert all(f == fonts.ARABIC for f in (fonts.face_for_char(c) for c in "ٹڈڑںےہھگ"))


def test_missing_chars_lists_what_no_font_covers() -> None:
    assert fonts.missing_chars("ሰላም Abebe") == "ሰላም"
    assert fonts.missing_chars("བཀྲ་ཤིས") != ""  # Tibetan
    assert fonts.missing_chars("Coŀlell Gil·l محمد 王 Иванов") == ""
    assert fonts.missing_chars("a\u200db") == ""  # joiners are not missing


def test_unprintable_text_is_replaced_by_a_visible_mark() -> None:
    pieces = text.layout("ሰላም")
    assert [str(p.text) for p in pieces] == [text.PLACEHOLDER]


def test_numbers_in_arabic_text_keep_their_order() -> None:
    pieces = text.layout("محمد 12")
    drawn = [str(p.text) for p in pieces]
    assert "12" in drawn
    # Right to left: the number comes first (leftmost) when drawing.
    assert drawn[0] == "12"
    name = unicodedata.normalize("NFKC", "".join(drawn[1:]))[::-1]
    assert name.strip() == "محمد"


def test_wrap_and_truncate_respect_the_width() -> None:
    long = "Informació bàsica sobre protecció de dades " * 6
    lines = text.wrap(long, 6, 200)
    assert len(lines) > 1 and all(text.text_width(line, 6) <= 200 for line in lines)
    cut = text.truncate("Una activitat amb un nom molt i molt llarg", 10, 60)
    assert cut.endswith(text.ELLIPSIS) and text.text_width(cut, 10) <= 60
    assert text.fit_size("curt", 10, 100, 6) == 10
    assert 6 <= text.fit_size("una línia massa llarga per a l'espai", 10, 80, 6) < 10


def test_resources_fonts_are_small_and_licensed() -> None:
    from app.paths import resource_path

    total = sum(resource_path("fonts", f).stat().st_size for f in fonts.font_files())
    assert total < 6_000_000
    assert resource_path("fonts", "LICENSE-Noto.txt").exists()
    assert resource_path("fonts", "LICENSE-DroidSansFallback.txt").exists()


def test_reportlab_is_imported_only_when_a_pdf_is_built() -> None:
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys; import app.cli, app.services.sheets, app.reports.attendance_sheet, "
        "app.reports.register_grid; app.cli.build_parser(); "
        "assert 'reportlab' not in sys.modules and 'segno' not in sys.modules"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)


_SCRIPTS = st.text(
    alphabet=st.sampled_from(
        list("aZ ñÇàŀĿ·'’-–—.,:;()0123456789 \t\n\u00a0\u200d\u200f€«»¿ΑλДмمحد٣۴明王ሰላ")
    ),
    max_size=24,
)


@given(st.one_of(_SCRIPTS, st.text(max_size=24)), st.booleans())
def test_runs_of_a_text_in_the_first_face_are_those_of_the_character_loop(
    value: str, bold: bool
) -> None:
    """The quick answer for a text the first face has whole is what looking at each character
    gives."""
    loop = fonts.split_runs.__wrapped__
    with mock.patch.object(fonts, "_first_face_chars", lambda name: frozenset()):
        expected = loop(value, bold)
    assert loop(value, bold) == expected
