"""Settings section for the small lists other screens pick from: team, places and funders.

One generic editor (a table plus a form) configured per list, so the three behave alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Area
from app.domain.profile import FunderDTO, PlaceDTO, StaffDTO
from app.i18n import N_, _
from app.services.container import Services
from ui.events import DataBus
from ui.prompts import Prompts
from ui.widgets.text_pair import TextPair
from ui.workers import run_op


@dataclass(frozen=True)
class ListSpec:
    kind: str  # staff, place, funder (for ProfileService.delete)
    tab: str  # message id of the tab title
    fields: tuple[tuple[str, str], ...]  # (attribute, message id of its label)
    empty: Any  # a blank DTO
    load: Callable[[Services], list[Any]]
    save: Callable[[Services, Any], Any]
    #: Fields printed on documents: typed in both languages, side by side.
    translated: tuple[str, ...] = ()


SPECS = (
    ListSpec(
        "staff",
        N_("Team"),
        (
            ("name", N_("Name:")),
            ("role", N_("Role:")),
            ("email", N_("Email:")),
            ("active", N_("Active")),
            ("login", N_("Office login:")),
        ),
        StaffDTO(id="", name=""),
        lambda s: s.profile.staff(),
        lambda s, dto: s.profile.save_staff(dto),
    ),
    ListSpec(
        "place",
        N_("Places"),
        (("name", N_("Name:")), ("address", N_("Address:"))),
        PlaceDTO(id="", name=""),
        lambda s: s.profile.places(),
        lambda s, dto: s.profile.save_place(dto),
    ),
    ListSpec(
        "funder",
        N_("Funders"),
        (("name", N_("Name:")), ("support_text", N_("Support text:"))),
        FunderDTO(id="", name="", support_text="Amb el suport de"),
        lambda s: s.profile.funders(),
        lambda s, dto: s.profile.save_funder(dto),
        translated=("name", "support_text"),
    ),
)


class ListEditor(QWidget):
    def __init__(self, spec: ListSpec, services: Services, bus: DataBus, prompts: Prompts):
        super().__init__()
        self.spec, self.services, self.bus, self.prompts = spec, services, bus, prompts
        self.rows: list[Any] = []
        self.current: Any = spec.empty
        self.table = QTableWidget(0, len(spec.fields))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._selected)
        self.inputs: dict[str, QLineEdit | QCheckBox] = {}
        self.pairs: dict[str, TextPair] = {}
        self.labels: dict[str, QLabel] = {}
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        for attr, _label in spec.fields:
            widget: QLineEdit | QCheckBox = QCheckBox() if attr == "active" else QLineEdit()
            if isinstance(widget, QLineEdit):
                widget.returnPressed.connect(self.save)  # Enter saves, as in a dialog
            self.inputs[attr] = widget
            self.labels[attr] = QLabel()
            if isinstance(widget, QLineEdit) and attr in spec.translated:
                self.pairs[attr] = TextPair(widget)
                self.pairs[attr].other.returnPressed.connect(self.save)  # type: ignore[union-attr]
                form.addRow(self.labels[attr], self.pairs[attr])
            else:
                form.addRow(self.labels[attr], widget)
        form.addRow("", self.error)
        self.new_button = QPushButton(clicked=self.new)
        self.save_button = QPushButton(clicked=self.save)
        self.remove_button = QPushButton(clicked=self.remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.retranslate_ui()
        self.new()

    def retranslate_ui(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [_(label).rstrip(":") for _a, label in self.spec.fields]
        )
        for attr, label in self.spec.fields:
            if isinstance(self.inputs[attr], QCheckBox):
                self.inputs[attr].setText(_(label))
            else:
                self.labels[attr].setText(_(label))
        for pair in self.pairs.values():
            pair.retranslate_ui()
        self.new_button.setText(_("New"))
        self.save_button.setText(_("Save"))
        self.remove_button.setText(_("Remove"))

    def refresh(self) -> None:
        if self.pairs:
            main, other = self.services.texts.languages()
            for pair in self.pairs.values():
                pair.set_languages(main, other)
        self.rows = self.spec.load(self.services)
        self.table.setRowCount(len(self.rows))
        for r, dto in enumerate(self.rows):
            for c, (attr, _label) in enumerate(self.spec.fields):
                value = getattr(dto, attr)
                text = ("✓" if value else "") if isinstance(value, bool) else str(value)
                self.table.setItem(r, c, QTableWidgetItem(text))

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._show(self.rows[rows[0].row()])

    def _show(self, dto: Any) -> None:
        self.current = dto
        self.error.clear()
        for attr, widget in self.inputs.items():
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(getattr(dto, attr)))
            else:
                widget.setText(str(getattr(dto, attr)))
        for attr, pair in self.pairs.items():
            pair.show_version(dto.translations, attr)
        self.remove_button.setEnabled(bool(dto.id))

    def new(self) -> None:
        self.table.clearSelection()
        self._show(self.spec.empty)
        next(iter(self.inputs.values())).setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        values = {
            attr: w.isChecked() if isinstance(w, QCheckBox) else w.text()
            for attr, w in self.inputs.items()
        }
        if self.pairs:
            translations = self.current.translations
            for attr, pair in self.pairs.items():
                translations = pair.versions(translations, attr)
            values["translations"] = translations
        item = replace(self.current, **values)

        def saved(dto: Any) -> None:
            self.refresh()
            self._show(dto)

        run_op(
            self,
            lambda: self.spec.save(self.services, item),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Team, places and funders"),
            on_invalid=lambda exc: self.error.setText(exc.message),
            on_success=saved,
        )

    def remove(self) -> None:
        if not self.current.id:
            return
        text = _("Remove “{name}” from the list? What it took part in is kept.").format(
            name=self.current.name
        )
        if not self.prompts.confirm(self, _("Remove"), text):
            return
        kind, item_id = self.spec.kind, self.current.id

        def removed(_result: None) -> None:
            self.refresh()
            self.new()

        run_op(
            self,
            lambda: self.services.profile.delete(kind, item_id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Remove"),
            on_success=removed,
        )


class ReferenceLists(QWidget):
    """The three editors in tabs; refreshes when their data changes elsewhere (an import)."""

    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__()
        self.tabs = QTabWidget()
        self.editors = [ListEditor(spec, services, bus, prompts) for spec in SPECS]
        for editor in self.editors:
            self.tabs.addTab(editor, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        bus.changed.connect(
            lambda c: self.refresh() if c.touches(Area.STAFF, Area.PLACES, Area.FUNDERS) else None
        )
        self.retranslate_ui()
        self.refresh()

    def refresh(self) -> None:
        for editor in self.editors:
            editor.refresh()

    def retranslate_ui(self) -> None:
        for i, spec in enumerate(SPECS):
            self.tabs.setTabText(i, _(spec.tab))
            self.editors[i].retranslate_ui()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
