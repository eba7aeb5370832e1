"""Composition root: data folder -> lock -> window shell -> database -> services -> main window.

The window's shell (frame, navigation, a placeholder Home) is painted before the database layer
(SQLAlchemy, the models, the services) is imported: the data opens right after the first paint.
A first start (no data yet) opens the welcome first, with no window behind it."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from app import i18n, paths, temp_files
from app.db.lock import WINDOW, InstanceLock
from app.domain.changes import Area, Changes
from app.domain.office import COORDINATOR
from app.errors import UserError
from app.i18n import _
from ui.collector import collect_on_main_thread
from ui.error_hook import ErrorHook
from ui.events import DataBus
from ui.fonts import install_ui_fonts
from ui.i18n_qt import LanguageSwitcher
from ui.main_window import MainWindow
from ui.pages.base import Page
from ui.prompts import Prompts, QtPrompts
from ui.settings import Preferences
from ui.workers import Job, report_unexpected, start

if TYPE_CHECKING:
    from app.db.engine import Database
    from app.services.backups import BackupService
    from app.services.container import Services
    from app.services.security import SecurityService
    from ui.auto_lock import AutoLock
    from ui.dialogs.welcome_dialog import WelcomeDialog
    from ui.office_backup_timer import OfficeBackupTimer

_IMPORTED_AT = time.perf_counter()
BACKUP_DELAY_MS = 5000
#: After the window shows its data: what the first sheet would wait for is prepared.
WARM_UP_DELAY_MS = 1500


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="teixit")
    parser.add_argument("--data-dir")
    parser.add_argument("--database")
    parser.add_argument("--lang", choices=i18n.LANGUAGES)
    args, _unknown = parser.parse_known_args(list(argv))
    return args


#: The page class of each area (module under ui.pages, class name), imported on first visit.
PAGE_CLASSES = {
    "home": ("home_page", "HomePage"),
    "programmes": ("programmes_page", "ProgrammesPage"),
    "sessions": ("sessions_page", "SessionsPage"),
    "people": ("people_page", "PeoplePage"),
    "networks": ("networks_page", "NetworksPage"),
    "reports": ("reports_page", "ReportsPage"),
    "economics": ("economics_page", "EconomicsPage"),
    "volunteers": ("volunteers_page", "VolunteersPage"),
}


def build_pages(
    services: Services, bus: DataBus, prompts: Prompts, security: SecurityHooks | None = None
) -> dict[str, object]:
    """One factory per area; a page's module is imported only when the page is first shown."""

    def factory(module: str, name: str) -> object:
        def build() -> Page:
            page_class = getattr(importlib.import_module(f"ui.pages.{module}"), name)
            page: Page = page_class(services, bus, prompts)
            return page

        return build

    pages = {key: factory(module, name) for key, (module, name) in PAGE_CLASSES.items()}
    pages["settings"] = lambda: _settings_page(services, bus, prompts, security)
    return pages


