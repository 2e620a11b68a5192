"""Complaint letters as PDF: acknowledgement, delay notice and final response.

Built from a plain ``LetterData`` on the shared report base (embedded fonts, branded header, the
client's name in the footer, "Page x of y"). Every piece of text that is not one of this module's
own sentences goes through ``rich``/``ct``, so client words and names are escaped and shaped.
The final response (and the delay notice) name the external dispute body with its contact details,
as ASIC RG 271 and FCA DISP 1.6 require.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.reports.branding import Branding, default_branding
from app.reports.document import (
    CONTENT_W,
    PALE,
    RULE,
    Styles,
    build_pdf,
    ct,
    fmt_date,
    fmt_money,
    footer_for_client,
    styles_for,
)
from app.reports.fonts import BODY, BOLD, rich

QUOTE_RULE = colors.HexColor("#C9CED6")


class LetterKind(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    DELAY_NOTICE = "delay_notice"
    FINAL_RESPONSE = "final_response"

    @property
    def title(self) -> str:
        return {"acknowledgement": "Acknowledgement of your complaint", "delay_notice": "Update on your complaint",
                "final_response": "Final response to your complaint"}[self.value]


@dataclass(frozen=True)
class DisputeBody:
    name: str
    short_name: str
    website: str
    phone: str
    email: str | None = None
    postal_address: str | None = None
    time_limit: str = ""  # what the client must know about time limits for referring the complaint


@dataclass(frozen=True)
class RemedyLine:
    description: str
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class LetterData:
    kind: LetterKind
    organisation: str
    reference: str
    letter_date: date
    client_name: str
    salutation: str  # "Dear Zoë Ångström" (without the comma)
    address_lines: tuple[str, ...]
    received_on: date
    summary: str  # the complaint, as recorded
    handler_name: str
    handler_contact: str  # e-mail or phone of the person handling it; may be empty
    final_due_on: date | None
    dispute_body: DisputeBody
    reasons: str = ""  # delay notice: why we need more time
    expected_by: date | None = None  # delay notice: when we now expect to respond
    outcome: str | None = None  # final response: upheld, partly_upheld, not_upheld
    response: str = ""  # final response: what we found and why we decided as we did
    remedies: tuple[RemedyLine, ...] = ()


_OUTCOME_SENTENCE = {
    "upheld": "We have <b>upheld</b> your complaint.",
    "partly_upheld": "We have <b>partly upheld</b> your complaint.",
    "not_upheld": "We have <b>not upheld</b> your complaint.",
}


def _styles(branding: Branding) -> tuple[Styles, ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    st = styles_for(branding)
    para = ParagraphStyle("letter", parent=st.body, fontSize=10, leading=14.5, spaceAfter=7)
    subject = ParagraphStyle("letter_subject", parent=para, fontName=BOLD, fontSize=11, leading=15,
                             textColor=colors.HexColor(branding.primary), spaceBefore=4, spaceAfter=10)
    heading = ParagraphStyle("letter_h", parent=para, fontName=BOLD, spaceBefore=6, spaceAfter=4,
                             textColor=colors.HexColor(branding.primary))
    return st, para, subject, heading


def _address_block(d: LetterData, st: Styles, para: ParagraphStyle) -> Table:
    right = ParagraphStyle("letter_meta", parent=st.body, fontSize=9, leading=13, alignment=2)
    left = [ct(line, ParagraphStyle("addr", parent=para, spaceAfter=0)) for line in (d.client_name, *d.address_lines)]
    meta = [Paragraph(fmt_date(d.letter_date), right),
            Paragraph(f"Our reference: <b>{rich(d.reference)}</b>", right)]
    t = Table([[left, meta]], colWidths=[CONTENT_W * 0.6, CONTENT_W * 0.4], hAlign="LEFT")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), BODY),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return t


def _quote(text: str, st: Styles) -> Table:
    """The complaint as recorded, set apart with a rule on the left."""
    t = Table([[ct(text, ParagraphStyle("letter_quote", parent=st.quote, fontSize=9.5, leading=14))]],
              colWidths=[CONTENT_W], hAlign="LEFT")
    t.setStyle(TableStyle([("LINEBEFORE", (0, 0), (0, -1), 2, QUOTE_RULE), ("FONTNAME", (0, 0), (-1, -1), BODY),
                           ("LEFTPADDING", (0, 0), (-1, -1), 10), ("TOPPADDING", (0, 0), (-1, -1), 2),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return t


def _body_box(body: DisputeBody, st: Styles, branding: Branding) -> Table:
    """The external dispute body's name and every way to reach it, in a shaded box."""
    label = ParagraphStyle("box_label", parent=st.body, fontSize=9, leading=13, textColor=colors.HexColor("#4B5563"))
    value = ParagraphStyle("box_value", parent=st.body, fontSize=9.5, leading=13)
    head = ParagraphStyle("box_head", parent=st.body, fontName=BOLD, fontSize=10, leading=14,
                          textColor=colors.HexColor(branding.primary))
    rows: list[list[Flowable | str]] = [[Paragraph(f"{rich(body.name)} ({rich(body.short_name)})", head), ""]]
    for name, v in (("Website", body.website), ("Phone", body.phone), ("Email", body.email),
                    ("Post", body.postal_address)):
        if v:
            rows.append([Paragraph(name, label), ct(v, value)])
    t = Table(rows, colWidths=[28 * mm, CONTENT_W - 28 * mm], hAlign="LEFT")
    t.setStyle(TableStyle([
        ("SPAN", (0, 0), (1, 0)), ("BACKGROUND", (0, 0), (-1, -1), PALE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), BODY), ("LEFTPADDING", (0, 0), (-1, -1), 12),
        ("RIGHTPADDING", (0, 0), (-1, -1), 12), ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, 0), 9),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
        ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(branding.accent)),
    ]))
    return t


