"""How well rows are decided on a realistic set of scans made from Teixit's own sheets: at least
99.5 % of the cells right and no confident mistake (every wrong decision is flagged unsure).
The set holds scanner pages and phone photos (perspective, uneven light, slight blur); pages of
another document are refused. Prints the confusion table
(``pytest -m slow -s tests/scan/test_scan_accuracy.py``); a small set runs by default."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from app.scan.decide import PRESENT, UNSURE
from app.scan.reading import read_page
from tests.support import scan_maker as sm

PAGES_PER_DPI = 12
PHOTOS_PER_DPI = 8


def confusion(
    seed: int = 2026,
    pages_per_dpi: int = PAGES_PER_DPI,
    photos_per_dpi: int = 0,
    dpis: tuple[int, ...] = (150, 200, 300),
) -> tuple[Counter[tuple[bool, str]], int]:
    """(truth, verdict) counts over the set, and how many pages could not be read."""
    pdf = sm.sheet_pdf(names=22, blank_rows=5)
    boxes = [sm.cell_boxes_mm(p) for p in sm.render(pdf, 200)]
    rng = np.random.default_rng(seed)
    table: Counter[tuple[bool, str]] = Counter()
    unread = 0
    for dpi in dpis:
        pages = sm.render(pdf, dpi)
        for n in range(pages_per_dpi + (photos_per_dpi if dpi >= 200 else 0)):
            k = n % len(pages)
            signed = [bool(v) for v in rng.random(len(boxes[k])) < rng.uniform(0.2, 0.9)]
            if n < pages_per_dpi:
                scan = sm.make_scan(pages[k], dpi, boxes[k], signed, rng, upside_down=n % 5 == 4)
            else:
                scan = sm.make_photo(pages[k], dpi, boxes[k], signed, rng)
            reading = read_page(scan.image)
            if reading.problem or len(reading.decisions) != len(signed):
                unread += 1
                continue
            for d, truth in zip(reading.decisions, signed, strict=True):
                table[(truth, d.verdict)] += 1
    return table, unread


def _check(table: Counter[tuple[bool, str]], unread: int) -> None:
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


@pytest.mark.slow
def test_at_least_99_5_percent_right_and_no_confident_mistake() -> None:
    _check(*confusion(photos_per_dpi=PHOTOS_PER_DPI))


def test_a_small_set_of_scans_and_phone_photos_is_read_right() -> None:
    _check(*confusion(seed=7, pages_per_dpi=1, photos_per_dpi=1, dpis=(200,)))


def test_pages_of_another_document_are_refused() -> None:
    rng = np.random.default_rng(5)
    for with_qr in (True, False):
        reading = read_page(sm.other_document(200, rng, with_qr=with_qr))
        assert reading.code is None and not reading.decisions and not reading.choosable
        assert reading.problem.endswith(".") and reading.problem.count(".") == 1
