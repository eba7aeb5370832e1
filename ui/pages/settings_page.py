"""Settings: interface language and the entity's profile (name, NIF, logo, region, the
data-protection texts printed on every document that lists people)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Area
from app.domain.data_protection import (
    EVIDENCE_RETENTION_RANGE,
    EVIDENCE_RETENTION_YEARS,
    INVOICE_RETENTION_RANGE,
    INVOICE_RETENTION_YEARS,
)
from app.domain.profile import EntityProfileDTO, language_for_region, logo_problem
from app.errors import ValidationError
from app.i18n import _, current_language, ngettext
from app.services.container import Services
from ui.events import DataBus
from ui.i18n_qt import add_languages
from ui.pages.base import Page
from ui.prompts import Prompts
from ui.widgets.audit_log import AuditLogView
from ui.widgets.retention_box import RetentionBox, RetentionCalls, RetentionTexts
from ui.widgets.text_pair import TextPair
from ui.workers import run_op

PRIVACY_FIELDS = (
    "privacy_controller",
    "privacy_purpose",
    "privacy_legal_basis",
    "privacy_recipients",
    "privacy_rights_contact",
)


def privacy_suggestions(entity: str, region: str = "CT") -> dict[str, str]:
    """Suggested wording for the data-protection notice (in the interface language), shown as
    placeholders and offered to fill the empty fields: a start the entity adapts, not legal
    advice. A Valencian entity answers to the Spanish agency only (the Valencian Community has
    no data-protection authority of its own); a Catalan one also to the APDCAT."""
    name = entity or _("the entity")
    if region == "VC":
        rights = _(
            "You can exercise your rights of access, rectification, erasure, objection, "
            "restriction and portability by writing to … or at the entity's premises, and "
            "complain to the Spanish Data Protection Agency (AEPD, aepd.es)."
        )
    else:
        rights = _(
            "You can exercise your rights of access, rectification, erasure, objection, "
            "restriction and portability by writing to … or at the entity's premises, and "
            "complain to the data-protection authority (APDCAT or AEPD)."
        )
    return {
        "privacy_controller": _("{entity}, with registered address at …").format(entity=name),
        "privacy_purpose": _(
            "To organise the activities you take part in, keep the attendance record and "
            "justify the activities to the funders."
        ),
        "privacy_legal_basis": _(
            "Your consent and the public interest of community action (GDPR art. 6.1.a and "
            "6.1.e). Data is kept while you take part and for the years the funders require."
        ),
        "privacy_recipients": _(
            "No data is passed on to third parties except where the law requires it. Funders "
            "receive only statistics and, if you allow it, pictures of the activities."
        ),
        "privacy_rights_contact": rights,
    }


def _scrolled(widget: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(widget)
    return scroll


class SettingsPage(Page):
    areas = (Area.PROFILE,)
    language_requested = Signal(str)

    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__(services, bus, prompts)
        self._profile: EntityProfileDTO | None = None
        #: The dialog open now (the purge of erased people).
        self.dialog: QDialog | None = None
        self._logo: bytes | None = None

        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: 600;")

        self.language_box = QGroupBox()
        self.language_combo = QComboBox()
        add_languages(self.language_combo)
        self.language_combo.activated.connect(
            lambda: self.language_requested.emit(self.language_combo.currentData())
        )
        self.language_label = QLabel()
        lang_form = QFormLayout(self.language_box)
        lang_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        lang_form.addRow(self.language_label, self.language_combo)

        self.entity_box = QGroupBox()
        form = QFormLayout(self.entity_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self.name_edit = QLineEdit()
        self.tax_edit = QLineEdit()
        self.address_edit = QLineEdit()
        self.name_edit.textChanged.connect(lambda _t: self._update_placeholders())
        self.region_combo = QComboBox()
        self.region_combo.addItem("", "CT")
        self.region_combo.addItem("", "VC")
        self.region_combo.activated.connect(lambda _i: self._region_chosen())
        self.doc_lang_combo = QComboBox()
        add_languages(self.doc_lang_combo)
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
            edit.setFixedHeight(72)
            edit.setTabChangesFocus(True)
        # The texts documents print, in the entity's language and the other one side by side.
        self.pairs = {"name": TextPair(self.name_edit)}
        self.pairs.update({key: TextPair(edit) for key, edit in self.privacy_edits.items()})
        rows: list[tuple[str, QWidget | QHBoxLayout]] = [
            ("name", self.pairs["name"]),
            ("tax_id", self.tax_edit),
            ("address", self.address_edit),
            ("region", self.region_combo),
            ("default_lang", self.doc_lang_combo),
            ("logo", logo_row),
        ]
        self._add_rows(form, rows)

        # Data protection: the notice printed on every document that lists people, and the log.
        self.privacy_box = QGroupBox()
        self.privacy_intro = QLabel()
        self.privacy_intro.setWordWrap(True)
        self.suggest_button = QPushButton(clicked=self.fill_suggestions)
        privacy_form = QFormLayout()
        privacy_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._add_rows(privacy_form, [(key, self.pairs[key]) for key in PRIVACY_FIELDS])
        privacy_layout = QVBoxLayout(self.privacy_box)
        privacy_layout.addWidget(self.privacy_intro)
        privacy_layout.addLayout(privacy_form)
        suggest_row = QHBoxLayout()
        suggest_row.addWidget(self.suggest_button)
        suggest_row.addStretch(1)
        privacy_layout.addLayout(suggest_row)

        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self.saved_label = QLabel()

        self.heading_row = QHBoxLayout()
        self.heading_row.addWidget(self.heading)
        self.heading_row.addStretch(1)
        self.heading_row.addWidget(self.saved_label)
        self.heading_row.addWidget(self.save_button)

        entity_tab = QWidget()
        entity_layout = QVBoxLayout(entity_tab)
        entity_layout.addWidget(self.language_box)
        entity_layout.addWidget(self.entity_box)
        entity_layout.addStretch(1)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._titles: list[Callable[[], str]] = []
        self.add_tab(_scrolled(entity_tab), lambda: _("Entity"))
        privacy_tab = QWidget()
        privacy_tab_layout = QVBoxLayout(privacy_tab)
        privacy_tab_layout.addWidget(self.privacy_box)
        # Removing for good the data of people erased earlier acts on everyone: here, with the
        # data protection, not among the buttons of one person's record.
        self.purge_box = QGroupBox()
        self.purge_intro = QLabel()
        self.purge_intro.setWordWrap(True)
        self.purge_button = QPushButton(clicked=self.purge_erased)
        purge_layout = QVBoxLayout(self.purge_box)
        purge_layout.addWidget(self.purge_intro)
        purge_row = QHBoxLayout()
        purge_row.addWidget(self.purge_button)
        purge_row.addStretch(1)
        purge_layout.addLayout(purge_row)
        privacy_tab_layout.addWidget(self.purge_box)
        # How long the scans of signed sheets and the invoices' files are kept, and deleting
        # those past it (what ``teixit purge --scans-older-than`` / ``--invoices-older-than`` do).
        purge = services.purge
        self.scans_box = RetentionBox(
            SCAN_TEXTS,
            RetentionCalls(
                purge.evidence_retention,
                purge.set_evidence_retention,
                purge.old_evidence,
                purge.purge_evidence,
            ),
            EVIDENCE_RETENTION_RANGE,
            EVIDENCE_RETENTION_YEARS,
            bus,
            prompts,
        )
        self.retention, self.scans_button = self.scans_box.years, self.scans_box.button
        privacy_tab_layout.addWidget(self.scans_box)
        self.invoices_box = RetentionBox(
            INVOICE_TEXTS,
            RetentionCalls(
                purge.invoice_retention,
                purge.set_invoice_retention,
                purge.old_invoices,
                purge.purge_invoices,
            ),
            INVOICE_RETENTION_RANGE,
            INVOICE_RETENTION_YEARS,
            bus,
            prompts,
        )
        privacy_tab_layout.addWidget(self.invoices_box)
        privacy_tab_layout.addStretch(1)
        self.add_tab(_scrolled(privacy_tab), lambda: _("Data protection"))
        self.audit_log = AuditLogView(services)
        self.add_tab(self.audit_log, lambda: _("Audit log"))

        # The profile's Save only where the profile is edited: the lists have their own.
        self.tabs.currentChanged.connect(self._tab_changed)

        outer = QVBoxLayout(self)
        outer.addLayout(self.heading_row)
        outer.addWidget(self.tabs, 1)
        self.retranslate_ui()

    def _add_rows(
        self, form: QFormLayout, rows: Sequence[tuple[str, QWidget | QHBoxLayout]]
    ) -> None:
        for key, widget in rows:
            self.labels[key] = QLabel()
            form.addRow(self.labels[key], widget)
            if isinstance(widget, TextPair):
                self.labels[key].setBuddy(widget.main)
            elif isinstance(widget, QWidget):
                self.labels[key].setBuddy(widget)
            error = QLabel()
            error.setStyleSheet("color: #b00020;")
            error.hide()
            self.errors[key] = error
            form.addRow("", error)

    def _tab_changed(self, index: int) -> None:
        profile_tab = index in (0, 1)
        self.save_button.setVisible(profile_tab)
        self.saved_label.setVisible(profile_tab)

    def add_tab(self, widget: QWidget, title: Callable[[], str]) -> None:
        """Another tab of settings (team, places, funders, categories...), titled at call time."""
        self._titles.append(title)
        self.tabs.addTab(widget, title())

    def title(self) -> str:
        return _("Settings")

    def purge_erased(self) -> None:
        from ui.dialogs.purge_dialog import PurgeDialog

        dialog = PurgeDialog(self.services, self.prompts, self, bus=self.bus)
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def retranslate_ui(self) -> None:
        self.heading.setText(_("Settings"))
        self.scans_box.retranslate_ui()
        self.invoices_box.retranslate_ui()
        self.language_box.setTitle(_("Interface"))
        self.language_label.setText(_("Language:"))
        self.language_combo.setCurrentIndex(self.language_combo.findData(current_language()))
        self.entity_box.setTitle(_("Entity"))
        self.purge_box.setTitle(_("Erased people"))
        self.purge_intro.setText(
            _(
                "Erasing a person (People > Erase) blocks their record at once. Purging removes "
                "for good the personal data of everyone erased earlier; the figures already "
                "reported do not change."
            )
        )
        self.purge_button.setText(_("Purge erased people…"))
        self.purge_button.setToolTip(
            _("Remove for good the personal data of people erased earlier")
        )
        self.privacy_box.setTitle(_("Data-protection notice"))
        self.privacy_intro.setText(
            _(
                "These texts are printed at the foot of every document that lists people "
                "(attendance sheets, minutes). The greyed text is a suggestion: adapt it to "
                "your entity."
            )
        )
        self.suggest_button.setText(_("&Fill the empty fields with the suggestion"))
        self._update_placeholders()
        for i, title in enumerate(self._titles):
            self.tabs.setTabText(i, title())
        texts = {
            "name": _("&Name:"),
            "tax_id": _("NI&F:"),
            "address": _("&Address:"),
            "region": _("Public &holidays of:"),
            "default_lang": _("&Documents in:"),
            "logo": _("Logo:"),
            "privacy_controller": _("Data controller:"),
            "privacy_purpose": _("Purpose:"),
            "privacy_legal_basis": _("Legal basis:"),
            "privacy_recipients": _("Recipients:"),
            "privacy_rights_contact": _("Exercise of rights:"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        for pair in self.pairs.values():
            pair.retranslate_ui()
        self.region_combo.setItemText(0, _("Catalonia"))
        self.region_combo.setItemText(1, _("Valencian Community"))
        self.logo_button.setText(_("Choose image…"))
        self.logo_clear.setText(_("Remove"))
        self.save_button.setText(_("&Save"))
        self.save_button.setToolTip(_("Save the entity and its data-protection notice (Ctrl+S)"))
        self.saved_label.setText("")

    def _region_chosen(self) -> None:
        """A form of Catalan follows the region (Valencian for the Valencian Community), and
        the suggested notice names the region's data-protection authority."""
        region = str(self.region_combo.currentData())
        lang = language_for_region(region, str(self.doc_lang_combo.currentData()))
        self.doc_lang_combo.setCurrentIndex(max(self.doc_lang_combo.findData(lang), 0))
        self._update_placeholders()

    def _suggestions(self) -> dict[str, str]:
        return privacy_suggestions(
            self.name_edit.text().strip(), str(self.region_combo.currentData())
        )

    def _update_placeholders(self) -> None:
        suggestions = self._suggestions()
        for key, edit in self.privacy_edits.items():
            edit.setPlaceholderText(suggestions[key])

    def fill_suggestions(self) -> None:
        """Put the suggested wording in the fields still empty (saved with Save)."""
        suggestions = self._suggestions()
        for key, edit in self.privacy_edits.items():
            if not edit.toPlainText().strip():
                edit.setPlainText(suggestions[key])

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
        main, other = self.services.texts.languages()
        for key, pair in self.pairs.items():
            pair.set_languages(main, other)
            pair.show_version(p.translations, key)
        self._set_logo(p.logo)
        self._update_placeholders()
        self.scans_box.load()
        self.invoices_box.load()

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
        data = Path(path).read_bytes()
        problem = logo_problem(data) or (
            _("That file is not an image Teixit can read.") if QPixmap(path).isNull() else None
        )
        if problem:
            self.prompts.error(self, _("Logo"), problem)
            return
        self._set_logo(data)

    def _clear_logo(self) -> None:
        self._set_logo(None)

    def save(self) -> None:
        for error in self.errors.values():
            error.hide()
        base = self._profile or EntityProfileDTO(id="", name="")
        privacy: dict[str, Any] = {
            key: edit.toPlainText().strip() for key, edit in self.privacy_edits.items()
        }
        translations = base.translations
        for key, pair in self.pairs.items():
            translations = pair.versions(translations, key)
        privacy["translations"] = translations
        profile = replace(
            base,
            name=self.name_edit.text(),
            tax_id=self.tax_edit.text().strip(),
            address=self.address_edit.text().strip(),
            region=self.region_combo.currentData(),
            default_lang=self.doc_lang_combo.currentData(),
            logo=self._logo,
            **privacy,
        )

        def invalid(exc: ValidationError) -> None:
            for key, message in exc.errors.items():
                if key in self.errors:
                    self.errors[key].setText(message)
                    self.errors[key].show()

        def saved(_profile: EntityProfileDTO) -> None:
            self.refresh()  # the profile as saved
            self.saved_label.setText(_("Saved."))

        run_op(
            self,
            lambda: self.services.profile.save(profile),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Entity"),
            on_invalid=invalid,
            on_success=saved,
        )


