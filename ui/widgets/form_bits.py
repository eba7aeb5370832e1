"""Small pieces the network forms share: inline error labels and optional date editors."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

NO_DATE = QDate(2000, 1, 1)


def error_label(parent: QWidget | None = None) -> QLabel:
    """A red message shown next to the field it belongs to; hidden while there is none."""
    label = QLabel(parent)
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    label.hide()
    return label


def show_error(label: QLabel, message: str | None) -> None:
    label.setText(message or "")
    label.setVisible(bool(message))


def show_errors(labels: dict[str, QLabel], errors: dict[str, str], fallback: str) -> None:
    """A validation's messages beside their fields; one for a field without a label of its
    own goes beside ``fallback``'s."""
    for key, message in errors.items():
        show_error(labels.get(key, labels[fallback]), message)


def list_beside_form(owner: QWidget, left: QWidget, form: QWidget, sizes: list[int]) -> None:
    """``owner``'s layout: a list on the left, a form on the right that scrolls when the
    window is short (the community tabs)."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(form)
    splitter = QSplitter()
    splitter.addWidget(left)
    splitter.addWidget(scroll)
    splitter.setSizes(sizes)
    QVBoxLayout(owner).addWidget(splitter)


def to_qdate(value: dt.date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value else NO_DATE


def from_qdate(value: QDate) -> dt.date | None:
    if not value.isValid() or value == NO_DATE:
        return None
    return dt.date(value.year(), value.month(), value.day())


def date_edit(optional: bool = False, parent: QWidget | None = None) -> QDateEdit:
    """A date editor with a calendar; ``optional`` ones show "—" for "no date"."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    if optional:
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText("—")
        edit.setDate(NO_DATE)
    return edit


def select_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))
