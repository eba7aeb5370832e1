"""The main window: navigation to the areas, menus with shortcuts, a status bar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QIcon,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from app import i18n, paths
from app.domain.office import COORDINATOR, VIEWER
from app.errors import UserError
from app.i18n import N_, _
from ui.events import DataBus
from ui.office_link import OfficeLink
from ui.pages.base import Page
from ui.prompts import Prompts, import_filter, json_filter
from ui.roles import HIDDEN_AREAS, apply_role

if TYPE_CHECKING:  # the shell is painted before the database layer is imported
    from app.services.container import Services
    from ui.dialogs.help_window import HelpWindow

#: Names of the areas, in navigation order (keys for tests and shortcuts Ctrl+1..8).
AREAS = (
    "home",
    "programmes",
    "sessions",
    "people",
    "networks",
    "reports",
    "settings",
    # After settings, so the keys of the areas that came before it stay as they were.
    "economics",
    "volunteers",
)


def nav_icon(key: str) -> QIcon:
    """The navigation icon of an area: resources/icons/<area>.svg (simple line drawings)."""
    return QIcon(str(paths.resource_path("icons", f"{key}.svg")))


#: A calm navigation column: roomy rows, the current area clearly marked.
NAV_STYLE = """
QListWidget#navigation {
    background: #eef3f2; border: none; border-right: 1px solid #c9d6d4;
    font-size: 11pt; outline: none; padding-top: 6px;
}
QListWidget#navigation::item {
    padding: 7px 10px; color: #1f3533; border-left: 4px solid transparent;
}
QListWidget#navigation::item:hover { background: #dde9e7; }
QListWidget#navigation::item:selected {
    background: #cfe3e0; color: #102a27; border-left: 4px solid #2c6e6a; font-weight: 600;
}
"""


#: Navigation titles, known before a page is built (pages are built on first visit).
TITLES = {
    "home": N_("Home"),
    "programmes": N_("Programmes"),
    "sessions": N_("Sessions"),
    "people": N_("People"),
    "networks": N_("Networks"),
    "reports": N_("Reports"),
    "economics": N_("Economics"),
    "settings": N_("Settings"),
    "volunteers": N_("Volunteering"),
}


#: The size the window opens at when none was kept, and the room left for its frame and title.
PREFERRED_SIZE = QSize(1180, 760)
FRAME_ROOM = QSize(16, 48)


def default_size(available: QSize) -> QSize:
    """The preferred size, shrunk to the screen's usable area (a 1366x768 laptop keeps a
    taskbar and the window's title bar: the whole window must still be on screen)."""
    return QSize(
        min(PREFERRED_SIZE.width(), available.width() - FRAME_ROOM.width()),
        min(PREFERRED_SIZE.height(), available.height() - FRAME_ROOM.height()),
    )


