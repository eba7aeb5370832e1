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


#: Where the QR code is printed (mm from the top left: left, top, right, bottom).
QR_BOX_MM = (183.0, 10.0, 200.0, 27.0)


def spoil_code(page: np.ndarray, dpi: int) -> np.ndarray:
    """The page with its QR code unreadable (a photocopy of a photocopy, a coffee ring): half of
    the symbol faded away, the rest smudged; the corner marks stay."""
    img = page.copy()
    px_mm = dpi / 25.4
    x0, y0, x1, y1 = (int(v * px_mm) for v in QR_BOX_MM)
    mid = (x0 + x1) // 2
    img[y0:y1, x0:mid] = 255
    region = img[y0:y1, mid:x1]
    img[y0:y1, mid:x1] = cv2.GaussianBlur(region, (0, 0), 1.2 * px_mm)
    return img


def phone_photo(
    scan_or_page: np.ndarray, dpi: int, rng: np.random.Generator, *, blur: bool = True
) -> np.ndarray:
    """A phone photo of the page: on a darker table, seen a little from the side (perspective),
    lit unevenly (one side darker, a soft shadow), slightly out of focus."""
    h, w = scan_or_page.shape[:2]
    px_mm = dpi / 25.4
    pad = int(25 * px_mm)
    table = np.empty((h + 2 * pad, w + 2 * pad, 3), np.float32)
    table[:] = rng.uniform(60, 120, size=3)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    jitter = rng.uniform(-0.05, 0.05, size=(4, 2)) * np.array([w, h])
    dst = (src + pad + jitter).astype(np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(
        scan_or_page,
        m,
        (table.shape[1], table.shape[0]),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0),
    )
    mask = (
        cv2.warpPerspective(
            np.full((h, w), 255, np.uint8), m, (table.shape[1], table.shape[0])
        ).astype(np.float32)[:, :, None]
        / 255.0
    )
    out = warped.astype(np.float32) * mask + table * (1 - mask)
    # Uneven light: a gradient across the page and a soft shadow.
    yy, xx = np.mgrid[0 : out.shape[0], 0 : out.shape[1]].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * xx / out.shape[1] + np.sin(angle) * yy / out.shape[0]) + 1
    light = 1.0 - rng.uniform(0.15, 0.35) * ramp / 2
    cx, cy = rng.uniform(0, out.shape[1]), rng.uniform(0, out.shape[0])
    r = rng.uniform(0.3, 0.6) * max(out.shape[:2])
    shadow = 1.0 - rng.uniform(0.05, 0.15) * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (r * r))
    out = out * (light * shadow)[:, :, None]
    if blur:
        out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.5, 1.1) * px_mm / 8)
    out = out + rng.normal(0, 2.5, out.shape)
    img = np.clip(out, 0, 255).astype(np.uint8)
    ok, enc = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(60, 90))])
    assert ok
    return cv2.imdecode(enc, cv2.IMREAD_COLOR)


def make_photo(
    page: np.ndarray,
    dpi: int,
    boxes_mm: list[tuple[float, ...]],
    signed: list[bool],
    rng: np.random.Generator,
) -> Scan:
    """The page signed as in :func:`make_scan`, then photographed with a phone."""
    img = page.copy()
    px_mm = dpi / 25.4
    for box, yes in zip(boxes_mm, signed, strict=True):
        if yes:
            colour = BLUE if rng.random() < 0.6 else BLACK
            _signature(
                img, tuple(v * px_mm for v in box), rng, px_mm, colour, rng.uniform(0.4, 1.0)
            )
    return Scan(phone_photo(img, dpi, rng), list(signed), ["phone photo"])


def other_document(dpi: int, rng: np.random.Generator, *, with_qr: bool = True) -> np.ndarray:
    """A page of something else (a letter, a menu with its own QR code), scanned."""
    import io

    import segno

    px_mm = dpi / 25.4
    w, h = int(210 * px_mm), int(297 * px_mm)
    img = np.full((h, w, 3), 252, np.uint8)
    y = int(30 * px_mm)
    while y < h - 30 * px_mm:
        length = int(rng.uniform(0.4, 0.8) * (w - 40 * px_mm))
        cv2.line(img, (int(20 * px_mm), y), (int(20 * px_mm) + length, y), (40, 40, 40), 2)
        y += int(rng.uniform(6, 9) * px_mm)
    # A table with a last wide column (it looks like a sheet, but it is not one of Teixit's).
    cv2.rectangle(
        img,
        (int(20 * px_mm), int(150 * px_mm)),
        (w - int(20 * px_mm), h - int(40 * px_mm)),
        (0, 0, 0),
        2,
    )
    if with_qr:
        out = io.BytesIO()
        segno.make("https://example.org/menu", error="m").save(
            out, kind="png", scale=max(2, int(px_mm / 2))
        )
        qr = cv2.imdecode(np.frombuffer(out.getvalue(), np.uint8), cv2.IMREAD_COLOR)
        top, left = int(10 * px_mm), w - int(10 * px_mm) - qr.shape[1]
        img[top : top + qr.shape[0], left : left + qr.shape[1]] = qr
    return _on_bed(img, px_mm, rng)


def write_name(page: np.ndarray, dpi: int, box_mm: tuple[float, ...], name: str) -> None:
    """A newcomer's name written by hand on a blank row (whose signature cell is ``box_mm``),
    in the name columns at the row's left."""
    px_mm = dpi / 25.4
    _x0, y0, _x1, y1 = box_mm
    height = (y1 - y0) * 0.45 * px_mm
    scale = height / 22  # the script font is about 22 pixels high at scale 1
    origin = (int(25 * px_mm), int((y0 + (y1 - y0) * 0.72) * px_mm))
    thick = max(1, int(0.35 * px_mm))
    cv2.putText(
        page, name, origin, cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, scale, BLUE, thick, cv2.LINE_AA
    )
