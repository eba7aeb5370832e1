"""Screenshots of the daily-work pages in Catalan and Spanish, on the small demo data.

QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/daily_work.py
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

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app import i18n  # noqa: E402
from app.db.engine import open_database  # noqa: E402
from app.demo import load_demo  # noqa: E402
from app.domain.sessions import SessionFilter  # noqa: E402
from app.services.container import Services  # noqa: E402
from ui.dialogs.attendance_dialog import AttendanceDialog  # noqa: E402
from ui.dialogs.register_dialog import RegisterDialog  # noqa: E402
from ui.dialogs.series_dialog import SeriesDialog  # noqa: E402
from ui.events import DataBus  # noqa: E402
from ui.fonts import install_ui_fonts  # noqa: E402
from ui.i18n_qt import LanguageSwitcher  # noqa: E402
from ui.pages.home_page import HomePage  # noqa: E402
from ui.pages.people_page import PeoplePage  # noqa: E402
from ui.pages.programmes_page import ProgrammesPage  # noqa: E402
from ui.pages.sessions_page import SessionsPage  # noqa: E402
from ui.prompts import QtPrompts  # noqa: E402

OUT = Path(__file__).resolve().parent
#: The page area of the window at its default size (1180 x 760, less the navigation).
SIZE = (960, 700)


def settle(app: QApplication, widget: QWidget) -> None:
    for _i in range(30):
        app.processEvents()
    # Figures are computed in the background: wait for them.
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(5000)
    for _i in range(10):
        app.processEvents()


SHOWN: list[QWidget] = []


def save(app: QApplication, widget: QWidget, name: str) -> None:
    SHOWN.append(widget)  # freed together at the end, before the application
    widget.resize(*SIZE)
    widget.show()
    settle(app, widget)
    image = widget.grab().scaledToWidth(900, Qt.TransformationMode.SmoothTransformation)
    image.save(str(OUT / name), "PNG")
    # A 256-colour palette keeps the documentation light without visible loss on flat UIs.
    from PIL import Image

    with Image.open(OUT / name) as full:
        full.convert("RGB").quantize(colors=256).save(OUT / name, optimize=True)
    widget.close()


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    install_ui_fonts(app)  # type: ignore[arg-type]
    switcher = LanguageSwitcher(app)  # type: ignore[arg-type]
    folder = Path(tempfile.mkdtemp())
    db = open_database(folder / "teixit.db")
    load_demo(db, "small")
    services, bus, prompts = Services(db), DataBus(), QtPrompts()
    today = dt.date.today()
    for lang in ("ca", "es"):
        switcher.apply(lang)
        i18n.set_language(lang)
        save(app, HomePage(services, bus, prompts), f"home-{lang}.png")
        page = ProgrammesPage(services, bus, prompts)
        page.refresh()
        save(app, page, f"programme-{lang}.png")
        page.tabs.setCurrentIndex(1)
        page.activities.list.selectRow(page.activities.model.total() - 1)  # one with people
        save(app, page, f"activities-{lang}.png")
        page.tabs.setCurrentIndex(2)
        save(app, page, f"figures-{lang}.png")
        sessions = SessionsPage(services, bus, prompts)
        sessions.refresh()
        save(app, sessions, f"sessions-{lang}.png")
        sessions.tabs.setCurrentIndex(1)
        save(app, sessions, f"week-{lang}.png")
        series = SeriesDialog(services, prompts)
        series.days[4].setChecked(True)  # Fridays: 11 September is skipped
        series.date_from.set_value(dt.date(today.year, 9, 1))
        series.date_to.set_value(dt.date(today.year, 10, 15))
        save(app, series, f"series-{lang}.png")
        past = services.sessions.find(SessionFilter(date_to=today, status="held"))
        busiest = max(past[-40:], key=lambda s: s.recorded)
        dialog = AttendanceDialog(services, bus, prompts, busiest.id or "")
        save(app, dialog, f"attendance-{lang}.png")
        register = RegisterDialog(services, bus, prompts, busiest.activity_id, today=busiest.date)
        save(app, register, f"register-{lang}.png")
        people = PeoplePage(services, bus, prompts)
        people.refresh()
        settle(app, people)  # the search index loads in the background
        people.search.setText("mar")
        people.list.selectRow(0)
        save(app, people, f"people-{lang}.png")
    for widget in SHOWN:
        widget.deleteLater()
    SHOWN.clear()
    app.processEvents()
    db.close()


if __name__ == "__main__":
    main()
