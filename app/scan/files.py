"""The pages of the files a person gives: a scanner's PDF, JPEG or PNG images, phone photos.
Sizes are checked before anything is decoded, so a huge file never fills the memory; pages come
one at a time."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.errors import UserError
from app.i18n import _
from app.scan.page import Image

MAX_FILE_BYTES = 300 * 1024 * 1024
MAX_PDF_PAGES = 300
#: A photo is read at most this large (a 50-megapixel photo is read reduced, JPEG draft mode).
READ_PIXELS = 16_000_000
#: An image this large that cannot be reduced while it is read is refused.
MAX_PIXELS = 80_000_000
PDF_DPI = 200


@dataclass(frozen=True)
class PageImage:
    source: str
    index: int
    image: Image


def _kind(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(16)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    return ""


def check_file(path: Path) -> str:
    """The file's kind (pdf, jpeg, png, tiff); a UserError saying why it cannot be read."""
    if not path.is_file():
        raise UserError(_("{file} does not exist.").format(file=path.name))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise UserError(
            _("{file} is larger than 300 MB: scan fewer pages per file.").format(file=path.name)
        )
    kind = _kind(path)
    if not kind:
        raise UserError(
            _("{file} is neither a PDF nor an image (JPEG, PNG, TIFF).").format(file=path.name)
        )
    return kind


def pages(path: Path) -> Iterator[PageImage]:
    """Each page of ``path`` as a BGR image; UserError for a file that cannot be read."""
    kind = check_file(path)
    if kind == "pdf":
        yield from _pdf_pages(path)
    else:
        yield PageImage(path.name, 1, _image(path))


def page_count(path: Path) -> int:
    """How many pages ``path`` gives (one for an image, or a file that cannot be read: its
    message comes when it is read)."""
    try:
        kind = check_file(path)
    except UserError:
        return 1
    if kind != "pdf":
        return 1
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return 1
    try:
        return max(1, len(pdf))
    finally:
        pdf.close()


def _pdf_pages(path: Path) -> Iterator[PageImage]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise UserError(
                _("{file} is protected with a password: save it without one.").format(
                    file=path.name
                )
            ) from e
        raise UserError(_("{file} is not a PDF Teixit can read.").format(file=path.name)) from e
    try:
        count = len(pdf)
        if count > MAX_PDF_PAGES:
            raise UserError(
                _("{file} has {count} pages: give at most {limit} pages at a time.").format(
                    file=path.name, count=count, limit=MAX_PDF_PAGES
                )
            )
        for i in range(count):
            page = pdf[i]
            w, h = page.get_size()
            scale = PDF_DPI / 72
            if w * h * scale * scale > READ_PIXELS * 2:
                scale = (READ_PIXELS * 2 / (w * h)) ** 0.5
            bitmap = page.render(scale=scale)
            rgb = bitmap.to_numpy()[:, :, :3]
            yield PageImage(path.name, i + 1, np.ascontiguousarray(rgb[:, :, ::-1]))
            page.close()
    finally:
        pdf.close()


def _image(path: Path) -> Image:
    from PIL import Image as PilImage
    from PIL import ImageOps

    try:
        with warnings.catch_warnings():
            # Sizes are checked below, before anything is decoded.
            warnings.simplefilter("ignore", PilImage.DecompressionBombWarning)
            img = PilImage.open(path)
        with img:
            w, h = img.size
            if img.format == "JPEG" and w * h > READ_PIXELS:
                factor = (w * h / READ_PIXELS) ** 0.5
                img.draft("RGB", (int(w / factor), int(h / factor)))
            elif w * h > MAX_PIXELS:
                raise UserError(
                    _(
                        "{file} is too large an image ({mp} megapixels): scan at 300 dpi or less."
                    ).format(file=path.name, mp=round(w * h / 1e6))
                )
            img.load()
            rgb = ImageOps.exif_transpose(img).convert("RGB")
            if rgb.width * rgb.height > READ_PIXELS * 1.5:
                f = (rgb.width * rgb.height / READ_PIXELS) ** 0.5
                rgb = rgb.resize((int(rgb.width / f), int(rgb.height / f)))
    except PilImage.DecompressionBombError as e:
        raise UserError(
            _("{file} is too large an image: scan at 300 dpi or less.").format(file=path.name)
        ) from e
    except (OSError, SyntaxError, ValueError) as e:
        raise UserError(_("{file} is not an image Teixit can read.").format(file=path.name)) from e
    return np.ascontiguousarray(np.asarray(rgb)[:, :, ::-1])
