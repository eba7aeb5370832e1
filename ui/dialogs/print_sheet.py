"""Printing attendance sheets from the daily-work pages: a session's sheet, or an activity's
register grid for the current month (the sheet dialog itself belongs to the sheets area)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QWidget

from app.services.container import Services
from ui.prompts import Prompts


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    return start, (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def open_sheet_dialog(
    parent: QWidget,
    services: Services,
    prompts: Prompts,
    *,
    session_id: str | None = None,
    activity_id: str | None = None,
) -> QDialog:
    from ui.dialogs import sheet_dialog

    if session_id is not None:
        dialog = sheet_dialog.for_session(services.sheets, session_id, prompts, parent)
    else:
        start, end = month_of(dt.date.today())
        dialog = sheet_dialog.for_activity(
            services.sheets, activity_id or "", start, end, prompts, parent
        )
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
