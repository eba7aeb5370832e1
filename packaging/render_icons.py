"""Render the application icon (resources/icons/teixit.svg) into the PNG sizes the desktops
ask for (resources/icons/hicolor/<N>x<N>/apps/cat.teixit.Teixit.png) and the Windows icon
(resources/icons/teixit.ico). Run after changing the drawing, and commit what it writes:

    QT_QPA_PLATFORM=offscreen python packaging/render_icons.py
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
APP_ID = "cat.teixit.Teixit"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    # Re-encoded by Pillow with no time stamp, so the same drawing gives the same bytes.
    out = io.BytesIO()
    Image.open(io.BytesIO(bytes(data))).save(out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> None:
    _app = QGuiApplication([])
    renderer = QSvgRenderer(str(ICONS / "teixit.svg"))
    for size in SIZES:
        target = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render(renderer, size))
    scalable = ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes((ICONS / "teixit.svg").read_bytes())
    largest = Image.open(io.BytesIO(render(renderer, 256)))
    largest.save(ICONS / "teixit.ico", format="ICO", sizes=[(s, s) for s in ICO_SIZES])


if __name__ == "__main__":
    main()
