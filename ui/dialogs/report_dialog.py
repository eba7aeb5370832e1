"""The justification report dialog: what to include, a preview of the first pages, and saving the
PDF (with the spreadsheet and the JSON figures) or the evidence pack, built in the background."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.figures import BUILT_IN_BAND_SET_LABELS, format_figure
from app.domain.office import VIEWER
from app.domain.report import (
    NARRATIVE_KINDS,
    NARRATIVE_LABELS,
    OPTIONAL_SECTIONS,
    PERIOD_KINDS,
    SECTION_LABELS,
    SECTIONS,
    BandSetDTO,
    ReportCancelled,
    ReportRequest,
    calendar_year,
    quarter,
    school_year,
)
from app.domain.texts import missing_message
from app.errors import UserError
from app.i18n import _, format_date, ngettext
from app.services.container import Services
from app.services.report_output import ReportFiles, base_name, pdf_bytes
from ui.i18n_qt import add_document_languages, name_languages
from ui.prompts import Prompts
from ui.roles import apply_role
from ui.widgets.pdf_preview import PdfPreview, render_pages
from ui.widgets.text_pair import TextPair
from ui.workers import Job, start


class ReportDialog(QDialog):
    def __init__(
        self,
        services: Services,
        prompts: Prompts,
        programme_ids: list[str] | None = None,
        parent: QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.prompts = services, prompts
        self.today = today or dt.date.today()
        self.job: Job | None = None
        self.last_result: Any = None
        self._narrative_key: tuple[str | None, dt.date, dt.date] | None = None
        self._loading_texts = False
        self._dirty = False
        profile = services.profile.get()
        self._default_lang = profile.default_lang if profile else "ca"
        #: The saved narratives' versions in other languages: (kind, language, text).
        self._narrative_versions: tuple[tuple[str, str, str], ...] = ()
        self._build()
        self._fill(programme_ids or [])
        self.retranslate_ui()
        self._load_narratives()
        self._reflect_role(services.office.role)
        self.resize(1000, 640)  # within a 1024x700 screen, frame included

    def _reflect_role(self, role: str) -> None:
        """A viewer writes the report with the texts as saved (it may not change them), without
        the economic part (payrolls name the staff paid) and without the evidence pack (the
        sheets name people); the figures are counted by the office database."""
        apply_role(self, role)
        if role != VIEWER:
            return
        for kind, edit in self.texts.items():
            edit.setReadOnly(True)
            other = self.text_pairs[kind].other
            if hasattr(other, "setReadOnly"):
                other.setReadOnly(True)
        for i in range(self.sections.count()):
            item = self.sections.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == "economic":
                item.setCheckState(Qt.CheckState.Unchecked)
                item.setHidden(True)

    # --- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.scope_some = QRadioButton()
        self.scope_all = QRadioButton()
        self.programme_list = QListWidget()
        self.programme_list.setMaximumHeight(130)
        self.period_kind = QComboBox()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.quarter = QComboBox()
        self.lang = QComboBox()
        self.age_preset = QComboBox()  # the band set: built in or a funder's
        self.new_band_set = QPushButton()
        self.fold_gender = QCheckBox()
        self.small_numbers = QCheckBox()
        self.small_numbers.setChecked(True)  # on by default: reports leave the entity
        self.prorate = QCheckBox()
        self.warnings = QLabel()
        # Held sessions of the period without a signed sheet kept (as the Reports page lists
        # them), and the list itself on request.
        self.unsigned_line = QLabel()
        self.unsigned_line.setWordWrap(True)
        self.unsigned_button = QPushButton()
        self.unsigned_button.setCheckable(True)
        self.unsigned_list = QListWidget()
        self.unsigned_list.setMaximumHeight(110)
        self.unsigned_list.hide()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #8A4B00;")
        self.sections = QListWidget()
        self.sections.setMinimumHeight(175)
        self.signatory, self.signatory_role, self.sign_place = QLineEdit(), QLineEdit(), QLineEdit()
        self.texts: dict[str, QPlainTextEdit] = {k: QPlainTextEdit() for k in NARRATIVE_KINDS}
        self.text_tabs = QTabWidget()
        # Each text in the entity's language and the other one, side by side.
        self.text_pairs = {k: TextPair(self.texts[k]) for k in NARRATIVE_KINDS}
        main_lang, other_lang = self.services.texts.languages()
        for kind in NARRATIVE_KINDS:
            self.text_pairs[kind].set_languages(main_lang, other_lang)
            self.text_tabs.addTab(self.text_pairs[kind], "")
            self.texts[kind].textChanged.connect(self._texts_changed)
            self.text_pairs[kind].other.textChanged.connect(self._texts_changed)
        self.with_xlsx, self.with_json = QCheckBox(), QCheckBox()
        self.with_xlsx.setChecked(True)
        self.with_json.setChecked(True)
        self.preview_button, self.save_button = QPushButton(), QPushButton()
        self.evidence_button, self.cancel_button = QPushButton(), QPushButton()
        self.close_button = QPushButton()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.preview_area = PdfPreview()

        self.scope_box, self.period_box = QGroupBox(), QGroupBox()
        self.content_box, self.texts_box, self.sign_box = QGroupBox(), QGroupBox(), QGroupBox()
        scope = QVBoxLayout(self.scope_box)
        scope.addWidget(self.scope_some)
        scope.addWidget(self.programme_list)
        scope.addWidget(self.scope_all)
        self.form_labels: dict[str, QLabel] = {
            key: QLabel()
            for key in (
                "kind",
                "year",
                "dates",
                "lang",
                "ages",
                "gender",
                "small",
                "targets",
                "sections",
                "signatory",
                "role",
                "place",
            )
        }
        lab = self.form_labels
        self.period_form = QFormLayout(self.period_box)
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(self.date_to)
        self.period_form.addRow(lab["kind"], self.period_kind)
        year_row = QHBoxLayout()
        year_row.addWidget(self.year)
        year_row.addWidget(self.quarter)
        self.period_form.addRow(lab["year"], year_row)
        self.period_form.addRow(lab["dates"], dates)
        self.content_form = QFormLayout(self.content_box)
        self.content_form.addRow(lab["lang"], self.lang)
        bands = QVBoxLayout()  # the set's name whole, the button under it
        bands.addWidget(self.age_preset)
        bands.addWidget(self.new_band_set, 0, Qt.AlignmentFlag.AlignLeft)
        self.content_form.addRow(lab["ages"], bands)
        self.content_form.addRow(lab["gender"], self.fold_gender)
        self.content_form.addRow(lab["small"], self.small_numbers)
        self.content_form.addRow(lab["targets"], self.prorate)
        self.content_form.addRow(lab["sections"], self.sections)
        texts = QVBoxLayout(self.texts_box)
        texts.addWidget(self.text_tabs)
        self.sign_form = QFormLayout(self.sign_box)
        self.sign_form.addRow(lab["signatory"], self.signatory)
        self.sign_form.addRow(lab["role"], self.signatory_role)
        self.sign_form.addRow(lab["place"], self.sign_place)

        options = QWidget()
        left = QVBoxLayout(options)
        for box in (
            self.scope_box,
            self.period_box,
            self.content_box,
            self.texts_box,
            self.sign_box,
        ):
            left.addWidget(box)
        left_scroll = QScrollArea()
        left_scroll.setWidgetResizable(True)
        left_scroll.setWidget(options)
        left_scroll.setMinimumWidth(470)

        buttons = QHBoxLayout()
        for w in (self.with_xlsx, self.with_json):
            buttons.addWidget(w)
        buttons.addStretch(1)
        for b in (self.preview_button, self.evidence_button, self.save_button, self.close_button):
            buttons.addWidget(b)
        busy = QHBoxLayout()
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.cancel_button)
        body = QHBoxLayout()
        body.addWidget(left_scroll)
        body.addWidget(self.preview_area, 1)
        main = QVBoxLayout(self)
        main.addLayout(body, 1)
        main.addWidget(self.warnings)
        unsigned = QHBoxLayout()
        unsigned.addWidget(self.unsigned_line, 1)
        unsigned.addWidget(self.unsigned_button)
        main.addLayout(unsigned)
        main.addWidget(self.unsigned_list)
        main.addWidget(self.status)
        main.addLayout(busy)
        main.addLayout(buttons)
        self._set_busy(False)

        self.scope_some.toggled.connect(self._scope_changed)
        self.programme_list.itemChanged.connect(lambda _i: self._key_changed())
        self.period_kind.currentIndexChanged.connect(self._period_changed)
        self.year.valueChanged.connect(self._year_changed)
        self.quarter.currentIndexChanged.connect(self._period_changed)
        self.age_preset.currentIndexChanged.connect(lambda _i: self._update_warnings())
        self.lang.currentIndexChanged.connect(lambda _i: self._update_warnings())
        self.new_band_set.clicked.connect(self.add_band_set)
        self.sections.itemChanged.connect(lambda _i: self._update_warnings())
        self.date_from.dateChanged.connect(lambda _d: self._key_changed())
        self.date_to.dateChanged.connect(lambda _d: self._key_changed())
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self.save)
        self.evidence_button.clicked.connect(self.save_evidence)
        self.unsigned_button.toggled.connect(self._show_unsigned)
        self.cancel_button.clicked.connect(self.cancel_job)
        self.close_button.clicked.connect(self.reject)

    def _fill(self, selected: list[str]) -> None:
        for p in self.services.reports.programmes():
            item = QListWidgetItem(f"{p.code} · {p.name}")
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if p.id in selected else Qt.CheckState.Unchecked
            )
            self.programme_list.addItem(item)
        self.scope_some.setChecked(True)
        for _kind in PERIOD_KINDS:
            self.period_kind.addItem("", _kind)
        for number in range(1, 5):
            self.quarter.addItem("", number)
        self.quarter.setCurrentIndex((self.today.month - 1) // 3)
        add_document_languages(self.lang)
        self.lang.setCurrentIndex(max(0, self.lang.findData(self._default_lang)))
        self._fill_band_sets()
        for section in SECTIONS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, section)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Unchecked
                if section in OPTIONAL_SECTIONS
                else Qt.CheckState.Checked
            )
            self.sections.addItem(item)
        self.year.setValue(self.today.year)
        # The programme's own dates (a school-year programme's), else the calendar year.
        has_dates = self._programme_dates() is not None
        self.period_kind.setCurrentIndex(
            self.period_kind.findData("programme" if has_dates else "year")
        )
        self._period_changed()

    def _fill_band_sets(self, select: str | None = None) -> None:
        """The built-in sets, then the coordinators' (each with its funder); the first set of
        a funder of the ticked programmes is chosen unless ``select`` names one."""
        self.band_set_list: list[BandSetDTO] = self.services.reports.band_sets()
        self.age_preset.blockSignals(True)
        self.age_preset.clear()
        for band_set in self.band_set_list:
            self.age_preset.addItem("", band_set.id)
        self._name_band_sets()
        funders = set(self.services.reports.funder_ids(self.selected_programmes()))
        wanted = select or next(
            (b.id for b in self.band_set_list if b.funder_id and b.funder_id in funders), None
        )
        self.age_preset.setCurrentIndex(max(0, self.age_preset.findData(wanted)))
        self.age_preset.blockSignals(False)

    def _name_band_sets(self) -> None:
        for i, band_set in enumerate(self.band_set_list):
            text = band_set.name
            if not band_set.built_in:
                text = f"{band_set.name} ({', '.join(band_set.bands)})"
                if band_set.funder_name:
                    text += f" · {band_set.funder_name}"
            self.age_preset.setItemText(i, text)

    def current_band_set(self) -> BandSetDTO:
        return self.band_set_list[max(0, self.age_preset.currentIndex())]

    def add_band_set(self) -> None:
        """A new set for a funder's form: name, funder and the bands."""
        self.band_set_dialog = BandSetDialog(self.services, self)
        self.band_set_dialog.accepted.connect(self._band_set_added)
        self.band_set_dialog.open()

    def _band_set_added(self) -> None:
        saved = self.band_set_dialog.saved
        if saved is not None:
            self._fill_band_sets(saved.id)
            self._update_warnings()

    def retranslate_ui(self) -> None:
        for pair in self.text_pairs.values():
            pair.retranslate_ui()
        self.setWindowTitle(_("Justification report"))
        self.scope_box.setTitle(_("Programmes"))
        self.scope_some.setText(_("The programmes ticked below"))
        self.scope_all.setText(_("The whole entity"))
        self.period_box.setTitle(_("Period"))
        labels = {
            "programme": _("The programme's dates"),
            "year": _("Calendar year"),
            "quarter": _("Quarter"),
            "school_year": _("School year"),
            "custom": _("Other dates"),
        }
        for i in range(self.period_kind.count()):
            self.period_kind.setItemText(i, labels[self.period_kind.itemData(i)])
        for key, text in {
            "kind": _("Kind"),
            "year": _("Year"),
            "dates": _("From – to"),
            "lang": _("Language"),
            "ages": _("Age bands"),
            "gender": _("Gender"),
            "small": _("Small numbers"),
            "targets": _("Targets"),
            "sections": _("Sections"),
            "signatory": _("Legal representative"),
            "role": _("Position"),
            "place": _("Place"),
        }.items():
            self.form_labels[key].setText(text)
        name_languages(self.lang)
        self.band_set_list = [
            BandSetDTO(b.id, _(BUILT_IN_BAND_SET_LABELS[b.id]), b.bands, built_in=True)
            if b.built_in
            else b
            for b in self.band_set_list
        ]
        self._name_band_sets()
        self.new_band_set.setText(_("New band set…"))
        for i in range(self.quarter.count()):
            self.quarter.setItemText(
                i, _("Quarter {number}").format(number=self.quarter.itemData(i))
            )
        self.fold_gender.setText(_("Fold into woman / man / other"))
        self.small_numbers.setText(_("Show groups of 1 to 4 people as “< 5”"))
        self.prorate.setText(_("Pro-rate the targets to the period"))
        for i in range(self.sections.count()):
            item = self.sections.item(i)
            item.setText(_(SECTION_LABELS[item.data(Qt.ItemDataRole.UserRole)]))
        self.content_box.setTitle(_("Contents"))
        self.texts_box.setTitle(_("Texts of this programme and period"))
        for i, kind in enumerate(NARRATIVE_KINDS):
            self.text_tabs.setTabText(i, _(NARRATIVE_LABELS[kind]))
        self.sign_box.setTitle(_("Signature"))
        self.with_xlsx.setText(_("Also the spreadsheet"))
        self.with_json.setText(_("Also the figures (JSON)"))
        self.preview_button.setText(_("Preview"))
        self.save_button.setText(_("Save report…"))
        self.evidence_button.setText(_("Evidence pack…"))
        self._show_unsigned(self.unsigned_button.isChecked())
        self._update_unsigned()
        self.cancel_button.setText(_("Cancel"))
        self.close_button.setText(_("Close"))
        self.preview_area.hint.setText(_("Press Preview to see the first pages."))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # --- choices ----------------------------------------------------------------------------
    def _scope_changed(self) -> None:
        self.programme_list.setEnabled(self.scope_some.isChecked())
        self._key_changed()

    def _programme_dates(self) -> tuple[dt.date, dt.date] | None:
        """From the first start to the last end of the ticked programmes with dates."""
        ids = self.selected_programmes()
        if not ids:
            return None
        spans = [self.services.reports.programme_dates(pid) for pid in ids]
        starts = [a for a, b in spans if a and b]
        ends = [b for a, b in spans if a and b]
        return (min(starts), max(ends)) if starts else None

    def _year_changed(self) -> None:
        # Picking a year means a calendar year (one click away from the programme's dates).
        if self.period_kind.currentData() in ("programme", "custom"):
            self.period_kind.setCurrentIndex(self.period_kind.findData("year"))
        else:
            self._period_changed()

    def _period_changed(self) -> None:
        kind = self.period_kind.currentData()
        # A school year reads "2025-2026": the spin box holds its first year.
        self.year.setSuffix(f"-{self.year.value() + 1}" if kind == "school_year" else "")
        self.year.setEnabled(kind != "custom")
        self.quarter.setVisible(kind == "quarter")
        self.date_from.setEnabled(kind == "custom")
        self.date_to.setEnabled(kind == "custom")
        span: tuple[dt.date, dt.date] | None = None
        if kind == "programme":
            span = self._programme_dates() or calendar_year(self.year.value())
        elif kind == "quarter":
            span = quarter(self.year.value(), self.quarter.currentData() or 1)
        elif kind in ("year", "school_year"):
            span = (calendar_year if kind == "year" else school_year)(self.year.value())
        if span is not None:
            first, last = span
            self.date_from.setDate(QDate(first.year, first.month, first.day))
            self.date_to.setDate(QDate(last.year, last.month, last.day))
        self._key_changed()

    def set_period(self, date_from: dt.date, date_to: dt.date) -> None:
        self.period_kind.setCurrentIndex(self.period_kind.findData("custom"))
        self.date_from.setDate(QDate(date_from.year, date_from.month, date_from.day))
        self.date_to.setDate(QDate(date_to.year, date_to.month, date_to.day))

    def set_programmes(self, ids: list[str] | None) -> None:
        """None: the whole entity."""
        if ids is None:
            self.scope_all.setChecked(True)
            return
        self.scope_some.setChecked(True)
        for i in range(self.programme_list.count()):
            item = self.programme_list.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def selected_programmes(self) -> tuple[str, ...] | None:
        if self.scope_all.isChecked():
            return None
        return tuple(
            self.programme_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.programme_list.count())
            if self.programme_list.item(i).checkState() == Qt.CheckState.Checked
        )

    def period(self) -> tuple[dt.date, dt.date]:
        return self.date_from.date().toPython(), self.date_to.date().toPython()  # type: ignore[return-value]

    def request(self) -> ReportRequest:
        date_from, date_to = self.period()
        band_set = self.current_band_set()
        sections = frozenset(
            self.sections.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.sections.count())
            if self.sections.item(i).checkState() == Qt.CheckState.Checked
        )
        return ReportRequest(
            programme_ids=self.selected_programmes(),
            date_from=date_from,
            date_to=date_to,
            lang=self.lang.currentData(),
            age_preset=band_set.id if band_set.built_in else "default",
            band_set=None if band_set.built_in else band_set.bands,
            band_set_name="" if band_set.built_in else band_set.name,
            fold_gender=self.fold_gender.isChecked(),
            small_numbers=self.small_numbers.isChecked(),
            prorate_targets=self.prorate.isChecked(),
            sections=sections,
            narratives={k: self.texts[k].toPlainText() for k in NARRATIVE_KINDS},
            narrative_translations=self._typed_versions(),
            signatory=self.signatory.text().strip(),
            signatory_role=self.signatory_role.text().strip(),
            sign_place=self.sign_place.text().strip(),
            sign_date=self.today,
        )

    # --- narratives: kept per programme and period ------------------------------------------
    def _current_key(self) -> tuple[str | None, dt.date, dt.date]:
        ids = self.selected_programmes()
        owner = ids[0] if ids is not None and len(ids) == 1 else None
        return (owner, *self.period())

    def _texts_changed(self) -> None:
        if not self._loading_texts:
            self._dirty = True
            self._update_warnings()

    def _key_changed(self) -> None:
        if not hasattr(self, "texts_box") or self.period_kind.count() < len(PERIOD_KINDS):
            return  # still building
        if self.period_kind.currentData() == "programme":
            span = self._programme_dates()
            if span is not None and span != self.period():
                self._period_changed()  # the ticked programmes changed: follow their dates
                return
        if self._narrative_key != self._current_key():
            self.save_narratives()
            self._load_narratives()
        self._update_warnings()
        self._update_unsigned()

    def _update_unsigned(self) -> None:
        """The line about the held sessions of the period whose signed sheet was not kept
        (the same list as the Reports page's and ``teixit evidence``'s)."""
        if not hasattr(self, "band_set_list") or self.period_kind.count() < len(PERIOD_KINDS):
            return  # still building
        req = self.request()
        rows = (
            self.services.scans.without_signed_sheet(req.programme_ids, req.date_from, req.date_to)
            if req.programme_ids != () and req.date_from <= req.date_to
            else []
        )
        self.unsigned_list.clear()
        for u in rows:
            text = f"{format_date(u.date, None, 'short')} · {u.programme_code} · {u.activity}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, u.session_id)
            self.unsigned_list.addItem(item)
        if rows:
            self.unsigned_line.setText(
                ngettext(
                    "{count} held session has no signed sheet kept: its evidence is the "
                    "register only.",
                    "{count} held sessions have no signed sheet kept: their evidence is the "
                    "register only.",
                    len(rows),
                ).format(count=len(rows))
            )
        else:
            self.unsigned_line.setText(_("Every held session has its signed sheet kept."))
            self.unsigned_button.setChecked(False)
        self.unsigned_button.setEnabled(bool(rows))

    def _show_unsigned(self, shown: bool) -> None:
        self.unsigned_list.setVisible(shown)
        self.unsigned_button.setText(_("Hide the sessions") if shown else _("Show the sessions"))

    def _update_warnings(self) -> None:
        """Said before printing: a band set the head counts cannot be built from (with the
        share affected) and empty assessment texts."""
        if not hasattr(self, "band_set_list") or self._loading_texts:
            return
        lines = []
        req = self.request()
        if req.programme_ids != () and req.date_from <= req.date_to:
            coverage = self.services.reports.band_coverage(req)
            if coverage.affected:
                lines.append(
                    _(
                        "These age bands cannot be built from {count} head-count attendances "
                        "({share} of all), recorded in other bands: the report shows them apart."
                    ).format(
                        count=coverage.affected,
                        share=format_figure(100 * coverage.share, 1) + " %",
                    )
                )
        missing = self.services.reports.missing_texts(req) if req.programme_ids != () else ()
        if missing:
            lines.append(missing_message(missing, self.services.texts.languages()[0]))
        if req.wants("narratives") and not any(
            self.texts[k].toPlainText().strip() for k in NARRATIVE_KINDS
        ):
            lines.append(
                _(
                    "The assessment texts are empty: the section “Assessment and proposals” "
                    "will say it has no text."
                )
            )
        self.warnings.setText("\n".join(lines))
        self.warnings.setVisible(bool(lines))

    def _load_narratives(self) -> None:
        key = self._current_key()
        texts = self.services.reports.narratives(*key)
        self._narrative_versions = self.services.reports.narrative_translations(*key)
        self._loading_texts = True
        for kind, edit in self.texts.items():
            edit.setPlainText(texts.get(kind, ""))
            pair = self.text_pairs[kind]
            pair.set_other_text(
                next(
                    (
                        t
                        for k, lang, t in self._narrative_versions
                        if (k, lang) == (kind, pair.other_lang)
                    ),
                    "",
                )
            )
        self._loading_texts = False
        self._narrative_key, self._dirty = key, False
        self._update_warnings()

    def save_narratives(self) -> None:
        if self._dirty and self._narrative_key is not None:
            texts = {k: e.toPlainText() for k, e in self.texts.items()}
            versions = self._typed_versions()
            self.services.reports.save_narratives(*self._narrative_key, texts, versions)
            self._narrative_versions = versions
        self._dirty = False

    def _typed_versions(self) -> tuple[tuple[str, str, str], ...]:
        """The narratives' versions as typed beside them (other languages' kept as saved)."""
        other = self.text_pairs[NARRATIVE_KINDS[0]].other_lang
        out = [v for v in self._narrative_versions if v[1] != other]
        for kind, pair in self.text_pairs.items():
            if pair.other_text().strip():
                out.append((kind, other, pair.other_text().strip()))
        return tuple(sorted(out))

    # --- background work --------------------------------------------------------------------
    def _validate(self) -> ReportRequest | None:
        req = self.request()
        if req.programme_ids == ():
            self.prompts.error(
                self,
                _("Justification report"),
                _("Tick at least one programme, or choose the whole entity."),
            )
            return None
        if req.date_to < req.date_from:
            self.prompts.error(
                self, _("Justification report"), _("The period ends before it starts.")
            )
            return None
        return req

    def _confirm_bands(self, req: ReportRequest) -> bool:
        """Before a file is written: a band set that cannot be built says so and asks."""
        coverage = self.services.reports.band_coverage(req)
        if not coverage.affected:
            return True
        return self.prompts.confirm(
            self,
            _("Justification report"),
            _(
                "The age bands chosen cannot be built from {count} head-count attendances "
                "({share} of all attendances), recorded in other bands. The report shows them "
                "apart. Make the report with these bands?"
            ).format(
                count=coverage.affected,
                share=format_figure(100 * coverage.share, 1) + " %",
            ),
        )

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        for w in (self.preview_button, self.save_button, self.evidence_button):
            w.setEnabled(not busy)

    def _run(self, work: Any, on_done: Any) -> None:
        self.save_narratives()
        self.progress.setValue(0)
        self._set_busy(True)
        job = Job(work, (ReportCancelled,))
        job.signals.progress.connect(self._progress)
        job.signals.finished.connect(lambda result: self._finished(on_done, result))
        job.signals.failed.connect(self._failed)
        job.signals.cancelled.connect(self._cancelled)
        self.job = start(job)

    def _progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.status.setText(message)

    def _finished(self, on_done: Any, result: Any) -> None:
        self._set_busy(False)
        self.last_result = result
        on_done(result)

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self.status.setText("")
        self.prompts.error(self, _("Justification report"), message)

    def _cancelled(self) -> None:
        self._set_busy(False)
        self.status.setText(_("Cancelled: nothing was saved."))

    def cancel_job(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def is_busy(self) -> bool:
        return self.job is not None and not self.job.done.is_set()

    # --- actions ----------------------------------------------------------------------------
    def preview(self) -> None:
        req = self._validate()
        if req is None:
            return
        reports = self.services.reports

        def work(progress: Any, cancelled: Any) -> list[bytes]:
            data = reports.load(req, lambda f, m: progress(f * 0.4, m), cancelled)
            pdf = pdf_bytes(data, lambda f, m: progress(0.4 + f * 0.5, m), cancelled)
            return render_pages(pdf)

        self._run(work, self._show_preview)

    def _show_preview(self, pages: list[bytes]) -> None:
        self.preview_area.show_pages(pages)
        self.status.setText(_("Preview of the first pages."))

    @property
    def preview_pages(self) -> list[QLabel]:
        return self.preview_area.pages

    def _suggested(self, req: ReportRequest, suffix: str) -> str:
        ids = req.programme_ids
        code = None
        if ids is not None and len(ids) == 1:
            code = next(p.code for p in self.services.reports.programmes() if p.id == ids[0])
        return str(Path.home() / f"{base_name(req, code)}{suffix}")

    def save(self) -> None:
        req = self._validate()
        if req is None or not self._confirm_bands(req):
            return
        path = self.prompts.save_file(
            self, _("Save the report"), self._suggested(req, ".pdf"), _("PDF documents (*.pdf)")
        )
        if not path:
            return
        pdf = Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf")
        files = ReportFiles(
            pdf=pdf,
            xlsx=pdf.with_suffix(".xlsx") if self.with_xlsx.isChecked() else None,
            json=pdf.with_suffix(".json") if self.with_json.isChecked() else None,
        )
        reports = self.services.reports
        self._run(lambda p, c: (reports.export(req, files, p, c), files)[1], self._saved)

    def _saved(self, files: ReportFiles) -> None:
        names = ", ".join(p.name for p in (files.pdf, files.xlsx, files.json) if p)
        self.status.setText(_("Saved: {files}").format(files=names))

    def save_evidence(self) -> None:
        req = self._validate()
        if req is None or not self._confirm_bands(req):
            return
        path = self.prompts.save_file(
            self,
            _("Save the evidence pack"),
            self._suggested(req, ".zip"),
            _("ZIP archives (*.zip)"),
        )
        if not path:
            return
        target = Path(path) if path.lower().endswith(".zip") else Path(path + ".zip")
        passphrase = self.prompts.export_passphrase(self, _("Save the evidence pack"))
        if passphrase is None:
            return
        reports = self.services.reports
        self._run(
            lambda p, c: reports.evidence_pack(req, target, p, c, passphrase=passphrase or None),
            self._evidence_saved,
        )

    def _evidence_saved(self, members: list[str]) -> None:
        self.status.setText(
            ngettext(
                "Evidence pack saved with {count} file.",
                "Evidence pack saved with {count} files.",
                len(members),
            ).format(count=len(members))
        )

    def reject(self) -> None:
        if self.is_busy():
            self.cancel_job()
            if self.job is not None:
                self.job.done.wait(10)
        self.save_narratives()
        super().reject()


class BandSetDialog(QDialog):
    """A coordinator's age-band set for a funder's form: a name, the funder (or any) and the
    bands ("12-18, 19-24, 25-30")."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.saved: BandSetDTO | None = None
        self.setWindowTitle(_("New band set"))
        self.name, self.bands = QLineEdit(), QLineEdit()
        self.bands.setPlaceholderText("12-18, 19-24, 25-30")
        self.funder = QComboBox()
        self.funder.addItem(_("Any funder"), None)
        for f in services.profile.funders():
            self.funder.addItem(f.name, f.id)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #B00020;")
        hint = QLabel(
            _(
                "Bands in order of age, separated by commas; the last may be open (65+). Head "
                "counts are recorded in 0-2, 3-5, 6-11, 12-15, 16-17, 18-24, 25-29, 30-44, "
                "45-64, 65-79 and 80+: a band that does not start and end where these do cannot "
                "take them whole."
            )
        )
        hint.setWordWrap(True)
        self.save_button, self.cancel_button = QPushButton(_("Save")), QPushButton(_("Cancel"))
        form = QFormLayout()
        form.addRow(_("Name"), self.name)
        form.addRow(_("Funder"), self.funder)
        form.addRow(_("Age bands"), self.bands)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.resize(460, 260)

    def save(self) -> None:
        try:
            self.saved, _changes = self.services.reports.save_band_set(
                self.name.text(), self.bands.text(), self.funder.currentData()
            )
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
