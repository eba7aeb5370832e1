"""The consent form a person (or the parent or legal guardian of a minor) signs on paper: the
processing of their data and the use of their image, each answered yes or no, with the entity's
data-protection notice. For one person (name, date of birth and guardian printed) or blank.

A pure builder, (data, lang, out) -> None, on the shared page of :mod:`app.reports.layout`; a
bilingual form prints each paragraph in both languages, one after the other.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from app.domain.people import GUARDIAN_AGE, ConsentFormData
from app.i18n import N_, translator
from app.reports import fonts, layout, text
from app.reports.layout import MM

L_TITLE = N_("Consent form")
L_NAME = N_("Name and surnames")
L_BIRTH = N_("Date of birth")
L_DOCUMENT = N_("ID document")
L_GUARDIAN = N_("Parent or legal guardian")
L_GUARDIAN_DOCUMENT = N_("Guardian's ID document")
L_PAGE = N_("Page {page} of {pages}")
L_INTRO_SELF = N_(
    "I have read the basic data-protection information at the foot of this page and I answer "
    "each question below."
)
L_INTRO_GUARDIAN = N_(
    "As parent or legal guardian of the minor named above, I have read the basic "
    "data-protection information at the foot of this page and I answer each question below "
    "on their behalf."
)
L_INTRO_BLANK = N_(
    "I have read the basic data-protection information at the foot of this page and I answer "
    "each question below (for a person under {age}, their parent or legal guardian answers and "
    "signs)."
)
L_YES = N_("Yes")
L_NO = N_("No")
#: (consent kind as the database stores it, the question).
QUESTIONS = (
    (
        "data_processing",
        N_(
            "I consent to {entity} processing my personal data to organise the activities I "
            "take part in, keep the attendance record and justify the activities to their "
            "funders."
        ),
    ),
    (
        "image_internal",
        N_(
            "I authorise {entity} to take photographs and videos of the activities in which I "
            "appear and to use them inside the entity (its own records and noticeboards)."
        ),
    ),
    (
        "image_funder",
        N_("I authorise {entity} to use those images in the reports to its funders."),
    ),
    (
        "image_web",
        N_(
            "I authorise {entity} to publish those images on its website and social networks "
            "to make its activities known, never for commercial purposes."
        ),
    ),
)
L_WITHDRAW = N_(
    "You can withdraw any of these consents at any time by telling the entity; withdrawing it "
    "does not affect what was done before."
)
L_PLACE_DATE = N_("Place and date")
L_SIGN_SELF = N_("Signature of the person")
L_SIGN_GUARDIAN = N_("Signature of the parent or legal guardian")


def build_consent_form(data: ConsentFormData, lang: str, out: BinaryIO) -> None:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    t = translator(lang)
    langs = t.languages
    fields = [
        (t.gettext(L_NAME), data.person_name),
        (t.gettext(L_BIRTH), t.date(data.birth_date, "short") if data.birth_date else ""),
    ]
    if not data.person_name:
        fields.append((t.gettext(L_DOCUMENT), ""))
    if data.minor is not False:
        fields.append((t.gettext(L_GUARDIAN), data.guardian_name))
        fields.append((t.gettext(L_GUARDIAN_DOCUMENT), ""))
    privacy = data.privacy
    notice = layout.privacy_notice(
        t,
        controller=privacy.get("controller") or data.entity_name,
        purpose=privacy.get("purpose", ""),
        legal_basis=privacy.get("legal_basis", ""),
        recipients=privacy.get("recipients", ""),
        rights_contact=privacy.get("rights_contact", ""),
    )
    decor = layout.PageDecor(
        entity_name=data.entity_name,
        entity_logo=data.logo,
        title=t.gettext(L_TITLE),
        fields=tuple(fields),
        privacy_notice=notice,
        page_label=t.gettext(L_PAGE),
    )
    regular, bold = fonts.ensure_font(fonts.SANS), fonts.ensure_font(fonts.SANS_BOLD)
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13.5)
    other = ParagraphStyle("other", parent=body, textColor=colors.HexColor("#555555"), fontSize=9)
    answer = ParagraphStyle("answer", parent=body, fontName=bold)

    def paragraphs(message: str, **values: Any) -> list[Any]:
        """The sentence in each language of the form: the first in black, the second in grey."""
        out_: list[Any] = []
        for i, code in enumerate(langs):
            sentence = translator(code).gettext(message).format(**values)
            out_.append(Paragraph(text.markup(sentence), body if i == 0 else other))
        return out_

    width = decor.content_width
    if data.minor is None:
        intro = paragraphs(L_INTRO_BLANK, age=GUARDIAN_AGE)
    elif data.minor:
        intro = paragraphs(L_INTRO_GUARDIAN)
    else:
        intro = paragraphs(L_INTRO_SELF)
    story: list[Any] = [*intro, Spacer(1, 4 * MM)]

    box = 4.2 * MM

    def square() -> Any:
        """A square to tick."""
        cell = Table([[""]], colWidths=[box], rowHeights=[box])
        cell.setStyle(TableStyle([("BOX", (0, 0), (0, 0), 0.8, colors.black)]))
        return cell

    for _kind, question in QUESTIONS:
        row = [
            paragraphs(question, entity=data.entity_name),
            square(),
            Paragraph(text.markup(t.gettext(L_YES), bold=True), answer),
            square(),
            Paragraph(text.markup(t.gettext(L_NO), bold=True), answer),
        ]
        label_w = 22 * MM if len(langs) > 1 else 12 * MM
        tbl = Table(
            [row],
            colWidths=[
                width - 2 * (box + label_w) - 8 * MM,
                box + 2 * MM,
                label_w,
                box + 2 * MM,
                label_w,
            ],
        )
        tbl.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (1, 0), (1, 0), 0),
                    ("LEFTPADDING", (3, 0), (3, 0), 0),
                    ("TOPPADDING", (1, 0), (1, 0), 4),
                    ("TOPPADDING", (3, 0), (3, 0), 4),
                    ("LEFTPADDING", (2, 0), (2, 0), 3),
                    ("LEFTPADDING", (4, 0), (4, 0), 3),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.3, colors.HexColor("#bbbbbb")),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        story += [tbl, Spacer(1, 3 * MM)]
    story += [*paragraphs(L_WITHDRAW), Spacer(1, 8 * MM)]

    signers = []
    if data.minor is not True:
        signers.append(L_SIGN_SELF)
    if data.minor is not False:
        signers.append(L_SIGN_GUARDIAN)
    place = Paragraph(text.markup(t.gettext(L_PLACE_DATE) + ":", bold=True), answer)
    story += [place, Spacer(1, 10 * MM)]
    cells = [[Paragraph(text.markup(t.gettext(s)), other) for s in signers]]
    cells.append(["" for _s in signers])
    col = (width - 6 * MM) / len(signers)
    sign = Table(cells, colWidths=[col] * len(signers), rowHeights=[None, 22 * MM])
    sign.setStyle(
        TableStyle(
            [
                ("BOX", (0, 1), (0, 1), 0.6, colors.HexColor("#777777")),
                *(
                    [("BOX", (1, 1), (1, 1), 0.6, colors.HexColor("#777777"))]
                    if len(signers) > 1
                    else []
                ),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    story.append(sign)

    _pw, ph = decor.pagesize
    doc = SimpleDocTemplate(
        out,
        pagesize=decor.pagesize,
        leftMargin=layout.MARGIN - 6,
        rightMargin=layout.MARGIN - 6,
        topMargin=ph - decor.content_top(),
        bottomMargin=decor.content_bottom(),
        title=decor.title,
        author=data.entity_name,
    )
    doc.build(story, canvasmaker=layout.canvas_maker(decor))
