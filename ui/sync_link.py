"""The window's sync: the Sync menu ("Sync now", "Conflicts" with their count, "Sync settings"),
the sync status in the status bar once sync is set up on this data (last sync, changes not sent
yet, open conflicts), and the summary after each run."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu

from app.domain.sync import OFFICE
from app.i18n import _, ngettext

if TYPE_CHECKING:
    from app.domain.changes import Changes
    from app.domain.sync import SyncResult, SyncStatus
    from app.services.container import Services
    from ui.events import DataBus
    from ui.prompts import Prompts
    from ui.workers import Job

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
        #: Automatic syncs with the office database: checked every interval.
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.sync_if_due)
        #: The automatic sync running in the background, if any.
        self.background: Job | None = None
        #: What the last automatic sync said (its summary's first line, or why it could not).
        self.last_auto = ""

    def attach(self, services: Services) -> None:
        self.stop()
        self.services = services
        self.refresh()
        self.schedule(starting=True)

    # -- automatic syncs with the office database -------------------------------------------
    def schedule(self, *, starting: bool = False) -> None:
        """At the start of the window, and then every interval while the office database is
        reachable (found by trying, in the background)."""
        services = self.services
        self.timer.stop()
        if services is None or services.shared or services.sync.status().via != OFFICE:
            return
        minutes = services.sync.office_interval()
        if minutes <= 0:
            return
        self.timer.start(minutes * 60_000)
        if starting and services.sync.office_due(starting=True):
            self.start_background()

    def sync_if_due(self) -> None:
        if self.services is not None and self.services.sync.office_due():
            self.start_background()

    def start_background(self) -> None:
        """An automatic sync off the window's thread: the window keeps working; the status bar
        says how it went, and never a dialog."""
        from app.services.sync import SyncCancelled
        from ui.workers import Job, start

        if self.services is None or self.background is not None:
            return
        service = self.services.sync
        job = Job(lambda _progress, cancelled: service.sync_quietly(cancelled), (SyncCancelled,))
        queued = Qt.ConnectionType.QueuedConnection
        job.signals.finished.connect(lambda value: self._background_done(job, value), queued)
        job.signals.failed.connect(lambda message: self._background_failed(job, message), queued)
        job.signals.cancelled.connect(lambda: self._background_done(job, None), queued)
        self.background = job
        self.window.statusBar().showMessage(_("Syncing with the office database…"))
        start(job)

    def _background_done(self, job: Job, value: object) -> None:
        from ui.workers import run_op

        if self.background is not job or self.services is None:
            return  # stopped for a sync the person asked for, or the data was replaced
        self.background = None
        if value is None:
            return
        result: SyncResult | None
        changes: Changes
        trouble: str
        result, changes, trouble = cast("tuple[SyncResult | None, Changes, str]", value)
        if result is not None:
            self.last_auto = result.describe().splitlines()[0]
            title = _("Sync now")
            run_op(self.window, lambda: changes, bus=self.bus, prompts=self.prompts, title=title)
        else:
            self.last_auto = trouble
        self.refresh()
        self.window.statusBar().showMessage(self.last_auto, 0 if result is None else 15000)

    def _background_failed(self, job: Job, message: str) -> None:
        if self.background is not job:
            return
        self.background = None
        self.last_auto = message
        self.refresh()
        self.window.statusBar().showMessage(message)

    def stop(self) -> None:
        """The automatic syncs end (the window closes or its data is replaced): one running
        stops between two transactions, and is waited for."""
        self.timer.stop()
        job = self.background
        if job is not None:
            job.cancel()
            job.done.wait()
            self.background = None

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
            if status.via == OFFICE:
                tip = _("Office database: {address}").format(address=status.office)
            elif status.folder:
                tip = _("Sync folder: {folder}").format(folder=status.folder)
            else:
                tip = _("Choose the sync folder in Sync > Sync settings.")
            self.label.setToolTip(tip)

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
                    "Sync is not set up on this computer yet: in Sync > Sync settings, choose "
                    "the office database, or create the team's key (first device) or pair with "
                    "its code, and choose the sync folder."
                ),
            )
            self.show_settings()
            return
        if self.background is not None:  # an automatic sync gives way to the one asked for
            self.background.cancel()
            self.background.done.wait()
            self.background = None
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
        self.schedule()
