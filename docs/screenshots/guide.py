"""The user guide's pictures (resources/help/img/<section>-<language>.png): one per section, in
Catalan, Spanish and Valencian, taken on the small demo data, scaled to the guide window's text
width and reduced to a palette so the guide stays light.

QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/guide.py
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt, QThreadPool  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app import i18n, paths  # noqa: E402
from app.db.engine import open_database  # noqa: E402
from app.demo import load_demo  # noqa: E402
from app.domain.sessions import SessionFilter  # noqa: E402
from app.services.container import Services  # noqa: E402
from ui.dialogs.attendance_dialog import AttendanceDialog  # noqa: E402
from ui.events import DataBus  # noqa: E402
from ui.fonts import install_ui_fonts  # noqa: E402
from ui.i18n_qt import LanguageSwitcher  # noqa: E402
from ui.main import build_pages  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.prompts import QtPrompts  # noqa: E402

OUT = ROOT / "resources" / "help" / "img"
#: The guide window's text is about this wide at its usual size.
WIDTH = 520
#: A palette this size keeps the flat window readable at a fraction of the bytes.
COLOURS = 128
PAGES = (
    "home",
    "programmes",
    "sessions",
    "people",
    "networks",
    "reports",
    "economics",
    "settings",
    "volunteers",
)


def settle(app: QApplication) -> None:
    for _i in range(30):
        app.processEvents()
    QThreadPool.globalInstance().waitForDone(5000)  # figures are computed in the background
    for _i in range(10):
        app.processEvents()


def shoot(app: QApplication, widget: QWidget, name: str) -> None:
    settle(app)
    image = widget.grab().scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation)
    image.save(str(OUT / name), "PNG")
    from PIL import Image

    with Image.open(OUT / name) as full:
        full.convert("RGB").quantize(colors=COLOURS).save(OUT / name, optimize=True)


def prepare(window: MainWindow, key: str) -> None:
    """Show each page as the guide describes it: something chosen, not an empty form."""
    page = window.page(key)
    if key == "programmes":
        page.refresh()  # type: ignore[attr-defined]
        page.list.selectRow(0)  # type: ignore[attr-defined]
    elif key == "people":
        page.search.setText("mar")  # type: ignore[attr-defined]
        page.list.selectRow(0)  # type: ignore[attr-defined]
    elif key == "networks":
        page.tree.setCurrentIndex(page.tree_model.index(0, 0))  # type: ignore[attr-defined]
    elif key == "settings":
        page.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]  # data protection


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    install_ui_fonts(app)  # type: ignore[arg-type]
    switcher = LanguageSwitcher(app)  # type: ignore[arg-type]
    folder = Path(tempfile.mkdtemp())
    paths.set_data_dir(folder)
    db = open_database(folder / "teixit.db")
    load_demo(db, "small")
    services = Services(db)
    OUT.mkdir(parents=True, exist_ok=True)
    today = dt.date.today()
    past = services.sessions.find(SessionFilter(date_to=today, status="held"))
    busiest = max(past[-40:], key=lambda s: s.recorded)
    shown: list[QWidget] = []
    for lang in ("ca", "es", "ca-valencia"):
        switcher.apply(lang)
        i18n.set_language(lang)
        bus, prompts = DataBus(), QtPrompts()
        window = MainWindow(services, bus, prompts, build_pages(services, bus, prompts))  # type: ignore[arg-type]
        window.closing_hook = lambda: None  # type: ignore[method-assign]
        window.resize(1000, 640)
        window.show()
        shown.append(window)
        for key in PAGES:
            window.go_to(key)
            settle(app)
            prepare(window, key)
            shoot(app, window.page(key), f"{key}-{lang}.png")
        dialog = AttendanceDialog(services, bus, prompts, busiest.id or "")
        dialog.resize(820, 560)
        dialog.show()
        shown.append(dialog)
        shoot(app, dialog, f"attendance-{lang}.png")
        dialog.close()
        window.close()
    for widget in shown:
        widget.deleteLater()
    app.processEvents()
    db.close()


if __name__ == "__main__":
    main()
