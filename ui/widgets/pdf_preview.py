"""Pages of a PDF shown as images in a scrolling column (rendered with pdfium off the window's
thread, shown on it)."""

from __future__ import annotations

import io

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget


def render_pages(pdf: bytes, count: int = 3, scale: float = 0.75) -> list[bytes]:
    """The first ``count`` pages of a PDF as PNG bytes. Safe to call from a worker thread."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    try:
        out = []
        for index in range(min(count, len(doc))):
            image = doc[index].render(scale=scale).to_pil()
            buf = io.BytesIO()
            image.save(buf, format="PNG")
            out.append(buf.getvalue())
        return out
    finally:
        doc.close()


class PdfPreview(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        host = QWidget()
        self._layout = QVBoxLayout(host)
        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self._layout.addWidget(self.hint)
        self._layout.addStretch(1)
        self.setWidget(host)
        self.pages: list[QLabel] = []

    def show_pages(self, pages: list[bytes]) -> None:
        for label in self.pages:
            label.deleteLater()
        self.pages = []
        self.hint.setVisible(not pages)
        for png in pages:
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            label = QLabel()
            label.setPixmap(pixmap)
            label.setMinimumSize(pixmap.size())  # whole pages; the area scrolls
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self._layout.insertWidget(self._layout.count() - 1, label)
            self.pages.append(label)
