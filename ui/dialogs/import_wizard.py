"""The people import wizard: file -> columns -> check rows -> confirm.

Reading the file and checking the rows (validation, duplicates) run in the background
(ui/workers.py: a bug there reaches the unexpected-error hook); nothing is written until the last
page's Import button, and then in one transaction (ui/workers.py: run_op).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.domain.figures import GENDER_LABELS
from app.domain.imports import PEOPLE_FIELDS, ImportSummary, PeoplePlan, Table
from app.exchange.spreadsheet_import import suggest_gender_map
from app.exchange.spreadsheet_read import cell_text, normalise
from app.i18n import _, ngettext
from app.services.people_import import PeopleImportService
from ui.events import DataBus
from ui.models.import_plan_model import CHOICE_LABELS, COL_CHOICE, COL_STATUS, ImportPlanModel
from ui.models.rows import Index
from ui.prompts import Prompts
from ui.workers import LatestOnly, run_op

PREVIEW_ROWS = 12


class _Page(QWizardPage):
    def wiz(self) -> ImportWizard:
        w = self.wizard()
        assert isinstance(w, ImportWizard)
        return w

    def retranslate_ui(self) -> None:
        pass

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


class FilePage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.choose_button = QPushButton()
        self.choose_button.clicked.connect(self.choose)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Spreadsheet file"))
        self.intro.setText(
            _(
                "Choose a list of people saved as Excel (XLSX) or CSV. Title rows above the "
                "column names, empty rows and any separator or encoding are fine. Nothing is "
                "written until the last step."
            )
        )
        self.choose_button.setText(_("Choose file…"))

    def choose(self) -> None:
        w = self.wiz()
        chosen = w.prompts.open_file(
            self,
            _("Import people"),
            _("Spreadsheets") + " (*.xlsx *.csv *.txt);;" + _("All files") + " (*)",
        )
        if chosen:
            self.load(Path(chosen))

    def load(self, path: Path) -> None:
        w = self.wiz()
        w.path, w.table = path, None
        self.path_edit.setText(str(path))
        self.status.setText(_("Reading the file…"))
        self.completeChanged.emit()
        w.run_job(lambda: w.importer.read(path), self._loaded, self._failed)

    def _loaded(self, table: Table) -> None:
        w = self.wiz()
        w.table = table
        w.mapping = list(w.importer.remembered_mapping(table))
        self.status.setText(
            ngettext(
                "{count} row with data found.", "{count} rows with data found.", len(table.rows)
            ).format(count=len(table.rows))
        )
        self.completeChanged.emit()

    def _failed(self, message: str) -> None:
        self.status.setText(message)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self.wiz().table is not None


class MappingPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.gender_label = QLabel()
        self.gender_label.setWordWrap(True)
        self.genders = QTableWidget(0, 2)
        self.genders.verticalHeader().hide()
        self.genders.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.genders.setMaximumHeight(160)
        self.combos: list[QComboBox] = []
        self.gender_combos: dict[str, QComboBox] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.gender_label)
        layout.addWidget(self.genders)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Columns"))
        self.intro.setText(
            _(
                "Say what each column holds (first row of the table). Teixit remembers it for "
                "files with the same column names."
            )
        )
        self.gender_label.setText(_("Values of the gender column and the gender each one means:"))
        self.genders.setHorizontalHeaderLabels([_("In the file"), _("Gender")])
        for combo in self.combos:
            self._fill_field_combo(combo)
        for combo in self.gender_combos.values():
            self._fill_gender_combo(combo)

    def _fill_field_combo(self, combo: QComboBox) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_("(ignore)"), "")
        for key, label in PEOPLE_FIELDS.items():
            combo.addItem(_(label), key)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def _fill_gender_combo(self, combo: QComboBox) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_("(choose)"), "")
        for key, label in GENDER_LABELS.items():
            combo.addItem(_(label), key)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def initializePage(self) -> None:  # noqa: N802
        w = self.wiz()
        table = w.table
        assert table is not None
        rows = table.rows[:PREVIEW_ROWS]
        self.preview.clear()
        self.preview.setColumnCount(len(table.headers))
        self.preview.setRowCount(len(rows) + 1)
        self.preview.setHorizontalHeaderLabels([h or "—" for h in table.headers])
        self.preview.setVerticalHeaderLabels(["", *(str(n) for n, _c in rows)])
        self.combos = []
        for col in range(len(table.headers)):
            combo = QComboBox()
            self._fill_field_combo(combo)
            combo.setCurrentIndex(max(0, combo.findData(w.mapping[col])))
            combo.currentIndexChanged.connect(self._mapping_changed)
            self.preview.setCellWidget(0, col, combo)
            self.combos.append(combo)
        for r, (_n, cells) in enumerate(rows, start=1):
            for col, value in enumerate(cells):
                self.preview.setItem(r, col, QTableWidgetItem(cell_text(value)))
        self.preview.resizeColumnsToContents()
        self._mapping_changed()

    def _mapping_changed(self) -> None:
        w = self.wiz()
        w.mapping = [c.currentData() or "" for c in self.combos]
        table = w.table
        assert table is not None
        values = [
            cells[i] for _n, cells in table.rows for i, f in enumerate(w.mapping) if f == "gender"
        ]
        distinct = sorted({normalise(v) for v in values if cell_text(v)})
        suggested = suggest_gender_map(values, w.importer.remembered_gender_map())
        suggested.update({k: v for k, v in w.gender_map.items() if v})
        self.genders.setRowCount(len(distinct))
        self.gender_combos = {}
        for row, value in enumerate(distinct):
            self.genders.setItem(row, 0, QTableWidgetItem(value))
            combo = QComboBox()
            self._fill_gender_combo(combo)
            combo.setCurrentIndex(max(0, combo.findData(suggested.get(value, ""))))
            self.genders.setCellWidget(row, 1, combo)
            self.gender_combos[value] = combo
        self.gender_label.setVisible(bool(distinct))
        self.genders.setVisible(bool(distinct))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return bool({"full_name", "given_name"} & set(self.wiz().mapping))

    def validatePage(self) -> bool:  # noqa: N802
        self.wiz().gender_map = {
            value: combo.currentData() for value, combo in self.gender_combos.items()
        }
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box with the choices the row allows."""

    def __init__(self, proxy: QSortFilterProxyModel, model: ImportPlanModel) -> None:
        super().__init__(proxy)
        self._proxy, self._model = proxy, model

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        combo = QComboBox(parent)
        row = self._model.plan_row(self._proxy.mapToSource(index).row())
        for choice in row.allowed_choices():
            combo.addItem(_(CHOICE_LABELS[choice]), choice)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class _AttentionFilter(QSortFilterProxyModel):
    only_attention = False

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # noqa: N802
        if not self.only_attention:
            return True
        model = self.sourceModel()
        assert isinstance(model, ImportPlanModel)
        r = model.plan_row(row)
        return bool(r.errors or r.duplicates or r.warnings)


class ReviewPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.attention = QCheckBox()
        self.model = ImportPlanModel()
        self.proxy = _AttentionFilter()
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setItemDelegateForColumn(COL_CHOICE, ChoiceDelegate(self.proxy, self.model))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.attention.toggled.connect(self._filter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.attention)
        layout.addWidget(self.view, 1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Check the rows"))
        self.attention.setText(_("Show only rows with problems or likely duplicates"))
        self.model.retranslate()
        self._show_counts()

    def _filter(self, on: bool) -> None:
        self.proxy.only_attention = on
        self.proxy.invalidate()

    def initializePage(self) -> None:  # noqa: N802
        w = self.wiz()
        w.plan = None
        self.model.set_plan(None)
        self.counts.setText(_("Checking the rows…"))
        table, mapping, genders = w.table, tuple(w.mapping), dict(w.gender_map)
        assert w.path is not None
        path = w.path
        w.run_job(
            lambda: w.importer.plan(path, mapping, {k: v for k, v in genders.items() if v}, table),
            self._planned,
            self._failed,
        )
        self.completeChanged.emit()

    def _planned(self, plan: PeoplePlan) -> None:
        self.wiz().plan = plan
        self.model.set_plan(plan)
        for col in range(COL_STATUS):
            self.view.resizeColumnToContents(col)
        # Wide enough for the longest choice's combo box.
        self.view.setColumnWidth(COL_CHOICE, max(self.view.columnWidth(COL_CHOICE), 190))
        self._show_counts()
        self.completeChanged.emit()

    def _failed(self, message: str) -> None:
        self.counts.setText(message)

    def _show_counts(self) -> None:
        plan = self.wiz().plan if self.wizard() else None
        if plan is None:
            return
        self.counts.setText(
            _(
                "Valid rows: {valid}; invalid: {invalid} (they will be skipped); likely "
                "duplicates: {duplicates} (skipped unless you choose otherwise)."
            ).format(
                valid=len(plan.valid_rows),
                invalid=len(plan.invalid_rows),
                duplicates=len(plan.duplicate_rows),
            )
        )

    def isComplete(self) -> bool:  # noqa: N802
        return self.wiz().plan is not None


class SummaryPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Confirm"))
        if self.wizard():
            self.initializePage()

    def initializePage(self) -> None:  # noqa: N802
        w = self.wiz()
        choices = list(w.choices().values())
        lines = (
            _("New people to import: {count}").format(count=choices.count("import")),
            _("Existing people to complete: {count}").format(count=choices.count("merge")),
            _("Rows left out: {count}").format(count=choices.count("skip")),
            "",
            _(
                "Nothing has been written yet. Press Import to write everything at once, or "
                "Back to change it."
            ),
        )
        self.text.setText("\n".join(lines))


class ImportWizard(QWizard):
    """Constructed with the importer and the prompts seam; the import is announced on ``bus``."""

    def __init__(
        self,
        importer: PeopleImportService,
        prompts: Prompts,
        parent: QWidget | None = None,
        *,
        bus: DataBus | None = None,
    ) -> None:
        super().__init__(parent)
        self.importer = importer
        self.prompts = prompts
        self.bus = bus
        self.path: Path | None = None
        self.table: Table | None = None
        self.mapping: list[str] = []
        self.gender_map: dict[str, str] = {}
        self.plan: PeoplePlan | None = None
        self._background = LatestOnly(self)
        self.file_page, self.mapping_page = FilePage(), MappingPage()
        self.review_page, self.summary_page = ReviewPage(), SummaryPage()
        for page in (self.file_page, self.mapping_page, self.review_page, self.summary_page):
            self.addPage(page)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(980, 600)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Import people from a spreadsheet"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Import"))
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def choices(self) -> dict[int, str]:
        return dict(self.review_page.model.choices)

    def run_job(
        self, fn: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[str], None]
    ) -> None:
        self._background.run(fn, done, failed)

    def wait_for_jobs(self) -> None:
        self._background.wait()

    def accept(self) -> None:
        if self.plan is None:
            return
        plan, choices = self.plan, self.choices()

        def imported(summary: ImportSummary) -> None:
            self.prompts.info(self, _("Import people"), summary.describe())
            super(ImportWizard, self).accept()

        run_op(
            self,
            lambda: self.importer.execute(plan, choices),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Import people"),
            on_success=imported,
        )

    def done(self, result: int) -> None:
        self.wait_for_jobs()
        super().done(result)
