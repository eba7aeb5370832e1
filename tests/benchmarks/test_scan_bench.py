"""Reading a signed sheet: seconds per scanned page at 300 dpi, and that time as a ratio to a
fixed pure-Python loop (the machine's floor), so results from different machines compare.

Run: python -m pytest -p no:cacheprovider tests/benchmarks/test_scan_bench.py -s
(budget: under 2 s a page and under 15 floors on a 2-core machine)."""

from __future__ import annotations

import time

import numpy as np

from app.scan.reading import read_page
from tests.support import scan_maker as sm


def _floor() -> float:
    """Seconds for a fixed pure-Python loop (best of three)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for i in range(2_000_000):
            total += i * i % 7
        best = min(best, time.perf_counter() - start)
    return best


def test_seconds_per_page_at_300_dpi() -> None:
    pdf = sm.sheet_pdf(names=22, blank_rows=5)
    boxes = sm.cell_boxes_mm(sm.render(pdf, 200)[0])
    page = sm.render(pdf, 300)[0]
    rng = np.random.default_rng(3)
    scans = [
        sm.make_scan(page, 300, boxes, [bool(v) for v in rng.random(len(boxes)) < 0.6], rng).image
        for _ in range(5)
    ]
    read_page(scans[0])  # imports
    start = time.perf_counter()
    for image in scans:
        assert not read_page(image).problem
    per_page = (time.perf_counter() - start) / len(scans)
    floor = _floor()
    print(
        f"\nscan: {per_page:.3f} s a page at 300 dpi; floor {floor:.3f} s; "
        f"ratio {per_page / floor:.1f}"
    )
    assert per_page < 2.0
    assert per_page / floor < 15