def _settings_page(
    services: Services, bus: DataBus, prompts: Prompts, security: SecurityHooks | None = None
) -> Page:
    from ui.pages.settings_page import SettingsPage
    from ui.widgets.categories_editor import CategoriesEditor
    from ui.widgets.local_calendar import LocalCalendarEditor
    from ui.widgets.reference_lists import ReferenceLists
    from ui.widgets.volunteering_settings import VolunteeringSettings

    page = SettingsPage(services, bus, prompts)
    lists = ReferenceLists(services, bus, prompts)
    layout = lists.layout()
    assert layout is not None
    if services.shared:
        from ui.widgets.office_backup_box import OfficeBackupBox

        # The office database's daily backup, under the team (a coordinator sets it).
        lists.office_backup = OfficeBackupBox(services, bus, prompts)  # type: ignore[attr-defined]
        layout.addWidget(lists.office_backup)  # type: ignore[attr-defined]
    # The renewal of the team's and volunteers' certificates of the sexual-offences register.
    layout.addWidget(VolunteeringSettings(services, bus, prompts))
    page.add_tab(lists, lambda: _("Team, places and funders"))
    page.add_tab(CategoriesEditor(services, bus, prompts), lambda: _("Programme categories"))
    page.add_tab(LocalCalendarEditor(services, bus, prompts), lambda: _("Calendar"))
    if security is not None and not services.shared:
        from ui.pages.security_tab import SecurityTab

        page.add_tab(SecurityTab(security, prompts), lambda: _("Security"))
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
        self._backup_job: Job | None = None
        self._warm_up_job: Job | None = None
        self.auto_lock: AutoLock | None = None
        #: Shows the unlock dialog (tests put a stand-in here); True once unlocked.
        self.ask_unlock: Callable[[SecurityService, bool], bool] = _ask_unlock
        #: Shows the recovery key once (tests put a stand-in here).
        self.show_recovery: Callable[[str, QWidget | None], None] = self._show_recovery
        #: The office database's daily backup (a coordinator's window), else None.
        self.office_backup: OfficeBackupTimer | None = None
        #: The year's figures kept at the last clean close, shown by the shell's Home
        #: (app/home_snapshot.py); None when there are none still true.
        self.cached_figures: dict[str, float] | None = None

    def set_language(self, lang: str) -> None:
        self.languages.apply(lang)
        self.prefs.language = lang

    def start(self, lang: str | None = None) -> bool:
        """Open everything at once; False (after telling the user why) when Teixit cannot
        start. ``run`` does the same in two steps, painting the window's shell in between."""
        return self.begin(lang) and self.open_data()

    def begin(self, lang: str | None = None) -> bool:
        """The language and the instance lock; False (after telling why) when another Teixit
        has the data or the folder cannot be used."""
        self.languages.apply(lang or self.prefs.language or i18n.system_language())
        try:
            self.lock = InstanceLock(paths.db_path(), WINDOW)
            self.lock.acquire()
        except UserError as exc:
            self.prompts.error(None, _("Teixit cannot start"), exc.message)
            self.stop()
            return False
        except OSError as exc:
            self._folder_error(exc)
            self.stop()
            return False
        return True

    def show_shell(self) -> None:
        """The window's frame, navigation and a placeholder Home, on screen before the data
        is open (``open_data`` fills it)."""
        self.window = self._new_window(None)
        self.cached_figures = self._cached_figures()
        if self.cached_figures is not None:
            from ui.widgets.home_snapshot import CachedHome

            self.window.show_cached_home(CachedHome(self.cached_figures))
        self.window.show()

    def _cached_figures(self) -> dict[str, float] | None:
        """Home's figures kept at the last clean close of this computer's data file, when the
        file is still as it was then (never for an office database nor encrypted data)."""
        if paths.database_address() is not None or self.prefs.office_address:
            return None
        from app.home_snapshot import read_snapshot

        return read_snapshot(paths.db_path(), dt.date.today())

    def open_data(self) -> bool:
        """The database, the services, the welcome on a first start and the window on the data
        with its first page loaded; False (after telling why) when Teixit cannot start."""
        from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError

        from app.db.engine import is_damage

        while True:
            if not self._open_database():
                self.stop()
                return False
            try:
                if not self._start_on_database():
                    self.stop()
                    return False
                break
            except (SQLAlchemyDatabaseError, sqlite3.DatabaseError) as exc:
                # Damage quick_check does not see (an index out of step with its table) shows in
                # the first queries: the same offer of the latest good backup, not a traceback.
                if not is_damage(exc):
                    raise
                if not self._recover_from_damage(exc):
                    self.stop()
                    return False
        # The daily backup waits until the window is up, so it does not slow the start. An
        # office database is backed up on its server (pg_dump), not by each PC.
        if self.db is None or self.db.is_file:
            QTimer.singleShot(BACKUP_DELAY_MS, self._start_background_backup)
        # The first printed sheet would wait for ReportLab and the fonts: made ready in the
        # background once the window is up.
        QTimer.singleShot(WARM_UP_DELAY_MS, self._warm_up_documents)
        self._arm_auto_lock()
        return True

    def _start_on_database(self) -> bool:
        """Services, the welcome on a first start, the window and its first page's data; False
        when the welcome was cancelled."""
        from app.services.container import Services

        assert self.db is not None
        services = Services(self.db)
        self._wipe_if_retired(services)
        first_start = services.profile.is_empty()
        if first_start and not self._welcome(services):
            return False
        if services.db is not self.db:  # encrypted at the welcome: opened again
            services = Services(self.db)
        self._build_window(services)
        assert self.window is not None
        first = self.window.page(self.window.current_key())
        if self.cached_figures is not None and hasattr(first, "show_cached_figures"):
            first.show_cached_figures(self.cached_figures)
        first.load_now()
        if first_start and not services.programmes.all():
            self._guide_first_steps()
        return True

    def _wipe_if_retired(self, services: Services) -> None:
        """The team retired this device (a lost laptop): its data goes, then the welcome."""
        if services.shared:
            return
        notice = services.sync.retired_notice()
        if notice is None:
            return
        services.sync.wipe()
        self.prompts.info(
            None,
            _("This device was retired"),
            _(
                "“{by}” retired this device from the team's sync on {date}, so its data has "
                "been removed from this computer (with its backups). To use Teixit here again, "
                "start with empty data or join the team again."
            ).format(by=notice.by_name or notice.by[:8], date=notice.at.date().isoformat()),
        )

    def _recover_from_damage(self, exc: BaseException) -> bool:
        from app.db.engine import damaged_error
        from ui.dialogs.backups_dialog import offer_recovery

        if self.window is not None:
            self.window.closing_hook = lambda: None  # type: ignore[method-assign]
            self.window.close()
            self.window.deleteLater()
            self.window = None
        if self.db is not None:
            self.db.close()
            self.db = None
        message = damaged_error(paths.db_path(), exc).message
        return offer_recovery(self.prompts, self.backups(), message)

    def backups(self) -> BackupService:
        from app.services.backups import BackupService

        return BackupService(paths.db_path(), paths.backups_dir())

    def _open_database(self) -> bool:
        """Open the data (see ``_open_any_database``) and lock the file it is in."""
        if not self._open_any_database():
            return False
        self._hold_database_file()
        return True

    def _open_any_database(self) -> bool:
        """Open the database; a damaged or foreign file is kept and a good backup offered; an
        office database that wants a password asks for it in the Connect dialog."""
        from app.db.engine import (
            DamagedDatabase,
            NotATeixitDatabase,
            PasswordRefused,
            open_address,
        )

        while True:
            address = paths.database_address() or self.prefs.office_address
            if not self._unlock(address):
                return False
            try:
                self.db = open_address(address, backups=paths.backups_dir())
                return True
            except PasswordRefused:
                assert address is not None
                return self._ask_office_login(
                    address,
                    _(
                        "The office database asks for your password (it is not remembered on "
                        "this computer, or it has changed)."
                    ),
                )
            except (DamagedDatabase, NotATeixitDatabase) as exc:
                from ui.dialogs.backups_dialog import offer_recovery

                if not offer_recovery(self.prompts, self.backups(), exc.message):
                    return False
            except UserError as exc:
                self.prompts.error(None, _("Teixit cannot start"), exc.message)
                return False
            except OSError as exc:
                self._folder_error(exc)
                return False

    # -- encryption at rest (docs/data-protection.md) ---------------------------------------

    def security(self) -> SecurityService:
        from app.services.security import SecurityService

        return SecurityService(paths.db_path(), paths.backups_dir())

    def _unlock(self, address: str | None) -> bool:
        """An encrypted data folder is unlocked before it is opened: with the key remembered
        on this computer, else the passphrase asked; False when the person quits."""
        from app.db.engine import is_office_url

        if address and (is_office_url(address) or Path(address) != paths.db_path()):
            return True
        service = self.security()
        if not service.is_encrypted() or service.is_unlocked() or service.unlock_remembered():
            return True
        return self.ask_unlock(service, False)

    def _arm_auto_lock(self) -> None:
        """Auto-lock runs while the data open is encrypted."""
        encrypted = self.db is not None and self.db.is_file and self.security().is_encrypted()
        if not encrypted:
            if self.auto_lock is not None:
                self.auto_lock.stop()
                self.auto_lock = None
            return
        if self.auto_lock is None:
            from ui.auto_lock import AutoLock

            self.auto_lock = AutoLock(
                self.qapp, lambda: self.ask_unlock(self.security(), True)
            )
        self.auto_lock.set_minutes(self.prefs.auto_lock_minutes)

    def set_auto_lock_minutes(self, minutes: int) -> None:
        self.prefs.auto_lock_minutes = minutes
        self._arm_auto_lock()

    def lock_now(self) -> None:
        if self.auto_lock is not None:
            self.auto_lock.lock()

    def encrypt_data(self, passphrase: str, remember: bool, parent: QWidget | None) -> bool:
        """Turn encryption on for the open data folder: the database is closed, converted
        (with its backups) and opened again; the recovery key is shown once."""
        if self.db is None or not self.db.is_file:
            return False
        self.wait_for_backup()
        self.db.close()
        self.db = None
        try:
            from ui.workers import run_with_progress

            recovery = run_with_progress(
                parent,
                _("Encrypt the data"),
                _("Encrypting the data and its backups…"),
                lambda: self.security().turn_on(passphrase, remember=remember),
            )
        except UserError as exc:
            self.prompts.error(parent, _("Encrypt the data"), exc.message)
            recovery = None
        if not self._open_database():
            return False
        if recovery is None:
            return False
        self.show_recovery(recovery, parent)
        self._arm_auto_lock()
        return True

    def _show_recovery(self, recovery: str, parent: QWidget | None) -> None:
        from ui.dialogs.unlock_dialog import RecoveryKeyDialog

        dialog = RecoveryKeyDialog(recovery, paths.db_path().parent, self.prompts, parent)
        dialog.exec()
        dialog.deleteLater()

    def encrypt_from_settings(self, passphrase: str, remember: bool) -> None:
        """Settings > Security: encrypt the data now; the window goes on on the encrypted
        data."""
        assert self.window is not None
        if self.encrypt_data(passphrase, remember, self.window) and self.db is not None:
            from app.services.container import Services

            self._replace_window(Services(self.db))

    def _ask_office_login(self, address: str, reason: str) -> bool:
        """The Connect dialog at start, filled in with the office address (its password was
        refused or is not known); False when the person cancels."""
        from ui.office_connect import ask_login

        found = ask_login(None, address, reason)
        if found is None:
            return False
        services, login = found
        self.db = services.db
        self.prefs.office_address = login.address
        return True

    def connect_office(self) -> None:
        """File > Connect to the office database: the window goes on on the database chosen."""
        from ui.office_connect import ask_login

        assert self.window is not None
        current = None if self.db is None or self.db.is_file else self.db.engine.url
        found = ask_login(self.window, current or self.prefs.office_address, "")
        if found is None:
            return
        services, login = found
        self.window.stop_listening()
        if self.db is not None:
            self.db.close()
        self.db = services.db
        self.prefs.office_address = login.address
        self._replace_window(services)

    def use_local_data(self) -> None:
        """File > Work with this computer's data: back to the data folder's own file."""
        assert self.window is not None
        self.window.stop_listening()
        self.prefs.office_address = None
        paths.set_database(None)
        if self.db is not None:
            self.db.close()
            self.db = None
        if not self._open_database():
            self.window.close()
            return
        from app.services.container import Services

        assert self.db is not None
        self._replace_window(Services(self.db))

    def _folder_error(self, exc: OSError) -> None:
        """The data folder cannot be created or written: say which and what to do, in words."""
        self.prompts.error(
            None,
            _("Teixit cannot start"),
            _(
                "Teixit cannot create or write its data in the folder {folder}. Check that the "
                "disk is connected and that you are allowed to write there, or start Teixit "
                "with another data folder (teixit --data-dir FOLDER).\n\nSystem message: "
                "{detail}"
            ).format(folder=paths.db_path().parent, detail=exc.strerror or exc),
        )

    def _new_window(self, services: Services | None) -> MainWindow:
        """A window on ``services`` (None: the shell, waiting for the data)."""
        bus = DataBus()
        factories = (
            build_pages(services, bus, self.prompts, SecurityHooks(self))
            if services is not None
            else {}
        )
        window = MainWindow(services, bus, self.prompts, factories)  # type: ignore[arg-type]
        window.language_requested.connect(self.set_language)
        window.backups_requested.connect(self.show_backups)
        window.start_over_requested.connect(self.start_over)
        window.connect_requested.connect(self.connect_office)
        window.local_data_requested.connect(self.use_local_data)
        geometry = self.prefs.window_geometry
        if geometry is not None:
            window.restoreGeometry(geometry)
        return window

    def _build_window(self, services: Services) -> None:
        """The window on the data: the shell on screen becomes it, or a new one is made."""
        if self.window is not None and self.window.is_shell():
            factories = build_pages(services, self.window.bus, self.prompts, SecurityHooks(self))
            self.window.attach(services, factories)  # type: ignore[arg-type]
        else:
            self.window = self._new_window(services)
        if self.window.office_link is not None:  # other PCs' changes refresh the pages too
            self.window.office_link.changed.connect(self.window.bus.emit_changes)
        if self.office_backup is not None:
            self.office_backup.stop()
            self.office_backup = None
        if not services.db.is_file and services.office.role == COORDINATOR:
            from ui.office_backup_timer import OfficeBackupTimer

            # A coordinator's window takes the office database's daily backup when it is due.
            self.office_backup = OfficeBackupTimer(
                services, self.prompts, self.window, first_check_ms=BACKUP_DELAY_MS
            )
            self.office_backup.changed.connect(self.window.bus.emit_changes)
        self.window.closing_hook = self._on_close  # type: ignore[method-assign]

    def _guide_first_steps(self) -> None:
        """An empty start lands where the next step is: the team, places and funders."""
        assert self.window is not None
        self.window.go_to("settings")
        page = self.window.page("settings")
        page.tabs.setCurrentIndex(3)  # type: ignore[attr-defined]
        message = _(
            "Next steps: add your team, places and funders here, then create your programmes "
            "in Programmes (Ctrl+2)."
        )
        # Once the window is on screen: the status bar hides the data folder only then.
        bar = self.window.statusBar()
        QTimer.singleShot(0, lambda: bar.showMessage(message, 30000))

    def _start_background_backup(self) -> None:
        """The daily automatic backup, off the window's thread (ui/workers.py); a failure is said
        on screen, a bug reaches the unexpected-error hook."""
        if self.db is None:
            return
        service = self.backups()

        def work(_progress: object, _cancelled: object) -> BaseException | None:
            try:
                service.auto_backup_on_open()
            except UserError:
                raise  # the job hands its message to _backup_failed
            except OSError as exc:
                raise UserError(str(exc.strerror or exc)) from exc
            except Exception as exc:  # noqa: BLE001 - handed to the error hook below
                return exc
            return None

        def finished(bug: BaseException | None) -> None:
            if bug is not None:
                report_unexpected(bug)

        job = Job(work)
        # Queued: reported on the window's thread, where the job's signals live.
        job.signals.failed.connect(self._backup_failed, Qt.ConnectionType.QueuedConnection)
        job.signals.finished.connect(finished, Qt.ConnectionType.QueuedConnection)
        self._backup_job = start(job)

    def _warm_up_documents(self) -> None:
        """ReportLab, the QR encoder and the fonts made ready off the window's thread, so the
        first sheet printed after start takes about as long as the next ones."""
        if self.db is None or self.window is None or self.window.is_shell():
            return  # stopped meanwhile
        sheets = self.window.services.sheets

        def work(_progress: object, _cancelled: object) -> None:
            sheets.warm_up()

        # A failure here only leaves the first sheet a little slower.
        self._warm_up_job = start(Job(work))

    def wait_for_backup(self) -> None:
        """Until the daily backup under way (if any), and the documents' preparation, have
        finished (both read the database)."""
        for job in (self._backup_job, self._warm_up_job):
            if job is not None:
                job.done.wait()

    def _backup_failed(self, reason: str) -> None:
        """A failed automatic backup is said on screen, and stays on Home until one succeeds."""
        self.prompts.error(
            self.window,
            _("The automatic backup failed"),
            _(
                "Teixit could not make its automatic backup: {reason}\n\nYour data is still "
                "there, but it has no fresh copy until a backup succeeds. Open File > Backups "
                "(Ctrl+B) to try again, or back up to another disk."
            ).format(reason=reason),
        )
        if self.window is not None:
            self.window.bus.emit_changes(Changes.of(Area.BACKUPS))

    def show_backups(self) -> None:
        """The backups dialog; a restore closes the database, swaps the file and rebuilds the
        window on the restored data."""
        from ui.dialogs.backups_dialog import BackupsDialog

        assert self.window is not None
        restored = False

        def close_database() -> None:
            if self.db is not None:
                self.db.close()
                self.db = None

        def reopen_database() -> None:
            nonlocal restored
            restored = True
            self._open_database()

        dialog = BackupsDialog(
            self.backups(), self.prompts, close_database, reopen_database, self.window
        )
        dialog.exec()
        dialog.deleteLater()
        if restored and self.db is not None:
            from app.services.container import Services

            self._replace_window(Services(self.db))
        elif self.window is not None:
            self.window.bus.emit_changes(Changes.of(Area.BACKUPS))

    def start_over(self) -> None:
        """After trying the demo: empty data and the welcome again. The current data is first
        saved as a checked backup; cancelling the welcome brings it straight back."""
        from ui.workers import run_with_progress

        assert self.window is not None and self.db is not None
        title = _("Start again with empty data")
        if not self.prompts.confirm(
            self.window,
            title,
            _(
                "Start again with empty data? Everything now in Teixit is first saved as a "
                "checked backup, which you can bring back at any time from File > Backups. "
                "Then you choose between the demo data and an empty start."
            ),
        ):
            return
        service = self.backups()
        try:
            info = run_with_progress(
                self.window, title, _("Backing up…"), lambda: service.backup_now("manual")
            )
        except UserError as exc:
            self.prompts.error(self.window, title, exc.message)
            return
        self.db.close()
        self.db = None
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                paths.db_path().with_name(paths.db_path().name + suffix).unlink()
        if not self._open_database():
            return
        from app.services.container import Services

        assert self.db is not None
        services = Services(self.db)
        self.window.hide()
        if not self._welcome(services):
            self.db.close()
            self.db = None
            service.restore(info.path)  # as it was: the backup was just written and checked
            self._open_database()
        assert self.db is not None
        if services.db is not self.db:
            services = Services(self.db)
        self._replace_window(services)

    def _replace_window(self, services: Services) -> None:
        old = self.window
        assert old is not None
        old.closing_hook = lambda: None  # type: ignore[method-assign]
        self._build_window(services)
        assert self.window is not None
        self.window.show()
        old.close()
        old.deleteLater()

    def _welcome(self, services: Services) -> bool:
        from ui.dialogs.welcome_dialog import WelcomeDialog

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
                    from ui.workers import run_with_progress

                    run_with_progress(
                        None,
                        _("Welcome to Teixit"),
                        _("Preparing the demo data…"),
                        lambda: load_demo(services.db),
                    )
                else:
                    from app.domain.profile import EntityProfileDTO, region_for_language

                    services.profile.save(
                        EntityProfileDTO(
                            id="",
                            name=dialog.entity_name,
                            logo=dialog.logo,
                            default_lang=dialog.language,
                            region=region_for_language(dialog.language),
                        )
                    )
                    if dialog.encrypt:
                        self.encrypt_data(dialog.passphrase, dialog.remember, dialog)
                return True
            except UserError as exc:
                self.prompts.error(dialog, _("Welcome to Teixit"), exc.message)
        return False

    def _on_close(self) -> None:
        if self.window is not None:
            self.prefs.window_geometry = self.window.saveGeometry()
        self.prefs.sync()
        had_database = self.db is not None
        figures = self._figures_to_keep()
        # Another file (--database) or an office database leaves the data folder's kept
        # figures as they are: its file was not opened.
        own_file = self.db is not None and self.db.is_file and self.db.path == paths.db_path()
        self.stop(release_lock=False)
        if had_database:
            try:
                self.backups().backup_on_close()
            except UserError as exc:
                # Kept by the service too: Home says so at the next start.
                self.prompts.error(
                    None,
                    _("The backup on closing failed"),
                    _(
                        "Teixit could not back up your data as it closed: {reason}\n\nYour "
                        "data is still there; Teixit will try again when it next opens."
                    ).format(reason=exc.message),
                )
            except OSError:
                pass
        if own_file:
            self._keep_figures(figures)
        self.stop()

    def _figures_to_keep(self) -> dict[str, float] | None:
        """Home's year figures, still true, of a plain data file on this computer: kept at a
        clean close for the next start (app/home_snapshot.py); None otherwise."""
        if self.db is None or not self.db.is_file or self.window is None:
            return None
        if self.db.path != paths.db_path() or self.security().is_encrypted():
            return None
        home = next((p for p in self.window.built_pages() if hasattr(p, "current_figures")), None)
        return home.current_figures() if home is not None else None

    def _keep_figures(self, figures: dict[str, float] | None) -> None:
        from app.home_snapshot import forget_snapshot, write_snapshot

        if figures is None:
            forget_snapshot(paths.db_path())
        else:
            write_snapshot(paths.db_path(), dt.date.today().year, figures)

    def _hold_database_file(self) -> None:
        """Lock the database file just opened (a restore or a fresh start put a new one in
        place); a refusal here means the lock file was deleted under another Teixit."""
        if self.lock is None:
            return
        try:
            self.lock.hold_database()
        except UserError as exc:
            self.prompts.error(self.window, _("Teixit cannot start"), exc.message)

    def stop(self, *, release_lock: bool = True) -> None:
        self.wait_for_backup()
        if self.auto_lock is not None:
            self.auto_lock.stop()
            self.auto_lock = None
        if self.office_backup is not None:
            self.office_backup.stop()
            self.office_backup = None
        if self.window is not None:
            self.window.stop_listening()
        if self.db is not None:
            self.db.close()
            self.db = None
        if release_lock and self.lock is not None:
            self.lock.release()
            self.lock = None