class MainWindow(QMainWindow):
    #: Emitted with the language code when the user picks another interface language.
    language_requested = Signal(str)
    #: The backups dialog can restore, which replaces the database: the application owns that.
    backups_requested = Signal()
    #: Empty data and the welcome again (after trying the demo): the application owns that too.
    start_over_requested = Signal()
    #: Another database (the office's, or back to this computer's): the application's too.
    connect_requested = Signal()
    local_data_requested = Signal()

    def __init__(
        self,
        services: Services | None,
        bus: DataBus,
        prompts: Prompts,
        pages: dict[str, Callable[[], Page]],
    ) -> None:
        """The window on the data of ``services``; with None, its shell: the frame, the
        navigation and a placeholder Home, painted while the data opens (``attach``)."""
        super().__init__()
        self._services, self.bus, self.prompts = services, bus, prompts
        # Only the page shown is built at start-up: the window is usable sooner.
        self._factories = pages
        self._pages: dict[str, Page] = {}
        #: The user guide's window, made the first time F1 is pressed.
        self.help_window: HelpWindow | None = None

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setStyleSheet(NAV_STYLE)
        self.nav.setIconSize(QSize(22, 22))
        self.stack = QStackedWidget()
        #: What Home shows in the shell, until the data is open.
        self.opening = QLabel()
        self.opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.opening.setStyleSheet("color: #555555; font-size: 11pt;")
        for key in AREAS:
            item = QListWidgetItem(nav_icon(key), "")
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
            self.stack.addWidget(self.opening if key == "home" else QWidget())
        self.nav.currentRowChanged.connect(self._show_row)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.setAcceptDrops(True)  # signed sheets dropped on the window are read

        self._build_menus()
        # The data folder sits under the temporary messages (exports, next steps), not in them.
        self.status_path = QLabel()
        self.statusBar().addWidget(self.status_path, 1)
        self.status_entity = QLabel()
        self.statusBar().addPermanentWidget(self.sync_link.label)
        self.statusBar().addPermanentWidget(self.status_entity)
        bus.changed.connect(lambda _c: self._update_status())
        #: On an office database: other PCs' changes and the server's state (None on a file,
        #: and in the shell).
        self.office_link: OfficeLink | None = None
        #: What the login may do (an office database's role; coordinator on a file).
        self.role = COORDINATOR
        if services is not None:
            self._link_office(services)
            self.sync_link.attach(services)
        self.retranslate_ui()
        self._set_usable(services is not None)
        if services is not None:
            self._take_role(services)
        self.nav.setCurrentRow(self._first_row())
        self.resize(default_size(self.screen().availableGeometry().size()))

    @property
    def services(self) -> Services:
        """The services of the open data (the shell has none until ``attach``)."""
        assert self._services is not None, "the window's data is not open yet"
        return self._services

    def is_shell(self) -> bool:
        """True while the window waits for its data (painted before it opens)."""
        return self._services is None

    def attach(self, services: Services, pages: dict[str, Callable[[], Page]]) -> None:
        """The data is open: the shell becomes the window on it, on the page it shows (the
        first the login's role may use)."""
        self._services, self._factories = services, pages
        self._link_office(services)
        self.sync_link.attach(services)
        self._set_usable(True)
        self._take_role(services)
        if self.nav.isRowHidden(self.nav.currentRow()):
            self.nav.setCurrentRow(self._first_row())
        self.page(self.current_key())
        self._update_status()

    def _link_office(self, services: Services) -> None:
        if services.office.is_office:
            self.office_link = OfficeLink(services, self.status_path)
        self.act_local_data.setVisible(services.office.is_office)

    def _take_role(self, services: Services) -> None:
        self.role = services.office.role
        self._reflect_role()

    def _first_row(self) -> int:
        return next(r for r in range(len(AREAS)) if not self.nav.isRowHidden(r))

    def _set_usable(self, usable: bool) -> None:
        """The shell's navigation and menus wait for the data (the language menu does not)."""
        self.nav.setEnabled(usable)
        for action in self.actions():
            action.setEnabled(usable or action in self.language_actions.values())

    # --- navigation -------------------------------------------------------------------------
    def page(self, key: str) -> Page:
        """The page of an area, built the first time it is asked for."""
        if key not in self._pages:
            page = self._factories[key]()
            index = AREAS.index(key)
            placeholder = self.stack.widget(index)
            assert placeholder is not None  # every area has its placeholder until built
            current = self.stack.currentIndex()
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(placeholder)
            if placeholder is self.opening:
                placeholder.hide()  # kept: a language switch still sets its text
            else:
                placeholder.deleteLater()
            self.stack.setCurrentIndex(current)
            self._pages[key] = page
            apply_role(page, self.role)
            if key == "settings":  # the settings page offers the language too
                page.language_requested.connect(self.language_requested)  # type: ignore[attr-defined]
        return self._pages[key]

    def built_pages(self) -> list[Page]:
        return list(self._pages.values())

    def _show_row(self, row: int) -> None:
        if self._services is not None:
            self.page(AREAS[row])
        self.stack.setCurrentIndex(row)

    def go_to(self, key: str) -> None:
        self.nav.setCurrentRow(AREAS.index(key))

    def current_key(self) -> str:
        return AREAS[self.stack.currentIndex()]

    def _reflect_role(self) -> None:
        """Areas and menu entries the role may not use are not offered (the office database
        would refuse them anyway)."""
        hidden = HIDDEN_AREAS.get(self.role, frozenset())
        for row, key in enumerate(AREAS):
            if key in hidden:
                self.nav.setRowHidden(row, True)
                self.go_actions[row].setVisible(False)
                self.go_actions[row].setEnabled(False)
        not_offered: list[QAction] = []
        if self.role != COORDINATOR:  # exports and imports of all the data, starting over
            not_offered += [self.act_export, self.act_import, self.act_start_over]
        if self.role == VIEWER:  # people and attendance
            not_offered += [
                self.act_import_people,
                self.act_import_attendance,
                self.act_read_sheets,
                self.act_backups,
            ]
        for action in not_offered:
            action.setVisible(False)
            action.setEnabled(False)

    # --- menus ------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.act_export = QAction(self, triggered=self.export_data)
        self.act_export.setShortcut(QKeySequence("Ctrl+E"))
        self.act_import = QAction(self, triggered=self.import_data)
        self.act_import.setShortcut(QKeySequence("Ctrl+I"))
        self.act_import_people = QAction(self, triggered=self.import_people)
        self.act_import_people.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.act_import_attendance = QAction(self, triggered=self.import_attendance)
        self.act_read_sheets = QAction(self, triggered=lambda: self.read_signed_sheets())
        self.act_blank_sheet = QAction(self, triggered=self.blank_sheet)
        self.act_backups = QAction(self, triggered=lambda: self.backups_requested.emit())
        self.act_backups.setShortcut(QKeySequence("Ctrl+B"))
        self.act_start_over = QAction(self, triggered=lambda: self.start_over_requested.emit())
        self.act_connect = QAction(self, triggered=lambda: self.connect_requested.emit())
        self.act_local_data = QAction(self, triggered=lambda: self.local_data_requested.emit())
        self.act_local_data.setVisible(False)  # on an office database (_link_office)
        self.act_quit = QAction(self, triggered=self.close)
        self.act_quit.setShortcut(QKeySequence("Ctrl+Q"))  # also where the platform has none
        self.file_menu.addActions(
            [self.act_export, self.act_import, self.act_import_people, self.act_import_attendance]
        )
        self.file_menu.addAction(self.act_read_sheets)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_blank_sheet)
        self.act_blank_consent = QAction(self, triggered=self.blank_consent_form)
        self.file_menu.addAction(self.act_blank_consent)
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.act_backups, self.act_start_over])
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.act_connect, self.act_local_data])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_quit)

        self.go_menu = bar.addMenu("")
        self.go_actions: list[QAction] = []
        for number, key in enumerate(AREAS, start=1):
            action = QAction(self, triggered=lambda _=False, k=key: self.go_to(k))
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            self.go_menu.addAction(action)
            self.go_actions.append(action)

        from ui.sync_link import SyncLink

        self.sync_link = SyncLink(self, self.bus, self.prompts)
        bar.addMenu(self.sync_link.menu)

        self.language_menu = bar.addMenu("")
        self.language_actions = {
            code: QAction(i18n.endonym(code), self, checkable=True) for code in i18n.LANGUAGES
        }
        for code, action in self.language_actions.items():
            action.triggered.connect(lambda _=False, c=code: self.language_requested.emit(c))
        self.language_menu.addActions(list(self.language_actions.values()))

        self.help_menu = bar.addMenu("")
        self.act_help = QAction(self, triggered=lambda: self.show_help())
        self.act_help.setShortcut(QKeySequence("F1"))
        self.act_shortcuts = QAction(self, triggered=self.show_shortcuts)
        self.act_shortcuts.setShortcut(QKeySequence("Ctrl+F1"))
        self.act_about = QAction(self, triggered=self.about)
        self.help_menu.addActions([self.act_help, self.act_shortcuts, self.act_about])
        # Shortcuts work whatever has the focus, also where the menu bar is native or hidden.
        for menu in (
            self.file_menu,
            self.go_menu,
            self.sync_link.menu,
            self.language_menu,
            self.help_menu,
        ):
            self.addActions(menu.actions())

    def retranslate_ui(self) -> None:
        from app.i18n import current_language

        self.setWindowTitle(_("Teixit"))
        for row, key in enumerate(AREAS):
            self.nav.item(row).setText(_(TITLES[key]))
            self.go_actions[row].setText(_(TITLES[key]))
        self.file_menu.setTitle(_("&File"))
        self.act_export.setText(_("&Export all data…"))
        self.act_import.setText(_("&Import data…"))
        self.act_import_people.setText(_("Import &people from a spreadsheet…"))
        self.act_import_attendance.setText(_("Import &attendance from a spreadsheet…"))
        self.act_read_sheets.setText(_("Read si&gned sheets…"))
        self.act_blank_sheet.setText(_("Blank attendance &sheet…"))
        self.act_blank_consent.setText(_("Blank &consent form…"))
        self.act_blank_consent.setToolTip(
            _("A PDF of the consent form without a name, to fill in by hand")
        )
        self.act_backups.setText(_("&Backups…"))
        self.act_start_over.setText(_("Start again with empty &data…"))
        self.act_connect.setText(_("&Connect to the office database…"))
        self.act_local_data.setText(_("&Work with this computer's data"))
        self.act_quit.setText(_("&Quit"))
        self.go_menu.setTitle(_("&Go"))
        self.sync_link.retranslate()
        self.language_menu.setTitle(_("&Language"))
        for code, action in self.language_actions.items():
            action.setChecked(current_language() == code)
        self.help_menu.setTitle(_("&Help"))
        self.act_help.setText(_("&User guide"))
        self.act_shortcuts.setText(_("&Keyboard shortcuts"))
        self.act_about.setText(_("&About Teixit"))
        self.opening.setText(_("Opening your data…"))
        self._fit_navigation()
        self._update_status()

    def _fit_navigation(self) -> None:
        """As wide as the longest area name in this language, so the pages keep the room."""
        bold = QFont(self.nav.font())
        bold.setPointSizeF(11)  # as in NAV_STYLE
        bold.setBold(True)
        widest = max(QFontMetrics(bold).horizontalAdvance(_(TITLES[k])) for k in AREAS)
        self.nav.setFixedWidth(max(150, widest + self.nav.iconSize().width() + 34))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _update_status(self) -> None:
        if self._services is None:
            return
        try:
            profile = self.services.profile.get()
        except UserError:
            # The office server cannot be reached: the status bar says so (OfficeLink) and
            # keeps the entity's name it had.
            if self.office_link is not None:
                self.office_link.show_status()
            return
        self.status_entity.setText(profile.name if profile else "")
        # The entity in the title tells two open databases (office, demo) apart in the taskbar.
        self.setWindowTitle(f"{profile.name} — Teixit" if profile else _("Teixit"))
        if self.office_link is not None:
            self.office_link.show_status()
        else:
            self.status_path.setText(_("Data: {path}").format(path=self.services.data_location))
        self.sync_link.refresh()

    # --- actions ----------------------------------------------------------------------------
    def export_data(self) -> None:
        """The whole database to an interchange file: personal data, so the export is written
        to the audit log and the person is told where the file is."""
        title = _("Export all data")
        suggested = f"teixit-{dt.date.today().isoformat()}.json"  # dated: copies do not collide
        path = self.prompts.save_file(self, title, suggested, json_filter())
        if not path:
            return
        if not path.lower().endswith(".json"):
            path += ".json"
        passphrase = self.prompts.export_passphrase(self, title)
        if passphrase is None:
            return
        from ui.workers import run_with_progress

        exchange = self.services.exchange
        try:
            summary = run_with_progress(
                self,
                title,
                _("Exporting all data…"),
                lambda: exchange.export_file(Path(path), passphrase or None),
            )
        except UserError as exc:
            self.prompts.error(self, title, exc.message)
            return
        self.prompts.info(
            self,
            title,
            _(
                "{summary}\n\nThe file holds the personal data of the people you work with: "
                "keep it somewhere safe and delete it when it is no longer needed. The export "
                "is recorded in the audit log (Settings > Audit log)."
            ).format(summary=summary.describe()),
        )

    def import_data(self) -> None:
        title = _("Import data")
        path = self.prompts.open_file(self, title, import_filter())
        if not path:
            return
        if not self.prompts.confirm(
            self,
            title,
            _(
                "The records of the file will be added to your data; those already here "
                "(same identifier) will be updated with the file's version. A backup is "
                "advisable first (File > Backups). Import now?"
            ),
        ):
            return
        from app.domain.changes import EVERYTHING
        from ui.workers import run_op

        exchange = self.services.exchange
        passphrase = None
        if exchange.is_sealed_file(Path(path)):
            passphrase = self.prompts.file_passphrase(
                self, title, _("The file is sealed with a passphrase. Passphrase:")
            )
            if passphrase is None:
                return
        run_op(
            self,
            lambda: (exchange.import_file(Path(path), passphrase), EVERYTHING),
            bus=self.bus,
            prompts=self.prompts,
            title=title,
            background=True,
            progress_text=_("Importing data…"),
            on_success=lambda summary: self.prompts.info(self, title, summary.describe()),
        )

    def import_people(self) -> None:
        from ui.dialogs.import_wizard import ImportWizard

        wizard = ImportWizard(self.services.people_import, self.prompts, self, bus=self.bus)
        if wizard.exec():
            self.go_to("people")  # where the imported people are
        wizard.deleteLater()

    def import_attendance(self) -> None:
        """An attendance list kept in a spreadsheet, into the sessions of one activity."""
        from ui.dialogs.attendance_import_dialog import AttendanceImportDialog

        activities = [
            (a.id, f"{a.programme_code} · {a.name}")
            for a in self.services.programmes.activities()
            if a.id is not None
        ]
        if not activities:
            self.prompts.info(
                self,
                _("Import an attendance list"),
                _(
                    "Attendance is imported into an activity, and there are none yet. Create a "
                    "programme and its activities in Programmes first."
                ),
            )
            return
        dialog = AttendanceImportDialog(
            self.services.attendance_import,
            self.prompts,
            activities=activities,
            parent=self,
            bus=self.bus,
        )
        dialog.exec()
        dialog.deleteLater()

    def blank_sheet(self) -> None:
        """A sheet without names for an unplanned event: people write their own."""
        from ui.dialogs.sheet_dialog import for_blank

        dialog = for_blank(self.services.sheets, self.prompts, parent=self)
        dialog.finished.connect(dialog.deleteLater)
        self.sheet_dialog = dialog
        dialog.open()

    def blank_consent_form(self) -> None:
        """The consent form without a name, for someone who came without a record."""
        from ui.consent_forms import save_consent_form

        save_consent_form(self, self.services, self.prompts)

    def read_signed_sheets(self, files: list[Path] | None = None) -> None:
        """Scanned signed sheets: read, shown session by session, saved when confirmed."""
        from ui.dialogs.signed_sheets_dialog import SignedSheetsDialog, scan_filter

        if files is None:
            chosen = self.prompts.open_file(self, _("Read signed sheets"), scan_filter())
            if not chosen:
                return
            files = [Path(chosen)]
        dialog = SignedSheetsDialog(
            self.services.scans, self.prompts, self, bus=self.bus, services=self.services
        )
        if dialog.read(files):
            dialog.exec()
        dialog.deleteLater()

    def _dropped_scans(self, event: QDropEvent | QDragEnterEvent) -> list[Path]:
        from ui.dialogs.signed_sheets_dialog import SCAN_SUFFIXES

        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        files = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        return [f for f in files if f.suffix.lower() in SCAN_SUFFIXES]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self._dropped_scans(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        files = self._dropped_scans(event)
        if files:
            event.acceptProposedAction()
            self.read_signed_sheets(files)

    def show_help(self, section: str | None = None) -> None:
        """The user guide in its own window, at the section about the page on screen."""
        from ui.dialogs.help_window import HelpWindow

        if self.help_window is None:
            self.help_window = HelpWindow(self)
        self.help_window.show_section(section or self.current_key())
        self.help_window.show()
        self.help_window.raise_()
        self.help_window.activateWindow()

    def show_shortcuts(self) -> None:
        from ui.dialogs.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.exec()
        dialog.deleteLater()

    def about(self) -> None:
        from app import about

        shipped = "\n".join(f"• {what}: {licence}" for what, licence in about.BUNDLED)
        self.prompts.info(
            self,
            _("About Teixit"),
            "\n\n".join(
                [
                    _("Teixit {version}").format(version=about.version()),
                    _(
                        "Teixit keeps the programmes, sessions, attendance and territorial "
                        "networks of community-action teams, and prints their attendance sheets "
                        "and justification reports. Everything stays on this computer."
                    ),
                    _("Free software under the licence {licence}.").format(
                        licence=about.LICENCE
                    ),
                    _("It includes these fonts and libraries, each under its own licence:")
                    + "\n"
                    + shipped,
                ]
            ),
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        # A form with unsaved changes (programme, person) is saved or dropped as the user says;
        # the window stays open when saving fails.
        for page in self.built_pages():
            leave_ok = getattr(page, "leave_ok", None)
            if leave_ok is not None and not leave_ok():
                event.ignore()
                return
        self.stop_listening()
        self.closing_hook()
        super().closeEvent(event)

    def stop_listening(self) -> None:
        """Other PCs' changes are no longer listened to (the window closes or is replaced)."""
        if self.office_link is not None:
            self.office_link.stop()

    def closing_hook(self) -> None:
        """Work to do as the window closes (the composition root sets backups here)."""
