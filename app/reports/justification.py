"""The justification report (memòria d'actuació) as a PDF: a pure builder from ``ReportData``.

ReportLab is imported inside the functions so opening the window never pays for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO

from app.domain.figures import FIGURES
from app.domain.networks import REFERRAL_STATUSES
from app.domain.report import (
    EVIDENCE_LABELS,
    NARRATIVE_KINDS,
    NARRATIVE_LABELS,
    NOT_RECORDED,
    CancelCheck,
    Progress,
    ReportCancelled,
    ReportData,
)
from app.i18n import N_, format_date, format_time, is_catalan, translator
from app.reports import layout, report_page
from app.reports.community_report import community_pages, needs_pages
from app.reports.economic_pdf import economic_pages
from app.reports.report_flow import ReportFlow
from app.reports.report_labels import (
    activity_kind_label,
    band_label,
    month_label,
    nationality_label,
    period_label,
    programmes_label,
)
from app.reports.report_volunteers import volunteer_pages
from app.reports.text import catalan_dates

TITLE = N_("Justification report")
#: The annex: type size, one line's row height and each further line's.
ANNEX_SIZE, ANNEX_ROW, ANNEX_LEADING = 7.5, 13.0, 9.0
PRODUCED_ON = N_("Report produced on {date}.")


class _Builder(ReportFlow):
    """The sections of the report, in order; each appends its flowables to ``story``."""

    def cover(self) -> None:
        from reportlab.lib.units import mm
        from reportlab.platypus import PageBreak, Spacer

        d, _ = self.data, self._
        # The header of every page already names the entity and the footer the funders with
        # their support text: the cover does not repeat them.
        self.story.append(Spacer(1, 40 * mm))
        big = self.h1.clone("cover", fontSize=24, leading=30, spaceAfter=14)
        self.story.append(self.p(_(TITLE), big))
        self.story.append(self.p(programmes_label(self.t, d), self.h2))
        self.story.append(self.p(period_label(self.t, d.request.date_from, d.request.date_to)))
        self.story.append(Spacer(1, 20 * mm))
        self.story.append(
            self.p(
                # Each language's sentence with its own date, not both dates in each sentence.
                " / ".join(
                    _sentence_dated(lang, PRODUCED_ON, d.generated_on) for lang in self.t.languages
                ),
                self.small,
            )
        )
        self.story.append(PageBreak())

    def programme(self) -> None:
        d, _ = self.data, self._
        self.heading(_("Entity and programme"))
        if d.entity:
            rows = [
                [_("Entity"), d.entity.name],
                [_("Tax ID (NIF)"), d.entity.tax_id],
                [_("Address"), d.entity.address],
            ]
            self.kv(rows)
        for p in d.programmes:
            self.heading(f"{p.code} · {p.name}", 2)
            cat = " / ".join(
                dict.fromkeys(p.category_label.get(lang, p.category) for lang in self.t.languages)
            )
            rows = [[_("Category"), cat]]
            if p.start or p.end:
                dates = " – ".join(self.t.date(x, "short") for x in (p.start, p.end) if x)
                rows.append([_("Programme dates"), dates])
            if p.responsible:
                rows.append([_("Responsible person"), p.responsible])
            if p.funders:
                rows.append([_("Funders"), ", ".join(f.name for f in p.funders)])
            if p.description:
                rows.append([_("Description"), p.description])
            self.kv(rows)
            if p.objectives:
                self.story.append(self.p(_("Objectives"), self.h2))
                for o in p.objectives:
                    self.story.append(self.p("• " + o))

    def indicators(self) -> None:
        d, f, _ = self.data, self.data.figures, self._
        self.heading(_("Results obtained"))
        # The report's totals: never hidden (small numbers hide the cells of a breakdown).
        rows = [
            [self.p(_(fig.label), self.cell), self.num(fig.value(f), fig.decimals)]
            for fig in FIGURES
        ]
        self.table([_("Figure"), _("Value")], rows, [120, 54])
        self.people_reached()
        self.referrals()
        if not f.indicators:
            return
        self.heading(_("Indicators: planned and achieved"), 2)
        codes = {p.id: p.code for p in d.programmes}
        several = len(d.programmes) > 1
        rows = []
        for ind in f.indicators:
            name = f"{codes.get(ind.programme_id, '')} · {ind.name}" if several else ind.name
            dev = pct = ""
            if ind.target is not None and ind.achieved is not None:
                delta = ind.achieved - ind.target
                # Signed both ways ("+4", "-7"); the embedded face has no U+2212 minus.
                dev = ("+" if delta > 0 else "") + self.num(delta, 2)
                if ind.target:
                    pct = self.num(100 * ind.achieved / ind.target, 1) + " %"
            rows.append(
                [
                    self.p(name, self.cell),
                    "" if ind.target is None else self.num(ind.target, 2),
                    "" if ind.achieved is None else self.num(ind.achieved, 2),
                    dev,
                    pct,
                ]
            )
        self.table(
            [
                _("Indicator"),
                _("Planned value"),
                _("Achieved value"),
                _("Deviation"),
                _("Achieved %"),
            ],
            rows,
            [70, 26, 26, 26, 26],
        )
        self.story.append(
            self.p(
                _(
                    "Planned values are the programme's targets pro-rated to the days of the "
                    "period inside the programme's dates."
                )
                if d.request.prorate_targets
                else _("Planned values are the targets for the programme's whole period."),
                self.small,
            )
        )

    def people_reached(self) -> None:
        f, _ = self.data.figures, self._
        self.heading(_("People reached"), 2)
        rows = [
            [
                self.p(_("Named participants (people counted once)"), self.cell),
                self.num(f.participants),
            ],
            [
                self.p(
                    _("People reached at open events, new this year (staff's estimate)"), self.cell
                ),
                self.num(f.people_reached_estimate),
            ],
            [
                self.p(_("Open events (sessions with head counts)"), self.cell),
                self.num(f.open_events),
            ],
            [
                self.p(_("Open events with an estimate of new people"), self.cell),
                self.num(f.open_events_estimated),
            ],
        ]
        self.table([_("People reached"), _("Number")], rows, [130, 44])
        self.story.append(
            self.p(
                _(
                    "Head counts at open events are attendances, not people: the people reached "
                    "there are the estimate the staff recorded for each event, reported apart "
                    "from the named participants."
                ),
                self.small,
            )
        )
        self.beneficiaries()

    def beneficiaries(self) -> None:
        """Direct and indirect beneficiaries, when a programme recorded the indirect ones (the
        funder asks): never added together."""
        d, _ = self.data, self._
        indirect = d.indirect_beneficiaries
        if not indirect:
            return
        self.heading(_("Direct and indirect beneficiaries"), 2)
        rows = [
            [
                self.p(
                    _("Direct beneficiaries: named participants and new people at open events"),
                    self.cell,
                ),
                self.num(d.direct_beneficiaries),
            ]
        ]
        several = len(indirect) > 1
        for code, value in indirect.items():
            label = _("Indirect beneficiaries (the entity's estimate)")
            rows.append(
                [self.p(f"{label} · {code}" if several else label, self.cell), self.num(value)]
            )
        if several:
            rows.append(
                [
                    self.p(_("Indirect beneficiaries, total (the entity's estimate)"), self.cell),
                    self.num(sum(indirect.values())),
                ]
            )
        self.table([_("Beneficiaries"), _("Number")], rows, [130, 44])
        self.story.append(
            self.p(
                _(
                    "Indirect beneficiaries (the participants' families, people reached "
                    "through them) are the entity's estimate, reported apart and not added to "
                    "the direct ones."
                ),
                self.small,
            )
        )

    def referrals(self) -> None:
        d, f, _ = self.data, self.data.figures, self._
        self.heading(_("Referrals to services of the territory"), 2)
        if not f.referral_rows:
            self.story.append(self.p(_("No referrals in the period."), self.small))
            return
        rows = [
            [
                self.p(r.programme_code or _("No programme"), self.cell),
                self.p(r.destination, self.cell),
                self.p(_(REFERRAL_STATUSES.get(r.status, r.status)), self.cell),
                self.people(r.referrals),
            ]
            for r in f.referral_rows
        ]
        total = [_("Total"), "", "", self.num(f.referrals)]
        self.table(
            [_("Referring programme"), _("Destination service"), _("Status"), _("Referrals")],
            rows,
            [34, 70, 42, 28],
            numeric_from=3,
            total=total,
        )
        if len(d.programmes) > 1:
            self.story.append(
                self.p(
                    _(
                        "A person who took part in several programmes counts under each, and "
                        "once in the total."
                    ),
                    self.small,
                )
            )

    def categories(self) -> None:
        d, f, _ = self.data, self.data.figures, self._
        if not d.by_category:
            return
        self.heading(_("Summary per category (prestació)"))
        rows = [
            [
                self.p(
                    " / ".join(
                        dict.fromkeys(c.label.get(lang, c.category) for lang in self.t.languages)
                    ),
                    self.cell,
                ),
                self.p(", ".join(c.programmes), self.cell),
                self.num(c.sessions),
                self.num(c.hours, 2),
                self.people(c.participants),
                self.num(c.attendances),
                self.people(c.people_reached_estimate),
            ]
            for c in d.by_category
        ]
        total = [
            _("Total"),
            "",
            self.num(f.sessions),
            self.num(f.hours, 2),
            self.num(f.participants),
            self.num(f.attendances),
            self.num(f.people_reached_estimate),
        ]
        self.table(
            [
                _("Category (prestació)"),
                _("Programmes"),
                _("Sessions"),
                _("Hours"),
                _("Participants"),
                _("Attendances"),
                _("Reached at open events"),
            ],
            rows,
            [38, 24, 17, 15, 24, 24, 32],
            numeric_from=2,
            total=total,
        )
        self.story.append(
            self.p(
                _("A person who took part in several categories counts once in the total."),
                self.small,
            )
        )

    def activities(self) -> None:
        d, f, _ = self.data, self.data.figures, self._
        self.heading(_("Activities"))
        if not d.activities:
            self.story.append(self.p(_("No sessions held in the period.")))
            return
        several = len(d.programmes) > 1
        rows = []
        for a in d.activities:
            name = f"{a.programme_code} · {a.name}" if several else a.name
            rows.append(
                [
                    self.p(name, self.cell),
                    self.p(activity_kind_label(self.t, a.kind), self.cell),
                    self.num(a.sessions),
                    self.num(a.hours, 2),
                    self.people(a.participants),
                    self.num(a.attendances),
                ]
            )
        total = [
            _("Total"),
            "",
            self.num(f.sessions),
            self.num(f.hours, 2),
            self.num(f.participants),
            self.num(f.attendances),
        ]
        self.table(
            [
                _("Activity"),
                _("Kind"),
                _("Sessions"),
                _("Hours"),
                _("Participants"),
                _("Attendances"),
            ],
            rows,
            [50, 32, 18, 16, 29, 29],
            numeric_from=2,
            total=total,
        )
        self.story.append(
            self.p(
                _("A person who took part in several activities counts once in the total."),
                self.small,
            )
        )
        self.sessions_planned()
        self.activity_gender()

    def sessions_planned(self) -> None:
        d, _ = self.data, self._
        self.heading(_("Sessions planned, held and cancelled"), 2)
        several = len(d.programmes) > 1
        rows = [
            [
                self.p(f"{r.programme_code} · {r.activity}" if several else r.activity, self.cell),
                self.num(r.planned),
                self.num(r.held),
                self.num(r.cancelled),
                self.num(r.pending),
            ]
            for r in d.session_status
        ]
        total = [
            _("Total"),
            *(
                self.num(sum(getattr(r, k) for r in d.session_status))
                for k in ("planned", "held", "cancelled", "pending")
            ),
        ]
        self.table(
            [
                _("Activity as planned"),
                _("Planned sessions"),
                _("Held sessions"),
                _("Cancelled sessions"),
                _("Without a record"),
            ],
            rows,
            [78, 24, 24, 24, 24],
            total=total,
        )
        reasons = [(r, day, text) for r in d.session_status for day, text in r.reasons]
        if reasons:
            self.story.append(self.p(_("Cancelled sessions and their reasons"), self.small))
            for r, day, text in reasons:
                name = f"{r.programme_code} · {r.activity}" if several else r.activity
                self.story.append(
                    self.p(
                        f"• {self.t.date(day, 'short').split(' / ')[0]} · {name}: "
                        + (text or _("no reason recorded")),
                        self.small,
                    )
                )

    def activity_gender(self) -> None:
        d, f, _ = self.data, self.data.figures, self._
        if not d.activities:
            return
        self.heading(_("Participants per activity by gender"), 2)
        codes = d.gender_columns()
        several = len(d.programmes) > 1
        rows = []
        for a in d.activities:
            split = d.gender_split(a.by_gender)
            rows.append(
                [
                    self.p(f"{a.programme_code} · {a.name}" if several else a.name, self.cell),
                    *(self.people(split[c].participants) for c in codes),
                    self.people(a.participants),
                ]
            )
        whole = d.gender_split(f.by_gender)
        total = [
            _("Total"),
            *(self.people(whole[c].participants) for c in codes),
            self.num(f.participants),
        ]
        label_width = 174 - 18 * (len(codes) + 1)
        self.table(
            [_("Participants per activity"), *self.gender_heads(), _("Total")],
            rows,
            [label_width, *([18] * (len(codes) + 1))],
            total=total,
        )
        self.gender_footnote()

    def gender_heads(self) -> list[str]:
        d, _ = self.data, self._
        return [
            _(d.gender_label(c)) + ("*" if d.request.fold_gender and c == "other" else "")
            for c in d.gender_columns()
        ]

    def gender_footnote(self) -> None:
        """Folded to woman / man: the third column's codes are named, never dropped."""
        d, _ = self.data, self._
        if not d.request.fold_gender:
            return
        from app.domain.figures import GENDER_LABELS

        names = ", ".join(
            _(GENDER_LABELS[c]).lower() for c in ("nonbinary", "other", "undisclosed")
        )
        self.story.append(self.p("* " + _("Other: {codes}.").format(codes=names), self.small))

    def breakdown(self, title: str, head: str, rows: list[tuple[str, Any]]) -> None:
        f, _ = self.data.figures, self._
        self.heading(title, 2)
        if not rows:
            self.story.append(self.p(_("None."), self.small))
            return
        body = []
        for label, b in rows:
            share = (
                self.num(100 * b.participants / f.participants, 1) + " %"
                if f.participants and not self.data.small(b.participants)
                else ""
            )
            body.append(
                [
                    self.p(label, self.cell),
                    self.people(b.participants),
                    share,
                    self.num(b.attendances),
                ]
            )
        total = [
            _("Total"),
            self.num(sum(b.participants for _l, b in rows)),
            "",
            self.num(sum(b.attendances for _l, b in rows)),
        ]
        self.table(
            [head, _("Participants"), "%", _("Attendances")], body, [84, 30, 30, 30], total=total
        )

    def disaggregation(self) -> None:
        d, _ = self.data, self._
        self.heading(_("Participants by gender, age, neighbourhood and nationality"))
        note = self.p(
            _(
                "Participants are counted once; attendances include the anonymous head counts, "
                "which appear as “not recorded” where the count has no such data."
            ),
            self.small,
        )
        note.keepWithNext = 1  # heading, note and first table start a page together
        self.story.append(note)
        self.breakdown(
            _("By gender"), _("Gender"), [(_(d.gender_label(c)), b) for c, b in d.gender_rows()]
        )
        self.breakdown(
            _("By age band"),
            _("Age band"),
            [(band_label(self.t, band), b) for band, b in d.age_table_rows()],
        )
        self.coverage_note()
        self.age_by_gender()
        self.breakdown(
            _("By neighbourhood"),
            _("Neighbourhood"),
            [
                (k if k != NOT_RECORDED else _("Not recorded"), b)
                for k, b in d.by_neighbourhood.items()
            ],
        )
        if d.show_nationality():
            self.breakdown(
                _("By nationality"),
                _("Nationality"),
                [(nationality_label(self.t, k), b) for k, b in d.by_nationality.items()],
            )

    def privacy_notice(self) -> str:
        entity = self.data.entity
        if entity is None:
            return ""
        return str(
            layout.privacy_notice(
                self.t,
                controller=entity.privacy_controller or entity.name,
                purpose=entity.privacy_purpose,
                legal_basis=entity.privacy_legal_basis,
                recipients=entity.privacy_recipients,
                rights_contact=entity.privacy_rights_contact,
            )
        )

    def coverage_note(self) -> None:
        d, _ = self.data, self._
        c = d.coverage
        if c is None or not c.affected:
            return
        bands = ", ".join(c.not_buildable)
        self.story.append(
            self.p(
                _(
                    "These age bands cannot be built from {count} head-count attendances "
                    "({share} of all attendances), recorded in other bands ({bands}): a count "
                    "cannot be split, so they are shown apart."
                ).format(
                    count=self.num(c.affected),
                    share=self.num(100 * c.share, 1) + " %",
                    bands=bands,
                ),
                self.small,
            )
        )

    def age_by_gender(self) -> None:
        d, _ = self.data, self._
        self.heading(_("Participants by age band and gender"), 2)
        codes = d.gender_columns()
        rows = []
        for band, cells in d.age_gender_rows():
            rows.append(
                [
                    self.p(band_label(self.t, band), self.cell),
                    *(
                        self.people(cells[c].participants) + " / " + self.num(cells[c].attendances)
                        for c in codes
                    ),
                ]
            )
        totals = d.gender_split(d.figures.by_gender)
        total = [
            _("Total"),
            *(
                self.people(totals[c].participants) + " / " + self.num(totals[c].attendances)
                for c in codes
            ),
        ]
        width = 24 if len(codes) > 3 else 36
        self.table(
            [_("Age band by gender"), *self.gender_heads()],
            rows,
            [174 - width * len(codes), *([width] * len(codes))],
            total=total,
        )
        self.story.append(
            self.p(_("Each cell: participants / attendances (head counts included)."), self.small)
        )
        self.gender_footnote()

    def monthly(self) -> None:
        from reportlab.graphics.charts.barcharts import VerticalBarChart
        from reportlab.graphics.shapes import Drawing
        from reportlab.lib import colors
        from reportlab.lib.units import mm

        d, _ = self.data, self._
        from reportlab.platypus import KeepTogether

        start = len(self.story)
        self.heading(_("Monthly attendance"))
        months = d.monthly
        drawing = Drawing(174 * mm, 62 * mm)
        chart = VerticalBarChart()
        chart.x, chart.y, chart.width, chart.height = 14 * mm, 10 * mm, 156 * mm, 48 * mm
        chart.data = [[m.attendances for m in months] or [0]]
        chart.categoryAxis.categoryNames = [
            month_label(self.t, m.year, m.month, short=True) for m in months
        ] or [""]
        chart.categoryAxis.labels.fontName = self.font
        chart.categoryAxis.labels.fontSize = 6.5 if len(months) > 12 else 7.5
        chart.categoryAxis.labels.angle = 45 if len(months) > 12 else 0
        chart.categoryAxis.labels.boxAnchor = "ne" if len(months) > 12 else "n"
        chart.valueAxis.labels.fontName = self.font
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.valueMin = 0
        top = max((m.attendances for m in months), default=0)
        chart.valueAxis.valueMax = max(top * 1.1, 5)
        chart.bars[0].fillColor = colors.HexColor("#3D7EA6")
        chart.bars[0].strokeColor = None
        chart.barLabelFormat = "%d"
        chart.barLabels.fontName = self.font
        chart.barLabels.fontSize = 6.5
        chart.barLabels.nudge = 6
        drawing.add(chart)
        self.story.append(drawing)
        rows = [
            [month_label(self.t, m.year, m.month), self.num(m.sessions), self.num(m.attendances)]
            for m in months
        ]
        total = [
            _("Total"),
            self.num(sum(m.sessions for m in months)),
            self.num(sum(m.attendances for m in months)),
        ]
        self.table([_("Month"), _("Sessions"), _("Attendances")], rows, [84, 45, 45], total=total)
        # Chart and table on one page when they fit (a year does).
        self.story[start:] = [KeepTogether(self.story[start:])]

    def network(self) -> None:
        d, f, _ = self.data, self.data.figures, self._
        self.heading(_("Network work"))
        if not d.network:
            self.story.append(self.p(_("No network meetings in the period.")))
            return
        from reportlab.lib.styles import ParagraphStyle

        # A top-level space's row counts its commissions too; they follow it, indented.
        def style(depth: int) -> Any:
            return (
                ParagraphStyle("commission", self.cell, leftIndent=8 * depth)
                if depth
                else self.cell
            )

        rows = [
            [
                self.p(r.space, style(r.depth)),
                self.num(r.meetings),
                self.num(r.hours, 2),
                self.num(r.agreements_adopted),
                self.num(r.agreements_done),
            ]
            for r in d.network
        ]
        total = [
            _("Total"),
            self.num(f.meetings),
            self.num(f.meeting_hours, 2),
            self.num(f.agreements_adopted),
            self.num(f.agreements_done),
        ]
        self.table(
            [
                _("Network space"),
                _("Meetings"),
                _("Hours"),
                _("Agreements adopted"),
                _("Agreements done"),
            ],
            rows,
            [78, 22, 22, 26, 26],
            total=total,
        )

    def narratives(self) -> None:
        d, _ = self.data, self._
        texts = [(k, d.narratives.get(k, "").strip()) for k in NARRATIVE_KINDS]
        self.heading(_("Assessment and proposals"))
        if not any(text for _k, text in texts):
            self.story.append(self.p(_("No text was written for this section.")))
            return
        for kind, text in texts:
            if text:
                self.heading(_(NARRATIVE_LABELS[kind]), 2)
                for para in text.split("\n\n"):
                    self.story.append(self.p(para))

    def annex(self) -> None:
        from reportlab.platypus import PageBreak

        d, _ = self.data, self._
        self.story.append(PageBreak())
        self.heading(_("Annex: sessions held"))
        if not d.annex:
            self.story.append(self.p(_("No sessions held in the period.")))
            return
        several = len(d.programmes) > 1
        # The last fits “Assistències” whole; the evidence column "Registre només" in two lines.
        widths: list[float] = [18, 19, 40, 25, 32, 22, 23]
        rows, heights = [], []
        days: dict[Any, str] = {}  # a day's sessions share its date's text
        for a in d.annex:
            time = f"{format_time(a.start)}–{format_time(a.end)}" if a.start and a.end else ""
            day = days.get(a.date)
            if day is None:
                day = days[a.date] = self.t.date(a.date, "short").split(" / ")[0]
            act = f"{a.programme_code} · {a.activity}" if several else a.activity
            # Long names wrap onto more lines (never cut): lines measured, not laid out.
            cells = [
                self.wrap(act, widths[2], ANNEX_SIZE),
                self.wrap(a.place, widths[3], ANNEX_SIZE),
                self.wrap(a.facilitators, widths[4], ANNEX_SIZE),
                self.wrap(_(EVIDENCE_LABELS[a.evidence]), widths[5], ANNEX_SIZE),
            ]
            lines = max(c.count("\n") + 1 for c in cells)
            heights.append(ANNEX_ROW + ANNEX_LEADING * (lines - 1))
            rows.append(
                [
                    day,
                    time,
                    *cells,
                    self.num(a.attendances),
                ]
            )
        sessions = len(d.annex)
        signed = sum(1 for a in d.annex if a.signed_pages)
        total = [
            _("Total"),
            "",
            self.t.ngettext("{count} session", "{count} sessions", sessions).format(
                count=self.num(sessions)
            ),
            "",
            "",
            self.num(signed),
            self.num(sum(a.attendances for a in d.annex)),
        ]
        self.table(
            [
                _("Date"),
                _("Time"),
                _("Activity"),
                _("Place"),
                _("Facilitators"),
                _("Evidence"),
                _("Attendances"),
            ],
            rows,
            widths,
            numeric_from=6,
            total=total,
            long=True,
            size=ANNEX_SIZE,
            heights=heights,
        )
        notice = self.privacy_notice()
        if notice and any(a.facilitators for a in d.annex):
            # The annex names people (the facilitators): the notice goes with it, once.
            self.story.append(self.p(notice, self.small))


