"""Referrals followed (Networks > Referrals): every referral to a service with the programme
and activity it came from and its follow-up, and this year's count by programme, destination
and status (the justification report's figures)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.figures import ReferralRow
from app.domain.networks import REFERRAL_STATUSES, ReferralDTO
from app.i18n import _, format_date
from app.services.container import Services
from ui.dialogs.referral_dialog import REACHED, ReferralDialog
from ui.events import DataBus
from ui.models.dto_table import Column, DtoTableModel
from ui.prompts import Prompts
from ui.widgets.community_bits import table


def _reached(r: ReferralDTO) -> str:
    return _(REACHED[r.reached])


class ReferralsPanel(QWidget):
    def __init__(
        self,
        services: Services,
        bus: DataBus,
        prompts: Prompts,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__()
        self.services, self.bus, self.prompts, self.today = services, bus, prompts, today
        self.dialog: ReferralDialog | None = None
        self.model: DtoTableModel[ReferralDTO] = DtoTableModel(
            [
                Column(
                    lambda: _("Date"), lambda r: format_date(r.date, fmt="short"), lambda r: r.date
                ),
                Column(lambda: _("Person"), lambda r: r.participant_name),
                Column(lambda: _("Programme"), lambda r: r.programme_code),
                Column(lambda: _("Activity"), lambda r: r.activity_name),
                Column(lambda: _("Referred to"), lambda r: r.to_name),
                Column(lambda: _("Status"), lambda r: _(REFERRAL_STATUSES.get(r.status, ""))),
                Column(lambda: _("Reached the service"), _reached),
                Column(
                    lambda: _("Followed up on"),
                    lambda r: (
                        format_date(r.followed_up_on, fmt="short") if r.followed_up_on else ""
                    ),
                    lambda r: r.followed_up_on or dt.date.min,
                ),
            ]
        )
        self.table = table(self.model, stretch=4)
        self.table.doubleClicked.connect(lambda _i: self.follow_up())
        self.table.activated.connect(lambda _i: self.follow_up())
        self.follow_button = QPushButton()
        self.follow_button.clicked.connect(self.follow_up)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.hint)
        top_layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.follow_button)
        row.addStretch(1)
        top_layout.addLayout(row)

        self.counts: DtoTableModel[ReferralRow] = DtoTableModel(
            [
                Column(
                    lambda: _("Referring programme"),
                    lambda r: r.programme_code or _("No programme"),
                ),
                Column(lambda: _("Destination service"), lambda r: r.destination),
                Column(lambda: _("Status"), lambda r: _(REFERRAL_STATUSES.get(r.status, ""))),
                Column(lambda: _("Referrals"), lambda r: str(r.referrals), lambda r: r.referrals),
                Column(
                    lambda: _("Reached the service"), lambda r: str(r.reached), lambda r: r.reached
                ),
            ]
        )
        self.counts_table = table(self.counts, stretch=1)
        self.counts_box = QGroupBox()
        QVBoxLayout(self.counts_box).addWidget(self.counts_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.counts_box)
        splitter.setSizes([420, 220])
        QVBoxLayout(self).addWidget(splitter)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.hint.setText(
            _(
                "Referrals to services of the territory, recorded on each person's page. Open "
                "one to say where it came from and whether the person reached the service."
            )
        )
        self.follow_button.setText(_("Follow up…"))
        self.counts_box.setTitle(
            _("This year, by programme, destination and status ({year})").format(
                year=self.today().year
            )
        )
        self.model.retranslate()
        self.counts.retranslate()

    def refresh(self) -> None:
        self.model.set_rows(self.services.referrals.followed())
        year = self.today().year
        figures = self.services.figures.compute(None, dt.date(year, 1, 1), dt.date(year, 12, 31))
        self.counts.set_rows(list(figures.referral_rows))
        self.follow_button.setEnabled(bool(self.model.rowCount()))

    def follow_up(self) -> None:
        index = self.table.currentIndex()
        referral = self.model.row_at(index.row()) if index.isValid() else None
        if referral is None:
            return
        self.dialog = ReferralDialog(self.services, self.bus, self.prompts, referral, self)
        self.dialog.accepted.connect(self.refresh)
        self.dialog.open()
