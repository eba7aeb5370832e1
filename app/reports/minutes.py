"""The minutes (acta) of a network meeting: a pure builder, (data, lang, out) -> None.

Sections: header (entity, space, date, time, place), attendees with their organisation, apologies,
agenda, summary of the session, numbered agreements with owner and due date, and the follow-up of
earlier agreements. Footer: data-protection notice and "page X of Y". ReportLab is imported
lazily so the window starts fast.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from app.domain.networks import AGREEMENT_STATUSES, MinutesAgreement, MinutesData, MinutesPerson
from app.i18n import N_, Translator, translator

MM = 72 / 25.4
NOTICE_SIZE = 6.5
NOTICE_LEADING = 8

# Labels, marked for extraction and translated in the document's language.
L_TITLE = N_("Minutes")
L_COMMISSION_OF = N_("Commission of {space}")
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
L_PRIVACY = N_(
    "Data protection: {controller} processes these data to organise the network's work. "
    "Rights: {contact}"
)


def font_names() -> tuple[str, str]:
    """(regular, bold) faces: the shared document fonts when present, else Noto Sans from the
    system, else ReportLab's Helvetica. The one place to change when the fonts move."""
    try:
        from app.reports import fonts as shared  # type: ignore[attr-defined]

        return shared.ensure_font(shared.SANS), shared.ensure_font(shared.SANS_BOLD)
    except (ImportError, AttributeError, OSError):
        pass
    from pathlib import Path

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path("/usr/share/fonts/truetype/noto")
    regular, bold = folder / "NotoSans-Regular.ttf", folder / "NotoSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        return "Helvetica", "Helvetica-Bold"
    if "MinutesSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("MinutesSans", str(regular)))
        pdfmetrics.registerFont(TTFont("MinutesSans-Bold", str(bold)))
    return "MinutesSans", "MinutesSans-Bold"


def _time_range(d: MinutesData) -> str:
    if d.start_time and d.end_time:
        return f"{d.start_time:%H:%M}–{d.end_time:%H:%M}"
    return f"{d.start_time:%H:%M}" if d.start_time else ""


def _due(t: Translator, value: dt.date | None) -> str:
    return t.date(value, "short") if value else ""


def build_minutes(data: MinutesData, lang: str, out: BinaryIO) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
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
    regular, bold = font_names()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=10.5)
    cell_b = ParagraphStyle("cellb", parent=small, fontName=bold)
    h1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=16, leading=20, spaceAfter=2)
    h2 = ParagraphStyle(
        "h2", parent=body, fontName=bold, fontSize=11.5, leading=15, spaceBefore=9, spaceAfter=3
    )
    h2.keepWithNext = 1  # a heading never ends a page alone
    sub = ParagraphStyle(
        "sub", parent=body, fontSize=11, leading=14, textColor=colors.HexColor("#333333")
    )

    def p(text: str, style: ParagraphStyle = body) -> Any:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    def table(header: list[str], rows: list[list[str]], widths: list[float]) -> Any:
        cells = [[p(h, cell_b) for h in header]] + [[p(c, small) for c in r] for r in rows]
        tbl = Table(cells, colWidths=widths, repeatRows=1)
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

    width = A4[0] - 36 * MM - 12
    story: list[Any] = []
    if data.entity_name:
        story.append(p(data.entity_name, small))
    story.append(p(f"{t.gettext(L_TITLE)} · {data.space_name}", h1))
    if data.parent_space_name:
        story.append(p(t.gettext(L_COMMISSION_OF).format(space=data.parent_space_name), sub))
    where = t.gettext(L_ONLINE) if data.online else data.place
    if data.online and data.place:
        where = f"{data.place} ({where})"
    facts = [[t.gettext(L_DATE), t.date(data.date, "full")]]
    if _time_range(data):
        facts.append([t.gettext(L_TIME), _time_range(data)])
    if where:
        facts.append([t.gettext(L_PLACE), where])
    if data.programmes:
        facts.append([t.gettext(L_PROGRAMMES), ", ".join(data.programmes)])
    info = Table(
        [[p(a, cell_b), p(b, small)] for a, b in facts], colWidths=[35 * MM, width - 35 * MM]
    )
    info.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1)])
    )
    story += [Spacer(1, 4), info]

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

    notice = ""
    if data.privacy.get("controller"):
        notice = t.gettext(L_PRIVACY).format(
            controller=data.privacy["controller"], contact=data.privacy.get("rights_contact", "")
        )

    from reportlab.lib.utils import simpleSplit

    # The whole notice prints on every page: the body stops above it.
    notice_lines = simpleSplit(notice, regular, NOTICE_SIZE, A4[0] - 70 * MM) if notice else []
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * MM,
        rightMargin=18 * MM,
        topMargin=16 * MM,
        bottomMargin=16 * MM + len(notice_lines) * NOTICE_LEADING,
        title=f"{t.gettext(L_TITLE)} · {data.space_name}",
        author=data.entity_name,
    )
    doc.build(story, canvasmaker=_numbered_canvas(t, regular, notice_lines))


def _numbered_canvas(t: Translator, font: str, notice_lines: list[str]) -> Any:
    """A canvas that holds pages back until the end, so every footer can say "page X of Y"."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            w, _h = self._pagesize
            self.setFont(font, 7)
            self.setFillGray(0.35)
            label = t.gettext(L_PAGE).format(page=self._pageNumber, pages=total)
            self.drawRightString(w - 18 * MM, 10 * MM, label)
            self.setFont(font, NOTICE_SIZE)
            top = 10 * MM + (len(notice_lines) - 1) * NOTICE_LEADING
            for i, line in enumerate(notice_lines):
                self.drawString(18 * MM, top - i * NOTICE_LEADING, line)

    return NumberedCanvas
