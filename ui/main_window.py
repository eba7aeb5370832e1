"""The main window: navigation to the areas, menus with shortcuts, a status bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QStyle,
    QWidget,
)

from app.errors import UserError
from app.i18n import N_, _
from app.services.container import Services
from ui.dialogs.prompts import Prompts, json_filter
from ui.events import DataBus
from ui.pages.base import Page

#: Names of the areas, in navigation order (keys for tests and shortcuts Ctrl+1..7).
AREAS = ("home", "programmes", "sessions", "people", "networks", "reports", "settings")

ICONS = {
    "home": QStyle.StandardPixmap.SP_DirHomeIcon,
    "programmes": QStyle.StandardPixmap.SP_FileDialogDetailedView,
    "sessions": QStyle.StandardPixmap.SP_FileDialogListView,
    "people": QStyle.StandardPixmap.SP_DirIcon,
    "networks": QStyle.StandardPixmap.SP_DriveNetIcon,
    "reports": QStyle.StandardPixmap.SP_FileIcon,
    "settings": QStyle.StandardPixmap.SP_FileDialogContentsView,
}


#: Navigation titles, known before a page is built (pages are built on first visit).
TITLES = {
    "home": N_("Home"),
    "programmes": N_("Programmes"),
    "sessions": N_("Sessions"),
    "people": N_("People"),
    "networks": N_("Networks"),
    "reports": N_("Reports"),
    "settings": N_("Settings"),
}


class MainWindow(QMainWindow):
    #: Emitted with the language code when the user picks another interface language.
    language_requested = Signal(str)
    #: The backups dialog can restore, which replaces the database: the application owns that.
    backups_requested = Signal()

    def __init__(
        self,
        services: Services,
        bus: DataBus,
        prompts: Prompts,
        pages: dict[str, Callable[[], Page]],
    ) -> None:
        super().__init__()
        self.services, self.bus, self.prompts = services, bus, prompts
        # Only the page shown is built at start-up: the window is usable sooner.
        self._factories = pages
        self._pages: dict[str, Page] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(210)
        self.stack = QStackedWidget()
        for key in AREAS:
            item = QListWidgetItem(self.style().standardIcon(ICONS[key]), "")
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
            self.stack.addWidget(QWidget())
        self.nav.currentRowChanged.connect(self._show_row)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self.status_entity = QLabel()
        self.statusBar().addPermanentWidget(self.status_entity)
        bus.changed.connect(lambda _c: self._update_status())
        self.retranslate_ui()
        self.nav.setCurrentRow(0)
        self.resize(1180, 760)

    # --- navigation -------------------------------------------------------------------------
    def page(self, key: str) -> Page:
        """The page of an area, built the first time it is asked for."""
        if key not in self._pages:
            page = self._factories[key]()
            index = AREAS.index(key)
            placeholder = self.stack.widget(index)
            current = self.stack.currentIndex()
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.stack.setCurrentIndex(current)
            self._pages[key] = page
            if key == "settings":  # the settings page offers the language too
                page.language_requested.connect(self.language_requested)  # type: ignore[attr-defined]
        return self._pages[key]

    def built_pages(self) -> list[Page]:
        return list(self._pages.values())

    def _show_row(self, row: int) -> None:
        self.page(AREAS[row])
        self.stack.setCurrentIndex(row)

    def go_to(self, key: str) -> None:
        self.nav.setCurrentRow(AREAS.index(key))

    def current_key(self) -> str:
        return AREAS[self.stack.currentIndex()]

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
        self.act_backups = QAction(self, triggered=self.backups_requested.emit)
        self.act_backups.setShortcut(QKeySequence("Ctrl+B"))
        self.act_quit = QAction(self, triggered=self.close)
        self.act_quit.setShortcut(QKeySequence.StandardKey.Quit)
        self.file_menu.addActions([self.act_export, self.act_import, self.act_import_people])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_backups)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_quit)

        self.go_menu = bar.addMenu("")
        self.go_actions: list[QAction] = []
        for number, key in enumerate(AREAS, start=1):
            action = QAction(self, triggered=lambda _=False, k=key: self.go_to(k))
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            self.go_menu.addAction(action)
            self.go_actions.append(action)

        self.language_menu = bar.addMenu("")
        self.act_catalan = QAction("Català", self, checkable=True)
        self.act_spanish = QAction("Castellano", self, checkable=True)
        self.act_catalan.triggered.connect(lambda: self.language_requested.emit("ca"))
        self.act_spanish.triggered.connect(lambda: self.language_requested.emit("es"))
        self.language_menu.addActions([self.act_catalan, self.act_spanish])

        self.help_menu = bar.addMenu("")
        self.act_about = QAction(self, triggered=self.about)
        self.act_about.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.help_menu.addAction(self.act_about)
        # Shortcuts work whatever has the focus, also where the menu bar is native or hidden.
        for menu in (self.file_menu, self.go_menu, self.language_menu, self.help_menu):
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
        self.act_backups.setText(_("&Backups…"))
        self.act_quit.setText(_("&Quit"))
        self.go_menu.setTitle(_("&Go"))
        self.language_menu.setTitle(_("&Language"))
        self.act_catalan.setChecked(current_language() == "ca")
        self.act_spanish.setChecked(current_language() == "es")
        self.help_menu.setTitle(_("&Help"))
        self.act_about.setText(_("&About Teixit"))
        self._update_status()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _update_status(self) -> None:
        profile = self.services.profile.get()
        self.status_entity.setText(profile.name if profile else "")
        self.statusBar().showMessage(_("Data: {path}").format(path=self.services.db.path.parent), 0)

    # --- actions ----------------------------------------------------------------------------
    def export_data(self) -> None:
        path = self.prompts.save_file(self, _("Export all data"), "teixit.json", json_filter())
        if not path:
            return
        from app.exchange.interchange import export_file

        try:
            summary = export_file(self.services.db, path)
        except UserError as exc:
            self.prompts.error(self, _("Export all data"), exc.message)
            return
        self.statusBar().showMessage(summary.describe(), 8000)

    def import_data(self) -> None:
        path = self.prompts.open_file(self, _("Import data"), json_filter())
        if not path:
            return
        from app.domain.changes import EVERYTHING
        from app.exchange.interchange import import_file

        try:
            summary = import_file(self.services.db, path)
        except UserError as exc:
            self.prompts.error(self, _("Import data"), exc.message)
            return
        self.bus.emit_changes(EVERYTHING)
        self.prompts.info(self, _("Import data"), summary.describe())

    def import_people(self) -> None:
        from app.domain.changes import Area, Changes
        from app.exchange.spreadsheet_import import PeopleImporter
        from ui.dialogs.import_wizard import ImportWizard

        wizard = ImportWizard(PeopleImporter(self.services.db), self.prompts, self)
        if wizard.exec():
            self.bus.emit_changes(Changes.of(Area.PEOPLE))
        wizard.deleteLater()

    def about(self) -> None:
        self.prompts.info(
            self,
            _("About Teixit"),
            _(
                "Teixit keeps the programmes, sessions, attendance and territorial networks of "
                "community-action teams, and prints their attendance sheets and justification "
                "reports. Everything stays on this computer."
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
        self.closing_hook()
        super().closeEvent(event)

    def closing_hook(self) -> None:
        """Work to do as the window closes (the composition root sets backups here)."""
