"""Generate a series of sessions: chosen weekdays between two dates, skipping the region's public
holidays and any excluded date, with a preview before saving. When the sessions have minors, the
activity's facilitators without a valid certificate of the sexual-offences register are named
(as the session form does; the person scheduling decides)."""

from __future__ import annotations

import datetime as dt

from babel.dates import get_day_names
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.sessions import SeriesRequest
from app.errors import UserError, ValidationError
from app.i18n import LOCALES, _, current_language, format_date
from app.services.container import Services
from ui.dialogs.session_dialog import fill_activities
from ui.events import DataBus
from ui.prompts import Prompts
from ui.safeguarding import certificate_label, show_uncertified_series
from ui.widgets.form_fields import DateField, FieldErrors, TimeField, shrinkable
from ui.workers import run_op


class SeriesDialog(QDialog):
    def __init__(
        self,
        services: Services,
        prompts: Prompts,
        activity_id: str | None = None,
        parent: QWidget | None = None,
        *,
        bus: DataBus | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.prompts, self.bus = services, prompts, bus
        self.created: list[str] = []
        self.excluded: set[dt.date] = set()
        #: Mistakes are shown once the user has changed something or pressed Save, not on a
        #: form just opened.
        self._ready = self._touched = False
        self.errors = FieldErrors()
        self.activity = shrinkable(QComboBox(), 16)
        fill_activities(self.activity, services.programmes.activities(), None)
        if activity_id:
            self.activity.setCurrentIndex(max(self.activity.findData(activity_id), 0))
        today = dt.date.today()
        self.date_from = DateField(optional=False)
        self.date_to = DateField(optional=False)
        self.date_from.set_value(today)
        self.date_to.set_value(today + dt.timedelta(days=27))
        self.days = [QCheckBox() for _i in range(7)]
        days_row = QHBoxLayout()
        for box in self.days:
            days_row.addWidget(box)
            box.toggled.connect(self._edited)
        days_widget = QWidget()
        days_widget.setLayout(days_row)
        self.start_time, self.end_time = TimeField(), TimeField()
        self.skip_holidays = QCheckBox()
        self.skip_holidays.setChecked(True)
        self.preview = QListWidget()
        self.summary = QLabel()
        self.certificate_warning = certificate_label()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self._labels = [QLabel() for _i in range(5)]
        times = QHBoxLayout()
        times.addWidget(self.start_time)
        times.addWidget(self.errors.wrap("end_time", self.end_time))
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(self.errors.wrap("date_to", self.date_to))
        form = QFormLayout()
        for label, widget in zip(
            self._labels,
            (
                self.activity,
                dates,
                self.errors.wrap("weekdays", days_widget),
                times,
                self.skip_holidays,
            ),
            strict=True,
        ):
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.certificate_warning)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.preview.itemActivated.connect(self._toggle_exclusion)
        self.activity.currentIndexChanged.connect(self._activity_defaults)
        for w in (self.date_from, self.date_to):
            w.dateChanged.connect(self._edited)
        for t in (self.start_time, self.end_time):
            t.timeChanged.connect(self._edited)
        self.skip_holidays.toggled.connect(self._edited)
        self._activity_defaults()
        self.retranslate_ui()
        self._ready = True
        self.resize(520, 560)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("New series of sessions"))
        for label, text in zip(
            self._labels,
            (_("Activity"), _("From and to"), _("Days of the week"), _("Start and end time"), ""),
            strict=True,
        ):
            label.setText(text)
        names = get_day_names("abbreviated", locale=LOCALES[current_language()])
        for i, box in enumerate(self.days):
            box.setText(names[i])
        self.skip_holidays.setText(_("Skip the public holidays of the entity's region"))
        self.hint.setText(
            _("Preview: double-click or press Enter on a date to exclude it or bring it back.")
        )
        self.update_preview()

    def _activity_defaults(self) -> None:
        activity_id = self.activity.currentData()
        if not activity_id:
            return
        a = self.services.programmes.activity(activity_id)
        self.start_time.set_value(a.start_time)
        self.end_time.set_value(a.end_time)
        self.update_preview()

    def request(self) -> SeriesRequest:
        return SeriesRequest(
            activity_id=self.activity.currentData() or "",
            date_from=self.date_from.value() or dt.date.today(),
            date_to=self.date_to.value() or dt.date.today(),
            weekdays=frozenset(i for i, box in enumerate(self.days) if box.isChecked()),
            start_time=self.start_time.value(),
            end_time=self.end_time.value(),
            excluded=frozenset(self.excluded),
            skip_holidays=self.skip_holidays.isChecked(),
        )

    def _edited(self) -> None:
        self._touched = self._touched or self._ready
        self.update_preview()

    def update_preview(self) -> None:
        if not hasattr(self, "summary"):
            return
        self.preview.clear()
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        try:
            planned = self.services.sessions.preview_series(self.request())
        except ValidationError as exc:
            if self._touched:
                self.errors.show(exc.errors)
            else:
                self.errors.clear()
            self.summary.setText("")
            self.certificate_warning.hide()
            save.setEnabled(not self._touched)  # Save on a new form says what is missing
            return
        self.errors.clear()
        for p in planned:
            text = format_date(p.date, fmt="full")
            if p.skipped:
                text = _("{date} — skipped: {reason}").format(date=text, reason=p.skipped)
            item = QListWidgetItem(text, self.preview)
            item.setData(Qt.ItemDataRole.UserRole, p.date.isoformat())
            if p.skipped:
                item.setForeground(QBrush(QColor("#9a3b00")))
        count = sum(1 for p in planned if not p.skipped)
        show_uncertified_series(
            self.certificate_warning,
            self.services,
            self.activity.currentData(),
            [p.date for p in planned if not p.skipped],
        )
        self.summary.setText(
            _("Sessions to create: {count}. Dates skipped: {skipped}.").format(
                count=count, skipped=len(planned) - count
            )
        )
        save.setEnabled(count > 0)

    def _toggle_exclusion(self, item: QListWidgetItem) -> None:
        day = dt.date.fromisoformat(item.data(Qt.ItemDataRole.UserRole))
        self.excluded.symmetric_difference_update({day})
        row = self.preview.row(item)
        self.update_preview()
        self.preview.setCurrentRow(row)

    def save(self) -> None:
        self._touched = True
        request = self.request()

        def created(ids: list[str]) -> None:
            self.created = ids
            self.accept()

        def failed(exc: UserError) -> None:
            self.update_preview()  # the mistakes beside their fields
            self.prompts.error(self, _("New series of sessions"), exc.message)

        run_op(
            self,
            lambda: self.services.sessions.create_series(request),
            bus=self.bus,
            prompts=self.prompts,
            title=_("New series of sessions"),
            on_success=created,
            on_failure=failed,
        )
