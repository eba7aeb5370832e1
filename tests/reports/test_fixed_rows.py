"""The report's long tables drawn as fixed-height rows (app/reports/fast_text.py) put every
character and grid line where ReportLab's own table puts them, page after page; the cells'
paragraphs made from the parser's fragment are the parser's own; the JSON is ``json.dumps``'s."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace
from typing import Any

import pdfplumber
import pytest

from app.reports.report_flow import ReportFlow, _plain_frag

HEADER = ["Data", "Horari", "Activitat", "Lloc", "Persones dinamitzadores", "Assistències"]
WIDTHS = [18.0, 19, 40, 25, 32, 23]


def _rows(flow: ReportFlow, count: int) -> tuple[list[list[str]], list[float]]:
    rows, heights = [], []
    for i in range(count):
        # Every seventh name wraps onto two or three lines: those rows are taller.
        name = "Taller de cuina intercultural i d'acompanyament" * (1 + (i % 7 == 0))
        cells = [
            f"{1 + i % 28:02d}/03/2026",
            "17:00–18:30",
            flow.wrap(f"P{i % 10:02d} · {name if i % 7 == 0 else 'Taller'} {i}", WIDTHS[2], 7.5),
            flow.wrap("Casal de Barri de Sants", WIDTHS[3], 7.5),
            "Marta Ferrer & Jordi <Puig>",
            flow.num(i * 37 % 1000),
        ]
        lines = max(c.count("\n") + 1 for c in cells)
        rows.append(cells)
        heights.append(13.0 + 9.0 * (lines - 1))
    return rows, heights


def _pages(long: bool) -> list[tuple[list[Any], list[Any], str]]:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    flow = ReportFlow(SimpleNamespace(request=SimpleNamespace(lang="ca")))  # type: ignore[arg-type]
    rows, heights = _rows(flow, 140)
    flow.story.append(Paragraph("Annex", flow.h1))
    total = ["Total", "", "140 sessions", "", "", flow.num(sum(int(r[-1]) for r in rows))]
    flow.table(HEADER, rows, WIDTHS, 5, total, long=long, size=7.5, heights=heights)
    assert type(flow.story[1]).__name__ == ("FixedRowsTable" if long else "Table")
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, invariant=1).build(flow.story)
    pages = []
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        for page in pdf.pages:
            chars = sorted(
                (c["text"], round(c["x0"], 2), round(c["top"], 2), c["fontname"], c["size"])
                for c in page.chars
            )
            lines = sorted(
                (round(x["x0"], 2), round(x["top"], 2), round(x["x1"], 2), round(x["bottom"], 2))
                for x in page.lines
            )
            pages.append((chars, lines, page.extract_text()))
    return pages


def test_fixed_rows_draw_what_the_table_draws() -> None:
    table, fixed = _pages(long=False), _pages(long=True)
    assert len(table) == len(fixed) > 3  # the table runs over several pages
    for number, (expected, got) in enumerate(zip(table, fixed, strict=True), start=1):
        assert got[0] == expected[0], f"text of page {number}"
        assert got[1] == expected[1], f"grid of page {number}"
    # Every page after the first repeats the header; the total closes the last one.
    texts = [text for _chars, _lines, text in fixed]
    assert all(text.startswith("Annex") for text in texts[:1])
    assert all(text.startswith("Persones\nData Horari Activitat") for text in texts[1:])
    assert sum(text.count("Assistències") for text in texts) == len(texts)
    assert texts[-1].splitlines()[-1].startswith("Total") and "Total" not in texts[-2]


@pytest.mark.parametrize(
    "text",
    ["Taller de costura", "L’Hospitalet", "Ca l'Alier, 2", "x", "中文 名", "Ελένη"],
)
def test_plain_paragraph_fragment_is_the_parsers(text: str) -> None:
    from reportlab.platypus.paraparser import ParaParser

    from app.reports import report_page

    flow = ReportFlow(SimpleNamespace(request=SimpleNamespace(lang="ca")))  # type: ignore[arg-type]
    for style in (flow.cell, flow.head, flow.h2, flow.small):
        bold = style.fontName == flow.bold
        frag = _plain_frag(text, style, bold)
        parsed = ParaParser().parse(report_page.markup(text, bold=bold), style)[1]
        assert frag is not None and len(parsed) == 1
        assert frag.__dict__ == parsed[0].__dict__


@pytest.mark.parametrize(
    "text", ["", "two  spaces", " edge", "مرحبا", "Ana\nPuig", "Sants & Montjuïc <nord>", "Ana 李"]
)
def test_other_texts_are_left_to_the_parser(text: str) -> None:
    flow = ReportFlow(SimpleNamespace(request=SimpleNamespace(lang="ca")))  # type: ignore[arg-type]
    assert _plain_frag(text, flow.cell, False) is None


def test_report_json_is_json_dumps() -> None:
    from app.services.report_output import json_bytes

    value = {
        "entity": "Associació “Sants” & <Badal>",
        "rows": [
            {"n": i, "share": i / 7, "name": f"Persona {i}", "none": None} for i in range(20_000)
        ],
        "empty": [],
        "nested": {"a": {}, "b": [True, False]},
    }
    data = SimpleNamespace(json_dict=lambda: value)
    expected = (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    assert json_bytes(data) == expected  # type: ignore[arg-type]