def _closing(d: LetterData, intro: str, st: Styles, para: ParagraphStyle, branding: Branding) -> KeepTogether:
    """Where to go next, the dispute body's details and the signature: never split from each other, so a
    signature is never left alone on a page."""
    return KeepTogether([
        Paragraph(intro, para), _body_box(d.dispute_body, st, branding), Spacer(0, 10),
        Paragraph("Yours sincerely,", para), Spacer(0, 12),
        Paragraph(f"<b>{rich(d.handler_name)}</b><br/>{rich(d.organisation)}"
                  + (f"<br/>{rich(d.handler_contact)}" if d.handler_contact else ""), para),
    ])


def _paragraphs(text: str, para: ParagraphStyle) -> list[Flowable]:
    """Text typed by staff: a blank line starts a new paragraph, a single line break stays a break."""
    return [ct(chunk.strip(), para) for chunk in re.split(r"\n\s*\n", text or "") if chunk.strip()]


def _remedies(lines: Sequence[RemedyLine], st: Styles) -> Table:
    cell = ParagraphStyle("rem", parent=st.body, fontSize=9.5, leading=13)
    right = ParagraphStyle("rem_r", parent=cell, alignment=2)
    rows = [[ct(r.description, cell), Paragraph(rich(fmt_money(r.amount, r.currency)), right)] for r in lines]
    t = Table(rows, colWidths=[CONTENT_W * 0.7, CONTENT_W * 0.3], hAlign="LEFT")
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), BODY), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                           ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                           ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    return t


def render_letter(d: LetterData, branding: Branding | None = None) -> bytes:
    """The letter as PDF bytes (write it with ``write_pdf_atomic``)."""
    branding = branding or default_branding()
    st, para, subject, heading = _styles(branding)
    body = d.dispute_body
    ref, received = rich(d.reference), fmt_date(d.received_on)
    due = fmt_date(d.final_due_on) if d.final_due_on else None
    story: list[Flowable] = [_address_block(d, st, para), Spacer(0, 16),
                             Paragraph(f"{rich(d.kind.title)} — reference {ref}", subject),
                             Paragraph(f"{rich(d.salutation)},", para)]

    if d.kind is LetterKind.ACKNOWLEDGEMENT:
        story += [
            Paragraph(f"Thank you for telling us about your concerns. We received your complaint on {received} "
                      f"and have recorded it under reference <b>{ref}</b>. Please quote this reference whenever "
                      "you contact us about it.", para),
            Paragraph("What you told us", heading), _quote(d.summary, st), Spacer(0, 8),
            Paragraph(f"{rich(d.handler_name)} is looking into your complaint and will keep you informed. "
                      + (f"We will give you our final response by <b>{due}</b>, and sooner if we can." if due else
                         "We will give you our final response as soon as we can."), para),
        ]
        intro = ("If you are not satisfied with our final response, or you have not received it "
                 f"{'by ' + due if due else 'in time'}, you can take your complaint to an independent external "
                 "dispute resolution body, free of charge:")
    elif d.kind is LetterKind.DELAY_NOTICE:
        if not due:
            late = "but we need more time to give you our final response."
        elif d.final_due_on < d.letter_date:
            late = f"that we have not been able to give you our final response by {due}, as we should have."
        else:
            late = f"but we will not be able to give you our final response by {due} as we had planned."
        story += [
            Paragraph(f"We are writing about your complaint of {received} (reference <b>{ref}</b>). We are sorry "
                      f"{late}", para),
            Paragraph("Why we need more time", heading), *_paragraphs(d.reasons, para),
        ]
        if d.expected_by:
            story.append(Paragraph(f"We now expect to give you our final response by <b>{fmt_date(d.expected_by)}"
                                   "</b>, and we will keep you informed until then.", para))
        intro = ("You do not have to wait for our final response: you can take your complaint now to an "
                 "independent external dispute resolution body, free of charge:")
    else:
        if d.outcome not in _OUTCOME_SENTENCE:
            raise ValueError("A final response letter needs the outcome: upheld, partly upheld or not upheld.")
        story += [
            Paragraph(f"Thank you for your patience while we looked into your complaint of {received} (reference "
                      f"<b>{ref}</b>). This letter is our final response.", para),
            Paragraph("Your complaint", heading), _quote(d.summary, st), Spacer(0, 8),
            Paragraph("Our decision", heading), Paragraph(_OUTCOME_SENTENCE[d.outcome], para),
            *_paragraphs(d.response, para),
        ]
        if d.remedies:
            story += [Paragraph("What we will do to put things right", heading), _remedies(d.remedies, st),
                      Spacer(0, 10)]
        intro = (f"If you are not satisfied with our response, you can take your complaint to the "
                 f"{rich(body.name)}. It is independent and free of charge. {rich(body.time_limit)}").strip()
    story.append(_closing(d, intro, st, para, branding))
    title = f"{d.kind.title} — {d.reference}"
    return build_pdf(story, branding, footer_for_client(d.client_name, branding), title,
                     subject=f"Complaint {d.reference}")
