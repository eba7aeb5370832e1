"""Home at once at the next start: a clean close keeps this year's figures (numbers only) and
the window's shell shows Home with them before the database layer is imported; the page on the
data takes over with the same figures until it has computed them again."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import paths
from app.db.engine import open_database
from app.demo import load_demo
from app.domain.profile import EntityProfileDTO
from app.home_snapshot import FIELDS, snapshot_path
from app.services.container import Services
from tests.support.fake_prompts import FakePrompts
from ui.main import Application
from ui.main_window import MainWindow
from ui.pages.home_page import HomePage
from ui.settings import Preferences
from ui.widgets.home_snapshot import CachedHome

PASSPHRASE = "rodamón de les set muntanyes"


def _started(qtbot: QtBot, application: Application) -> tuple[MainWindow, HomePage]:
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    home = window.page("home")
    assert isinstance(home, HomePage)
    qtbot.waitUntil(lambda: home.current_figures() is not None, timeout=20000)
    return window, home


def test_a_clean_close_keeps_the_figures_and_the_next_start_shows_home_with_them(
    qtbot: QtBot, application: Application, prompts: FakePrompts, prefs: Preferences
) -> None:
    db = open_database(paths.db_path())
    load_demo(db)
    profile = Services(db).profile.get()
    db.close()
    assert profile is not None
    window, home = _started(qtbot, application)
    shown = home.figures_label.text()
    assert shown.startswith("Sessions fetes: ") and "Sessions fetes: 0 " not in shown
    window.close()  # a person's clean close
    kept = snapshot_path(paths.db_path()).read_text(encoding="ascii")
    body = json.loads(kept)
    assert sorted(body["figures"]) == sorted(FIELDS)
    assert body["figures"]["sessions"] == home.figures.sessions  # type: ignore[union-attr]
    assert profile.name not in kept and "name" not in kept  # numbers only

    # The next start: the shell shows Home with those figures, the lists waiting for the data.
    again = Application(QApplication.instance(), prompts, prefs)  # type: ignore[arg-type]
    try:
        assert again.begin("ca")
        again.show_shell()
        shell = again.window
        assert shell is not None
        qtbot.addWidget(shell)
        cached = shell.stack.currentWidget()
        assert isinstance(cached, CachedHome) and cached.isVisible()
        assert cached.figures_label.text() == shown
        assert cached.boxes[4].title() == home.boxes[4].title()
        assert cached.loading[0].text() == "S'estan obrint les dades…"
        assert not shell.nav.isEnabled()
        again.set_language("es")  # the language can change meanwhile
        QApplication.processEvents()
        assert cached.figures_label.text().startswith("Sesiones realizadas: ")
        again.set_language("ca")
        QApplication.processEvents()
        assert again.open_data()
        live = shell.page("home")
        assert isinstance(live, HomePage) and shell.stack.currentWidget() is live
        # Until computed again from the data: the kept figures, not "Computing…".
        assert live.figures_label.text() == shown
        qtbot.waitUntil(lambda: live.current_figures() is not None, timeout=20000)
        assert live.figures_label.text() == shown
        assert live.today_stack.isVisible()
    finally:
        QApplication.processEvents()
        if again.window is not None:
            again.window.close()
        again.stop()


def test_a_changed_file_shows_the_placeholder_and_encrypted_data_keeps_nothing(
    qtbot: QtBot, application: Application, prompts: FakePrompts, prefs: Preferences
) -> None:
    db = open_database(paths.db_path())
    load_demo(db)
    db.close()
    window, _home = _started(qtbot, application)
    window.close()
    assert snapshot_path(paths.db_path()).exists()
    # Written since the close (another copy of Teixit, a restore): the figures may be others.
    db = open_database(paths.db_path())
    profile = Services(db).profile.get()
    assert profile is not None
    Services(db).profile.save(EntityProfileDTO(**{**profile.__dict__, "name": "Casal Nou"}))
    db.close()
    again = Application(QApplication.instance(), prompts, prefs)  # type: ignore[arg-type]
    try:
        assert again.begin("ca")
        again.show_shell()
        assert again.window is not None
        qtbot.addWidget(again.window)
        assert again.window.stack.currentWidget() is again.window.opening
    finally:
        again.stop()


def test_encrypted_data_keeps_nothing_in_clear(qtbot: QtBot, application: Application) -> None:
    """Encrypted data keeps even its totals inside the encrypted file: no figures beside it."""
    from app.services.security import SecurityService

    db = open_database(paths.db_path())
    load_demo(db)
    db.close()
    SecurityService(paths.db_path(), paths.backups_dir()).turn_on(PASSPHRASE, remember=True)
    window, home = _started(qtbot, application)
    assert home.current_figures() is not None
    window.close()
    assert not snapshot_path(paths.db_path()).exists()


def test_closing_the_window_while_the_data_opens_ends_teixit_quietly() -> None:
    """The database layer is imported in the background while the shell is on screen: a person
    who closes the window meanwhile ends Teixit, with no error and no window coming back."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    db = open_database(paths.db_path())
    Services(db).profile.save(EntityProfileDTO(id="", name="Casal de Tancar"))
    db.close()
    code = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from ui import main\n"
        "real = main.Application.show_shell\n"
        "def show_shell(self):\n"
        "    real(self)\n"
        "    QTimer.singleShot(0, self.window.close)\n"
        "main.Application.show_shell = show_shell\n"
        "def opened(self):\n"
        "    print('data opened', file=sys.stderr)\n"
        "    return True\n"
        "main.Application.open_data = opened\n"
        "sys.exit(main.run([]))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr and "data opened" not in out.stderr, out.stderr
