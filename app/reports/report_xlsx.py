"""The justification report as a spreadsheet: one sheet per table, numbers as numbers, so a
funder's template can take them with copy and paste. Opens in LibreOffice and Excel."""

from __future__ import annotations

import re
from typing import Any, BinaryIO

from app.domain.figures import ALL_FIGURES
from app.domain.networks import REFERRAL_STATUSES
from app.domain.programmes import INDICATOR_KIND_LABELS
from app.domain.report import (
    EVIDENCE_LABELS,
    NARRATIVE_KINDS,
    NARRATIVE_LABELS,
    NOT_RECORDED,
    SMALL_NUMBER_LIMIT,
    CancelCheck,
    Progress,
    ReportCancelled,
    ReportData,
)
from app.domain.text import spreadsheet_text
from app.i18n import N_, Translator, translator
from app.reports.community_report import community_sheets
from app.reports.economic_xlsx import add_sheets, long_sheet, save
from app.reports.report_labels import (
    activity_kind_label,
    band_label,
    month_label,
    nationality_label,
    period_label,
    programmes_label,
)

_MAX_WIDTH = 70  # characters: wider text columns would not print legibly on A4
_PORTRAIT_WIDTH = 100  # characters of columns that still fit an upright A4 page
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _append(ws: Any, values: list[Any]) -> None:
    """One row; user text (names, places, notes sent to a funder) is always a string cell:
    "=HYPERLINK(...)" in a programme's name is shown, never run."""
    row = [spreadsheet_text(v) if isinstance(v, str) else v for v in values]
    ws.append(row)
    # The row just appended by its number: ``ws.max_row`` and ``ws[n]`` scan every cell of the
    # sheet, which made a large entity's sheets quadratic (2 500 rows: 5 s of 9).
    number = ws._current_row
    for column, value in enumerate(row, start=1):
        if isinstance(value, str):
            ws.cell(row=number, column=column).data_type = "s"


def import_openpyxl_alone() -> None:
    """Import openpyxl without numpy, for a single-threaded command that has not loaded numpy:
    openpyxl imports it when there (to take numpy's number types, which no report writes), and
    that was most of openpyxl's start-up in ``teixit report --xlsx``. Not for the window, where
    another thread may be importing numpy (the scans) at that moment."""
    import sys

    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # "import numpy" fails meanwhile
    try:
        import openpyxl  # noqa: F401
    finally:
        del sys.modules["numpy"]


