"""The programme form: every field of the data model, with indicators edited in a small table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.figures import INDICATOR_KINDS
from app.domain.profile import CategoryDTO, FunderDTO, StaffDTO
from app.domain.programmes import INDICATOR_KIND_LABELS, IndicatorDTO, ProgrammeDTO
from app.domain.texts import Translations, translation, with_translation
from app.errors import ValidationError
from app.i18n import _, current_language
from ui.stale import shown
from ui.widgets.form_fields import CheckList, DateField, FieldErrors, shrinkable
from ui.widgets.text_pair import TextPair, tag


def parse_number(text: str) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    return float(text)


def number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


class ProgrammeForm(QWidget):
    save_requested = Signal()
    COL_NAME, COL_KIND, COL_TARGET, COL_VALUE, COL_OTHER = range(5)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.programme_id: str | None = None
        #: The programme as it was read when shown (None: a new one).
        self.opened: ProgrammeDTO | None = None
        self._indicator_ids: list[str | None] = []
        self._indicator_texts: list[Translations | None] = []
        self.errors = FieldErrors()
        self.code = QLineEdit()
        self.code.setMaxLength(20)
        self.name = QLineEdit()
        self.category = shrinkable(QComboBox())
        self.start = DateField()
        self.end = DateField()
        self.responsible = shrinkable(QComboBox())
        self.funders = CheckList()
        self.funders.setMaximumHeight(90)
        self.description = QPlainTextEdit()
        self.description.setMaximumHeight(70)
        self.objectives = QPlainTextEdit()
        self.objectives.setMaximumHeight(70)
        self.name_pair = TextPair(self.name)
        self.description_pair = TextPair(self.description)
        self.objectives_pair = TextPair(self.objectives)
        self.pairs = {
            "name": self.name_pair,
            "description": self.description_pair,
            "objectives": self.objectives_pair,
        }
        self.indirect = QSpinBox()
        self.indirect.setRange(-1, 1_000_000)
        self.indirect.setSpecialValueText("—")
        self.indirect.setValue(-1)
        self.indicators = QTableWidget(0, 5)
        self.indicators.horizontalHeader().setSectionResizeMode(
            self.COL_NAME, QHeaderView.ResizeMode.Stretch
        )
        self.indicators.horizontalHeader().setSectionResizeMode(
            self.COL_KIND, QHeaderView.ResizeMode.ResizeToContents
        )
        self.indicators.horizontalHeader().setSectionResizeMode(
            self.COL_OTHER, QHeaderView.ResizeMode.Stretch
        )
        self.indicators.verticalHeader().hide()
        self.add_indicator = QPushButton()
        self.remove_indicator = QPushButton()
        self.save_button = QPushButton()
        self.save_button.setDefault(True)

        self.form = QFormLayout()
        self._labels: dict[str, QLabel] = {}
        dates = QHBoxLayout()
        dates.addWidget(self.errors.wrap("start", self.start))
        dates.addWidget(self.errors.wrap("end", self.end))
        for key, widget in (
            ("code", self.errors.wrap("code", self.code)),
            ("name", self.errors.wrap("name", self.name_pair)),
            ("category", self.errors.wrap("category", self.category)),
            ("dates", dates),
            ("responsible", self.responsible),
            ("funders", self.funders),
            ("description", self.description_pair),
            ("objectives", self.objectives_pair),
            ("indirect", self.errors.wrap("indirect_beneficiaries", self.indirect)),
        ):
            label = QLabel()
            self._labels[key] = label
            self.form.addRow(label, widget)
        self.indicators_label = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_indicator)
        buttons.addWidget(self.remove_indicator)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.indicators_label)
        layout.addWidget(self.errors.wrap("indicators", self.indicators), 1)
        layout.addLayout(buttons)
        self.add_indicator.clicked.connect(lambda: self._add_indicator_row(IndicatorDTO("")))
        self.remove_indicator.clicked.connect(self._remove_indicator_row)
        self.save_button.clicked.connect(self.save_requested)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        texts = {
            "code": _("Code"),
            "name": _("Name"),
            "category": _("Category"),
            "dates": _("Start and end"),
            "responsible": _("Responsible person"),
            "funders": _("Funders"),
            "description": _("Description"),
            "objectives": _("Objectives (one per line)"),
            "indirect": _("Indirect beneficiaries"),
        }
        self.indirect.setToolTip(
            _(
                "People the programme reaches through its participants (their families...), "
                "as the entity estimates them; reported apart from the direct ones. Empty "
                "(—) when the funder does not ask."
            )
        )
        for pair in self.pairs.values():
            pair.retranslate_ui()
        for key, text in texts.items():
            self._labels[key].setText(text)
        self.indicators_label.setWordWrap(True)
        self.indicators_label.setText(_("Indicators: target and how the value is obtained"))
        self.indicators.setHorizontalHeaderLabels(
            [
                _("Indicator"),
                _("Measured as"),
                _("Target"),
                _("Value (by hand)"),
                _("Indicator ({language})").format(language=tag(self.name_pair.other_lang)),
            ]
        )
        self.add_indicator.setText(_("Add indicator"))
        self.remove_indicator.setText(_("Remove indicator"))
        self.save_button.setText(_("Save programme"))
        self.save_button.setToolTip(_("Save the programme (Ctrl+S)"))
        self.code.setPlaceholderText(_("e.g. PREV-26"))
        for row in range(self.indicators.rowCount()):
            combo = self.indicators.cellWidget(row, self.COL_KIND)
            if isinstance(combo, QComboBox):
                for i, kind in enumerate(INDICATOR_KINDS):
                    combo.setItemText(i, _(INDICATOR_KIND_LABELS[kind]))

    def set_choices(
        self, categories: list[CategoryDTO], staff: list[StaffDTO], funders: list[FunderDTO]
    ) -> None:
        lang = current_language()
        current = self.category.currentData()
        self.category.clear()
        for c in categories:
            self.category.addItem(c.label(lang), c.code)
        self._select(self.category, current)
        current = self.responsible.currentData()
        self.responsible.clear()
        self.responsible.addItem(_("(nobody)"), None)
        for person in staff:
            self.responsible.addItem(person.name, person.id)
        self._select(self.responsible, current)
        checked = self.funders.checked_ids()
        self.funders.set_items(((f.id, f.name) for f in funders), checked)

    def set_languages(self, main: str, other: str) -> None:
        """The entity's language and the other one the paired fields hold."""
        for pair in self.pairs.values():
            pair.set_languages(main, other)
        self.retranslate_ui()

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    def set_programme(self, p: ProgrammeDTO | None) -> None:
        self.errors.clear()
        self.opened = p
        p = p or ProgrammeDTO(code="", name="", category=self.category.itemData(0) or "")
        self.programme_id = p.id
        self.code.setText(p.code)
        self.name.setText(p.name)
        self._select(self.category, p.category)
        self.start.set_value(p.start)
        self.end.set_value(p.end)
        self._select(self.responsible, p.responsible_staff_id)
        self.funders.set_checked(p.funder_ids)
        self.description.setPlainText(p.description)
        self.objectives.setPlainText("\n".join(p.objectives))
        for name, pair in self.pairs.items():
            pair.show_version(p.translations, name)
        self.indirect.setValue(-1 if p.indirect_beneficiaries is None else p.indirect_beneficiaries)
        self.indicators.setRowCount(0)
        self._indicator_ids = []
        self._indicator_texts = []
        for ind in p.indicators:
            self._add_indicator_row(ind)

    def _add_indicator_row(self, ind: IndicatorDTO) -> None:
        row = self.indicators.rowCount()
        self.indicators.insertRow(row)
        self._indicator_ids.append(ind.id)
        self._indicator_texts.append(ind.translations)
        name = QTableWidgetItem(ind.name)
        self.indicators.setItem(row, self.COL_NAME, name)
        combo = shrinkable(QComboBox(), 10)
        for kind in INDICATOR_KINDS:
            combo.addItem(_(INDICATOR_KIND_LABELS[kind]), kind)
        self._select(combo, ind.kind)
        self.indicators.setCellWidget(row, self.COL_KIND, combo)
        self.indicators.setItem(row, self.COL_TARGET, QTableWidgetItem(number_text(ind.target)))
        self.indicators.setItem(
            row, self.COL_VALUE, QTableWidgetItem(number_text(ind.manual_value))
        )
        other = translation(ind.translations, "name", self.name_pair.other_lang)
        self.indicators.setItem(row, self.COL_OTHER, QTableWidgetItem(other))
        if not ind.name:
            self.indicators.setCurrentCell(row, self.COL_NAME)
            self.indicators.editItem(name)

    def _remove_indicator_row(self) -> None:
        row = self.indicators.currentRow()
        if row >= 0:
            self.indicators.removeRow(row)
            del self._indicator_ids[row]
            del self._indicator_texts[row]

    def _cell(self, row: int, column: int) -> str:
        item = self.indicators.item(row, column)
        return item.text() if item is not None else ""

    def value(self) -> ProgrammeDTO:
        """The programme as typed; numbers that do not parse become a field error."""
        indicators = []
        for row in range(self.indicators.rowCount()):
            combo = self.indicators.cellWidget(row, self.COL_KIND)
            kind = combo.currentData() if isinstance(combo, QComboBox) else "manual"
            try:
                target = parse_number(self._cell(row, self.COL_TARGET))
                manual = parse_number(self._cell(row, self.COL_VALUE))
            except ValueError:
                raise ValidationError(
                    {"indicators": _("Targets and values are numbers, like 40 or 7,5.")}
                ) from None
            texts = with_translation(
                self._indicator_texts[row],
                "name",
                self.name_pair.other_lang,
                self._cell(row, self.COL_OTHER),
            )
            indicators.append(
                IndicatorDTO(
                    self._cell(row, self.COL_NAME),
                    kind,
                    target,
                    manual,
                    self._indicator_ids[row],
                    texts,
                )
            )
        translations = self.opened.translations if self.opened else None
        for name, pair in self.pairs.items():
            translations = pair.versions(translations, name)
        return ProgrammeDTO(
            id=self.programme_id,
            code=self.code.text(),
            name=self.name.text(),
            category=self.category.currentData() or "",
            description=self.description.toPlainText(),
            start=self.start.value(),
            end=self.end.value(),
            responsible_staff_id=self.responsible.currentData(),
            objectives=tuple(self.objectives.toPlainText().splitlines()),
            funder_ids=self.funders.checked_ids(),
            indicators=tuple(indicators),
            version=self.opened.version if self.opened else None,
            translations=translations,
            indirect_beneficiaries=None if self.indirect.value() < 0 else self.indirect.value(),
        )

    def compared_fields(self) -> list[tuple[str, str]]:
        """The fields a stale save compares (ui/stale.py), labelled as on the form."""
        return [
            ("code", _("Code")),
            ("name", _("Name")),
            ("category", _("Category")),
            ("start", _("Start date")),
            ("end", _("End date")),
            ("responsible_staff_id", _("Responsible person")),
            ("funder_ids", _("Funders")),
            ("description", _("Description")),
            ("objectives", _("Objectives")),
            ("indicators", _("Indicators")),
        ]

    def shown(self, key: str, value: Any) -> str:
        """A field's value as the form shows it (choices by their names)."""
        if key in ("category", "responsible_staff_id"):
            combo = self.category if key == "category" else self.responsible
            index = combo.findData(value) if value else -1
            return combo.itemText(index) if index >= 0 else str(value or "")
        if key == "funder_ids":
            return self.funders.names(value)
        if key == "objectives":
            return "\n".join(o.strip() for o in value if o.strip())
        if key == "indicators":
            return "\n".join(
                f"{i.name.strip()} · {_(INDICATOR_KIND_LABELS.get(i.kind, i.kind))} · "
                f"{number_text(i.target)}"
                + (f" · {number_text(i.manual_value)}" if i.kind == "manual" else "")
                for i in value
            )
        return shown(value)
