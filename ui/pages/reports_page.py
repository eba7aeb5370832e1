"""Reports: the programmes, each a click away from its justification report, the held sessions
of the year with no signed sheet kept (with the evidence pack of the year), and the reports made
recently."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from app.domain.changes import Area
from app.domain.report import ReportCancelled, ReportRequest
from app.i18n import _, format_date, ngettext
from app.services.container import Services
from ui.dialogs.report_dialog import ReportDialog
from ui.events import DataBus
from ui.pages.base import Page
from ui.prompts import Prompts
from ui.workers import run_cancellable

ROLE = Qt.ItemDataRole.UserRole


class ReportsPage(Page):
    areas = (Area.PROGRAMMES, Area.PROFILE, Area.SESSIONS, Area.ATTENDANCE, Area.ALL)

    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__(services, bus, prompts)
        self.dialog: ReportDialog | None = None
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.programmes_box, self.recent_box = QGroupBox(), QGroupBox()
        self.programmes = QListWidget()
        self.programmes.itemDoubleClicked.connect(lambda _i: self.open_dialog())
        self.programmes.currentRowChanged.connect(lambda _r: self._programme_changed())
        self.report_button = QPushButton()
        self.report_button.clicked.connect(self.open_dialog)
        self.entity_button = QPushButton()
        self.entity_button.clicked.connect(lambda: self.open_dialog(whole_entity=True))
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        box = QVBoxLayout(self.programmes_box)
        box.addWidget(self.programmes)
        box.addWidget(self.empty)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.entity_button)
        row.addWidget(self.report_button)
        box.addLayout(row)
        self.recent = QListWidget()
        self.recent.itemActivated.connect(self._open_file)
        self.recent_empty = QLabel()
        self.recent_empty.setWordWrap(True)
        recent = QVBoxLayout(self.recent_box)
        recent.addWidget(self.recent)
        recent.addWidget(self.recent_empty)
        # Held sessions with no signed sheet kept, and the evidence pack of the year.
        self.unsigned_box = QGroupBox()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.valueChanged.connect(lambda _v: self.refresh_unsigned())
        self.year_label = QLabel()
        self.unsigned_count = QLabel()
        self.unsigned_count.setWordWrap(True)
        self.unsigned = QListWidget()
        self.evidence_button = QPushButton()
        self.evidence_button.clicked.connect(self.save_evidence)
        top = QHBoxLayout()
        top.addWidget(self.year_label)
        top.addWidget(self.year)
        top.addWidget(self.unsigned_count, 1)
        top.addWidget(self.evidence_button)
        unsigned = QVBoxLayout(self.unsigned_box)
        unsigned.addLayout(top)
        unsigned.addWidget(self.unsigned)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.programmes_box, 3)
        layout.addWidget(self.unsigned_box, 2)
        layout.addWidget(self.recent_box, 2)
        self.retranslate_ui()

    def title(self) -> str:
        return _("Reports")

    def retranslate_ui(self) -> None:
        self.heading.setText(_("Reports"))
        self.programmes_box.setTitle(_("Programmes"))
        self.recent_box.setTitle(_("Recent reports (double-click to open)"))
        self.report_button.setText(_("Justification report…"))
        self.entity_button.setText(_("Report of the whole entity…"))
        self.empty.setText(
            _(
                "There are no programmes yet. Create them in Programmes (Ctrl+2): each one's "
                "justification report is made here."
            )
        )
        self.recent_empty.setText(_("The reports you make will be listed here."))
        self.unsigned_box.setTitle(_("Held sessions without a signed sheet"))
        self.year_label.setText(_("Year"))
        self.evidence_button.setText(_("Evidence pack…"))
        self.evidence_button.setToolTip(
            _(
                "One ZIP with the report of the selected programme for the year and, per held "
                "session, its signed sheet as scanned or else an extract of the register."
            )
        )
        self.refresh()

    def refresh(self) -> None:
        reports = self.services.reports
        selected = self.selected_programme()
        self.programmes.clear()
        for p in reports.programmes():
            item = QListWidgetItem(f"{p.code} · {p.name}")
            item.setData(ROLE, p.id)
            self.programmes.addItem(item)
            if p.id == selected:
                self.programmes.setCurrentItem(item)
        if self.programmes.count() and self.programmes.currentRow() < 0:
            self.programmes.setCurrentRow(0)
        has = self.programmes.count() > 0
        self.empty.setVisible(not has)
        self.report_button.setEnabled(has)
        self.entity_button.setEnabled(has)
        self.recent.clear()
        for r in reports.recent():
            text = _("{title} · {start} – {end} · {file}").format(
                title=r.title,
                start=format_date(r.date_from, None, "short"),
                end=format_date(r.date_to, None, "short"),
                file=r.path,
            )
            item = QListWidgetItem(text)
            item.setData(ROLE, r.path)
            self.recent.addItem(item)
        self.recent_empty.setVisible(self.recent.count() == 0)
        self.refresh_unsigned()

    def _programme_changed(self) -> None:
        if hasattr(self, "unsigned"):  # built after the programmes list
            self.refresh_unsigned()

    def _period(self) -> tuple[dt.date, dt.date]:
        year = self.year.value()
        return dt.date(year, 1, 1), dt.date(year, 12, 31)

    def _programme_ids(self) -> tuple[str, ...] | None:
        selected = self.selected_programme()
        return (selected,) if selected else None

    def refresh_unsigned(self) -> None:
        """The held sessions of the year (of the selected programme) whose signed sheet was
        not kept: their evidence is the register only."""
        d_from, d_to = self._period()
        rows = self.services.scans.without_signed_sheet(self._programme_ids(), d_from, d_to)
        self.unsigned.clear()
        for u in rows:
            text = f"{format_date(u.date, None, 'short')} · {u.programme_code} · {u.activity}"
            item = QListWidgetItem(text)
            item.setData(ROLE, u.session_id)
            self.unsigned.addItem(item)
        if rows:
            self.unsigned_count.setText(
                ngettext(
                    "{count} held session has no signed sheet kept: its evidence is the "
                    "register only.",
                    "{count} held sessions have no signed sheet kept: their evidence is the "
                    "register only.",
                    len(rows),
                ).format(count=len(rows))
            )
        else:
            self.unsigned_count.setText(_("Every held session has its signed sheet kept."))
        self.evidence_button.setEnabled(self.programmes.count() > 0)

    def save_evidence(self) -> None:
        """The evidence pack of the selected programme for the year, behind a progress bar
        with Cancel (a cancelled pack writes nothing)."""
        programme = self.programmes.currentItem()
        if programme is None:
            return
        d_from, d_to = self._period()
        name = f"{programme.text().split(' · ')[0]}-{self.year.value()}"
        path = self.prompts.save_file(
            self,
            _("Evidence pack"),
            str(Path.home() / f"{name}.zip"),
            _("ZIP files (*.zip)"),
        )
        if not path:
            return
        target = Path(path) if path.lower().endswith(".zip") else Path(path + ".zip")
        passphrase = self.prompts.export_passphrase(self, _("Evidence pack"))
        if passphrase is None:
            return
        profile = self.services.profile.get()
        request = ReportRequest(
            programme_ids=self._programme_ids(),
            date_from=d_from,
            date_to=d_to,
            lang=profile.default_lang if profile else "ca",
        )
        reports = self.services.reports

        def work(progress: Any, cancelled: Any) -> list[str]:
            return reports.evidence_pack(
                request, target, progress, cancelled, passphrase=passphrase or None
            )

        outcome, value = run_cancellable(
            self, _("Evidence pack"), _("Writing the evidence pack…"), work, (ReportCancelled,)
        )
        if outcome == "failed":
            self.prompts.error(self, _("Evidence pack"), str(value))
        elif outcome == "done":
            self.prompts.info(
                self,
                _("Evidence pack"),
                ngettext(
                    "Evidence pack: {path} ({count} file)",
                    "Evidence pack: {path} ({count} files)",
                    len(value),
                ).format(path=target, count=len(value)),
            )
            self.refresh()

    def selected_programme(self) -> str | None:
        item = self.programmes.currentItem()
        return cast(str, item.data(ROLE)) if item is not None else None

    def open_dialog(self, whole_entity: bool = False) -> ReportDialog:
        selected = self.selected_programme()
        dialog = ReportDialog(self.services, self.prompts, [selected] if selected else [], self)
        if whole_entity:
            dialog.set_programmes(None)
        dialog.finished.connect(lambda _r: self.refresh())
        self.dialog = dialog
        dialog.open()
        return dialog

    def _open_file(self, item: QListWidgetItem) -> None:
        path = Path(item.data(ROLE))
        if not path.is_file():  # moved or deleted since: say so rather than do nothing
            self.prompts.error(
                self,
                _("Recent reports"),
                _("The file {path} is no longer there: it was moved or deleted.").format(path=path),
            )
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.prompts.error(
                self,
                _("Recent reports"),
                _("No program on this computer opens {path}.").format(path=path),
            )
