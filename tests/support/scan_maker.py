"""Realistic scans of Teixit's own sheets, with their ground truth.

A sheet is rendered with pypdfium2 (150, 200 or 300 dpi), signatures are drawn in chosen
signature cells (strokes 0.3-1 mm, blue or black, some faint), stray marks are added (a dot in a
neighbouring cell, a line crossing a border), then the page is laid on a scanner's bed, turned
±4°, shifted, scaled 95-105 %, sometimes upside down, and saved as JPEG (quality 50-90). The
expected verdict of every cell is kept with the page."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass, field

import cv2
import numpy as np

from app.domain.sheet_code import database_code
from app.domain.sheets import EntityHeader, SheetData, SheetOptions, SheetPerson
from app.reports.attendance_sheet import build_sheet
from app.scan.page import PX_MM, find_cells, find_marks, read_qr, straighten

DATABASE_ID = "5b7c1e0e-1111-4a4a-9c9c-0123456789ab"


def sheet_pdf(names: int = 12, blank_rows: int = 5, session_id: str | None = None) -> bytes:
    people = tuple(
        SheetPerson(f"Nom{i}", f"Cognom{i:02d} Prova", key=str(uuid.UUID(int=1000 + i)))
        for i in range(names)
    )
    data = SheetData(
        kind="session",
        entity=EntityHeader(name="Associació de prova"),
        programme="Programa",
        activity="Taller",
        date=dt.date(2026, 10, 1),
        reference_id=session_id or str(uuid.UUID(int=42)),
        database_code=database_code(DATABASE_ID),
        people=people,
    )
    out = io.BytesIO()
    build_sheet(data, SheetOptions(blank_rows=blank_rows), out)
    return out.getvalue()


def render(pdf: bytes, dpi: int) -> list[np.ndarray]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [
            np.ascontiguousarray(doc[i].render(scale=dpi / 72).to_numpy()[:, :, 2::-1])
            for i in range(len(doc))
        ]
    finally:
        doc.close()


def cell_boxes_mm(page: np.ndarray) -> list[tuple[float, float, float, float]]:
    """The signature cells of a clean rendered page, in millimetres from the top left."""
    qr = read_qr(page)
    marks = find_marks(page, qr)
    assert marks is not None
    cells = find_cells(straighten(page, marks))
    return [tuple(v / PX_MM for v in c.box) for c in cells]  # type: ignore[misc]


@dataclass
class Scan:
    image: np.ndarray
    #: Expected verdict per row: True signed, False not.
    truth: list[bool]
    notes: list[str] = field(default_factory=list)


BLUE = (170, 60, 30)  # BGR
BLACK = (25, 25, 25)
FAINT_BLUE = (215, 160, 130)
FAINT_BLACK = (125, 125, 125)


def _signature(
    img: np.ndarray,
    box_px: tuple[float, ...],
    rng: np.random.Generator,
    px_mm: float,
    colour: tuple[int, int, int],
    width_mm: float,
) -> None:
    x0, y0, x1, y1 = box_px
    w, h = x1 - x0, y1 - y0
    length = rng.uniform(0.35, 0.8) * w
    start = x0 + rng.uniform(0.05, 0.9 * w - length) if 0.9 * w > length else x0 + 0.05 * w
    t = np.linspace(0, 1, 200)
    xs = start + t * length + rng.uniform(1.5, 3.0) * px_mm * np.sin(t * rng.uniform(12, 30))
    freq, phase = rng.uniform(10, 25), rng.uniform(0, 6)
    ys = y0 + h / 2 + 0.28 * h * np.sin(t * freq + phase) * rng.uniform(0.6, 1.0)
    pts = np.stack([xs, ys], axis=1).round().astype(np.int32)
    thick = max(1, int(round(width_mm * px_mm)))
    cv2.polylines(img, [pts], False, colour, thick, lineType=cv2.LINE_AA)


def make_scan(
    page: np.ndarray,
    dpi: int,
    boxes_mm: list[tuple[float, ...]],
    signed: list[bool],
    rng: np.random.Generator,
    *,
    upside_down: bool = False,
    strays: bool = True,
    quality: int | None = None,
) -> Scan:
    img = page.copy()
    px_mm = dpi / 25.4
    notes: list[str] = []
    for i, (box, yes) in enumerate(zip(boxes_mm, signed, strict=True)):
        bp = tuple(v * px_mm for v in box)
        if yes:
            faint = rng.random() < 0.2
            blue = rng.random() < 0.6
            colour = (FAINT_BLUE if blue else FAINT_BLACK) if faint else (BLUE if blue else BLACK)
            _signature(img, bp, rng, px_mm, colour, rng.uniform(0.3, 1.0))
        if not strays:
            continue
        nxt = i + 1 < len(signed) and not signed[i + 1]
        if yes and nxt and rng.random() < 0.25:
            # A line that starts in this cell and crosses the border into the empty next one.
            x = bp[0] + rng.uniform(0.2, 0.8) * (bp[2] - bp[0])
            y_end = bp[3] + rng.uniform(1.0, 2.5) * px_mm
            cv2.line(
                img,
                (int(x), int(bp[3] - 3 * px_mm)),
                (int(x + 4 * px_mm), int(y_end)),
                BLUE,
                max(1, int(0.4 * px_mm)),
                cv2.LINE_AA,
            )
            notes.append(f"line into {i + 2}")
        elif not yes and rng.random() < 0.1:
            cx = bp[0] + rng.uniform(0.2, 0.8) * (bp[2] - bp[0])
            cy = (bp[1] + bp[3]) / 2
            cv2.circle(
                img,
                (int(cx), int(cy)),
                max(1, int(rng.uniform(0.3, 0.6) * px_mm)),
                BLACK,
                -1,
                cv2.LINE_AA,
            )
            notes.append(f"dot in {i + 1}")
    img = _on_bed(img, px_mm, rng)
    if upside_down:
        img = np.ascontiguousarray(img[::-1, ::-1])
    q = quality if quality is not None else int(rng.integers(50, 91))
    ok, enc = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, q])
    assert ok
    return Scan(cv2.imdecode(enc, cv2.IMREAD_COLOR), list(signed), notes)


def _on_bed(img: np.ndarray, px_mm: float, rng: np.random.Generator) -> np.ndarray:
    """The page on a scanner bed a little larger than A4: turned, shifted and scaled."""
    h, w = img.shape[:2]
    pad = int(10 * px_mm)
    bed = np.full((h + 2 * pad, w + 2 * pad, 3), 250, np.uint8)
    angle = rng.uniform(-4, 4)
    scale = rng.uniform(0.95, 1.05)
    shift = rng.uniform(-4, 4, size=2) * px_mm
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    m[:, 2] += shift + pad
    out = cv2.warpAffine(
        img,
        m,
        (bed.shape[1], bed.shape[0]),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(250, 250, 250),
    )
    # Paper slightly off-white, a little noise.
    noise = rng.normal(0, 3, out.shape)
    return np.clip(out.astype(np.float32) * 0.97 + noise, 0, 255).astype(np.uint8)
