"""Home as the window's shell shows it before the data is open: the same boxes and titles, and
this year's figures kept at the last clean close (app/home_snapshot.py). The lists (which name
activities and people) wait for the data. Nothing here imports the database layer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_date, format_number


def figures_text(figures: Mapping[str, float]) -> str:
    """The line of this year's figures, as Home shows it."""
    n = format_number
    return _(
        "{sessions} sessions held ({hours} hours) · {participants} participants · "
        "{attendances} attendances ({anonymous} anonymous) · {meetings} network meetings"
    ).format(
        sessions=n(int(figures["sessions"])),
        hours=n(figures["hours"], decimals=1),
        participants=n(int(figures["participants"])),
        attendances=n(int(figures["attendances"])),
        anonymous=n(int(figures["anonymous_attendances"])),
        meetings=n(int(figures["meetings"])),
    )


def home_titles(today: dt.date) -> tuple[str, str, str, str, str]:
    """The titles of Home's five boxes (the page and its cached look share them)."""
    return (
        _("Today, {date}").format(date=format_date(today, fmt="full")),
        _("This week and the next seven days"),
        _("Past sessions without attendance"),
        _("Enrolled people without a data-processing consent"),
        _("This year's figures ({year})").format(year=today.year),
    )


#: A list still loading: the empty view's white panel, its words in grey.
_LOADING_STYLE = (
    "QLabel { background: palette(base); border: 1px solid palette(mid); color: #666666; }"
)


class CachedHome(QWidget):
    """Home's frame with the year's figures kept at the last close; the page on the data
    replaces it as soon as the data is open."""

    def __init__(self, figures: Mapping[str, float]) -> None:
        super().__init__()
        self.setObjectName("cachedHome")
        self.figures = dict(figures)
        self.boxes = [QGroupBox() for _i in range(5)]
        self.loading = [QLabel() for _i in range(4)]
        for label in self.loading:
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet(_LOADING_STYLE)
            # As the lists' views do: they take the room, the figures' line keeps its own.
            label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.figures_label = QLabel()
        self.figures_label.setWordWrap(True)
        for box, content in zip(self.boxes, [*self.loading, self.figures_label], strict=True):
            QVBoxLayout(box).addWidget(content)
        grid = QGridLayout(self)
        grid.addWidget(self.boxes[0], 2, 0)
        grid.addWidget(self.boxes[1], 2, 1)
        grid.addWidget(self.boxes[2], 3, 0)
        grid.addWidget(self.boxes[3], 3, 1)
        grid.addWidget(self.boxes[4], 4, 0, 1, 2)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        for box, title in zip(self.boxes, home_titles(dt.date.today()), strict=True):
            box.setTitle(title)
        for label in self.loading:
            label.setText(_("Opening your data…"))
        self.figures_label.setText(figures_text(self.figures))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
