"""Table models of the people page: the list, consents, enrolments and attendance history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt

from app.domain.people import (
    CONSENT_LABELS,
    SIGNED_BY_LABELS,
    AttendanceRecord,
    ConsentDTO,
    EnrolmentDTO,
    PersonHit,
    mask_document,
)
from app.domain.sessions import ATTENDANCE_LABELS
from app.i18n import _
from ui.models.programmes import short_date
from ui.models.rows import RowsModel


class PeopleModel(RowsModel[PersonHit]):
    COL_NAME, COL_DOCUMENT, COL_PHONE, COL_BIRTH = range(4)

    def headers(self) -> Sequence[str]:
        return [_("Name"), _("ID document"), _("Phone"), _("Birth date")]

    def text(self, row: PersonHit, column: int) -> str:
        if column == self.COL_NAME:
            return row.name
        if column == self.COL_DOCUMENT:
            return mask_document(row.document)
        if column == self.COL_PHONE:
            return row.phone
        return short_date(row.birth_date)

    def sort_key(self, row: PersonHit, column: int) -> Any:
        if column == self.COL_NAME and any(row.sort):
            return "\x01".join(row.sort)  # a string: Qt compares it; \x01 sorts first
        if column == self.COL_BIRTH:
            return row.birth_date.isoformat() if row.birth_date else ""
        return super().sort_key(row, column)


class ConsentsModel(RowsModel[ConsentDTO]):
    COL_KIND, COL_GRANTED, COL_DATE, COL_SIGNED_BY = range(4)

    def headers(self) -> Sequence[str]:
        return [_("Consent"), _("Granted"), _("Date"), _("Signed by")]

    def text(self, row: ConsentDTO, column: int) -> str:
        if column == self.COL_KIND:
            return _(CONSENT_LABELS.get(row.kind, row.kind))
        if column == self.COL_GRANTED:
            if row.revoked_at:
                return _("Revoked on {date}").format(date=short_date(row.revoked_at))
            return _("Yes") if row.granted else _("No")
        if column == self.COL_DATE:
            return short_date(row.date)
        return _(SIGNED_BY_LABELS.get(row.signed_by, row.signed_by))


class EnrolmentsModel(RowsModel[EnrolmentDTO]):
    COL_ACTIVITY, COL_START, COL_END = range(3)

    def headers(self) -> Sequence[str]:
        return [_("Activity"), _("Enrolment"), _("Leaving")]

    def text(self, row: EnrolmentDTO, column: int) -> str:
        if column == self.COL_ACTIVITY:
            return row.activity_name
        return short_date(row.start if column == self.COL_START else row.end)

    def extra(self, row: EnrolmentDTO, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_ACTIVITY:
            return row.activity_name  # whole, where the column elides it
        return None


class HistoryModel(RowsModel[AttendanceRecord]):
    COL_DATE, COL_ACTIVITY, COL_STATUS = range(3)

    def headers(self) -> Sequence[str]:
        return [_("Date"), _("Activity"), _("Attendance")]

    def text(self, row: AttendanceRecord, column: int) -> str:
        if column == self.COL_DATE:
            return short_date(row.date)
        if column == self.COL_ACTIVITY:
            return row.activity_name
        return _(ATTENDANCE_LABELS.get(row.status, row.status))

    def sort_key(self, row: AttendanceRecord, column: int) -> Any:
        return row.date.isoformat() if column == self.COL_DATE else super().sort_key(row, column)

    def extra(self, row: AttendanceRecord, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_ACTIVITY:
            return row.activity_name
        return None
