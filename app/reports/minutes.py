"""The minutes (acta) of a network meeting or of an accompanied group's meeting: a pure
builder, (data, lang, out) -> None.

Sections: attendees with their organisation, apologies, agenda, summary of the session, numbered
agreements with owner and due date, and the follow-up of earlier agreements. The shared page
(:mod:`app.reports.layout`) draws the header (entity logo and name, title, date, time, place) and
the footer (data-protection notice, "page X of Y") on every page; names print in the embedded
fonts whatever their script (:func:`app.reports.text.markup`). ReportLab is imported lazily.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, BinaryIO

from app.domain.community import GROUP_KINDS
from app.domain.networks import AGREEMENT_STATUSES, MinutesAgreement, MinutesData, MinutesPerson
from app.i18n import N_, Translator, format_time_range, translator
from app.reports import fonts, layout, text
from app.reports.layout import MM

# Labels, marked for extraction and translated in the document's language.
L_TITLE = N_("Minutes")
L_COMMISSION_OF = N_("Commission of")
L_GROUP = N_("Group accompanied")
L_DATE = N_("Date")
L_TIME = N_("Time")
L_PLACE = N_("Place")
L_ONLINE = N_("Online meeting")
L_ATTENDEES = N_("Attendees")
L_APOLOGIES = N_("Apologies")
L_NAME = N_("Name")
L_REPRESENTS = N_("Entity or service represented")
L_AGENDA = N_("Agenda")
L_SUMMARY = N_("Discussion summary")
L_AGREEMENTS = N_("Agreements")
L_AGREEMENT = N_("Agreement")
L_OWNER = N_("Owner")
L_DUE = N_("Due date")
L_STATUS = N_("Status")
L_FOLLOW_UP = N_("Follow-up of earlier agreements")
L_ADOPTED_ON = N_("Adopted on {date}")
L_PROGRAMMES = N_("Programmes")
L_NONE = N_("None.")
L_PAGE = N_("Page {page} of {pages}")


def _due(t: Translator, value: dt.date | None) -> str:
    return t.date(value, "short") if value else ""


def page_decor(data: MinutesData, t: Translator) -> layout.PageDecor:
    where = t.gettext(L_ONLINE) if data.online else data.place
    if data.online and data.place:
        where = f"{data.place} ({where})"
    fields = [(t.gettext(L_DATE), t.date(data.date, "full"))]
    if data.parent_space_name:
        fields.insert(0, (t.gettext(L_COMMISSION_OF), data.parent_space_name))
    if data.group_kind:  # a meeting of an accompanied group (named in the title): its kind
        kind = t.gettext(GROUP_KINDS.get(data.group_kind, data.group_kind))
        group = " · ".join(x for x in (kind, data.group_neighbourhood) if x)
        fields.insert(0, (t.gettext(L_GROUP), group))
    if data.start_time:
        fields.append((t.gettext(L_TIME), format_time_range(data.start_time, data.end_time)))
    if where:
        fields.append((t.gettext(L_PLACE), where))
    if data.programmes:
        fields.append((t.gettext(L_PROGRAMMES), ", ".join(data.programmes)))
    privacy = data.privacy
    notice = ""
    if privacy.get("controller"):
        notice = layout.privacy_notice(
            t,
            controller=privacy["controller"],
            purpose=privacy.get("purpose", ""),
            legal_basis=privacy.get("legal_basis", ""),
            recipients=privacy.get("recipients", ""),
            rights_contact=privacy.get("rights_contact", ""),
        )
    return layout.PageDecor(
        entity_name=data.entity_name,
        entity_logo=data.logo,
        title=f"{t.gettext(L_TITLE)} · {data.space_name}",
        fields=tuple(fields),
        privacy_notice=notice,
        page_label=t.gettext(L_PAGE),
    )


def build_minutes(data: MinutesData, lang: str, out: BinaryIO) -> None:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import (
        ListFlowable,
        ListItem,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    t = translator(lang)
    decor = page_decor(data, t)
    regular, bold = fonts.ensure_font(fonts.SANS), fonts.ensure_font(fonts.SANS_BOLD)
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=10.5)
    cell_b = ParagraphStyle("cellb", parent=small, fontName=bold)
    h2 = ParagraphStyle(
        "h2", parent=body, fontName=bold, fontSize=11.5, leading=15, spaceBefore=9, spaceAfter=3
    )
    h2.keepWithNext = 1  # a heading never ends a page alone

    def p(value: str, style: ParagraphStyle = body) -> Any:
        is_bold = style.fontName == bold
        lines = [text.markup(line, bold=is_bold) for line in value.split("\n")]
        return Paragraph("<br/>".join(lines), style)

    def table(header: list[str], rows: list[list[str]], widths: list[float]) -> Any:
        cells = [[p(h, cell_b) for h in header]] + [[p(c, small) for c in r] for r in rows]
        # A row taller than a page (an agreement of several paragraphs) splits across pages.
        tbl = Table(cells, colWidths=widths, repeatRows=1, splitInRow=1)
        tbl.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ece9")),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ]
            )
        )
        return tbl

    width = decor.content_width
    story: list[Any] = []

    def people(label: str, persons: tuple[MinutesPerson, ...]) -> None:
        story.append(p(f"{t.gettext(label)} ({len(persons)})", h2))
        if not persons:
            story.append(p(t.gettext(L_NONE)))
            return
        rows = [[x.name, x.organisation] for x in persons]
        story.append(
            table([t.gettext(L_NAME), t.gettext(L_REPRESENTS)], rows, [width * 0.45, width * 0.55])
        )

    people(L_ATTENDEES, data.attendees)
    people(L_APOLOGIES, data.apologies)

    story.append(p(t.gettext(L_AGENDA), h2))
    if data.agenda:
        items = [ListItem(p(item), leftIndent=14) for item in data.agenda]
        story.append(
            ListFlowable(
                items,
                bulletType="1",
                bulletFormat="%s.",
                bulletFontName=regular,
                bulletFontSize=9.5,
                leftIndent=14,
            )
        )
    else:
        story.append(p(t.gettext(L_NONE)))

    if data.summary.strip():
        story.append(p(t.gettext(L_SUMMARY), h2))
        for para in data.summary.strip().split("\n\n"):
            story += [p(para.strip()), Spacer(1, 3)]

    def agreement_rows(items: tuple[MinutesAgreement, ...], follow: bool) -> list[list[str]]:
        rows = []
        for a in items:
            text = a.text
            if follow and a.meeting_date:
                text += "\n" + t.gettext(L_ADOPTED_ON).format(date=t.date(a.meeting_date, "short"))
            row = [f"{a.number}.", text, a.owner, _due(t, a.due_date)]
            if follow:
                row.append(t.gettext(AGREEMENT_STATUSES.get(a.status, a.status)))
            rows.append(row)
        return rows

    head = [t.gettext(L_AGREEMENT), t.gettext(L_OWNER), t.gettext(L_DUE)]
    story.append(p(t.gettext(L_AGREEMENTS), h2))
    if data.agreements:
        w = [10 * MM, width - 10 * MM - 75 * MM, 45 * MM, 30 * MM]
        story.append(table(["#", *head], agreement_rows(data.agreements, False), w))
    else:
        story.append(p(t.gettext(L_NONE)))
    if data.follow_up:
        w = [10 * MM, width - 10 * MM - 97 * MM, 40 * MM, 27 * MM, 30 * MM]
        story.append(p(t.gettext(L_FOLLOW_UP), h2))
        story.append(
            table(["#", *head, t.gettext(L_STATUS)], agreement_rows(data.follow_up, True), w)
        )

    _pw, ph = decor.pagesize
    doc = SimpleDocTemplate(
        out,
        pagesize=decor.pagesize,
        # Platypus frames pad 6 pt: the body lines up with the header's margin.
        leftMargin=layout.MARGIN - 6,
        rightMargin=layout.MARGIN - 6,
        topMargin=ph - decor.content_top(),
        bottomMargin=decor.content_bottom(),
        title=decor.title,
        author=data.entity_name,
    )
    doc.build(story, canvasmaker=layout.canvas_maker(decor))
