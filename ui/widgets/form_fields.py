"""Small form pieces shared by the daily-work pages: optional dates and times, checkable lists
and translated validation messages shown right under their field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

_NO_DATE = QDate(1900, 1, 1)
_NO_TIME = QTime(0, 0)


class DateField(QDateEdit):
    """A date that may be empty (shown blank; the minimum date stands for "no date")."""

    def __init__(self, optional: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("dd/MM/yyyy")
        self._optional = optional
        if optional:
            self.setMinimumDate(_NO_DATE)
            self.setSpecialValueText(" ")
            self.setDate(_NO_DATE)
        else:
            self.setDate(QDate.currentDate())
        self.calendarWidget().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # An empty field's calendar opens on this month, not on January 1900.
        if event.type() == QEvent.Type.Show and self.value() is None:
            today = QDate.currentDate()
            self.calendarWidget().setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)

    def value(self) -> dt.date | None:
        d = self.date()
        if self._optional and d == _NO_DATE:
            return None
        return dt.date(d.year(), d.month(), d.day())

    def set_value(self, value: dt.date | None) -> None:
        if value is None:
            self.setDate(_NO_DATE if self._optional else QDate.currentDate())
        else:
            self.setDate(QDate(value.year, value.month, value.day))


def shrinkable(combo: QComboBox, chars: int = 14) -> QComboBox:
    """A combo box that may be narrower than its longest item (long activity names would
    otherwise widen the whole window past a 1024-pixel screen); the popup still shows all."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    combo.view().setTextElideMode(Qt.TextElideMode.ElideNone)
    return combo


class TimeField(QTimeEdit):
    """A time that may be empty: 00:00 stands for "no time" (sessions never start at midnight)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("HH:mm")
        self.setMinimumTime(_NO_TIME)
        self.setSpecialValueText(" ")
        self.setTime(_NO_TIME)

    def value(self) -> dt.time | None:
        t = self.time()
        return None if t == _NO_TIME else dt.time(t.hour(), t.minute())

    def set_value(self, value: dt.time | None) -> None:
        self.setTime(_NO_TIME if value is None else QTime(value.hour, value.minute))


class CheckList(QListWidget):
    """Checkable items carrying ids (funders, facilitators...)."""

    def set_items(self, items: Iterable[tuple[str, str]], checked: Iterable[str] = ()) -> None:
        marked = set(checked)
        self.clear()
        for item_id, label in items:
            item = QListWidgetItem(label, self)
            item.setData(Qt.ItemDataRole.UserRole, item_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if item_id in marked else Qt.CheckState.Unchecked
            )

    def checked_ids(self) -> tuple[str, ...]:
        return tuple(
            str(self.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        )

    def names(self, ids: Iterable[str]) -> str:
        """The items of ``ids`` by their labels, one a line (an unknown id as it is)."""
        labels = {
            str(self.item(i).data(Qt.ItemDataRole.UserRole)): self.item(i).text()
            for i in range(self.count())
        }
        return "\n".join(labels.get(i, i) for i in ids)

    def set_checked(self, ids: Iterable[str]) -> None:
        marked = set(ids)
        for i in range(self.count()):
            item = self.item(i)
            state = item.data(Qt.ItemDataRole.UserRole) in marked
            item.setCheckState(Qt.CheckState.Checked if state else Qt.CheckState.Unchecked)


class FieldErrors:
    """Wraps form widgets so each can show its validation message under it, in red."""

    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}

    def wrap(self, name: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(widget)
        label = QLabel()
        label.setObjectName(f"error_{name}")
        label.setStyleSheet("color: #b00020;")
        label.setWordWrap(True)
        label.hide()
        layout.addWidget(label)
        self._labels[name] = label
        return box

    def show(self, errors: dict[str, str]) -> list[str]:
        """Show the messages; returns the fields that had no place (to show elsewhere)."""
        self.clear()
        unplaced = []
        for name, message in errors.items():
            label = self._labels.get(name)
            if label is None:
                unplaced.append(message)
                continue
            label.setText(message)
            label.show()
        return unplaced

    def clear(self) -> None:
        for label in self._labels.values():
            label.clear()
            label.hide()

    def message(self, name: str) -> str:
        label = self._labels.get(name)
        if label is None or (parent := label.parentWidget()) is None:
            return ""
        return label.text() if label.isVisibleTo(parent) else ""
