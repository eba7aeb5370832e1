"""Settings > Calendar: the entity's local holidays and school breaks, which every series of
sessions skips besides the region's public holidays (the ``holidays`` package knows those, not
the municipality's two local days nor the school calendar)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Area
from app.domain.profile import LOCAL_DAY_KINDS, LocalDayDTO
from app.errors import ValidationError
from app.i18n import _, format_date, ngettext
from app.services.container import Services
from ui.events import DataBus
from ui.prompts import Prompts
from ui.widgets.form_bits import date_edit, from_qdate, select_data
from ui.workers import run_op


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


class LocalCalendarEditor(QWidget):
    """A table of the local holidays and breaks, and a form to add or change one."""

    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__()
        self.services, self.bus, self.prompts = services, bus, prompts
        self.rows: list[LocalDayDTO] = []
        today = dt.date.today()
        self.current = LocalDayDTO("", "", today, today)

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._selected)

        self.name_edit = QLineEdit()
        self.name_edit.returnPressed.connect(self.save)
        self.from_edit = date_edit()
        self.to_edit = date_edit()
        self._first = self.from_edit.date()
        self.from_edit.dateChanged.connect(self._from_changed)
        self.kind_combo = QComboBox()
        for code in LOCAL_DAY_KINDS:
            self.kind_combo.addItem("", code)
        self.labels = {key: QLabel() for key in ("name", "date_from", "date_to", "kind")}
        self.labels["name"].setBuddy(self.name_edit)
        self.labels["date_from"].setBuddy(self.from_edit)
        self.labels["date_to"].setBuddy(self.to_edit)
        self.labels["kind"].setBuddy(self.kind_combo)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.labels["name"], self.name_edit)
        dates = QHBoxLayout()
        dates.addWidget(self.from_edit)
        dates.addWidget(self.labels["date_to"])
        dates.addWidget(self.to_edit)
        dates.addStretch(1)
        form.addRow(self.labels["date_from"], dates)
        form.addRow(self.labels["kind"], self.kind_combo)
        form.addRow("", self.error)

        self.new_button = QPushButton(clicked=self.new)
        self.save_button = QPushButton(clicked=self.save)
        self.remove_button = QPushButton(clicked=self.remove)
        # The municipalities whose local holidays the holidays package knows (Barcelona today),
        # filled when the tab is first shown: the package is large.
        self.known_label = QLabel()
        self.municipality = QComboBox()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        today = dt.date.today()
        self.year.setValue(today.year + 1 if today.month >= 9 else today.year)
        self.add_known_button = QPushButton(clicked=self.add_known)
        known = QHBoxLayout()
        known.addWidget(self.known_label)
        known.addWidget(self.municipality)
        known.addWidget(self.year)
        known.addWidget(self.add_known_button)
        self.known_done = QLabel()
        known.addWidget(self.known_done)
        known.addStretch(1)
        self.known_row = QWidget()
        self.known_row.setLayout(known)
        self.known_row.hide()
        self._known_loaded = False

        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.known_row)
        layout.addLayout(form)
        layout.addLayout(buttons)
        bus.changed.connect(lambda c: self.refresh() if c.touches(Area.PROFILE) else None)
        self.retranslate_ui()
        self.refresh()
        self.new()

    def retranslate_ui(self) -> None:
        self.intro.setText(
            _(
                "Every series of sessions skips the region's public holidays and these days: "
                "your municipality's two local holidays and the school breaks. Update them each "
                "school year."
            )
        )
        self.table.setHorizontalHeaderLabels([_("Name"), _("Dates"), _("Kind")])
        self.labels["name"].setText(_("&Name:"))
        self.labels["date_from"].setText(_("&From:"))
        self.labels["date_to"].setText(_("&to:"))
        self.labels["kind"].setText(_("&Kind:"))
        for i in range(self.kind_combo.count()):
            self.kind_combo.setItemText(i, _(LOCAL_DAY_KINDS[str(self.kind_combo.itemData(i))]))
        self.known_label.setText(_("Local holidays Teixit knows:"))
        self.add_known_button.setText(_("Add them"))
        self.add_known_button.setToolTip(
            _("Add the municipality's local holidays of that year to the calendar")
        )
        self.new_button.setText(_("New"))
        self.save_button.setText(_("Save"))
        self.remove_button.setText(_("Remove"))
        self._fill_table()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        if not self._known_loaded:
            self._known_loaded = True
            for name in self.services.profile.known_municipalities():
                self.municipality.addItem(name, name)
            self.known_row.setVisible(self.municipality.count() > 0)
        super().showEvent(event)

    def add_known(self) -> None:
        municipality, year = str(self.municipality.currentData()), self.year.value()

        def added(days: list[LocalDayDTO]) -> None:
            self.refresh()
            self.known_done.setText(
                ngettext(
                    "{count} local holiday added.", "{count} local holidays added.", len(days)
                ).format(count=len(days))
            )

        run_op(
            self,
            lambda: self.services.profile.add_municipal_holidays(municipality, year),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Calendar"),
            on_success=added,
        )

    def refresh(self) -> None:
        self.rows = self.services.profile.local_days()
        self._fill_table()

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.rows))
        for r, day in enumerate(self.rows):
            if day.date_from == day.date_to:
                dates = format_date(day.date_from, fmt="short")
            else:
                dates = _("{start} – {end}").format(
                    start=format_date(day.date_from, fmt="short"),
                    end=format_date(day.date_to, fmt="short"),
                )
            for c, text in enumerate((day.name, dates, _(LOCAL_DAY_KINDS[day.kind]))):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def _from_changed(self, value: QDate) -> None:
        """The last day follows the first while they are one day (and never stays before it)."""
        if self.to_edit.date() == self._first or self.to_edit.date() < value:
            self.to_edit.setDate(value)
        self._first = value

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._show(self.rows[rows[0].row()])

    def _show(self, day: LocalDayDTO) -> None:
        self.current = day
        self.error.clear()
        self.name_edit.setText(day.name)
        self.from_edit.setDate(_qdate(day.date_from))
        self.to_edit.setDate(_qdate(day.date_to))
        select_data(self.kind_combo, day.kind)
        self.remove_button.setEnabled(bool(day.id))

    def new(self) -> None:
        self.table.clearSelection()
        today = dt.date.today()
        self._show(LocalDayDTO("", "", today, today))
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        first = from_qdate(self.from_edit.date()) or dt.date.today()
        last = from_qdate(self.to_edit.date()) or first
        day = replace(
            self.current,
            name=self.name_edit.text(),
            date_from=first,
            date_to=last,
            kind=str(self.kind_combo.currentData()),
        )

        def saved(result: LocalDayDTO) -> None:
            self.refresh()
            self.new()

        def invalid(exc: ValidationError) -> None:
            self.error.setText(exc.message)

        run_op(
            self,
            lambda: self.services.profile.save_local_day(day),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Calendar"),
            on_invalid=invalid,
            on_success=saved,
        )

    def remove(self) -> None:
        if not self.current.id:
            return
        question = _("Remove “{name}” from the calendar? Sessions already planned stay.").format(
            name=self.current.name
        )
        if not self.prompts.confirm(self, _("Remove"), question):
            return
        day_id = self.current.id

        def removed(_result: object) -> None:
            self.refresh()
            self.new()

        run_op(
            self,
            lambda: self.services.profile.delete_local_day(day_id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Remove"),
            on_success=removed,
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