def _sentence_dated(lang: str, message: str, date: Any) -> str:
    sentence = translator(lang).gettext(message).format(date=format_date(date, lang, "long"))
    return catalan_dates(sentence) if is_catalan(lang) else sentence


def _decor(b: _Builder) -> Any:
    """Header fields: the programme(s) and the period; footer: funders. The data-protection
    notice is not in the footer: the report names nobody but the annex's facilitators, and the
    notice follows the annex (``_Builder.annex``)."""
    d, _ = b.data, b._
    entity = d.entity
    notice = ""
    first, last = d.request.date_from, d.request.date_to
    period = f"{format_date(first, b.t.languages[0], 'short')} – "
    period += format_date(last, b.t.languages[0], "short")
    several = d.request.programme_ids is None or len(d.programmes) > 1
    return report_page.page_decor(
        entity=entity.name if entity else "",
        logo=entity.logo if entity else None,
        title=_(TITLE),
        fields=(
            (_("Programmes") if several else _("Programme"), programmes_label(b.t, d)),
            (_("Period"), period),
        ),
        funders=tuple(
            (f.name, layout.localise_support(f.support_text, b.t), f.logo) for f in d.funders
        ),
        support_label=_("With the support of"),
        notice=notice,
        page_label=_("Page {page} of {pages}"),
    )