class SecurityHooks:
    """What Settings > Security asks of the application (the database must be closed to
    encrypt it; auto-lock belongs to the whole run)."""

    def __init__(self, app: Application) -> None:
        self._app = app

    def service(self) -> SecurityService:
        return self._app.security()

    def encrypt(self, passphrase: str, remember: bool) -> None:
        self._app.encrypt_from_settings(passphrase, remember)

    @property
    def auto_lock_minutes(self) -> int:
        return self._app.prefs.auto_lock_minutes

    def set_auto_lock_minutes(self, minutes: int) -> None:
        self._app.set_auto_lock_minutes(minutes)

    def lock_now(self) -> None:
        self._app.lock_now()


def _ask_unlock(service: SecurityService, relock: bool) -> bool:
    """The unlock dialog (ui/dialogs/unlock_dialog.py); True once the data is unlocked."""
    from ui.dialogs.unlock_dialog import UnlockDialog

    dialog = UnlockDialog(service, None, relock=relock)
    try:
        return bool(dialog.exec())
    finally:
        dialog.deleteLater()


def install_handlers(
    qapp: QApplication, prompts: Prompts, window: Callable[[], QWidget | None]
) -> ErrorHook:
    """For the whole run: unexpected errors are logged and shown (ui/error_hook.py), and the
    temporary files with people's names are deleted when Teixit closes."""
    qapp.aboutToQuit.connect(temp_files.remove_all)
    return ErrorHook(prompts, window).install()


