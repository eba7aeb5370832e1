"""Recording a referral of a person to or from an organisation of the territory."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.networks import REFERRAL_STATUSES, ReferralDTO
from app.errors import ValidationError
from app.i18n import _
from app.services.container import Services
from ui.events import DataBus
from ui.prompts import Prompts
from ui.widgets.form_bits import (
    date_edit,
    error_label,
    from_qdate,
    select_data,
    show_error,
    to_qdate,
)
from ui.workers import run_op


class ReferralDialog(QDialog):
    def __init__(
        self,
        services: Services,
        bus: DataBus,
        prompts: Prompts,
        referral: ReferralDTO,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.bus, self.prompts = services, bus, prompts
        self.referral = referral
        self.date = date_edit()
        self.date.setDate(to_qdate(referral.date))
        self.from_org, self.to_org = QComboBox(), QComboBox()
        for combo, value in (
            (self.from_org, referral.from_organisation_id),
            (self.to_org, referral.to_organisation_id),
        ):
            combo.addItem("—", None)
            for o in services.networks.organisations():
                combo.addItem(o.name, o.id)
            select_data(combo, value)
        self.reason = QPlainTextEdit(referral.reason)
        self.reason.setMaximumHeight(90)
        self.status = QComboBox()
        for code in REFERRAL_STATUSES:
            self.status.addItem("", code)
        select_data(self.status, referral.status)
        self.errors = {
            k: error_label()
            for k in ("date", "to_organisation_id", "from_organisation_id", "status")
        }
        self.labels = [QLabel() for _i in range(5)]
        form = QFormLayout()
        for label, widget, key in zip(
            self.labels,
            (self.date, self.from_org, self.to_org, self.reason, self.status),
            ("date", "from_organisation_id", "to_organisation_id", None, "status"),
            strict=True,
        ):
            form.addRow(label, widget)
            if key:
                form.addRow("", self.errors[key])
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Referral"))
        for label, text in zip(
            self.labels,
            (_("Date"), _("Referred from"), _("Referred to"), _("Reason"), _("Status")),
            strict=True,
        ):
            label.setText(text)
        for i, label in enumerate(REFERRAL_STATUSES.values()):
            self.status.setItemText(i, _(label))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def save(self) -> None:
        for label in self.errors.values():
            show_error(label, None)
        value = ReferralDTO(
            id=self.referral.id,
            participant_id=self.referral.participant_id,
            date=from_qdate(self.date.date()) or dt.date.today(),
            from_organisation_id=self.from_org.currentData(),
            to_organisation_id=self.to_org.currentData(),
            reason=self.reason.toPlainText(),
            status=self.status.currentData(),
        )

        def invalid(exc: ValidationError) -> None:
            for key, message in exc.errors.items():
                show_error(self.errors.get(key, self.errors["status"]), message)

        run_op(
            self,
            lambda: self.services.referrals.save(value),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Cannot save the referral"),
            on_invalid=invalid,
            on_success=lambda _saved: self.accept(),
        )
