"""The daily backup of the office database, taken by a coordinator's window when it is due
(app/services/office_backups.py): checked once a minute, taken off the window's thread."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer

from app.domain.changes import Area, Changes
from app.errors import UserError
from app.i18n import _
from ui.workers import Job, report_unexpected, start

if TYPE_CHECKING:
    from app.services.container import Services
    from ui.events import DataBus
    from ui.prompts import Prompts

#: How often the window looks whether the backup is due; how long it waits after a failure.
CHECK_EVERY_MS = 60_000
RETRY_AFTER = dt.timedelta(hours=1)


class OfficeBackupTimer(QObject):
    def __init__(
        self,
        services: Services,
        bus: DataBus,
        prompts: Prompts,
        parent: QObject,
        *,
        first_check_ms: int = 5000,
    ) -> None:
        super().__init__(parent)
        self.services, self.bus, self.prompts = services, bus, prompts
        self.job: Job | None = None
        self._failed_at: dt.datetime | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        QTimer.singleShot(first_check_ms, self.check)

    def stop(self) -> None:
        self.timer.stop()
        if self.job is not None:
            self.job.done.wait()

    def check(self) -> None:
        """Take the backup when it is due (and none is under way, and the last attempt did not
        fail within the hour)."""
        if self.job is not None and not self.job.done.is_set():
            return
        backups = self.services.office_backups
        now = backups.now()
        if self._failed_at is not None and now - self._failed_at < RETRY_AFTER:
            return

        def work(_progress: object, _cancelled: object) -> object:
            try:
                return backups.take_if_due()
            except UserError:
                raise  # the job hands its message to _failed
            except OSError as exc:
                raise UserError(str(exc.strerror or exc)) from exc
            except Exception as exc:  # noqa: BLE001 - handed to the error hook below
                return exc

        job = Job(work)
        job.signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        job.signals.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self.job = start(job)

    def _finished(self, result: object) -> None:
        if isinstance(result, BaseException):
            report_unexpected(result)
        elif result is not None:
            self._failed_at = None
            self.bus.emit_changes(Changes.of(Area.PROFILE))

    def _failed(self, reason: str) -> None:
        self._failed_at = self.services.office_backups.now()
        self.prompts.error(
            None,
            _("The daily backup of the office database failed"),
            _(
                "Teixit could not make the daily backup of the office database: {reason}\n\n"
                "It tries again in an hour. Until a backup succeeds, Settings (Team, places and "
                "funders) shows the last one in red."
            ).format(reason=reason),
        )
        self.bus.emit_changes(Changes.of(Area.PROFILE))
