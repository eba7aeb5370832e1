"""The justification report's section on volunteers (counted apart from participants) and
coproduced activities (shared with other programmes, organised with partners)."""

from __future__ import annotations

from app.reports.report_flow import ReportFlow
from app.reports.report_labels import month_label


def volunteer_pages(flow: ReportFlow) -> None:
    """Append the section to ``flow.story``: volunteers and their hours by month and programme,
    then the coproduced activities (each part only when it has something to show)."""
    d, _ = flow.data, flow._
    vol = d.volunteers
    if (vol is None or (not vol.volunteers and not vol.hours)) and not d.coproduced:
        return
    flow.heading(_("Volunteers and coproduction"))
    if vol is not None and (vol.volunteers or vol.hours):
        flow.heading(_("Volunteers"), 2)
        flow.table(
            [_("Volunteering"), _("Number")],
            [
                [flow.p(_("Volunteers in the period"), flow.cell), flow.num(vol.volunteers)],
                [flow.p(_("Volunteer hours"), flow.cell), flow.num(vol.hours, 2)],
            ],
            [130, 44],
        )
        flow.story.append(
            flow.p(
                _(
                    "Volunteers are counted apart: a volunteer's presence at the activities they "
                    "help in counts as volunteer hours, not as participation."
                ),
                flow.small,
            )
        )
        codes = sorted(vol.hours_by_programme)
        months = sorted(vol.hours_by_month)
        if months:
            flow.heading(_("Volunteer hours by month and programme"), 2)
            several = len(codes) > 1
            header = [_("Month"), *(codes if several else []), _("Hours")]
            rows = []
            for key in months:
                year, month = int(key[:4]), int(key[5:7])
                cells = [flow.p(month_label(flow.t, year, month), flow.cell)]
                if several:
                    cells += [
                        flow.num(vol.hours_by_programme_month.get((c, key), 0.0), 2) for c in codes
                    ]
                rows.append([*cells, flow.num(vol.hours_by_month[key], 2)])
            total = [_("Total")]
            if several:
                total += [flow.num(vol.hours_by_programme[c], 2) for c in codes]
            total.append(flow.num(vol.hours, 2))
            rest = 174 - 44
            widths = [44, *([rest / (len(codes) + 1)] * len(codes) if several else []), 0.0]
            widths[-1] = rest / (len(codes) + 1) if several else rest
            flow.table(header, rows, widths, total=total)
            if several:
                flow.story.append(
                    flow.p(
                        _(
                            "Hours given at an activity shared by several programmes count "
                            "in each of them, and once in the total."
                        ),
                        flow.small,
                    )
                )
        if vol.volunteers_by_programme and len(vol.volunteers_by_programme) > 1:
            flow.table(
                [_("Programme"), _("Volunteers")],
                [
                    [flow.p(code, flow.cell), flow.num(n)]
                    for code, n in vol.volunteers_by_programme.items()
                ],
                [130, 44],
            )
    if d.coproduced:
        flow.heading(_("Coproduced activities"), 2)
        flow.table(
            [_("Activity"), _("Programmes"), _("Partner organisations")],
            [
                [
                    flow.p(r.name, flow.cell),
                    flow.p(", ".join(r.programme_codes), flow.cell),
                    flow.p(", ".join(r.partners) or "—", flow.cell),
                ]
                for r in d.coproduced
            ],
            [70, 34, 70],
            numeric_from=3,
        )
        flow.story.append(
            flow.p(
                _(
                    "An activity shared by several programmes counts once in each of them and "
                    "once in the entity's total."
                ),
                flow.small,
            )
        )
