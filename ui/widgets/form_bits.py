"""Small pieces the network forms share: inline error labels and optional date editors."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
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


class _LabelsAbove(QObject):
    """Puts ``form``'s labels above their fields while ``host`` is narrower than ``width``."""

    def __init__(self, form: QFormLayout, host: QWidget, width: int) -> None:
        super().__init__(host)
        self.form, self.width = form, width
        host.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            narrow = watched.width() < self.width
            policy = (
                QFormLayout.RowWrapPolicy.WrapAllRows
                if narrow
                else QFormLayout.RowWrapPolicy.WrapLongRows
            )
            if self.form.rowWrapPolicy() != policy:
                self.form.setRowWrapPolicy(policy)
        return False


def labels_above_when_narrow(form: QFormLayout, host: QWidget, width: int = 520) -> None:
    """A form beside a list: while ``host`` (the form's widget or its scroll area) is narrower
    than ``width`` pixels, every label goes above its field, so the fields keep the whole width
    and the list beside keeps its names readable at 1024 pixels; wider, the labels are beside
    their fields (a label too long for its row still goes above)."""
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    _LabelsAbove(form, host, width)


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
