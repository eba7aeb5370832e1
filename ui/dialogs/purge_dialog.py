"""Purge erased people: choose how long ago they were erased, see how many, confirm. The list
names nobody (erased people stay hidden): it shows when each was erased and how much
attendance stays counted without a name."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.data_protection import PurgeCandidate, PurgeSummary
from app.i18n import _, format_date, ngettext
from app.services.container import Services
from ui.events import DataBus
from ui.prompts import Prompts
from ui.workers import run_op


class PurgeDialog(QDialog):
    def __init__(
        self,
        services: Services,
        prompts: Prompts,
        parent: QWidget | None = None,
        *,
        bus: DataBus | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.prompts, self.bus = services, prompts, bus
        self.candidates: list[PurgeCandidate] = []
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.days_label = QLabel()
        self.days = QSpinBox()
        self.days.setRange(0, 3650)
        self.days.setValue(30)
        self.all_erased = QCheckBox()
        self.table = QTableWidget(0, 2)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.count = QLabel()
        self.purge_button = QPushButton()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.purge_button, QDialogButtonBox.ButtonRole.ActionRole)
        row = QHBoxLayout()
        row.addWidget(self.days_label)
        row.addWidget(self.days)
        row.addWidget(self.all_erased)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        self.days.valueChanged.connect(self.reload)
        self.all_erased.toggled.connect(self.reload)
        self.purge_button.clicked.connect(self.purge)
        self.buttons.rejected.connect(self.reject)
        self.resize(560, 420)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Purge erased people"))
        self.intro.setText(
            _(
                "Purging removes for good the personal data of people erased earlier: names, "
                "documents, contacts, guardians, notes, consents, enrolments and referrals. "
                "Their attendance stays counted without a name (with gender, year of birth, "
                "neighbourhood and nationality), so figures already reported do not change."
            )
        )
        self.days_label.setText(_("Erased at least this many days ago:"))
        self.days.setSuffix(" " + _("days"))
        self.all_erased.setText(_("All erased people"))
        self.table.setHorizontalHeaderLabels([_("Erased on"), _("Attendance records")])
        self.purge_button.setText(_("Purge…"))
        self.reload()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def reload(self) -> None:
        self.days.setEnabled(not self.all_erased.isChecked())
        days = None if self.all_erased.isChecked() else self.days.value()
        self.candidates = self.services.purge.candidates(days)
        self.table.setRowCount(len(self.candidates))
        for row, c in enumerate(self.candidates):
            when = QTableWidgetItem(format_date(c.blocked_at.date(), None, "long"))
            self.table.setItem(row, 0, when)
            self.table.setItem(row, 1, QTableWidgetItem(str(c.attendances)))
        n = len(self.candidates)
        self.count.setText(
            ngettext(
                "{count} erased person to purge.", "{count} erased people to purge.", n
            ).format(count=n)
            if n
            else _("There are no erased people to purge.")
        )
        self.purge_button.setEnabled(n > 0)

    def purge(self) -> None:
        n = len(self.candidates)
        if not n:
            return
        text = ngettext(
            "Purge {count} erased person? Their personal data is removed for good and cannot "
            "be recovered (only from an earlier backup). Attendance stays counted without a "
            "name.",
            "Purge {count} erased people? Their personal data is removed for good and cannot "
            "be recovered (only from an earlier backup). Attendance stays counted without a "
            "name.",
            n,
        ).format(count=n)
        if not self.prompts.confirm(self, _("Purge erased people"), text):
            return
        ids = [c.id for c in self.candidates]

        def purged(summary: PurgeSummary) -> None:
            self.prompts.info(
                self,
                _("Purge erased people"),
                ngettext(
                    "Purged {count} erased person.",
                    "Purged {count} erased people.",
                    summary.people,
                ).format(count=summary.people),
            )
            self.accept()

        run_op(
            self,
            lambda: self.services.purge.purge(ids),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Purge erased people"),
            on_success=purged,
        )
