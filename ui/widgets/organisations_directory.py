"""The directory of the territory's organisations: search, form, and the referrals they take
part in."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.networks import ORGANISATION_KINDS, OrganisationDTO, ReferralDTO
from app.errors import ValidationError
from app.i18n import _
from app.services.container import Services
from ui.events import DataBus
from ui.models.dto_table import Column, DtoTableModel
from ui.prompts import Prompts
from ui.widgets.form_bits import error_label, select_data, show_error
from ui.widgets.referral_columns import referral_columns
from ui.workers import run_op


class OrganisationsDirectory(QWidget):
    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__()
        self.services, self.bus, self.prompts = services, bus, prompts
        self.current_id: str | None = None
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.model: DtoTableModel[OrganisationDTO] = DtoTableModel(
            [
                Column(lambda: _("Name"), lambda o: o.name),
                Column(lambda: _("Kind"), lambda o: _(ORGANISATION_KINDS.get(o.kind, o.kind))),
            ]
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.new_button = QPushButton()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.new_button)

        self.name, self.kind, self.contact = QLineEdit(), QComboBox(), QPlainTextEdit()
        self.contact.setMaximumHeight(90)
        for code in ORGANISATION_KINDS:
            self.kind.addItem("", code)
        self.errors = {"name": error_label(), "kind": error_label()}
        self.l_name, self.l_kind, self.l_contact = QLabel(), QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.l_name, self.name)
        form.addRow("", self.errors["name"])
        form.addRow(self.l_kind, self.kind)
        form.addRow("", self.errors["kind"])
        form.addRow(self.l_contact, self.contact)
        self.save_button, self.delete_button = QPushButton(), QPushButton()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        self.form_box = QGroupBox()
        form_layout = QVBoxLayout(self.form_box)
        form_layout.addLayout(form)
        form_layout.addLayout(buttons)
        self.referrals_model: DtoTableModel[ReferralDTO] = DtoTableModel(referral_columns(True))
        self.referrals = QTableView()
        self.referrals.setModel(self.referrals_model)
        self.referrals.verticalHeader().hide()
        header = self.referrals.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.referrals_box = QGroupBox()
        QVBoxLayout(self.referrals_box).addWidget(self.referrals)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.form_box)
        right_layout.addWidget(self.referrals_box, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([320, 560])
        QVBoxLayout(self).addWidget(splitter)

        self.search.textChanged.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._on_selected)
        self.new_button.clicked.connect(self.new)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        QShortcut(
            QKeySequence.StandardKey.Delete,
            self.table,
            activated=self.delete,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.retranslate_ui()
        self.new()

    def retranslate_ui(self) -> None:
        self.search.setPlaceholderText(_("Search organisations"))
        self.new_button.setText(_("New organisation"))
        self.l_name.setText(_("Name"))
        self.l_kind.setText(_("Kind"))
        self.l_contact.setText(_("Contact"))
        self.contact.setPlaceholderText(_("Person, phone, email, address…"))
        for i, label in enumerate(ORGANISATION_KINDS.values()):
            self.kind.setItemText(i, _(label))
        self.save_button.setText(_("Save"))
        self.delete_button.setText(_("Delete"))
        self.referrals_box.setTitle(_("Referrals"))
        self._update_title()
        self.model.retranslate()
        self.referrals_model.retranslate()

    def _update_title(self) -> None:
        self.form_box.setTitle(_("Organisation") if self.current_id else _("New organisation"))

    def refresh(self) -> None:
        rows = self.services.networks.organisations(self.search.text())
        self.model.set_rows(rows)
        for row, o in enumerate(rows):
            if o.id == self.current_id:
                self.table.selectRow(row)

    def _on_selected(self, _sel: QItemSelection, _old: QItemSelection) -> None:
        index = self.table.currentIndex()
        org = self.model.row_at(index.row()) if index.isValid() else None
        if org is not None and org.id != self.current_id:
            self.show_organisation(org)

    def show_organisation(self, org: OrganisationDTO | None) -> None:
        self.current_id = org.id if org else None
        self.name.setText(org.name if org else "")
        select_data(self.kind, org.kind if org else "other")
        self.contact.setPlainText(org.contact if org else "")
        for label in self.errors.values():
            show_error(label, None)
        self.referrals_model.set_rows(
            self.services.referrals.for_organisation(org.id) if org and org.id else []
        )
        self.delete_button.setEnabled(org is not None)
        self._update_title()

    def new(self) -> None:
        self.table.clearSelection()
        self.show_organisation(None)
        self.name.setFocus()

    def save(self) -> None:
        for label in self.errors.values():
            show_error(label, None)
        value = OrganisationDTO(
            self.current_id, self.name.text(), self.kind.currentData(), self.contact.toPlainText()
        )

        def invalid(exc: ValidationError) -> None:
            for key, message in exc.errors.items():
                show_error(self.errors.get(key, self.errors["name"]), message)

        def saved(organisation: OrganisationDTO) -> None:
            self.current_id = organisation.id
            self._update_title()
            self.delete_button.setEnabled(True)
            self.refresh()

        run_op(
            self,
            lambda: self.services.networks.save_organisation(value),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Cannot save the organisation"),
            on_invalid=invalid,
            on_success=saved,
        )

    def delete(self) -> None:
        if not self.current_id or not self.prompts.confirm(
            self,
            _("Delete organisation"),
            _("Delete “{name}” from the directory?").format(name=self.name.text()),
        ):
            return
        organisation_id = self.current_id

        def deleted(_result: None) -> None:
            self.show_organisation(None)
            self.refresh()

        run_op(
            self,
            lambda: self.services.networks.delete_organisation(organisation_id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Delete organisation"),
            on_success=deleted,
        )
