"""Very long names in any script cost a bounded amount of work to print: fitting a name in a
cell is a binary search, so the number of width measurements grows with the log of the name's
length, not with the length (a 2 000-character Arabic name once took 79 s to draw).

No timed asserts: the work is counted in width measurements (each one shapes a candidate)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pdfplumber
import pytest
from reportlab.pdfgen import canvas as pdf_canvas

from app.db.engine import Database
from app.db.models import Enrolment, Participant
from app.domain.people import NAME_MAX
from app.domain.sheets import SheetOptions
from app.reports import text
from app.reports.layout import MM
from app.services.sheets import SheetService
from tests.reports.sheet_data import build

#: Pieces of names in the scripts sheets print: Latin, Greek, Cyrillic, Arabic, Urdu, Chinese,
#: and one with no space at all (a single word the width of many cells).
SCRIPTS = {
    "latin": "Maria del Carme Puig i Ferrer ",
    "greek": "Αλέξανδρος Παπαδόπουλος ",
    "cyrillic": "Александра Иванова ",
    "arabic": "محمد عبد الرحمن ",
    "urdu": "عمران خان ",
    "chinese": "王小明李华",
    "arabic, no space": "محمدعبدالرحمن",
}


def _long(piece: str, length: int) -> str:
    return (piece * (length // len(piece) + 1))[:length].strip() or piece


class _Counter:
    def __init__(self) -> None:
        self.calls = 0
        #: Measurements of a piece of one of these texts (the long names), counted apart.
        self.watched: tuple[str, ...] = ()
        self.of_watched = 0


@pytest.fixture
def measurements(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Counter]:
    """Counts every width measurement the text module makes (its own calls included)."""
    counter = _Counter()
    measure = text.text_width

    def counted(value: str, size: float, bold: bool = False) -> float:
        counter.calls += 1
        piece = value.rstrip(text.ELLIPSIS)
        if len(piece) > 20 and any(piece in name for name in counter.watched):
            counter.of_watched += 1
        return measure(value, size, bold)

    monkeypatch.setattr(text, "text_width", counted)
    yield counter


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_a_2000_character_name_is_fitted_in_a_few_measurements(
    measurements: _Counter, script: str
) -> None:
    name = _long(SCRIPTS[script], 2000)
    canvas = pdf_canvas.Canvas(io.BytesIO())
    text.draw_in_box(canvas, 0, 0, 45 * MM, 6 * MM, name, 10, min_size=6.5)
    text.draw_in_box(canvas, 0, 0, 45 * MM, 12 * MM, name, 10, min_size=7)
    cut = text.truncate(name, 9, 40 * MM)
    # One character at a time needed about 2 000 measurements for each of these.
    assert measurements.calls < 150
    assert cut.endswith(text.ELLIPSIS) and text.text_width(cut, 9) <= 40 * MM
    assert len(cut) > 3  # as much of the name as fits, not nothing


def test_the_cut_is_the_longest_that_fits() -> None:
    name = _long(SCRIPTS["latin"], 2000)
    cut = text.truncate(name, 9, 40 * MM)
    longer = name[: len(cut)] + text.ELLIPSIS  # one character more, then the ellipsis
    assert text.text_width(cut, 9) <= 40 * MM < text.text_width(longer, 9)


def test_wrapping_stops_at_what_the_box_shows(measurements: _Counter) -> None:
    words = _long(SCRIPTS["latin"], 2000)
    whole = text.wrap(words, 8, 40 * MM)
    measured_whole = measurements.calls
    measurements.calls = 0
    shown = text.wrap(words, 8, 40 * MM, max_lines=2)
    assert shown == whole[: len(shown)] and len(shown) == 3
    assert measurements.calls < measured_whole / 10


def test_a_sheet_of_names_of_200_characters_in_many_scripts(
    db: Database, measurements: _Counter
) -> None:
    data = build(db)
    long_names = {
        script: (_long(piece, NAME_MAX), _long(piece[::-1], NAME_MAX))
        for script, piece in SCRIPTS.items()
    }
    with db.begin() as s:
        for given, family in long_names.values():
            person = Participant(given_name=given, family_names=family)
            s.add(person)
            s.flush()
            s.add(
                Enrolment(
                    participant_id=person.id,
                    activity_id=data.activity_id,
                    start=dt.date(2026, 9, 1),
                )
            )
    service = SheetService(db)
    sheet = service.session_sheet(data.session_id)
    assert len(sheet.people) == len(data.names) + len(SCRIPTS)
    measurements.watched = tuple(name for pair in long_names.values() for name in pair)
    pdf = service.pdf(sheet, SheetOptions(), record=False)
    slips = service.pdf(sheet, SheetOptions(slips=True), record=False)
    grid = service.pdf(
        service.activity_grid(data.activity_id, dt.date(2026, 9, 1), dt.date(2026, 12, 31)),
        SheetOptions(),
        record=False,
    )
    # About 100 measurements of pieces of a long name over the three documents (wrapped in its
    # cell, the last line cut); one character at a time it was over 400.
    assert 0 < measurements.of_watched < 150 * len(SCRIPTS)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        printed = "\n".join(page.extract_text() or "" for page in doc.pages)
    assert "Maria del Carme" in printed  # the start of the long Latin name, cut to its cell
    assert slips.startswith(b"%PDF") and grid.startswith(b"%PDF")
