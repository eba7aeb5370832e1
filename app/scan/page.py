"""One scanned page: its QR code, straightening it from the four registration marks and finding
the signature cells of its table. Pure functions on numpy arrays (BGR or grey, uint8)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from app.domain.sheet_code import SheetCode, decode

Image = NDArray[np.uint8]

#: The straightened page: A4 portrait at this many pixels per millimetre (about 200 dpi).
PX_MM = 8
PAGE_MM = (210.0, 297.0)
#: Where the printed registration marks are (app.reports.layout.MARK_INSET and MARK_SIZE).
MARK_INSET_MM = 5.5
MARK_MM = 4.0
QR_MM = 17.0
#: The printed table: a row is 10 mm high, its head 7 mm; the signature column is the last one.
ROW_MM = 10.0
HEAD_MM = 7.0


@dataclass(frozen=True)
class QrFound:
    code: SheetCode | None
    text: str
    #: Centre of the symbol in the image, in pixels (x, y), and its side in pixels.
    centre: tuple[float, float]
    side: float


@dataclass(frozen=True)
class Cell:
    """A signature cell of the straightened page, in pixels: left, top, right, bottom."""

    row: int
    box: tuple[int, int, int, int]
    #: Where the table's row starts (its first column's left rule), in pixels.
    table_left: int = 0


def grey(image: Image) -> Image:
    import cv2

    if image.ndim == 2:
        return image
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), dtype=np.uint8)


def ink_channel(image: Image) -> Image:
    """The darkest channel of each pixel: blue and black ink both come out dark."""
    if image.ndim == 2:
        return image
    # Channel by channel: numpy's min over the last, 3-wide axis is several times slower.
    return np.minimum(np.minimum(image[:, :, 0], image[:, :, 1]), image[:, :, 2])


def _lightest_channel(image: Image) -> Image:
    if image.ndim == 2:
        return image
    return np.maximum(np.maximum(image[:, :, 0], image[:, :, 1]), image[:, :, 2])


def read_qr(image: Image) -> QrFound | None:
    """The first QR code on the page that Teixit printed (or any QR code when none is ours)."""
    import zxingcpp

    g = grey(image)
    qr = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    found = zxingcpp.read_barcodes(g, formats=qr)
    if not found:
        # A faint or small code: a fixed threshold sometimes reads what the local one misses.
        found = zxingcpp.read_barcodes(g, formats=qr, binarizer=zxingcpp.Binarizer.GlobalHistogram)
    best: QrFound | None = None
    for r in found:
        p = r.position
        pts = np.array(
            [
                [p.top_left.x, p.top_left.y],
                [p.top_right.x, p.top_right.y],
                [p.bottom_right.x, p.bottom_right.y],
                [p.bottom_left.x, p.bottom_left.y],
            ],
            dtype=float,
        )
        centre = (float(pts[:, 0].mean()), float(pts[:, 1].mean()))
        side = float(np.linalg.norm(pts[1] - pts[0]))
        item = QrFound(decode(r.text), r.text, centre, side)
        if item.code is not None:
            return item
        best = best or item
    return best


def upright(image: Image, qr: QrFound | None) -> tuple[Image, QrFound | None]:
    """The page turned by a quarter, a half or three quarters so that its QR code, printed in
    the top right corner, is there (a page scanned upside down or a photo taken sideways)."""
    if qr is None:
        return image, qr
    h, w = image.shape[:2]
    right, top = qr.centre[0] > w / 2, qr.centre[1] < h / 2
    if right and top:
        return image, qr
    turns = {(False, False): 2, (True, False): 1, (False, True): 3}[(right, top)]
    turned = np.ascontiguousarray(np.rot90(image, turns))
    return turned, read_qr(turned) or qr


def _mark_candidates(g: Image, px_mm: float) -> list[tuple[float, float]]:
    import cv2

    _, dark = cv2.threshold(g, 110, 255, cv2.THRESH_BINARY_INV)
    n, _labels, stats, centroids = cv2.connectedComponentsWithStats(dark, connectivity=8)
    want = (MARK_MM * px_mm) ** 2
    out = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if not 0.45 * want <= area <= 2.0 * want or not 0.75 <= w / max(h, 1) <= 1.33:
            continue
        if area / float(w * h) < 0.8:
            continue
        out.append((float(centroids[i][0]), float(centroids[i][1])))
    return out


def find_marks(image: Image, qr: QrFound | None) -> NDArray[np.float64] | None:
    """The centres of the four registration marks (top left, top right, bottom right, bottom
    left), or None when they are not all there."""
    g = grey(image)
    h, w = g.shape
    px_mm = w / PAGE_MM[0]
    if qr is not None and qr.code is not None:
        # The symbol (without its white border) is about 15 of the printed 17 mm.
        px_mm = qr.side / 15.2
    cands = _mark_candidates(g, px_mm)
    if len(cands) < 4:
        return None
    corners = [(0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h))]
    chosen = []
    for cx, cy in corners:
        best = min(cands, key=lambda c: (c[0] - cx) ** 2 + (c[1] - cy) ** 2)
        if (best[0] - cx) ** 2 + (best[1] - cy) ** 2 > (0.25 * min(w, h)) ** 2:
            return None
        chosen.append(best)
    pts = np.array(chosen, dtype=float)
    if len({tuple(p) for p in pts.tolist()}) < 4:
        return None
    # The marks make a rectangle of the page's proportions (opposite sides averaged: a photo
    # taken a little from the side shortens one of them).
    top = float(np.linalg.norm(pts[1] - pts[0]) + np.linalg.norm(pts[2] - pts[3])) / 2
    left = float(np.linalg.norm(pts[3] - pts[0]) + np.linalg.norm(pts[2] - pts[1])) / 2
    want = (PAGE_MM[1] - 2 * MARK_INSET_MM - MARK_MM) / (PAGE_MM[0] - 2 * MARK_INSET_MM - MARK_MM)
    if not 0.85 * want <= left / max(top, 1.0) <= 1.15 * want:
        return None
    return pts


def straighten(image: Image, marks: NDArray[np.float64]) -> Image:
    """The page warped onto an exact A4 at :data:`PX_MM` pixels per millimetre."""
    import cv2

    c = MARK_INSET_MM + MARK_MM / 2
    w_mm, h_mm = PAGE_MM
    dst = (
        np.array([[c, c], [w_mm - c, c], [w_mm - c, h_mm - c], [c, h_mm - c]], dtype=np.float32)
        * PX_MM
    )
    m = cv2.getPerspectiveTransform(marks.astype(np.float32), dst)
    size = (int(w_mm * PX_MM), int(h_mm * PX_MM))
    border = (255, 255, 255) if image.ndim == 3 else 255
    out = cv2.warpPerspective(
        image, m, size, flags=cv2.INTER_AREA, borderMode=cv2.BORDER_CONSTANT, borderValue=border
    )
    return np.asarray(out, dtype=np.uint8)


def even_light(page: Image) -> Image:
    """The straightened page with its paper made evenly white: a phone photo lit from one side,
    or with a shadow across it, reads like a scan. The paper's brightness is estimated around
    every point (printed lines, text and ink are narrower than the window and set aside) and
    each pixel divided by it."""
    import cv2

    paper = _lightest_channel(page)
    small = cv2.resize(paper, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    k = max(3, int(6 * PX_MM / 4) | 1)
    bg = cv2.dilate(small, np.ones((k, k), np.uint8))
    bg = cv2.GaussianBlur(bg, (0, 0), k)
    bg = cv2.resize(bg, (paper.shape[1], paper.shape[0]), interpolation=cv2.INTER_LINEAR)
    bg = np.maximum(bg, np.uint8(40))
    if page.ndim == 3:
        bg = cv2.merge([bg, bg, bg])
    # pixel * 255 / paper, saturated, in one pass over the bytes (no float copy of the page).
    return np.asarray(cv2.divide(page, bg, scale=255.0), dtype=np.uint8)


def _peaks(profile: NDArray[np.float64], minimum: float, gap: int) -> list[int]:
    """Centres of the runs of ``profile`` at or above ``minimum``, runs closer than ``gap``
    merged."""
    idx = np.flatnonzero(profile >= minimum)
    if idx.size == 0:
        return []
    out: list[int] = []
    start = prev = int(idx[0])
    for i in (int(v) for v in idx[1:]):
        if i - prev > gap:
            out.append((start + prev) // 2)
            start = i
        prev = i
    out.append((start + prev) // 2)
    return out


def find_cells(page: Image) -> list[Cell]:
    """The signature cells of a straightened page, top to bottom (the table's last column,
    its rows under the head)."""
    import cv2

    g = grey(page)
    _, dark = cv2.threshold(g, 215, 255, cv2.THRESH_BINARY_INV)
    vert = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((int(25 * PX_MM), 1), np.uint8))
    cols = _peaks(vert.sum(axis=0) / 255.0, 25 * PX_MM, 3)
    # The table is inside the margins: a dark edge beyond the paper (a photo) is not a rule.
    edge = 5 * PX_MM
    cols = [c for c in cols if edge < c < g.shape[1] - edge]
    if len(cols) < 3:
        return []
    left, right = cols[-2], cols[-1]
    if not 40 * PX_MM <= right - left <= 80 * PX_MM:
        return []
    ys = np.flatnonzero(vert[:, max(right - 2, 0) : right + 3].max(axis=1))
    if ys.size == 0:
        return []
    top, bottom = int(ys.min()), int(ys.max())
    horiz = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((1, int(35 * PX_MM)), np.uint8))
    band = horiz[:, left:right].sum(axis=1) / 255.0
    lines = [y for y in _peaks(band, 0.6 * (right - left), 3) if top - 8 <= y <= bottom + 8]
    cells: list[Cell] = []
    for a, b in zip(lines, lines[1:], strict=False):
        if abs((b - a) - ROW_MM * PX_MM) <= 1.5 * PX_MM:
            cells.append(Cell(len(cells), (left, a, right, b), cols[0]))
    return cells
