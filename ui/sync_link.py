"""The window's sync: the Sync menu ("Sync now", "Conflicts" with their count, "Sync settings"),
the sync status in the status bar once sync is set up on this data (last sync, changes not sent
yet, open conflicts), and the summary after each run."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu

from app.i18n import _, ngettext

if TYPE_CHECKING:
    from app.domain.sync import SyncStatus
    from app.services.container import Services
    from ui.events import DataBus
    from ui.prompts import Prompts

#: The status bar's conflicts, while some are open.
CONFLICT_STYLE = "color: #9a4d00; font-weight: 600;"


def status_text(status: SyncStatus) -> str:
    """ "Synced 26/11 10:42 · 3 changes to send · 1 conflict"."""
    if status.last_sync is None:
        parts = [_("Not synced yet")]
    else:
        local = status.last_sync.replace(tzinfo=dt.UTC).astimezone()
        today = dt.datetime.now().astimezone().date()
        shown = local.strftime("%H:%M") if local.date() == today else local.strftime("%d/%m %H:%M")
        parts = [_("Synced {when}").format(when=shown)]
    if status.pending:
        parts.append(
            ngettext("{count} change to send", "{count} changes to send", status.pending).format(
                count=status.pending
            )
        )
    if status.conflicts:
        parts.append(
            ngettext("{count} conflict", "{count} conflicts", status.conflicts).format(
                count=status.conflicts
            )
        )
    return " · ".join(parts)


class SyncLink(QObject):
    """Built with the window's menus; ``attach(services)`` once the data is open."""

    def __init__(self, window: QMainWindow, bus: DataBus, prompts: Prompts) -> None:
        super().__init__(window)
        self.window, self.bus, self.prompts = window, bus, prompts
        self.services: Services | None = None
        self.menu = QMenu(window)
        self.act_sync = QAction(window, triggered=self.sync_now)
        self.act_sync.setShortcut(QKeySequence("F9"))
        self.act_conflicts = QAction(window, triggered=self.show_conflicts)
        self.act_settings = QAction(window, triggered=self.show_settings)
        self.menu.addActions([self.act_sync, self.act_conflicts])
        self.menu.addSeparator()
        self.menu.addAction(self.act_settings)
        self.label = QLabel()
        self.label.setObjectName("sync_status")
        self.label.setVisible(False)
        self.conflicts = 0
        self.last_summary = ""

    def attach(self, services: Services) -> None:
        self.services = services
        self.refresh()

    def retranslate(self) -> None:
        self.menu.setTitle(_("S&ync"))
        self.act_sync.setText(_("&Sync now"))
        self.act_settings.setText(_("Sync s&ettings…"))
        self.refresh()

    def refresh(self) -> None:
        """The status bar and the conflicts' count, from the data."""
        services = self.services
        if services is None or services.shared:
            # Sync is for a computer's own data (an office database is the shared copy).
            self.menu.menuAction().setVisible(services is None)
            self.label.setVisible(False)
            self._conflicts_text(0)
            return
        self.menu.menuAction().setVisible(True)
        status = services.sync.status()
        self.conflicts = status.conflicts
        self._conflicts_text(status.conflicts)
        self.act_conflicts.setEnabled(status.enabled)
        self.act_sync.setEnabled(True)
        self.label.setVisible(status.enabled)
        if status.enabled:
            self.label.setText(status_text(status))
            self.label.setStyleSheet(CONFLICT_STYLE if status.conflicts else "")
            self.label.setToolTip(
                _("Sync folder: {folder}").format(folder=status.folder)
                if status.folder
                else _("Choose the sync folder in Sync > Sync settings.")
            )

    def _conflicts_text(self, count: int) -> None:
        # The badge: the count of open conflicts beside the entry while there are some.
        self.act_conflicts.setText(
            _("&Conflicts ({count})…").format(count=count) if count else _("&Conflicts…")
        )

    # -- actions ------------------------------------------------------------------------------
    def sync_now(self) -> None:
        from app.domain.changes import EVERYTHING
        from app.services.sync import SyncCancelled
        from ui.workers import run_cancellable, run_op

        if self.services is None:
            return
        title = _("Sync now")
        status = self.services.sync.status()
        if not status.ready:
            self.prompts.info(
                self.window,
                title,
                _(
                    "Sync is not set up on this computer yet: in Sync > Sync settings, create "
                    "the team's key (first device) or pair with its code, and choose the sync "
                    "folder."
                ),
            )
            self.show_settings()
            return
        service = self.services.sync
        outcome, value = run_cancellable(
            self.window,
            title,
            _("Syncing…"),
            lambda progress, cancelled: service.sync_now(progress, cancelled),
            (SyncCancelled,),
        )
        if outcome == "done":
            result, changes = value
            self.last_summary = result.describe()
            # What the sync merged, announced once through the operation runner.
            run_op(self.window, lambda: changes, bus=self.bus, prompts=self.prompts, title=title)
            self.refresh()
            self.window.statusBar().showMessage(self.last_summary.splitlines()[0], 15000)
            self.prompts.info(self.window, title, self.last_summary)
            if result.conflicts:
                self.show_conflicts()
        elif outcome == "cancelled":
            # What was merged before the stop stays: announced through the operation runner.
            run_op(self.window, lambda: EVERYTHING, bus=self.bus, prompts=self.prompts, title=title)
            self.refresh()
            self.prompts.info(
                self.window,
                title,
                _("The sync was stopped. What it received is kept; the next sync completes it."),
            )
        else:
            self.refresh()
            self.prompts.error(self.window, title, str(value))

    def show_conflicts(self) -> None:
        from ui.dialogs.sync_conflicts_dialog import SyncConflictsDialog

        if self.services is None:
            return
        dialog = SyncConflictsDialog(self.services.sync, self.prompts, self.window, self.bus)
        self.conflicts_dialog = dialog
        dialog.exec()
        dialog.deleteLater()
        self.refresh()

    def show_settings(self) -> None:
        from ui.dialogs.sync_settings_dialog import SyncSettingsDialog

        if self.services is None:
            return
        dialog = SyncSettingsDialog(self.services.sync, self.prompts, self.window, self.bus)
        self.settings_dialog = dialog
        dialog.exec()
        dialog.deleteLater()
        self.refresh()