SCAN_TEXTS = RetentionTexts(
    title=lambda: _("Scans of signed sheets"),
    intro=lambda: _(
        "The signed sheets read back are kept with their sessions as evidence for the "
        "funders' auditors. Past the years you choose here they can be deleted; the "
        "attendance they gave stays."
    ),
    button=lambda years: ngettext(
        "Delete scans older than {years} year…", "Delete scans older than {years} years…", years
    ).format(years=years),
    none=lambda years: _("There are no scans of signed sheets older than {years} years.").format(
        years=years
    ),
    question=lambda count, sessions, years: ngettext(
        "Delete for good {count} scanned page of signed sheets ({sessions} sessions older "
        "than {years} years)? The attendance they gave stays.",
        "Delete for good {count} scanned pages of signed sheets ({sessions} sessions older "
        "than {years} years)? The attendance they gave stays.",
        count,
    ).format(count=count, sessions=sessions, years=years),
    deleted=lambda count, years: ngettext(
        "Deleted {count} scanned page of signed sheets older than {years} years.",
        "Deleted {count} scanned pages of signed sheets older than {years} years.",
        count,
    ).format(count=count, years=years),
)

INVOICE_TEXTS = RetentionTexts(
    title=lambda: _("Invoices' files"),
    intro=lambda: _(
        "The invoices and payroll files attached to expenses hold personal data. Accounting "
        "documents are kept six years (Código de Comercio, art. 30); past the years you choose "
        "here the files can be deleted; the expenses, their amounts and document numbers stay."
    ),
    button=lambda years: ngettext(
        "Delete invoices' files older than {years} year…",
        "Delete invoices' files older than {years} years…",
        years,
    ).format(years=years),
    none=lambda years: _("There are no invoice files of expenses older than {years} years.").format(
        years=years
    ),
    question=lambda count, expenses, years: ngettext(
        "Delete for good {count} invoice file ({expenses} expenses issued more than {years} "
        "years ago)? The expenses stay.",
        "Delete for good {count} invoice files ({expenses} expenses issued more than {years} "
        "years ago)? The expenses stay.",
        count,
    ).format(count=count, expenses=expenses, years=years),
    deleted=lambda count, years: ngettext(
        "Deleted {count} invoice file of expenses older than {years} years.",
        "Deleted {count} invoice files of expenses older than {years} years.",
        count,
    ).format(count=count, years=years),
)