def app_icon() -> QIcon:
    """The application icon: the PNG of each size (resources/icons/hicolor) and the drawing."""
    icon = QIcon()
    for png in sorted(paths.resource_path("icons", "hicolor").glob("*/apps/*.png")):
        icon.addFile(str(png))
    icon.addFile(str(paths.resource_path("icons", "teixit.svg")))
    return icon


def set_identity(qapp: QApplication) -> None:
    """Name, version, icon, and the desktop file the window belongs to (so a Linux desktop shows
    the window under Teixit's icon and name, not a generic one)."""
    from app import about

    qapp.setApplicationName(about.NAME)
    qapp.setOrganizationName(about.NAME)
    qapp.setApplicationVersion(about.version())
    qapp.setDesktopFileName(about.APP_ID)
    qapp.setWindowIcon(app_icon())
    if sys.platform == "win32":  # the taskbar groups the windows under Teixit's own icon
        import ctypes

        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(about.APP_ID)


def has_data() -> bool:
    """False for a first start (no database file yet, or an empty one), when the welcome comes
    before any window; True otherwise (an office database, an address: the shell first)."""
    address = paths.database_address()
    if address and (":" in address.split("/", 1)[0] or address.startswith("sqlite:")):
        return True  # an office database or a SQLite URL: opening it tells
    path = Path(address).expanduser() if address else paths.db_path()
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def run(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    paths.set_database(args.database)
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qapp, QApplication)
    set_identity(qapp)
    install_ui_fonts(qapp)
    collect_on_main_thread(qapp)
    prompts = QtPrompts()
    app = Application(qapp, prompts, Preferences())
    from ui.dialogs.help_window import remember_size_in

    remember_size_in(app.prefs)  # the user guide's window keeps its size
    install_handlers(qapp, prompts, lambda: app.window)
    if not has_data():
        # A first start: the welcome (demo or empty start) first, with no window behind it.
        if not app.start(args.lang):
            return 1
        _on_screen(qapp, app)
        return qapp.exec()
    if not app.begin(args.lang):
        return 1
    app.show_shell()
    if os.environ.get("TEIXIT_QUIT_WHEN_READY"):
        QTimer.singleShot(0, lambda: _say_after("shell-after"))
        if app.cached_figures is not None:  # Home with this year's figures: usable
            QTimer.singleShot(0, lambda: _say_after("home-after"))

    def open_data(*_ignored: object) -> None:
        # Once the database layer is imported: the database, the services and Home's data.
        try:
            opened = app.open_data()
        except BaseException:
            qapp.exit(1)  # a bug: the error hook says so; no empty shell is left on screen
            raise
        if not opened:
            if app.window is not None:
                app.window.hide()
            qapp.exit(1)
            return
        _on_screen(qapp, app)

    # Right after the shell's first paint, the database layer is imported off the window's
    # thread (the window stays responsive meanwhile), then the data opens on it. An import that
    # fails is met again, and reported, by ``open_data``.
    loader = Job(_import_data_layer)
    loader.signals.finished.connect(open_data, Qt.ConnectionType.QueuedConnection)
    loader.signals.failed.connect(open_data, Qt.ConnectionType.QueuedConnection)
    started: list[Job] = []
    QTimer.singleShot(0, lambda: started.append(start(loader)))
    code = qapp.exec()
    # Closed before the data opened: the import under way finishes before the process ends
    # (its signal then reaches no one).
    for job in started:
        job.done.wait()
    return code


