"""Composition root: data folder -> lock -> database -> services -> main window."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from app import i18n, paths
from app.db.engine import Database, open_database
from app.db.lock import InstanceLock
from app.errors import UserError
from app.i18n import _
from app.services.container import Services
from ui.dialogs.prompts import Prompts
from ui.dialogs.welcome_dialog import WelcomeDialog
from ui.events import DataBus
from ui.i18n_qt import LanguageSwitcher
from ui.main_window import MainWindow
from ui.pages.base import Page
from ui.settings import Preferences


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="teixit")
    parser.add_argument("--data-dir")
    parser.add_argument("--lang", choices=i18n.LANGUAGES)
    args, _unknown = parser.parse_known_args(list(argv))
    return args


def build_pages(services: Services, bus: DataBus, prompts: Prompts) -> dict[str, object]:
    """One factory per area. Areas whose screens are not built yet say so honestly."""
    from ui.pages.pending_page import PendingPage

    def pending(title: str, text: str) -> object:
        return lambda: PendingPage(services, bus, prompts, lambda: _(title), lambda: _(text))

    return {
        "home": pending(
            i18n.N_("Home"),
            i18n.N_("Today's sessions and the year's figures will show here."),
        ),
        "programmes": pending(
            i18n.N_("Programmes"),
            i18n.N_("Programmes and activities can be imported from a data file for now."),
        ),
        "sessions": pending(
            i18n.N_("Sessions"),
            i18n.N_("Sessions and attendance can be imported from a data file for now."),
        ),
        "people": pending(
            i18n.N_("People"),
            i18n.N_("People can be imported from a data file for now."),
        ),
        "networks": pending(
            i18n.N_("Networks"),
            i18n.N_("Networks, meetings and agreements can be imported from a data file for now."),
        ),
        "reports": lambda: _reports_page(services, bus, prompts),
        "settings": lambda: _settings_page(services, bus, prompts),
    }


def _reports_page(services: Services, bus: DataBus, prompts: Prompts) -> Page:
    from ui.pages.reports_page import ReportsPage

    return ReportsPage(services, bus, prompts)


def _settings_page(services: Services, bus: DataBus, prompts: Prompts) -> Page:
    from ui.pages.settings_page import SettingsPage
    from ui.widgets.reference_lists import ReferenceLists

    page = SettingsPage(services, bus, prompts)
    page.add_section(ReferenceLists(services, bus, prompts))
    return page


class Application:
    """Owns the long-lived objects of one run so tests can build it without ``exec()``."""

    def __init__(self, qapp: QApplication, prompts: Prompts, prefs: Preferences) -> None:
        self.qapp = qapp
        self.prompts = prompts
        self.prefs = prefs
        self.languages = LanguageSwitcher(qapp)
        self.lock: InstanceLock | None = None
        self.db: Database | None = None
        self.window: MainWindow | None = None

    def set_language(self, lang: str) -> None:
        self.languages.apply(lang)
        self.prefs.language = lang

    def start(self, lang: str | None = None) -> bool:
        """Open everything; False (after telling the user why) when Teixit cannot start."""
        self.languages.apply(lang or self.prefs.language or i18n.system_language())
        path = paths.db_path()
        try:
            self.lock = InstanceLock(path)
            self.lock.acquire()
            self.db = open_database(path, backups=paths.backups_dir())
        except UserError as exc:
            self.prompts.error(None, _("Teixit cannot start"), exc.message)
            self.stop()
            return False
        services = Services(self.db)
        if services.profile.is_empty() and not self._welcome(services):
            self.stop()
            return False
        bus = DataBus()
        factories = build_pages(services, bus, self.prompts)
        self.window = MainWindow(services, bus, self.prompts, factories)  # type: ignore[arg-type]
        self.window.language_requested.connect(self.set_language)
        settings_page = self.window.page("settings")
        settings_page.language_requested.connect(self.set_language)  # type: ignore[attr-defined]
        geometry = self.prefs.window_geometry
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        self.window.closing_hook = self._on_close  # type: ignore[method-assign]
        return True

    def _welcome(self, services: Services) -> bool:

        dialog = WelcomeDialog(self.prompts)
        dialog.language_requested.connect(self.set_language)
        try:
            return self._run_welcome(dialog, services)
        finally:
            dialog.deleteLater()

    def _run_welcome(self, dialog: WelcomeDialog, services: Services) -> bool:
        while dialog.exec():
            try:
                if dialog.wants_demo:
                    from app.demo import load_demo

                    load_demo(services.db)
                else:
                    from app.domain.profile import EntityProfileDTO

                    services.profile.save(
                        EntityProfileDTO(
                            id="",
                            name=dialog.entity_name,
                            logo=dialog.logo,
                            default_lang=dialog.language,
                        )
                    )
                return True
            except UserError as exc:
                self.prompts.error(dialog, _("Welcome to Teixit"), exc.message)
        return False

    def _on_close(self) -> None:
        if self.window is not None:
            self.prefs.window_geometry = self.window.saveGeometry()
        self.prefs.sync()
        self.stop()

    def stop(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def run(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qapp, QApplication)
    qapp.setApplicationName("Teixit")
    qapp.setOrganizationName("Teixit")
    app = Application(qapp, Prompts(), Preferences())
    if not app.start(args.lang):
        return 1
    assert app.window is not None
    app.window.show()
    if os.environ.get("TEIXIT_QUIT_WHEN_READY"):
        # Start-up measurement: leave as soon as the shown window has been painted.
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, app.window.close)
    return qapp.exec()


def main() -> int:
    return run(sys.argv[1:])


__all__ = ["Application", "Page", "build_pages", "main", "run"]
