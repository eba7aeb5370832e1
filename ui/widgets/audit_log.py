"""The audit log, read-only: when personal data was exported, printed, imported, erased..."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.audit import AuditChainReport, AuditEntryDTO
from app.i18n import N_, _, format_date, ngettext
from app.services.audit import ACTIONS
from app.services.container import Services

#: How each action reads in the list.
ACTION_LABELS = {
    "export": N_("Export"),
    "print": N_("Print"),
    "erase": N_("Erasure"),
    "restore": N_("Restore"),
    "import": N_("Import"),
    "purge": N_("Purge"),
    "merge": N_("Merge"),
    "backup": N_("Backup"),
    "encryption": N_("Encryption"),
}

#: The newest events shown; the log itself keeps everything.
LIMIT = 1000


def local_time(at: dt.datetime) -> dt.datetime:
    """Events are stored in UTC; people read their own clock."""
    return at.replace(tzinfo=dt.UTC).astimezone() if at.tzinfo is None else at.astimezone()


class AuditLogView(QWidget):
    COL_WHEN, COL_WHAT, COL_SUBJECT, COL_DETAILS = range(4)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.entries: list[AuditEntryDTO] = []
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        #: Whether the chain of entries is whole (checked each time the log is shown).
        self.chain = QLabel()
        self.chain.setWordWrap(True)
        self.chain_report: AuditChainReport | None = None
        self.filter_label = QLabel()
        self.filter = QComboBox()
        self.filter.addItem("", None)
        for action in ACTIONS:
            self.filter.addItem("", action)
        self.filter_label.setBuddy(self.filter)
        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button = QPushButton(clicked=self.refresh)
        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.filter_label)
        row.addWidget(self.filter)
        row.addStretch(1)
        row.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.chain)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.intro.setText(
            _(
                "Every export, print, import, restore and erasure of personal data is written "
                "here. Each entry is linked to the one before, so an entry deleted or changed "
                "outside Teixit shows."
            )
        )
        self.filter_label.setText(_("&Show:"))
        self.filter.setItemText(0, _("All actions"))
        for i, action in enumerate(ACTIONS, start=1):
            self.filter.setItemText(i, _(ACTION_LABELS[action]))
        self.refresh_button.setText(_("&Reload"))
        self.table.setHorizontalHeaderLabels([_("When"), _("What"), _("Subject"), _("Detail")])
        self.empty.setText(_("Nothing has been recorded yet."))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        self.refresh()  # the log grows with every export or print: always show it fresh
        super().showEvent(event)

    def refresh(self) -> None:
        self.entries = self.services.audit.recent(LIMIT, self.filter.currentData())
        self.chain_report = self.services.audit.verify()
        self._fill()

    def _show_chain(self) -> None:
        report = self.chain_report
        if report is None:
            self.chain.clear()
            return
        if report.intact:
            self.chain.setStyleSheet("")
            self.chain.setText(
                ngettext(
                    "The log is whole: {count} entry.",
                    "The log is whole: {count} entries, each linked to the one before.",
                    report.entries,
                ).format(count=report.entries)
            )
            return
        texts = {
            "missing": _(
                "Warning: the audit log was tampered with. Entries before number {number} were "
                "deleted outside Teixit."
            ),
            "changed": _(
                "Warning: the audit log was tampered with. Entry number {number} was changed "
                "outside Teixit."
            ),
            "unnumbered": _(
                "Warning: the audit log was tampered with. It holds entries written outside Teixit."
            ),
        }
        self.chain.setStyleSheet("color: #b00020; font-weight: bold;")
        self.chain.setText(texts[report.problem].format(number=report.broken_at))

    def _fill(self) -> None:
        self._show_chain()
        self.table.setRowCount(len(self.entries))
        for r, e in enumerate(self.entries):
            when = local_time(e.at)
            texts = (
                f"{format_date(when.date(), None, 'short')} {when:%H:%M}",
                _(ACTION_LABELS.get(e.action, e.action)),
                e.label or e.subject,
                e.details,
            )
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(e.subject if c == self.COL_SUBJECT else text)
                self.table.setItem(r, c, item)
        if self.entries:
            self.table.resizeColumnsToContents()
            for col in (self.COL_SUBJECT,):  # long paths: keep the details column visible
                self.table.setColumnWidth(col, min(self.table.columnWidth(col), 320))
        self.empty.setVisible(not self.entries)