#: Imported off the window's thread while the shell is on screen (the bulk of a start).
DATA_LAYER = ("sqlalchemy.orm", "app.db.engine", "app.services.container", "ui.pages.home_page")


def _import_data_layer(_progress: object, _cancelled: object) -> None:
    for name in DATA_LAYER:
        importlib.import_module(name)


def _say_after(what: str) -> None:
    """A start-up moment for tests/benchmarks/startup.py: wall seconds since the process
    started, and the processor seconds this process used until then."""
    seconds, cpu = _seconds_since_process_start(), time.process_time()
    print(f"{what} {seconds:.3f} cpu {cpu:.3f}", file=sys.stderr, flush=True)


def _on_screen(qapp: QApplication, app: Application) -> None:
    """The window on the data shown; the start-up measurement and the packaged builds' check
    run from here."""
    assert app.window is not None
    window = app.window
    window.show()
    if os.environ.get("TEIXIT_QUIT_WHEN_READY"):
        # Start-up measurement (tests/benchmarks/startup.py): report once the window on the
        # data has been painted and the event loop is idle, then leave at once.
        def ready() -> None:
            _say_after("ready-after")
            if os.environ["TEIXIT_QUIT_WHEN_READY"] != "close":
                os._exit(0)
            close_when_figures_kept()

        def close_when_figures_kept() -> None:
            # ``close``: a clean close once Home's figures are computed (what a person's
            # close keeps for the next start is then kept).
            home = window.page("home")
            if getattr(home, "current_figures", lambda: None)() is None:
                QTimer.singleShot(50, close_when_figures_kept)
                return
            window.close()

        QTimer.singleShot(0, ready)
    report = os.environ.get("TEIXIT_SMOKE_TEST")
    if report:
        # The packaged builds' check (tests/packaging, the Windows CI): every page opens, the
        # result goes to a file (the windowed Windows program has no console), then Teixit quits.
        QTimer.singleShot(0, lambda: qapp.exit(smoke_test(window, Path(report))))


