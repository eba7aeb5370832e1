"""How well rows are decided on a realistic set of scans made from Teixit's own sheets: at least
99.5 % of the cells right and no confident mistake (every wrong decision is flagged unsure).
Prints the confusion table (``pytest -m slow -s tests/scan/test_scan_accuracy.py``)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from app.scan.decide import PRESENT, UNSURE
from app.scan.reading import read_page
from tests.support import scan_maker as sm

PAGES_PER_DPI = 12


def confusion(
    seed: int = 2026, pages_per_dpi: int = PAGES_PER_DPI
) -> tuple[Counter[tuple[bool, str]], int]:
    """(truth, verdict) counts over the set, and how many pages could not be read."""
    pdf = sm.sheet_pdf(names=22, blank_rows=5)
    boxes = [sm.cell_boxes_mm(p) for p in sm.render(pdf, 200)]
    rng = np.random.default_rng(seed)
    table: Counter[tuple[bool, str]] = Counter()
    unread = 0
    for dpi in (150, 200, 300):
        pages = sm.render(pdf, dpi)
        for n in range(pages_per_dpi):
            k = n % len(pages)
            signed = [bool(v) for v in rng.random(len(boxes[k])) < rng.uniform(0.2, 0.9)]
            scan = sm.make_scan(pages[k], dpi, boxes[k], signed, rng, upside_down=n % 5 == 4)
            reading = read_page(scan.image)
            if reading.problem or len(reading.decisions) != len(signed):
                unread += 1
                continue
            for d, truth in zip(reading.decisions, signed, strict=True):
                table[(truth, d.verdict)] += 1
    return table, unread


@pytest.mark.slow
def test_at_least_99_5_percent_right_and_no_confident_mistake() -> None:
    table, unread = confusion()
    total = sum(table.values())
    right = table[(True, PRESENT)] + sum(
        v for (t, d), v in table.items() if not t and d == "absent"
    )
    confident_wrong = table[(True, "absent")] + table[(False, PRESENT)]
    print("\ntruth \\ decided   present  absent  unsure")
    for truth in (True, False):
        row = [table[(truth, d)] for d in (PRESENT, "absent", UNSURE)]
        print(f"{'signed' if truth else 'empty':<17} {row[0]:>7} {row[1]:>7} {row[2]:>7}")
    print(f"cells {total}, right {right / total:.2%}, pages unread {unread}")
    assert unread == 0
    assert confident_wrong == 0
    assert right / total >= 0.995
