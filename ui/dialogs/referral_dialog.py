"""Recording a referral of a person to or from an organisation of the territory, and the person's
referrals (add, edit, delete) that open it, embedded in the person's page."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Area, Changes
from app.domain.networks import REFERRAL_STATUSES, ReferralDTO
from app.errors import ValidationError
from app.i18n import N_, _
from app.services.container import Services
from ui.events import DataBus
from ui.models.dto_table import DtoTableModel
from ui.prompts import Prompts
from ui.widgets.form_bits import (
    date_edit,
    error_label,
    from_qdate,
    select_data,
    show_error,
    to_qdate,
)
from ui.widgets.referral_columns import referral_columns
from ui.workers import run_op

#: The follow-up's answer to "did the person reach the service?".
REACHED: dict[bool | None, str] = {
    None: N_("Not known yet"),
    True: N_("Yes"),
    False: N_("No"),
}


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
        # Where it came from, and its follow-up (did the person reach the service?).
        self.activity = QComboBox()
        self.activity.addItem("—", None)
        self.activity_programmes: dict[str, str] = {}
        for a in services.programmes.activities():
            self.activity.addItem(a.label(), a.id)
            self.activity_programmes[a.id or ""] = a.programme_id
        select_data(self.activity, referral.activity_id)
        self.reached = QComboBox()
        for answer in REACHED:
            self.reached.addItem("", answer)
        select_data(self.reached, referral.reached)
        self.followed_up_on = date_edit(optional=True)
        self.followed_up_on.setDate(to_qdate(referral.followed_up_on))
        self.follow_up = QPlainTextEdit(referral.follow_up)
        self.follow_up.setMaximumHeight(70)
        self.errors = {
            k: error_label()
            for k in (
                "date",
                "to_organisation_id",
                "from_organisation_id",
                "status",
                "activity_id",
                "followed_up_on",
            )
        }
        self.labels = [QLabel() for _i in range(9)]
        form = QFormLayout()
        for label, widget, key in zip(
            self.labels,
            (
                self.date,
                self.from_org,
                self.to_org,
                self.reason,
                self.status,
                self.activity,
                self.reached,
                self.followed_up_on,
                self.follow_up,
            ),
            (
                "date",
                "from_organisation_id",
                "to_organisation_id",
                None,
                "status",
                "activity_id",
                None,
                "followed_up_on",
                None,
            ),
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
            (
                _("Date"),
                _("Referred from"),
                _("Referred to"),
                _("Reason"),
                _("Status"),
                _("Came from the activity"),
                _("Reached the service"),
                _("Followed up on"),
                _("Outcome of the follow-up"),
            ),
            strict=True,
        ):
            label.setText(text)
        for i, text in enumerate(REACHED.values()):
            self.reached.setItemText(i, _(text))
        for i, status in enumerate(REFERRAL_STATUSES.values()):
            self.status.setItemText(i, _(status))
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
            activity_id=self.activity.currentData(),
            programme_id=(
                self.activity_programmes.get(self.activity.currentData())
                if self.activity.currentData()
                else self.referral.programme_id
            ),
            reached=self.reached.currentData(),
            followed_up_on=from_qdate(self.followed_up_on.date()),
            follow_up=self.follow_up.toPlainText(),
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


class ReferralsWidget(QWidget):
    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__()
        self.services, self.bus, self.prompts = services, bus, prompts
        self.participant_id: str | None = None
        self.dialog: ReferralDialog | None = None
        self.model: DtoTableModel[ReferralDTO] = DtoTableModel(referral_columns(False))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.add_button, self.edit_button, self.delete_button = (
            QPushButton(),
            QPushButton(),
            QPushButton(),
        )
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        QShortcut(
            QKeySequence.StandardKey.Delete,
            self.table,
            activated=self.delete,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        bus.changed.connect(self._on_changed)
        self.retranslate_ui()
        self._update_buttons()

    def retranslate_ui(self) -> None:
        self.add_button.setText(_("New referral"))
        self.edit_button.setText(_("Edit"))
        self.delete_button.setText(_("Delete"))
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_participant(self, participant_id: str | None) -> None:
        self.participant_id = participant_id
        self.refresh()

    def refresh(self) -> None:
        rows = (
            self.services.referrals.for_participant(self.participant_id)
            if self.participant_id
            else []
        )
        self.model.set_rows(rows)
        self._update_buttons()

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(Area.PEOPLE, Area.ORGANISATIONS):
            self.refresh()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(self.participant_id is not None)
        has_rows = self.model.rowCount() > 0
        self.edit_button.setEnabled(has_rows)
        self.delete_button.setEnabled(has_rows)

    def selected(self) -> ReferralDTO | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _open(self, referral: ReferralDTO) -> None:
        self.dialog = ReferralDialog(self.services, self.bus, self.prompts, referral, self)
        self.dialog.open()

    def add(self) -> None:
        if self.participant_id:
            self._open(ReferralDTO(None, self.participant_id, dt.date.today()))

    def edit(self) -> None:
        current = self.selected()
        if current:
            self._open(current)

    def delete(self) -> None:
        current = self.selected()
        if current is None or not self.prompts.confirm(
            self, _("Delete referral"), _("Delete this referral?")
        ):
            return
        run_op(
            self,
            lambda: self.services.referrals.delete(current.id or ""),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Cannot delete the referral"),
        )
