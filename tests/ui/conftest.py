"""GUI test helpers: the fake prompts and the services of a fresh database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QSettings, QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import i18n
from app.db.engine import Database
from app.services.container import Services
from tests.support.fake_prompts import FakePrompts
from ui.collector import collect_on_main_thread
from ui.events import DataBus
from ui.fonts import install_ui_fonts
from ui.main import Application
from ui.settings import Preferences

HERE = Path(__file__).parent

#: The least a test waits for something to happen. pytest-qt's default of 5 s fails tests on a
#: loaded machine (a busy runner, two test workers on two cores) although nothing is wrong: a
#: wait fails only when the thing never happens, never because the machine is slow.
PATIENCE_MS = 60_000


def _patient(wait: Any) -> Any:
    def patient_wait(self: QtBot, *args: Any, timeout: int = PATIENCE_MS, **kwargs: Any) -> Any:
        return wait(self, *args, timeout=max(timeout, PATIENCE_MS), **kwargs)

    return patient_wait


for _name in ("waitUntil", "waitSignal", "waitSignals", "waitCallback"):
    setattr(QtBot, _name, _patient(getattr(QtBot, _name)))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here drives Qt widgets: marked ``gui`` (``-m "not gui"`` leaves them out)."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def qapp(qapp: QApplication) -> QApplication:
    """pytest-qt's application with Teixit's shipped fonts, as ``ui.main.run`` sets them up."""
    install_ui_fonts(qapp)
    collect_on_main_thread(qapp)
    return qapp


@pytest.fixture(autouse=True)
def background_jobs_finish(qapp: QApplication) -> Iterator[None]:
    """No background job outlives its test: a job still running while the widgets it reports to
    are deleted would call into freed objects."""
    yield
    QThreadPool.globalInstance().waitForDone(30000)
    qapp.processEvents()
    # Widgets closed at the end of the test are deleted later: do it now, inside this test,
    # rather than in the next test's first event loop, where deleting a page left from another
    # test (its completer popups, its timers) has crashed the window.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def prefs(tmp_path: Path) -> Preferences:
    """The user's preferences in a scratch file, never the real ones."""
    return Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def application(qtbot: Any, prompts: FakePrompts, prefs: Preferences) -> Iterator[Application]:
    """The whole application (composition root) on the test's data folder, not yet started."""
    app = Application(QApplication.instance(), prompts, prefs)  # type: ignore[arg-type]
    yield app
    QThreadPool.globalInstance().waitForDone(10000)  # background jobs finish before teardown
    if app.window is not None:
        app.window.close()
    app.stop()
    i18n.set_language("ca")


@pytest.fixture
def prompts() -> FakePrompts:
    return FakePrompts()


@pytest.fixture
def services(db: Database) -> Iterator[Services]:
    yield Services(db)


@pytest.fixture
def bus(qapp: Any) -> DataBus:
    return DataBus()