def build_pdf(
    data: ReportData,
    out: BinaryIO,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> None:
    """Write the report to ``out``. Sections follow ``data.request.sections``."""
    b = _Builder(data)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("programme", b.programme),
        ("indicators", b.indicators),
        ("categories", b.categories),
        ("activities", b.activities),
        ("volunteers", lambda: volunteer_pages(b)),
        ("disaggregation", b.disaggregation),
        ("monthly", b.monthly),
        ("network", b.network),
        ("community", lambda: community_pages(b)),
        ("needs", lambda: needs_pages(b)),
        ("narratives", b.narratives),
        ("economic", lambda: economic_pages(b)),
        ("signature", b.signature),
        ("annex", b.annex),
    ]
    b.cover()
    for index, (section, step) in enumerate(steps):
        if cancel is not None and cancel():
            raise ReportCancelled()
        if progress is not None:
            progress(0.3 * index / len(steps), b._("Preparing the sections…"))
        if data.request.wants(section):
            step()
    # About 45 annex rows a page, after some eight pages of sections: enough for a progress bar.
    expected = 8 + len(data.annex) // 45 if data.request.wants("annex") else 8
    message = b._("Laying out the pages…")

    def on_page(number: int) -> None:
        if cancel is not None and cancel():
            raise ReportCancelled()
        if progress is not None:
            progress(0.3 + 0.7 * min(number / expected, 1.0), message)

    on_page(0)
    author = data.entity.name if data.entity else "Teixit"
    report_page.build(out, b.story, _decor(b), b._(TITLE), author, on_page)