class _Book:
    def __init__(self, data: ReportData) -> None:
        from openpyxl import Workbook

        self.data = data
        self.t: Translator = translator(data.request.lang)
        # Sheet names take the first language only: tabs are short and cannot hold "/".
        self.first = translator(self.t.languages[0])
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.used: set[str] = set()

    def _(self, message: str) -> str:
        return self.t.gettext(message)

    def sheet(
        self,
        title: str,
        header: list[str],
        rows: list[list[Any]],
        widths: list[int],
        total: list[Any] | None = None,
    ) -> Any:
        from openpyxl.styles import Alignment, Font, PatternFill

        name = _BAD_SHEET_CHARS.sub("-", self.first.gettext(title))[:31]
        while name in self.used:
            name = name[:29] + "_" + str(len(self.used))
        self.used.add(name)
        ws = self.wb.create_sheet(name)
        _append(ws, header)
        for row in rows:
            _append(ws, row)
        bold = Font(bold=True)
        fill = PatternFill("solid", fgColor="E8ECEF")
        # Text columns as wide as their longest value (bilingual labels are long), within reason.
        widths = list(widths)
        for row in rows:
            for i, value in enumerate(row[: len(widths)]):
                if isinstance(value, str) and len(value) + 2 > widths[i]:
                    widths[i] = min(len(value) + 2, _MAX_WIDTH)
        # Headers wrap in a taller first row instead of being cut off.
        wrap = Alignment(wrap_text=True, vertical="center")
        lines = 1
        for cell, width in zip(ws[1], widths, strict=False):
            cell.font = bold
            cell.fill = fill
            cell.alignment = wrap
            lines = max(lines, -(-len(str(cell.value or "")) // max(1, width - 2)))
        ws.row_dimensions[1].height = 15 * min(lines, 4)
        if total is not None:
            _append(ws, total)
            for cell in ws[ws.max_row]:
                cell.font = bold
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = width
        # Printed: one page wide (landscape when wide), the header row on every page.
        ws.page_setup.orientation = "landscape" if sum(widths) > _PORTRAIT_WIDTH else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"
        ws.freeze_panes = "A2"
        return ws

    def people(self, value: int) -> int | str:
        """A count of people: the text "< 5" for 1 to 4 when small numbers are hidden."""
        return f"< {SMALL_NUMBER_LIMIT}" if self.data.small(value) else value

    def breakdown(self, title: str, head: str, rows: list[tuple[str, Any]]) -> None:
        _ = self._
        body = [[label, self.people(b.participants), b.attendances] for label, b in rows]
        total = [
            _("Total"),
            sum(b.participants for _l, b in rows),
            sum(b.attendances for _l, b in rows),
        ]
        self.sheet(title, [head, _("Participants"), _("Attendances")], body, [40, 14, 14], total)


def build_xlsx(
    data: ReportData,
    out: BinaryIO,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> None:
    b = _Book(data)
    _, f, req = b._, data.figures, data.request

    summary: list[list[Any]] = [
        [_("Entity"), data.entity.name if data.entity else "", ""],
        [_("Programme"), programmes_label(b.t, data), "programme"],
        [_("Period"), period_label(b.t, req.date_from, req.date_to), "period"],
        *([_(fig.label), fig.value(f), fig.key] for fig in ALL_FIGURES),
        [_("Open events (sessions with head counts)"), f.open_events, "open_events"],
        [
            _("Open events with an estimate of new people"),
            f.open_events_estimated,
            "open_events_estimated",
        ],
        [
            _("Indicator targets"),
            _("Pro-rated to the period")
            if req.prorate_targets
            else _("For the programme's whole period"),
            "indicator_targets",
        ],
    ]
    b.sheet(N_("Summary"), [_("Figure"), _("Value"), _("Key")], summary, [40, 50, 24])

    codes = {p.id: p.code for p in data.programmes}
    rows = []
    for ind in f.indicators:
        delta = (
            round(ind.achieved - ind.target, 2)
            if ind.target is not None and ind.achieved is not None
            else None
        )
        rows.append(
            [
                codes.get(ind.programme_id, ""),
                ind.name,
                # What the funder reads: how the value is obtained, not the figure's key.
                _(INDICATOR_KIND_LABELS.get(ind.kind, ind.kind)),
                ind.target,
                ind.achieved,
                delta,
            ]
        )
    b.sheet(
        N_("Indicators"),
        [
            _("Programme"),
            _("Indicator"),
            _("Kind"),
            _("Planned value"),
            _("Achieved value"),
            _("Deviation"),
        ],
        rows,
        [12, 46, 20, 14, 14, 14],
    )

    rows = [
        [
            a.programme_code,
            a.name,
            activity_kind_label(b.t, a.kind),
            a.sessions,
            round(a.hours, 2),
            a.participants,
            a.attendances,
        ]
        for a in data.activities
    ]
    total = [_("Total"), "", "", f.sessions, round(f.hours, 2), f.participants, f.attendances]
    b.sheet(
        N_("Activities"),
        [
            _("Programme"),
            _("Activity"),
            _("Kind"),
            _("Sessions"),
            _("Hours"),
            _("Participants"),
            _("Attendances"),
        ],
        rows,
        [12, 40, 24, 12, 12, 14, 14],
        total,
    )
    if data.by_category:
        rows = [
            [
                " / ".join(dict.fromkeys(c.label.get(lang, c.category) for lang in b.t.languages)),
                ", ".join(c.programmes),
                c.sessions,
                round(c.hours, 2),
                b.people(c.participants),
                c.attendances,
                b.people(c.people_reached_estimate),
            ]
            for c in data.by_category
        ]
        b.sheet(
            N_("Per category"),
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
            [36, 24, 12, 12, 14, 14, 16],
            [
                _("Total"),
                "",
                f.sessions,
                round(f.hours, 2),
                f.participants,
                f.attendances,
                f.people_reached_estimate,
            ],
        )

    rows = [
        [
            r.programme_code,
            r.activity,
            r.planned,
            r.held,
            r.cancelled,
            r.pending,
            "; ".join(
                f"{day:%d/%m/%Y}: {text or _('no reason recorded')}" for day, text in r.reasons
            ),
        ]
        for r in data.session_status
    ]
    b.sheet(
        N_("Sessions planned"),
        [
            _("Programme"),
            _("Activity"),
            _("Planned sessions"),
            _("Held sessions"),
            _("Cancelled sessions"),
            _("Without a record"),
            _("Cancellation reasons"),
        ],
        rows,
        [12, 40, 12, 12, 12, 14, 50],
        [
            _("Total"),
            "",
            *(
                sum(getattr(r, k) for r in data.session_status)
                for k in ("planned", "held", "cancelled", "pending")
            ),
            "",
        ],
    )

    genders = data.gender_columns()
    heads = [_(data.gender_label(c)) for c in genders]
    rows = []
    for a in data.activities:
        split = data.gender_split(a.by_gender)
        rows.append(
            [
                a.programme_code,
                a.name,
                *(b.people(split[c].participants) for c in genders),
                b.people(a.participants),
                *(split[c].attendances for c in genders),
                a.attendances,
            ]
        )
    whole = data.gender_split(f.by_gender)
    b.sheet(
        N_("Activities by gender"),
        [
            _("Programme"),
            _("Activity"),
            *(_("Participants: {gender}").format(gender=h) for h in heads),
            _("Participants"),
            *(_("Attendances: {gender}").format(gender=h) for h in heads),
            _("Attendances"),
        ],
        rows,
        [12, 40, *([14] * (2 * len(genders) + 2))],
        [
            _("Total"),
            "",
            *(b.people(whole[c].participants) for c in genders),
            f.participants,
            *(whole[c].attendances for c in genders),
            f.attendances,
        ],
    )

    people_rows: list[list[Any]] = [
        [_("Named participants (people counted once)"), f.participants],
        [
            _("People reached at open events, new this year (staff's estimate)"),
            f.people_reached_estimate,
        ],
        [_("Open events (sessions with head counts)"), f.open_events],
        [_("Open events with an estimate of new people"), f.open_events_estimated],
    ]
    indirect = data.indirect_beneficiaries
    if indirect:  # the funder asks: direct and indirect apart, never added
        people_rows.append(
            [
                _("Direct beneficiaries: named participants and new people at open events"),
                data.direct_beneficiaries,
            ]
        )
        for code, value in indirect.items():
            label = _("Indirect beneficiaries (the entity's estimate)")
            people_rows.append([f"{label} · {code}" if len(indirect) > 1 else label, value])
        if len(indirect) > 1:
            people_rows.append(
                [
                    _("Indirect beneficiaries, total (the entity's estimate)"),
                    sum(indirect.values()),
                ]
            )
    b.sheet(N_("People reached"), [_("People reached"), _("Number")], people_rows, [60, 14])

    rows = [
        [
            r.programme_code or _("No programme"),
            r.destination,
            _(REFERRAL_STATUSES.get(r.status, r.status)),
            b.people(r.referrals),
        ]
        for r in f.referral_rows
    ]
    b.sheet(
        N_("Referrals"),
        [_("Referring programme"), _("Destination service"), _("Status"), _("Referrals")],
        rows,
        [16, 40, 16, 12],
        [_("Total"), "", "", f.referrals],
    )
    if cancel is not None and cancel():
        raise ReportCancelled()

    b.breakdown(
        N_("By gender"), _("Gender"), [(_(data.gender_label(c)), x) for c, x in data.gender_rows()]
    )
    b.breakdown(
        N_("By age band"),
        _("Age band"),
        [(band_label(b.t, k), x) for k, x in data.age_table_rows()],
    )
    rows = []
    for band, cells in data.age_gender_rows():
        rows.append(
            [
                band_label(b.t, band),
                *(b.people(cells[c].participants) for c in genders),
                *(cells[c].attendances for c in genders),
            ]
        )
    b.sheet(
        N_("Age by gender"),
        [
            _("Age band"),
            *(_("Participants: {gender}").format(gender=h) for h in heads),
            *(_("Attendances: {gender}").format(gender=h) for h in heads),
        ],
        rows,
        [30, *([14] * (2 * len(genders)))],
        [
            _("Total"),
            *(b.people(whole[c].participants) for c in genders),
            *(whole[c].attendances for c in genders),
        ],
    )
    b.breakdown(
        N_("By neighbourhood"),
        _("Neighbourhood"),
        [
            (k if k != NOT_RECORDED else _("Not recorded"), x)
            for k, x in data.by_neighbourhood.items()
        ],
    )
    if data.show_nationality():
        b.breakdown(
            N_("By nationality"),
            _("Nationality"),
            [(nationality_label(b.t, k), x) for k, x in data.by_nationality.items()],
        )

    _volunteer_sheets(b, data)

    rows = [[month_label(b.t, m.year, m.month), m.sessions, m.attendances] for m in data.monthly]
    b.sheet(
        N_("Monthly attendance"),
        [_("Month"), _("Sessions"), _("Attendances")],
        rows,
        [24, 12, 14],
        [
            _("Total"),
            sum(m.sessions for m in data.monthly),
            sum(m.attendances for m in data.monthly),
        ],
    )

    rows = [
        # A network's own row (its commissions included) leaves the space column empty.
        [
            r.parent or r.space,
            r.space if r.depth else "",
            r.meetings,
            round(r.hours, 2),
            r.agreements_adopted,
            r.agreements_done,
        ]
        for r in data.network
    ]
    b.sheet(
        N_("Network work"),
        [
            _("Network"),
            _("Network space"),
            _("Meetings"),
            _("Hours"),
            _("Agreements adopted"),
            _("Agreements done"),
        ],
        rows,
        [30, 36, 12, 12, 18, 18],
        [
            _("Total"),
            "",
            f.meetings,
            round(f.meeting_hours, 2),
            f.agreements_adopted,
            f.agreements_done,
        ],
    )
    if progress is not None:
        progress(0.5, _("Writing the sessions…"))
    if cancel is not None and cancel():
        raise ReportCancelled()

    annex: list[list[Any]] = [
        [
            a.date,
            # Times as times (sortable, summable), shown as 17:30.
            a.start,
            a.end,
            a.programme_code,
            a.activity,
            a.place,
            a.facilitators,
            a.attendances,
            _(EVIDENCE_LABELS[a.evidence]),
        ]
        for a in data.annex
    ]
    # Made with its first session only (every column styled as it should be); the rest are
    # written straight into the file when it is saved, as the list of expenses is
    # (``economic_xlsx.save``): openpyxl's cells cost too much for a large entity's year.
    widths = [12, 10, 10, 12, 40, 28, 36, 12, 16]
    for row in annex:
        for i, value in enumerate(row):
            if isinstance(value, str) and len(value) + 2 > widths[i]:
                widths[i] = min(len(value) + 2, _MAX_WIDTH)
    ws = b.sheet(
        N_("Sessions held"),
        [
            _("Date"),
            _("Start time"),
            _("End time"),
            _("Programme"),
            _("Activity"),
            _("Place"),
            _("Facilitators"),
            _("Attendances"),
            _("Evidence"),
        ],
        annex[:1],
        widths,
        [
            _("Total"),
            "",
            "",
            "",
            len(data.annex),
            "",
            "",
            sum(a.attendances for a in data.annex),
            "",
        ],
    )
    for date_cell, start, end in ws.iter_rows(min_row=2, max_row=min(len(annex), 1) + 1, max_col=3):
        date_cell.number_format = "DD/MM/YYYY"
        start.number_format = end.number_format = "HH:MM"
    if len(annex) > 1:
        long_sheet(b.wb, ws.title, annex)

    if req.wants("narratives"):
        empty = _("No text was written for this section.")
        rows = [
            [_(NARRATIVE_LABELS[k]), data.narratives.get(k, "").strip() or empty]
            for k in NARRATIVE_KINDS
        ]
        ws = b.sheet(N_("Assessment and proposals"), [_("Section"), _("Text")], rows, [30, 100])
        from openpyxl.styles import Alignment

        for (cell,) in ws.iter_rows(min_row=2, min_col=2, max_col=2):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    community_sheets(b, data)
    add_sheets(b, data)
    save(b.wb, out)


def _volunteer_sheets(b: _Book, data: ReportData) -> None:
    """Volunteer hours by month and programme, and the coproduced activities."""
    _ = b._
    vol = data.volunteers
    if vol is not None and (vol.volunteers or vol.hours):
        codes = sorted(vol.hours_by_programme)
        rows = []
        for key in sorted(vol.hours_by_month):
            year, month = int(key[:4]), int(key[5:7])
            rows.append(
                [
                    month_label(b.t, year, month),
                    *(round(vol.hours_by_programme_month.get((c, key), 0.0), 2) for c in codes),
                    round(vol.hours_by_month[key], 2),
                ]
            )
        b.sheet(
            N_("Volunteer hours"),
            [_("Month"), *codes, _("Hours")],
            rows,
            [24, *([12] * len(codes)), 12],
            [
                _("Total"),
                *(round(vol.hours_by_programme[c], 2) for c in codes),
                round(vol.hours, 2),
            ],
        )
    if data.coproduced:
        b.sheet(
            N_("Coproduced activities"),
            [_("Activity"), _("Programmes"), _("Partner organisations")],
            [
                [r.name, ", ".join(r.programme_codes), ", ".join(r.partners)]
                for r in data.coproduced
            ],
            [40, 20, 50],
        )
