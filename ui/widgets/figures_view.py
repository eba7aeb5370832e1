"""A programme's figures (DESIGN section 5) for a chosen period, computed in the background by
the one figures service."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.figures import Figures
from app.i18n import _
from app.services.figures import FiguresService
from ui.models.programmes import FiguresModel
from ui.widgets.form_fields import DateField
from ui.workers import LatestOnly


class FiguresView(QWidget):
    def __init__(self, figures: FiguresService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = figures
        self.programme_ids: list[str] | None = None
        self.figures: Figures | None = None
        self._background = LatestOnly(self)
        today = dt.date.today()
        self.date_from = DateField(optional=False)
        self.date_from.set_value(dt.date(today.year, 1, 1))
        self.date_to = DateField(optional=False)
        self.date_to.set_value(dt.date(today.year, 12, 31))
        self.from_label, self.to_label = QLabel(), QLabel()
        self.update_button = QPushButton()
        self.status = QLabel()
        self.model = FiguresModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        bar = QHBoxLayout()
        for w in (self.from_label, self.date_from, self.to_label, self.date_to, self.update_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.update_button.clicked.connect(self.compute)
        self.date_from.dateChanged.connect(self.compute)
        self.date_to.dateChanged.connect(self.compute)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.from_label.setText(_("From"))
        self.to_label.setText(_("to"))
        self.update_button.setText(_("Update"))
        if self.figures is not None:
            self.model.set_rows(FiguresModel.lines(self.figures))
        self.model.retranslate()

    def set_programmes(self, programme_ids: list[str] | None) -> None:
        self.programme_ids = programme_ids
        self.compute()

    def compute(self) -> None:
        date_from, date_to = self.date_from.value(), self.date_to.value()
        if date_from is None or date_to is None:
            return
        if date_to < date_from:
            self.status.setText(_("The end date cannot be before the start date."))
            return
        self.status.setText(_("Computing…"))
        ids = self.programme_ids
        self._background.run(
            lambda: self._service.compute(ids, date_from, date_to), self._show, self._failed
        )

    def busy(self) -> bool:
        return self._background.busy

    def _show(self, figures: Figures) -> None:
        self.figures = figures
        self.status.setText("")
        self.model.set_rows(FiguresModel.lines(figures))

    def _failed(self, message: str) -> None:
        self.status.setText(message)
