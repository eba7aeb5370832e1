"""Whole-window screenshots for the README, on the small demo data: home and networks in Catalan,
sessions and reports in Spanish, at 1100×700 (Teixit fits 1024×700); and the settings'
data-protection tab in Catalan, the welcome dialog in Catalan, the shortcuts list in Spanish.

QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/window.py
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

from PySide6.QtCore import QThreadPool  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app import paths  # noqa: E402
from app.db.engine import open_database  # noqa: E402
from app.demo import load_demo  # noqa: E402
from app.domain.report import ReportRequest  # noqa: E402
from app.services.container import Services  # noqa: E402
from ui.events import DataBus  # noqa: E402
from ui.fonts import install_ui_fonts  # noqa: E402
from ui.i18n_qt import LanguageSwitcher  # noqa: E402
from ui.main import build_pages  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.prompts import QtPrompts  # noqa: E402

OUT = Path(__file__).resolve().parent
SIZE = (1100, 700)


def settle(app: QApplication) -> None:
    for _i in range(30):
        app.processEvents()
    QThreadPool.globalInstance().waitForDone(5000)  # figures are computed in the background
    for _i in range(10):
        app.processEvents()


def shoot(app: QApplication, window: QWidget, name: str) -> None:
    settle(app)
    window.grab().save(str(OUT / name), "PNG")
    from PIL import Image  # a 256-colour palette keeps the documentation light

    with Image.open(OUT / name) as full:
        full.convert("RGB").quantize(colors=256).save(OUT / name, optimize=True)


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    install_ui_fonts(app)  # type: ignore[arg-type]
    switcher = LanguageSwitcher(app)  # type: ignore[arg-type]
    folder = Path(tempfile.mkdtemp())
    paths.set_data_dir(folder)
    db = open_database(folder / "teixit.db")
    load_demo(db, "small")
    services = Services(db)
    # Two reports in the recent list, as after a justification season.
    year = dt.date.today().year
    for p in services.reports.programmes()[:2]:
        request = ReportRequest((p.id,), dt.date(year, 1, 1), dt.date(year, 12, 31), lang="es")
        services.reports.remember(
            Path("/home/laia/Documents") / f"memoria-{p.code}-{year}.pdf", p.name, request, "x"
        )
    windows = []
    for lang, shots in (
        ("ca", ("home", "networks", "settings")),
        ("es", ("sessions", "reports")),
    ):
        switcher.apply(lang)
        bus, prompts = DataBus(), QtPrompts()
        window = MainWindow(services, bus, prompts, build_pages(services, bus, prompts))  # type: ignore[arg-type]
        window.closing_hook = lambda: None  # type: ignore[method-assign]
        window.resize(*SIZE)
        window.show()
        windows.append(window)
        for key in shots:
            window.go_to(key)
            if key == "networks":
                page = window.page("networks")
                page.tree.setCurrentIndex(page.tree_model.index(0, 0))  # type: ignore[attr-defined]
            if key == "settings":  # the data-protection tab, for docs/first-use.md
                window.page("settings").tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
                shoot(app, window, f"settings-{lang}.png")
                continue
            shoot(app, window, f"window-{key}-{lang}.png")
        window.close()
    # The first-start dialog in Catalan and the shortcuts list in Spanish.
    from ui.dialogs.shortcuts_dialog import ShortcutsDialog
    from ui.dialogs.welcome_dialog import WelcomeDialog

    switcher.apply("ca")
    paths.set_data_dir("/home/laia/.local/share/Teixit")  # as on a Linux desktop
    welcome = WelcomeDialog(QtPrompts())
    welcome.show()
    shoot(app, welcome, "welcome-ca.png")
    welcome.close()
    switcher.apply("es")
    shortcuts = ShortcutsDialog()
    shortcuts.show()
    shoot(app, shortcuts, "shortcuts-es.png")
    shortcuts.close()
    for widget in (welcome, shortcuts, *windows):
        widget.deleteLater()
    app.processEvents()
    db.close()


if __name__ == "__main__":
    main()
