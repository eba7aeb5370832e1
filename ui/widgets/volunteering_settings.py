"""Settings > Team, places and funders: how long a certificate of the sexual-offences register
stays valid before the entity asks for a new one (the team's and the volunteers')."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QSpinBox

from app.domain.changes import Area, Changes
from app.i18n import _
from app.services.container import Services
from ui.events import DataBus
from ui.prompts import Prompts
from ui.workers import run_op


class VolunteeringSettings(QGroupBox):
    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__()
        self.services, self.bus, self.prompts = services, bus, prompts
        self.months = QSpinBox()
        self.months.setRange(1, 120)
        self.months.setValue(services.volunteers.renewal_months())
        self.save_button = QPushButton()
        self.label = QLabel()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555555;")
        row = QHBoxLayout()
        row.addWidget(self.months)
        row.addWidget(self.save_button)
        row.addStretch(1)
        form = QFormLayout(self)
        form.addRow(self.label, row)
        form.addRow(self.note)
        self.save_button.clicked.connect(self.save)
        bus.changed.connect(self._on_changed)
        self.retranslate_ui()

    def _on_changed(self, changes: Changes, _initiator: object = None) -> None:
        if changes.touches(Area.PEOPLE):
            self.months.setValue(self.services.volunteers.renewal_months())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.setTitle(_("Sexual-offences register certificates"))
        self.label.setText(_("Ask for a new certificate every (months)"))
        self.save_button.setText(_("Save"))
        self.note.setText(
            _(
                "Neither law sets how long a certificate lasts: it speaks of the day it was "
                "issued. Teixit asks for a new one after this period (a year by default) and "
                "warns on Home about the staff and volunteers who work with minors without a "
                "valid one."
            )
        )

    def save(self) -> None:
        months = self.months.value()
        run_op(
            self,
            lambda: self.services.volunteers.set_renewal_months(months),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Volunteering"),
        )