def smoke_test(window: MainWindow, report: Path) -> int:
    """Open every area's page; write one line per area (``ok KEY Class`` or ``FAILED KEY:
    error``) to ``report``; 0 when all opened."""
    from ui.main_window import AREAS

    lines, failed = [], False
    for key in AREAS:
        try:
            page = window.page(key)  # built here first, so a failure is reported, not shown
            window.go_to(key)
            assert window.current_key() == key, window.current_key()
            lines.append(f"ok {key} {type(page).__name__} {len(page.findChildren(QWidget))}")
        except Exception as exc:  # noqa: BLE001 - the report says what failed
            failed = True
            lines.append(f"FAILED {key}: {type(exc).__name__}: {exc}")
    icon = QApplication.windowIcon()
    shown = "missing" if icon.isNull() else "ok"
    lines.append(f"icon {shown} {QApplication.desktopFileName()}")
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 1 if failed or icon.isNull() else 0


def _seconds_since_process_start() -> float:
    """Wall time since the process started (Linux: from /proc, interpreter start included)."""
    try:
        with open("/proc/self/stat") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as fh:
            uptime = float(fh.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _IMPORTED_AT


def main() -> int:
    return run(sys.argv[1:])


__all__ = ["Application", "Page", "build_pages", "install_handlers", "main", "run"]
