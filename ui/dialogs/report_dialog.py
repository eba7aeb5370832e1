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

from app.domain.figures import AGE_BAND_PRESETS
from app.domain.report import (
    NARRATIVE_KINDS,
    NARRATIVE_LABELS,
    SECTION_LABELS,
    SECTIONS,
    ReportCancelled,
    ReportRequest,
    calendar_year,
    school_year,
)
from app.i18n import _, ngettext
from app.services.container import Services
from app.services.report_output import ReportFiles, base_name, pdf_bytes
from ui.i18n_qt import add_document_languages, name_languages
from ui.prompts import Prompts
from ui.widgets.pdf_preview import PdfPreview, render_pages
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
        self._build()
        self._fill(programme_ids or [])
        self.retranslate_ui()
        self._load_narratives()
        self.resize(1000, 640)  # within a 1024x700 screen, frame included

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
        self.lang = QComboBox()
        self.age_preset = QComboBox()
        self.fold_gender = QCheckBox()
        self.sections = QListWidget()
        self.sections.setMinimumHeight(175)
        self.signatory, self.signatory_role, self.sign_place = QLineEdit(), QLineEdit(), QLineEdit()
        self.texts: dict[str, QPlainTextEdit] = {k: QPlainTextEdit() for k in NARRATIVE_KINDS}
        self.text_tabs = QTabWidget()
        for kind in NARRATIVE_KINDS:
            self.text_tabs.addTab(self.texts[kind], "")
            self.texts[kind].textChanged.connect(self._texts_changed)
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
        self.period_form.addRow(lab["year"], self.year)
        self.period_form.addRow(lab["dates"], dates)
        self.content_form = QFormLayout(self.content_box)
        self.content_form.addRow(lab["lang"], self.lang)
        self.content_form.addRow(lab["ages"], self.age_preset)
        self.content_form.addRow(lab["gender"], self.fold_gender)
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
        main.addWidget(self.status)
        main.addLayout(busy)
        main.addLayout(buttons)
        self._set_busy(False)

        self.scope_some.toggled.connect(self._scope_changed)
        self.programme_list.itemChanged.connect(lambda _i: self._key_changed())
        self.period_kind.currentIndexChanged.connect(self._period_changed)
        self.year.valueChanged.connect(self._period_changed)
        self.date_from.dateChanged.connect(lambda _d: self._key_changed())
        self.date_to.dateChanged.connect(lambda _d: self._key_changed())
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self.save)
        self.evidence_button.clicked.connect(self.save_evidence)
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
        for _kind in ("year", "school_year", "custom"):
            self.period_kind.addItem("", _kind)
        add_document_languages(self.lang)
        self.lang.setCurrentIndex(max(0, self.lang.findData(self._default_lang)))
        for name in AGE_BAND_PRESETS:
            self.age_preset.addItem("", name)
        for section in SECTIONS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, section)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.sections.addItem(item)
        self.year.setValue(self.today.year)
        self._period_changed()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Justification report"))
        self.scope_box.setTitle(_("Programmes"))
        self.scope_some.setText(_("The programmes ticked below"))
        self.scope_all.setText(_("The whole entity"))
        self.period_box.setTitle(_("Period"))
        labels = {
            "year": _("Calendar year"),
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
            "sections": _("Sections"),
            "signatory": _("Legal representative"),
            "role": _("Position"),
            "place": _("Place"),
        }.items():
            self.form_labels[key].setText(text)
        name_languages(self.lang)
        for i in range(self.age_preset.count()):
            name = self.age_preset.itemData(i)
            self.age_preset.setItemText(i, ", ".join(AGE_BAND_PRESETS[name]))
        self.fold_gender.setText(_("Fold into woman / man / other"))
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

    def _period_changed(self) -> None:
        kind = self.period_kind.currentData()
        # A school year reads "2025-2026": the spin box holds its first year.
        self.year.setSuffix(f"-{self.year.value() + 1}" if kind == "school_year" else "")
        self.year.setEnabled(kind != "custom")
        self.date_from.setEnabled(kind == "custom")
        self.date_to.setEnabled(kind == "custom")
        if kind in ("year", "school_year"):
            first, last = (calendar_year if kind == "year" else school_year)(self.year.value())
            self.date_from.setDate(QDate(first.year, first.month, first.day))
            self.date_to.setDate(QDate(last.year, last.month, last.day))
        self._key_changed()

    def set_period(self, date_from: dt.date, date_to: dt.date) -> None:
        self.period_kind.setCurrentIndex(2)
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
            age_preset=self.age_preset.currentData(),
            fold_gender=self.fold_gender.isChecked(),
            sections=sections,
            narratives={k: self.texts[k].toPlainText() for k in NARRATIVE_KINDS},
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

    def _key_changed(self) -> None:
        if not hasattr(self, "texts_box") or self.period_kind.count() < 3:
            return  # still building
        if self._narrative_key != self._current_key():
            self.save_narratives()
            self._load_narratives()

    def _load_narratives(self) -> None:
        key = self._current_key()
        texts = self.services.reports.narratives(*key)
        self._loading_texts = True
        for kind, edit in self.texts.items():
            edit.setPlainText(texts.get(kind, ""))
        self._loading_texts = False
        self._narrative_key, self._dirty = key, False

    def save_narratives(self) -> None:
        if self._dirty and self._narrative_key is not None:
            texts = {k: e.toPlainText() for k, e in self.texts.items()}
            self.services.reports.save_narratives(*self._narrative_key, texts)
        self._dirty = False

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
        if req is None:
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
        if req is None:
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
        reports = self.services.reports
        self._run(lambda p, c: reports.evidence_pack(req, target, p, c), self._evidence_saved)

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
