"""The volunteer's commitment agreement (full de compromís) the entity and the volunteer sign:
Llei 25/2015 del voluntariat i de foment de l'associacionisme (Catalonia, art. 7) or Llei 4/2001
del voluntariat (Valencian Community), by the entity's region. Printed from the volunteer's and
the entity's data: the parties, the activities and tasks, schedule and duration, training,
insurance, the rights and duties of both, how it ends, and the signatures.

A pure builder, (data, lang, out) -> None, on the shared page of :mod:`app.reports.layout`; a
bilingual agreement prints each paragraph in both languages, one after the other.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from app.domain.volunteers import AgreementData
from app.i18n import N_, translator
from app.reports import fonts, layout, text
from app.reports.layout import MM

L_TITLE = N_("Volunteer commitment agreement")
L_VOLUNTEER = N_("Volunteer")
L_START = N_("Start date")
L_PAGE = N_("Page {page} of {pages}")
L_LAW_CT = N_(
    "This agreement is made under article 7 of Catalan Law 25/2015, of 30 July, on volunteering "
    "and the promotion of associations, between the entity and the volunteer named below."
)
L_LAW_VC = N_(
    "This agreement is made under Valencian Law 4/2001, of 19 June, on volunteering, between the "
    "entity and the volunteer named below."
)
L_PARTIES = N_("The parties")
L_ENTITY_LINE = N_("The entity: {name}, tax number {tax_id}, {address}.")
L_VOLUNTEER_LINE = N_("The volunteer: {name}{document}{contact}.")
L_DOCUMENT = N_(", ID document {document}")
L_CONTACT = N_(", contact {contact}")
L_ACTIVITIES = N_("Activities and tasks")
L_PROGRAMMES = N_("Programmes: {programmes}.")
L_ACTIVITY_LIST = N_("Activities: {activities}.")
L_TASKS = N_("Tasks: {tasks}")
L_SCHEDULE = N_("Schedule and duration")
L_FROM_TO = N_("From {start} to {end}.")
L_FROM_OPEN = N_("From {start}, for an indefinite period, until either party ends the agreement.")
L_WHEN = N_("Schedule: {schedule}")
L_TRAINING = N_("Training")
L_TRAINING_LINE = N_("{training} ({hours} hours).")
L_TRAINING_NONE = N_(
    "The entity provides the initial training the tasks require and ongoing support."
)
L_INSURANCE = N_("Insurance")
L_INSURANCE_LINE = N_(
    "The entity covers the volunteer with accident and civil liability insurance: {insurer}, "
    "policy number {policy}{dates}."
)
L_INSURANCE_DATES = N_(", in force from {start} to {end}")
L_INSURANCE_MISSING = N_(
    "The entity covers the volunteer with accident and civil liability insurance (policy to be "
    "filled in): ________________________________."
)
L_RIGHTS = N_("Rights of the volunteer")
RIGHTS = (
    N_("To receive information, training, guidance and support for the tasks agreed."),
    N_("To be treated without discrimination, with respect for their dignity and privacy."),
    N_("To take part actively in the entity and in the planning and evaluation of the programme."),
    N_("To be insured against the risks of the activity and to have the agreed expenses paid."),
    N_("To have a certificate of their volunteering and an identification as a volunteer."),
    N_("To end their commitment freely, letting the entity know in advance."),
)
L_DUTIES = N_("Duties of the volunteer")
DUTIES = (
    N_("To carry out the tasks agreed with diligence and follow the entity's instructions."),
    N_("To keep confidential the information they learn, above all about the people attended."),
    N_("To respect the rights of the people attended and refuse any payment from them."),
    N_("To take part in the training and coordination the entity offers."),
    N_(
        "To provide, when the tasks involve habitual contact with minors, a negative certificate "
        "from the Central Register of Sex Offenders (Organic Law 1/1996, art. 13.5)."
    ),
    N_("To let the entity know in advance when they cannot attend or wish to end the agreement."),
)
L_ENTITY_DUTIES = N_("Commitments of the entity")
ENTITY_DUTIES = (
    N_("To provide the volunteer with the means, training and support for the tasks."),
    N_("To keep the insurance and pay the expenses the tasks cause, as agreed."),
    N_("To keep a record of the volunteer's activity and issue a certificate on request."),
    N_("To protect the volunteer's personal data as the notice at the foot of this page says."),
)
L_END = N_("End of the agreement")
L_END_TEXT = N_(
    "Either party may end this agreement at any time by letting the other know, with reasonable "
    "notice so the people attended are not left without support."
)
L_SIGNED_ON = N_("Signed on {date}.")
L_PLACE_DATE = N_("Place and date")
L_SIGN_ENTITY = N_("For the entity")
L_SIGN_VOLUNTEER = N_("The volunteer")


def build_volunteer_agreement(data: AgreementData, lang: str, out: BinaryIO) -> None:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    t = translator(lang)
    langs = t.languages
    notice = layout.privacy_notice(
        t,
        controller=data.privacy.get("controller") or data.entity_name,
        purpose=data.privacy.get("purpose", ""),
        legal_basis=data.privacy.get("legal_basis", ""),
        recipients=data.privacy.get("recipients", ""),
        rights_contact=data.privacy.get("rights", ""),
    )
    decor = layout.PageDecor(
        entity_name=data.entity_name,
        entity_logo=data.logo,
        title=t.gettext(L_TITLE),
        fields=(
            (t.gettext(L_VOLUNTEER), data.volunteer_name),
            (t.gettext(L_START), t.date(data.start, "short")),
        ),
        privacy_notice=notice,
        page_label=t.gettext(L_PAGE),
    )
    regular, bold = fonts.ensure_font(fonts.SANS), fonts.ensure_font(fonts.SANS_BOLD)
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5, spaceAfter=2)
    other = ParagraphStyle("other", parent=body, textColor=colors.HexColor("#555555"), fontSize=8.5)
    head = ParagraphStyle(
        "head", parent=body, fontName=bold, fontSize=10.5, spaceBefore=6, keepWithNext=1
    )

    def para(message: str, bullet: bool = False, **values: Any) -> list[Any]:
        """The sentence in each language: the first in black, the second in grey."""
        out_: list[Any] = []
        for i, code in enumerate(langs):
            tr = translator(code)
            shown = {k: (v(tr) if callable(v) else v) for k, v in values.items()}
            sentence = tr.gettext(message).format(**shown)
            out_.append(
                Paragraph(
                    text.markup(("• " if bullet else "") + sentence), body if i == 0 else other
                )
            )
        return out_

    def heading(message: str) -> list[Any]:
        return [
            Paragraph(
                text.markup(
                    " / ".join(dict.fromkeys(translator(c).gettext(message) for c in langs))
                ),
                head,
            )
        ]

    story: list[Any] = []
    story += para(L_LAW_VC if data.region == "VC" else L_LAW_CT)
    story += heading(L_PARTIES)
    story += para(
        L_ENTITY_LINE,
        bullet=True,
        name=data.entity_name,
        tax_id=data.entity_tax_id or "—",
        address=data.entity_address or "—",
    )
    contact = ", ".join(x for x in (data.volunteer_phone, data.volunteer_email) if x)
    story += para(
        L_VOLUNTEER_LINE,
        bullet=True,
        name=data.volunteer_name,
        document=lambda tr: (
            tr.gettext(L_DOCUMENT).format(document=data.volunteer_document)
            if data.volunteer_document
            else ""
        ),
        contact=lambda tr: tr.gettext(L_CONTACT).format(contact=contact) if contact else "",
    )
    story += heading(L_ACTIVITIES)
    if data.programmes:
        story += para(L_PROGRAMMES, bullet=True, programmes="; ".join(data.programmes))
    if data.activities:
        story += para(L_ACTIVITY_LIST, bullet=True, activities="; ".join(data.activities))
    if data.tasks:
        story += para(L_TASKS, bullet=True, tasks=data.tasks)
    story += heading(L_SCHEDULE)

    def day(value: Any) -> Any:
        return lambda tr: translator(tr.lang).date(value)

    if data.end is not None:
        story += para(L_FROM_TO, bullet=True, start=day(data.start), end=day(data.end))
    else:
        story += para(L_FROM_OPEN, bullet=True, start=day(data.start))
    if data.schedule:
        story += para(L_WHEN, bullet=True, schedule=data.schedule)
    story += heading(L_TRAINING)
    if data.training:
        story += para(
            L_TRAINING_LINE,
            bullet=True,
            training=data.training.rstrip("."),
            hours=lambda tr: translator(tr.lang).number(data.training_hours),
        )
    else:
        story += para(L_TRAINING_NONE, bullet=True)
    story += heading(L_INSURANCE)
    if data.policy_number:
        dates = ""
        if data.insurance_from and data.insurance_to:
            ins_from, ins_to = data.insurance_from, data.insurance_to
            dates_of = lambda tr: tr.gettext(L_INSURANCE_DATES).format(  # noqa: E731
                start=translator(tr.lang).date(ins_from, "short"),
                end=translator(tr.lang).date(ins_to, "short"),
            )
        else:
            dates_of = lambda tr: dates  # noqa: E731
        story += para(
            L_INSURANCE_LINE,
            bullet=True,
            insurer=data.insurer or "—",
            policy=data.policy_number,
            dates=dates_of,
        )
    else:
        story += para(L_INSURANCE_MISSING, bullet=True)
    for title, items in ((L_RIGHTS, RIGHTS), (L_DUTIES, DUTIES), (L_ENTITY_DUTIES, ENTITY_DUTIES)):
        story += heading(title)
        for item in items:
            story += para(item, bullet=True)
    story += heading(L_END)
    story += para(L_END_TEXT)
    story.append(Spacer(1, 5 * MM))
    if data.signed_on is not None:
        story += para(L_SIGNED_ON, date=day(data.signed_on))
    else:
        story.append(Paragraph(text.markup(t.gettext(L_PLACE_DATE) + ":", bold=True), body))
    story.append(Spacer(1, 4 * MM))
    width = decor.content_width
    signers = (L_SIGN_ENTITY, L_SIGN_VOLUNTEER)
    cells = [[Paragraph(text.markup(t.gettext(s)), other) for s in signers], ["", ""]]
    col = (width - 6 * MM) / 2
    sign = Table(cells, colWidths=[col, col], rowHeights=[None, 22 * MM])
    sign.setStyle(
        TableStyle(
            [
                ("BOX", (0, 1), (0, 1), 0.6, colors.HexColor("#777777")),
                ("BOX", (1, 1), (1, 1), 0.6, colors.HexColor("#777777")),
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
