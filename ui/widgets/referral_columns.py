"""The columns of a referrals table: a person's referrals (ui/dialogs/referral_dialog.py) and
those of an organisation (ui/widgets/organisations_directory.py)."""

from __future__ import annotations

from app.domain.networks import REFERRAL_STATUSES, ReferralDTO
from app.i18n import _, format_date
from ui.models.dto_table import Column


def referral_columns(with_person: bool) -> list[Column[ReferralDTO]]:
    columns: list[Column[ReferralDTO]] = [
        Column(lambda: _("Date"), lambda r: format_date(r.date, fmt="short"), lambda r: r.date),
    ]
    if with_person:
        columns.append(Column(lambda: _("Person"), lambda r: r.participant_name))
    columns += [
        Column(lambda: _("Referred from"), lambda r: r.from_name),
        Column(lambda: _("Referred to"), lambda r: r.to_name),
        Column(lambda: _("Reason"), lambda r: r.reason),
        Column(lambda: _("Status"), lambda r: _(REFERRAL_STATUSES.get(r.status, r.status))),
    ]
    return columns
