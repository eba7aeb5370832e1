"""Settings: interface language and the entity's profile (name, NIF, logo, region, the
data-protection texts printed on every document that lists people)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Area
from app.domain.profile import EntityProfileDTO
from app.errors import ValidationError
from app.i18n import _, current_language
from app.services.container import Services
from ui.dialogs.prompts import Prompts
from ui.events import DataBus
from ui.pages.base import Page

PRIVACY_FIELDS = (
    "privacy_controller",
    "privacy_purpose",
    "privacy_legal_basis",
    "privacy_recipients",
    "privacy_rights_contact",
)


class SettingsPage(Page):
    areas = (Area.PROFILE,)
    language_requested = Signal(str)

    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__(services, bus, prompts)
        self._profile: EntityProfileDTO | None = None
        self._logo: bytes | None = None

        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: 600;")

        self.language_box = QGroupBox()
        self.language_combo = QComboBox()
        self.language_combo.addItem("Català", "ca")
        self.language_combo.addItem("Castellano", "es")
        self.language_combo.activated.connect(
            lambda: self.language_requested.emit(self.language_combo.currentData())
        )
        self.language_label = QLabel()
        lang_form = QFormLayout(self.language_box)
        lang_form.addRow(self.language_label, self.language_combo)

        self.entity_box = QGroupBox()
        form = QFormLayout(self.entity_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self.name_edit = QLineEdit()
        self.tax_edit = QLineEdit()
        self.address_edit = QLineEdit()
        self.region_combo = QComboBox()
        self.region_combo.addItem("", "CT")
        self.region_combo.addItem("", "VC")
        self.doc_lang_combo = QComboBox()
        self.doc_lang_combo.addItem("Català", "ca")
        self.doc_lang_combo.addItem("Castellano", "es")
        self.logo_preview = QLabel()
        self.logo_preview.setFixedHeight(56)
        self.logo_button = QPushButton()
        self.logo_button.clicked.connect(self._choose_logo)
        self.logo_clear = QPushButton()
        self.logo_clear.clicked.connect(self._clear_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview)
        logo_row.addWidget(self.logo_button)
        logo_row.addWidget(self.logo_clear)
        logo_row.addStretch(1)
        self.privacy_edits = {key: QPlainTextEdit() for key in PRIVACY_FIELDS}
        for edit in self.privacy_edits.values():
            edit.setFixedHeight(54)
            edit.setTabChangesFocus(True)
        rows: list[tuple[str, QWidget | QHBoxLayout]] = [
            ("name", self.name_edit),
            ("tax_id", self.tax_edit),
            ("address", self.address_edit),
            ("region", self.region_combo),
            ("default_lang", self.doc_lang_combo),
            ("logo", logo_row),
            *[(key, edit) for key, edit in self.privacy_edits.items()],
        ]
        for key, widget in rows:
            self.labels[key] = QLabel()
            form.addRow(self.labels[key], widget)
            error = QLabel()
            error.setStyleSheet("color: #b00020;")
            error.hide()
            self.errors[key] = error
            form.addRow("", error)

        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self.saved_label = QLabel()

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.heading)
        layout.addWidget(self.language_box)
        layout.addWidget(self.entity_box)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.saved_label)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.extra_layout = QVBoxLayout()
        layout.addLayout(self.extra_layout)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.retranslate_ui()

    def add_section(self, widget: QWidget) -> None:
        """More settings (categories, staff, places, funders...) below the profile."""
        self.extra_layout.addWidget(widget)

    def title(self) -> str:
        return _("Settings")

    def retranslate_ui(self) -> None:
        self.heading.setText(_("Settings"))
        self.language_box.setTitle(_("Interface"))
        self.language_label.setText(_("Language:"))
        self.language_combo.setCurrentIndex(0 if current_language() == "ca" else 1)
        self.entity_box.setTitle(_("Entity"))
        texts = {
            "name": _("Name:"),
            "tax_id": _("NIF:"),
            "address": _("Address:"),
            "region": _("Public holidays of:"),
            "default_lang": _("Documents in:"),
            "logo": _("Logo:"),
            "privacy_controller": _("Data controller:"),
            "privacy_purpose": _("Purpose:"),
            "privacy_legal_basis": _("Legal basis:"),
            "privacy_recipients": _("Recipients:"),
            "privacy_rights_contact": _("Exercise of rights:"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        self.region_combo.setItemText(0, _("Catalonia"))
        self.region_combo.setItemText(1, _("Valencian Community"))
        self.logo_button.setText(_("Choose image…"))
        self.logo_clear.setText(_("Remove"))
        self.save_button.setText(_("Save"))
        self.saved_label.setText("")

    def refresh(self) -> None:
        self._profile = self.services.profile.get()
        p = self._profile
        if p is None:
            return
        self.name_edit.setText(p.name)
        self.tax_edit.setText(p.tax_id)
        self.address_edit.setText(p.address)
        self.region_combo.setCurrentIndex(max(self.region_combo.findData(p.region), 0))
        self.doc_lang_combo.setCurrentIndex(max(self.doc_lang_combo.findData(p.default_lang), 0))
        for key, edit in self.privacy_edits.items():
            edit.setPlainText(getattr(p, key))
        self._set_logo(p.logo)

    def _set_logo(self, data: bytes | None) -> None:
        self._logo = data
        pixmap = QPixmap()
        if data:
            pixmap.loadFromData(data)
        self.logo_preview.setPixmap(
            pixmap.scaledToHeight(56, Qt.TransformationMode.SmoothTransformation)
            if not pixmap.isNull()
            else QPixmap()
        )
        self.logo_clear.setEnabled(bool(data))

    def _choose_logo(self) -> None:
        path = self.prompts.open_file(self, _("Logo"), _("Images (*.png *.jpg *.jpeg)"))
        if not path:
            return
        if QPixmap(path).isNull():
            self.prompts.error(self, _("Logo"), _("That file is not an image Teixit can read."))
            return
        self._set_logo(Path(path).read_bytes())

    def _clear_logo(self) -> None:
        self._set_logo(None)

    def save(self) -> None:
        for error in self.errors.values():
            error.hide()
        base = self._profile or EntityProfileDTO(id="", name="")
        profile = replace(
            base,
            name=self.name_edit.text(),
            tax_id=self.tax_edit.text().strip(),
            address=self.address_edit.text().strip(),
            region=self.region_combo.currentData(),
            default_lang=self.doc_lang_combo.currentData(),
            logo=self._logo,
            **{key: edit.toPlainText().strip() for key, edit in self.privacy_edits.items()},
        )
        try:
            self._profile, changes = self.services.profile.save(profile)
        except ValidationError as exc:
            for key, message in exc.errors.items():
                if key in self.errors:
                    self.errors[key].setText(message)
                    self.errors[key].show()
            return
        self.saved_label.setText(_("Saved."))
        self.bus.emit_changes(changes)
