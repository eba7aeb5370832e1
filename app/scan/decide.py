"""Is a signature cell signed? Ink left after the printed rules are set aside, measured in
square millimetres of the straightened page, and how far it spreads.

``present``: clearly a signature; ``absent``: clean, or a dot or a speck; ``unsure``: anything in
between (a short stroke, a line crossing from the next cell, a very faint mark) — the person looks
at those first."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.scan.page import PX_MM, Cell, Image, ink_channel

PRESENT, ABSENT, UNSURE = "present", "absent", "unsure"
#: Ink darker than the paper by this much (0-255) counts.
INK_DELTA = 70
#: Inside the cell, away from the printed rules (mm).
INSET_X_MM = 1.5
INSET_Y_MM = 1.3


@dataclass(frozen=True)
class Decision:
    row: int
    verdict: str
    #: Ink in the cell, mm².
    ink: float
    #: How wide the ink spreads, mm.
    spread: float
    #: The cell as seen on the straightened page (for the person to check).
    image: Image
    #: The whole row of the table (a view of the page): what a newcomer wrote on a blank row.
    line: Image | None = None


def cell_ink(page: Image, cell: Cell) -> tuple[float, float, float]:
    """(ink in mm², width of the ink in mm, height of the largest mark in mm) of a cell."""
    import cv2

    x0, y0, x1, y1 = cell.box
    ix, iy = int(INSET_X_MM * PX_MM), int(INSET_Y_MM * PX_MM)
    inner = ink_channel(page[y0 + iy : y1 - iy, x0 + ix : x1 - ix])
    if inner.size == 0:
        return 0.0, 0.0, 0.0
    paper = float(np.percentile(inner, 90))
    mask = (inner.astype(np.int16) < paper - INK_DELTA).astype(np.uint8)
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(mask, connectivity=8)
    keep = [i for i in range(1, n) if stats[i][4] >= 3]  # JPEG specks are smaller
    if not keep:
        return 0.0, 0.0, 0.0
    area = sum(int(stats[i][4]) for i in keep) / PX_MM**2
    lefts = [int(stats[i][0]) for i in keep]
    rights = [int(stats[i][0] + stats[i][2]) for i in keep]
    spread = (max(rights) - min(lefts)) / PX_MM
    largest = max(max(int(stats[i][2]), int(stats[i][3])) for i in keep) / PX_MM
    return area, spread, largest


def decide_cell(page: Image, cell: Cell) -> Decision:
    area, spread, largest = cell_ink(page, cell)
    if area < 0.8 or (largest < 3.0 and area < 2.5):
        verdict = ABSENT
    elif area >= 4.0 and spread >= 8.0:
        verdict = PRESENT
    else:
        verdict = UNSURE
    x0, y0, x1, y1 = cell.box
    line = page[y0:y1, cell.table_left : x1]
    return Decision(
        cell.row, verdict, round(area, 2), round(spread, 1), page[y0:y1, x0:x1].copy(), line
    )
