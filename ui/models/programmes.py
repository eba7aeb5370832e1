"""Table models of the programmes page: programmes, activities, enrolment roster, figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain.figures import FIGURES, GENDER_LABELS, format_figure
from app.domain.people import EnrolmentDTO
from app.domain.programmes import ACTIVITY_KIND_LABELS, ActivityDTO, ProgrammeDTO
from app.i18n import _, format_date, format_number, pgettext
from ui.models.rows import RowsModel


def short_date(value: Any) -> str:
    return format_date(value, fmt="short") if value else ""


class ProgrammesModel(RowsModel[ProgrammeDTO]):
    COL_CODE, COL_NAME, COL_CATEGORY, COL_ACTIVITIES = range(4)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.category_labels: dict[str, str] = {}

    def headers(self) -> Sequence[str]:
        return [_("Code"), _("Name"), _("Category"), _("Activities")]

    def text(self, row: ProgrammeDTO, column: int) -> str:
        if column == self.COL_CODE:
            return row.code
        if column == self.COL_NAME:
            return row.name
        if column == self.COL_CATEGORY:
            return self.category_labels.get(row.category, row.category)
        return str(row.activity_count)

    def sort_key(self, row: ProgrammeDTO, column: int) -> Any:
        if column == self.COL_ACTIVITIES:
            return row.activity_count
        return super().sort_key(row, column)

    def extra(self, row: ProgrammeDTO, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.COL_NAME, self.COL_CATEGORY):
            # The whole name where the column elides it, and the category the list leaves out.
            category = self.text(row, self.COL_CATEGORY)
            return f"{row.name}\n{category}" if category else row.name
        return None


class ActivitiesModel(RowsModel[ActivityDTO]):
    COL_NAME, COL_KIND, COL_ENROLLED, COL_SESSIONS = range(4)

    def headers(self) -> Sequence[str]:
        return [_("Activity"), _("Kind"), _("Enrolled"), _("Sessions")]

    def text(self, row: ActivityDTO, column: int) -> str:
        if column == self.COL_NAME:
            return row.name
        if column == self.COL_KIND:
            return _(ACTIVITY_KIND_LABELS.get(row.kind, row.kind))
        return str(row.enrolled if column == self.COL_ENROLLED else row.sessions)

    def sort_key(self, row: ActivityDTO, column: int) -> Any:
        if column == self.COL_ENROLLED:
            return row.enrolled
        if column == self.COL_SESSIONS:
            return row.sessions
        return super().sort_key(row, column)


class RosterModel(RowsModel[EnrolmentDTO]):
    """Enrolled people; those who have left (or not started yet) are greyed, in italics, and say
    so in their tooltip (no status column: on a small screen the names need the room)."""

    COL_NAME, COL_START, COL_END = range(3)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.today = dt.date.today()

    def headers(self) -> Sequence[str]:
        return [_("Name"), _("Enrolment"), _("Leaving")]

    def state(self, row: EnrolmentDTO) -> str:
        if row.end is not None and row.end < self.today:
            return "ended"
        if row.start is not None and row.start > self.today:
            return "future"
        return "active"

    def state_label(self, row: EnrolmentDTO) -> str:
        return {
            "ended": pgettext("enrolment", "Left"),
            "future": pgettext("enrolment", "Starts later"),
            "active": pgettext("enrolment", "Active"),
        }[self.state(row)]

    def text(self, row: EnrolmentDTO, column: int) -> str:
        if column == self.COL_NAME:
            return row.person_name
        return short_date(row.start if column == self.COL_START else row.end)

    def sort_key(self, row: EnrolmentDTO, column: int) -> Any:
        if column == self.COL_NAME and any(row.person_sort):
            return "\x01".join(row.person_sort)
        if column == self.COL_START:
            return row.start.isoformat() if row.start else ""
        if column == self.COL_END:
            return row.end.isoformat() if row.end else ""
        return super().sort_key(row, column)

    def extra(self, row: EnrolmentDTO, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.person_name} · {self.state_label(row)}"
        if role == Qt.ItemDataRole.ForegroundRole and self.state(row) != "active":
            return QBrush(QColor("#777777"))
        if role == Qt.ItemDataRole.FontRole and self.state(row) == "ended":
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def active_count(self) -> int:
        return sum(1 for r in self.rows() if self.state(r) == "active")


class FigureLine:
    """One line of the figures table: a label and its participants / attendances; ``id`` is the
    figure's key or the indicator's id."""

    def __init__(self, label: str, value: str, second: str = "", id: str = "") -> None:
        self.label, self.value, self.second, self.id = label, value, second, id


class FiguresModel(RowsModel[FigureLine]):
    COL_LABEL, COL_VALUE, COL_SECOND = range(3)

    def headers(self) -> Sequence[str]:
        return [_("Figure"), _("People or value"), _("Attendances")]

    def text(self, row: FigureLine, column: int) -> str:
        return (row.label, row.value, row.second)[column]

    def extra(self, row: FigureLine, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.COL_LABEL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)  # figures
        return None

    @staticmethod
    def lines(figures: Any) -> list[FigureLine]:
        """The section-5 figures as table lines (translated at call time)."""
        n = format_number
        # Every figure of the one table, worded and rounded as the justification report prints it.
        out = [FigureLine(_(fig.label), fig.text(figures), id=fig.key) for fig in FIGURES]
        for code, b in figures.by_gender.items():
            label = _("Gender: {gender}").format(gender=_(GENDER_LABELS[code]))
            out.append(FigureLine(label, n(b.participants), n(b.attendances)))
        for band, b in figures.by_age_band.items():
            shown = _("unknown") if band == "unknown" else band
            label = _("Age band: {band}").format(band=shown)
            out.append(FigureLine(label, n(b.participants), n(b.attendances)))
        for ind in figures.indicators:
            # Planned and achieved values with the report's decimals (up to two).
            achieved = "–" if ind.achieved is None else format_figure(ind.achieved, 2)
            if ind.target is not None:
                achieved = _("{achieved} of {target}").format(
                    achieved=achieved, target=format_figure(ind.target, 2)
                )
            label = _("Indicator: {name}").format(name=ind.name)
            out.append(FigureLine(label, achieved, "", ind.id))
        return out
