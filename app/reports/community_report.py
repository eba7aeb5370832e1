"""The justification report's community sections (optional): groups accompanied and community
mediation, and the needs detected with what was done about them. The PDF pages take the
report's builder; the spreadsheet sheets its book. Figures come from ReportData.community,
defined once in services/community_figures.py."""

from __future__ import annotations

from typing import Any

from app.domain.community import CASE_OUTCOMES, GROUP_STAGES, NEED_RESPONSES
from app.domain.report import ReportData
from app.i18n import N_


def _date(b: Any, day: Any) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def community_pages(b: Any) -> None:
    """Groups accompanied by stage, and mediation cases opened and closed by outcome."""
    c, _ = b.data.community, b._
    b.heading(_("Groups accompanied and community mediation"))
    if c is None:
        return
    b.heading(_("Groups and associations accompanied"), 2)
    rows = [
        [b.p(_(GROUP_STAGES[k]), b.cell), b.num(c.groups_by_stage.get(k, 0))] for k in GROUP_STAGES
    ]
    rows.append(
        [b.p(_("Became autonomous in the period"), b.cell), b.num(c.groups_autonomous_in_period)]
    )
    rows.append([b.p(_("Meetings of the groups held"), b.cell), b.num(c.group_meetings)])
    b.table(
        [_("Stage at the end of the period"), _("Groups")],
        rows,
        [130, 44],
        total=[_("Groups accompanied"), b.num(c.groups_accompanied)],
    )
    b.heading(_("Community mediation"), 2)
    rows = [[b.p(_("Cases opened in the period"), b.cell), b.num(c.cases_opened)]]
    rows += [
        [
            b.p(_("Closed: {outcome}").format(outcome=_(label)), b.cell),
            b.num(c.cases_closed_by_outcome.get(k, 0)),
        ]
        for k, label in CASE_OUTCOMES.items()
    ]
    b.table(
        [_("Cases"), _("Number")],
        rows,
        [130, 44],
        total=[_("Cases closed in the period"), b.num(c.cases_closed)],
    )
    f = b.data.figures
    b.heading(_("Referrals followed"), 2)
    b.table(
        [_("Referrals"), _("Number")],
        [
            [b.p(_("Referrals to services of the territory"), b.cell), b.num(f.referrals)],
            [
                b.p(_("Reached the service (follow-up)"), b.cell),
                b.num(sum(r.reached for r in f.referral_rows)),
            ],
        ],
        [130, 44],
    )


def needs_pages(b: Any) -> None:
    """Each need detected in the period: what, where, raised by, what was done."""
    d, _ = b.data, b._
    b.heading(_("Needs detected and responses"))
    if not d.needs:
        b.story.append(b.p(_("No needs were recorded in the period.")))
        return
    rows = [
        [
            b.p(_date(b, n.detected_on), b.cell),
            b.p(n.title + (f"\n{n.place}" if n.place else ""), b.cell),
            b.p(n.raised_by, b.cell),
            b.p(
                _(NEED_RESPONSES.get(n.response, n.response))
                + (f" ({_date(b, n.response_date)})" if n.response_date else "")
                + (f"\n{n.answered_by}" if n.answered_by else "")
                + (f"\n{n.response_notes}" if n.response_notes else ""),
                b.cell,
            ),
        ]
        for n in d.needs
    ]
    answered = sum(1 for n in d.needs if n.response != "none")
    b.table(
        [_("Detected"), _("Need or challenge"), _("Raised by"), _("What was done")],
        rows,
        [24, 50, 42, 58],
        numeric_from=4,
        total=[_("Total"), b.num(len(d.needs)), _("Answered"), b.num(answered)],
    )


def community_sheets(b: Any, data: ReportData) -> None:
    """The spreadsheet's sheets of the sections asked for."""
    _ = b._
    req, c = data.request, data.community
    if req.wants("community") and c is not None:
        rows: list[list[Any]] = [
            [_("Groups"), _(GROUP_STAGES[k]), c.groups_by_stage.get(k, 0)] for k in GROUP_STAGES
        ]
        rows.append(
            [_("Groups"), _("Became autonomous in the period"), c.groups_autonomous_in_period]
        )
        rows.append([_("Groups"), _("Meetings of the groups held"), c.group_meetings])
        rows.append([_("Groups"), _("Groups accompanied"), c.groups_accompanied])
        rows.append([_("Mediation"), _("Cases opened in the period"), c.cases_opened])
        rows += [
            [
                _("Mediation"),
                _("Closed: {outcome}").format(outcome=_(label)),
                c.cases_closed_by_outcome.get(k, 0),
            ]
            for k, label in CASE_OUTCOMES.items()
        ]
        rows.append([_("Mediation"), _("Cases closed in the period"), c.cases_closed])
        f = data.figures
        rows.append([_("Referrals"), _("Referrals to services of the territory"), f.referrals])
        rows.append(
            [
                _("Referrals"),
                _("Reached the service (follow-up)"),
                sum(r.reached for r in f.referral_rows),
            ]
        )
        b.sheet(N_("Community work"), [_("Area"), _("Figure"), _("Number")], rows, [16, 50, 12])
    if req.wants("needs"):
        rows = [
            [
                n.detected_on,
                n.title,
                n.place,
                n.raised_by,
                _(NEED_RESPONSES.get(n.response, n.response)),
                n.response_date,
                n.answered_by,
                n.response_notes,
            ]
            for n in data.needs
        ]
        ws = b.sheet(
            N_("Needs detected"),
            [
                _("Detected"),
                _("Need or challenge"),
                _("Where"),
                _("Raised by"),
                _("What was done"),
                _("Date of the response"),
                _("Responded with"),
                _("Notes"),
            ],
            rows,
            [12, 40, 20, 30, 24, 14, 36, 40],
        )
        for row in ws.iter_rows(min_row=2, max_row=len(rows) + 1):
            row[0].number_format = row[5].number_format = "DD/MM/YYYY"
