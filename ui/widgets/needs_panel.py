"""Participatory diagnosis (Networks > Needs): the needs and challenges detected in the
territory, who raised them (a meeting, an activity, a group) and what was done about them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.community import NEED_RESPONSES, NeedDTO
from app.errors import ValidationError
from app.i18n import _, format_date
from app.services.container import Services
from ui.events import DataBus
from ui.models.dto_table import Column, DtoTableModel
from ui.prompts import Prompts
from ui.widgets.community_bits import delete_key, save_key, table
from ui.widgets.form_bits import (
    date_edit,
    error_label,
    from_qdate,
    list_beside_form,
    select_data,
    show_error,
    show_errors,
    to_qdate,
)
from ui.workers import run_op

#: The fields that point at another record, and the choices they take them from.
REFS = (
    ("meeting_id", "meetings"),
    ("activity_id", "activities"),
    ("group_id", "groups"),
    ("response_activity_id", "activities"),
    ("response_agreement_id", "agreements"),
    ("response_organisation_id", "organisations"),
)


class NeedsPanel(QWidget):
    def __init__(
        self,
        services: Services,
        bus: DataBus,
        prompts: Prompts,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__()
        self.services, self.bus, self.prompts, self.today = services, bus, prompts, today
        self.current: NeedDTO | None = None
        self.model: DtoTableModel[NeedDTO] = DtoTableModel(
            [
                Column(
                    lambda: _("Detected"),
                    lambda n: format_date(n.detected_on, fmt="short"),
                    lambda n: n.detected_on,
                ),
                Column(lambda: _("Need or challenge"), lambda n: n.title),
                Column(lambda: _("Where"), lambda n: n.place),
                Column(lambda: _("Raised by"), lambda n: n.raised_by),
                Column(
                    lambda: _("Response"),
                    lambda n: _(NEED_RESPONSES.get(n.response, n.response)),
                    tip=lambda: _("What was done"),
                ),
            ]
        )
        # The need, who raised it and the response share what the date and place leave: no
        # sideways scroll bar beside the form at 1024 pixels.
        self.table = table(self.model, stretch=(1, 3, 4))
        self.new_button = QPushButton()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.new_button)

        self.title, self.place = QLineEdit(), QLineEdit()
        self.description = QPlainTextEdit()
        self.description.setMaximumHeight(60)
        self.detected_on = date_edit()
        self.refs = {key: QComboBox() for key, _source in REFS}
        self.response = QComboBox()
        for code in NEED_RESPONSES:
            self.response.addItem("", code)
        self.response_date = date_edit(optional=True)
        self.response_notes = QPlainTextEdit()
        self.response_notes.setMaximumHeight(60)
        keys = (
            "title",
            "response",
            "response_date",
            "response_activity_id",
            "response_agreement_id",
            "response_organisation_id",
        )
        self.errors = {k: error_label() for k in keys}
        self.labels = [QLabel() for _i in range(13)]
        self.raised_box, self.response_box, self.need_box = QGroupBox(), QGroupBox(), QGroupBox()
        groups = (
            (
                self.need_box,
                ((self.title, "title"), (self.description, None), (self.place, None),
                 (self.detected_on, None)),
            ),
            (
                self.raised_box,
                ((self.refs["meeting_id"], None), (self.refs["activity_id"], None),
                 (self.refs["group_id"], None)),
            ),
            (
                self.response_box,
                ((self.response, "response"), (self.response_date, "response_date"),
                 (self.refs["response_activity_id"], "response_activity_id"),
                 (self.refs["response_agreement_id"], "response_agreement_id"),
                 (self.refs["response_organisation_id"], "response_organisation_id"),
                 (self.response_notes, None)),
            ),
        )  # fmt: skip
        labels = iter(self.labels)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        for box, rows in groups:
            form = QFormLayout(box)
            for widget, key in rows:
                form.addRow(next(labels), widget)
                if key:
                    form.addRow("", self.errors[key])
            right_layout.addWidget(box)
        self.save_button, self.delete_button = QPushButton(), QPushButton()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        right_layout.addLayout(buttons)
        right_layout.addStretch(1)
        list_beside_form(self, left, right, [620, 420])  # the list first: five columns

        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.new_button.clicked.connect(self.new)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        self.response.currentIndexChanged.connect(lambda _i: self._update_response())
        save_key(self, self.save)
        delete_key(self.table, self.delete)
        self.retranslate_ui()
        self.show_need(None)

    def retranslate_ui(self) -> None:
        self.new_button.setText(_("New need"))
        self.need_box.setTitle(_("Need or challenge detected"))
        self.raised_box.setTitle(_("Raised at or by"))
        self.response_box.setTitle(_("What was done"))
        for label, text in zip(
            self.labels,
            (
                _("What"),
                _("Description"),
                _("Where"),
                _("Detected on"),
                _("Meeting"),
                _("Activity"),
                _("Group"),
                _("Response"),
                _("Date of the response"),
                _("Activity started"),
                _("Agreement in a network"),
                _("Passed on to"),
                _("Notes"),
            ),
            strict=True,
        ):
            label.setText(text)
        for i, text in enumerate(NEED_RESPONSES.values()):
            self.response.setItemText(i, _(text))
        self.place.setPlaceholderText(_("A neighbourhood, a street, a facility…"))
        self.save_button.setText(_("Save"))
        self.delete_button.setText(_("Delete"))
        self.model.retranslate()

    def refresh(self) -> None:
        needs = self.services.needs.needs()
        self.model.set_rows(needs)
        choices = self.services.needs.choices()
        for key, source in REFS:
            combo = self.refs[key]
            kept = combo.currentData()
            combo.clear()
            combo.addItem("—", None)
            for rid, label in getattr(choices, source):
                combo.addItem(label, rid)
            select_data(combo, kept)
        if self.current is not None and self.current.id:
            fresh = next((n for n in needs if n.id == self.current.id), None)
            for row, n in enumerate(needs):
                if fresh is not None and n.id == fresh.id:
                    self.table.selectRow(row)
            self.show_need(fresh)

    def _selected(self) -> None:
        index = self.table.currentIndex()
        need = self.model.row_at(index.row()) if index.isValid() else None
        if need is not None and (self.current is None or need.id != self.current.id):
            self.show_need(need)

    def show_need(self, need: NeedDTO | None) -> None:
        self.current = need
        self.title.setText(need.title if need else "")
        self.description.setPlainText(need.description if need else "")
        self.place.setText(need.place if need else "")
        for line in (self.title, self.place):
            line.setCursorPosition(0)  # a long text shows its beginning
        self.detected_on.setDate(to_qdate(need.detected_on if need else self.today()))
        for key, _source in REFS:
            select_data(self.refs[key], getattr(need, key) if need else None)
        select_data(self.response, need.response if need else "none")
        self.response_date.setDate(to_qdate(need.response_date if need else None))
        self.response_notes.setPlainText(need.response_notes if need else "")
        for label in self.errors.values():
            show_error(label, None)
        self.delete_button.setEnabled(need is not None)
        self._update_response()

    def _update_response(self) -> None:
        """Only the field the response names is offered."""
        wanted = {
            "activity": "response_activity_id",
            "network_agreement": "response_agreement_id",
            "passed_on": "response_organisation_id",
        }.get(self.response.currentData(), "")
        for key in ("response_activity_id", "response_agreement_id", "response_organisation_id"):
            self.refs[key].setEnabled(key == wanted)

    def new(self) -> None:
        self.table.clearSelection()
        self.show_need(None)
        self.title.setFocus()

    def save(self) -> None:
        for label in self.errors.values():
            show_error(label, None)
        response = self.response.currentData()
        values: dict[str, Any] = {
            key: self.refs[key].currentData() if self.refs[key].isEnabled() else None
            for key, _source in REFS
        }
        value = NeedDTO(
            id=self.current.id if self.current else None,
            title=self.title.text(),
            detected_on=from_qdate(self.detected_on.date()) or self.today(),
            description=self.description.toPlainText(),
            place=self.place.text(),
            response=response,
            response_date=from_qdate(self.response_date.date()),
            response_notes=self.response_notes.toPlainText(),
            **values,
        )

        def invalid(exc: ValidationError) -> None:
            show_errors(self.errors, exc.errors, "title")

        def saved(need: NeedDTO) -> None:
            self.current = need
            self.refresh()

        run_op(
            self,
            lambda: self.services.needs.save(value),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Cannot save the need"),
            on_invalid=invalid,
            on_success=saved,
        )

    def delete(self) -> None:
        need = self.current
        if (
            need is None
            or not need.id
            or not self.prompts.confirm(
                self, _("Delete need"), _("Delete “{title}”?").format(title=need.title)
            )
        ):
            return
        need_id = need.id

        def deleted(_result: None) -> None:
            self.show_need(None)
            self.refresh()

        run_op(
            self,
            lambda: self.services.needs.delete(need_id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Delete need"),
            on_success=deleted,
        )
