"""Reports: the programmes, each a click away from its justification report, and the reports
made recently."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from app.domain.changes import Area
from app.i18n import _, format_date
from app.services.container import Services
from ui.dialogs.report_dialog import ReportDialog
from ui.events import DataBus
from ui.pages.base import Page
from ui.prompts import Prompts

ROLE = Qt.ItemDataRole.UserRole


class ReportsPage(Page):
    areas = (Area.PROGRAMMES, Area.PROFILE, Area.ALL)

    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__(services, bus, prompts)
        self.dialog: ReportDialog | None = None
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.programmes_box, self.recent_box = QGroupBox(), QGroupBox()
        self.programmes = QListWidget()
        self.programmes.itemDoubleClicked.connect(lambda _i: self.open_dialog())
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
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.programmes_box, 3)
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
