"""The recovery key's sheet: printed once when encryption is turned on, kept in the office safe.

It holds the recovery key (which alone opens the data and every backup of it), where the data
was, when the sheet was printed, and what to do with it. Nothing else: no names, no passphrase.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, BinaryIO

from app.i18n import N_, translator
from app.reports import fonts, text
from app.reports.layout import MM

L_TITLE = N_("Teixit recovery key")
L_INTRO = N_(
    "This key opens the encrypted data of Teixit, and every backup of it, if the passphrase "
    "is lost or forgotten. Anyone who has this sheet and a copy of the data can read it."
)
L_KEEP = N_(
    "Keep this sheet in the office safe, away from the computer. Do not photograph it, send "
    "it by e-mail or keep it in a file."
)
L_USE = N_(
    "To use it: start Teixit, and in the unlock window type this key where the passphrase "
    "goes (capitals, spaces and dashes do not matter). Then choose a new passphrase."
)
L_LOST = N_(
    "Without the passphrase and without this key, nobody can open the data: not the entity, "
    "not Teixit's authors."
)
L_DATA = N_("Data: {location}")
L_PRINTED = N_("Printed on {date}")
L_KEY = N_("Recovery key")


def build_recovery_sheet(
    recovery: str, location: str, lang: str, out: BinaryIO, *, on: dt.date | None = None
) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    t = translator(lang)
    regular, bold = fonts.ensure_font(fonts.SANS), fonts.ensure_font(fonts.SANS_BOLD)
    title = ParagraphStyle("title", fontName=bold, fontSize=18, leading=22)
    body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=15)
    key_style = ParagraphStyle("key", fontName=bold, fontSize=17, leading=24, alignment=1)
    small = ParagraphStyle("small", parent=body, fontSize=9, textColor=colors.HexColor("#555555"))

    def para(message: str, style: Any = body, **values: Any) -> Any:
        return Paragraph(text.markup(t.gettext(message).format(**values)), style)

    groups = recovery.split("-")
    half = (len(groups) + 1) // 2
    lines = ["  ".join(groups[:half]), "  ".join(groups[half:])]
    box = Table(
        [[para(L_KEY, small)], [Paragraph("<br/>".join(lines), key_style)]],
        colWidths=[150 * MM],
    )
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.5, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 3 * MM),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * MM),
            ]
        )
    )
    printed = t.date(on or dt.date.today(), "long")
    story = [
        para(L_TITLE, title),
        Spacer(1, 6 * MM),
        para(L_INTRO),
        Spacer(1, 6 * MM),
        box,
        Spacer(1, 6 * MM),
        para(L_KEEP),
        Spacer(1, 3 * MM),
        para(L_USE),
        Spacer(1, 3 * MM),
        para(L_LOST),
        Spacer(1, 10 * MM),
        para(L_DATA, small, location=location),
        para(L_PRINTED, small, date=printed),
    ]
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=25 * MM, rightMargin=25 * MM, topMargin=25 * MM,
        title=t.gettext(L_TITLE),
    )  # fmt: skip
    doc.build(story)
