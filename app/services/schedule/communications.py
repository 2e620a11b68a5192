"""Communications: templates with merge fields per segment, purpose and language; an e-mail (.eml or
mailto:) or a letter (PDF) for one client, refused when the client may not be contacted that way;
and a record of what was sent.

Consent convention (rows in ``consents``, the latest per purpose in force, unless expired):
``contact_<channel>`` refused  -> that channel may not be used at all (e.g. contact_email);
``marketing_<channel>`` granted -> needed for a marketing purpose on that channel (opt-in).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import cadence as cad
from app.messages import QT_TRANSLATE_NOOP
from app.store.keys import write_private
from app.store.models import (
    Client,
    ClientAddress,
    ClientEmail,
    Communication,
    CommunicationTemplate,
    Consent,
    ScheduledContact,
    Segment,
)

from ._base import ContactRefused, ServiceBase, setting, text_field, zone

DEFAULT_LANGUAGE = "en"
TEMPLATE_CHANNELS = ("email", "letter", "sms")
MERGE_FIELDS = ("client.given_name", "client.display_name", "rm.display_name", "org.name", "next_review")
MARKETING_WORDS = ("marketing", "offer", "campaign", "newsletter", "promotion")
MAILTO_SAFE_LENGTH = 2000  # some mail programs truncate longer mailto: links
_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_CHANNEL_WORDS = {
    "email": QT_TRANSLATE_NOOP("Channel", "e-mail"), "letter": QT_TRANSLATE_NOOP("Channel", "letter"),
    "sms": QT_TRANSLATE_NOOP("Channel", "SMS"), "phone": QT_TRANSLATE_NOOP("Channel", "phone"),
    "video": QT_TRANSLATE_NOOP("Channel", "video call"),
    "face_to_face": QT_TRANSLATE_NOOP("Channel", "meeting in person"),
}


@dataclass(frozen=True)
class TemplateView:
    id: str
    name: str
    purpose: str
    channel: str
    language: str
    segment: str | None  # segment code; None for every segment
    subject: str | None
    body: str


@dataclass(frozen=True)
class CommunicationDraft:
    """A rendered communication, ready to preview (and edit) before it is produced."""

    client_id: str
    client_name: str
    template_id: str | None
    template_name: str | None
    purpose: str
    channel: str
    language: str
    language_fallback: bool  # True when no template exists in the client's preferred language
    subject: str
    body: str
    to_name: str
    to_address: str | None  # primary e-mail address
    postal_address: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SentCommunication:
    id: str
    client_id: str
    channel: str
    format: str  # eml, mailto, pdf
    sent_at: datetime
    subject: str | None
    path: Path | None = None
    url: str | None = None


@dataclass(frozen=True)
class CommunicationView:
    id: str
    sent_at: datetime
    channel: str
    subject: str | None
    template_id: str | None
    format: str | None
    language: str | None


# -- merge fields ----------------------------------------------------------------------------------
def merge_fields_in(text: str) -> set[str]:
    return {m.group(1).strip() for m in _FIELD.finditer(text or "") if m.group(1) is not None}


def check_merge_fields(text: str) -> None:
    unknown = sorted(merge_fields_in(text) - set(MERGE_FIELDS))
    if unknown:
        raise ValueError(f"Unknown merge field {{{unknown[0]}}}; use one of: "
                         + ", ".join(f"{{{f}}}" for f in MERGE_FIELDS) + ".")


def render(text: str, values: dict[str, str]) -> str:
    """Fill ``{field}`` placeholders; ``{{`` and ``}}`` are literal braces. Never evaluates anything."""
    def fill(m: re.Match) -> str:
        if m.group(0) == "{{":
            return "{"
        if m.group(0) == "}}":
            return "}"
        name = m.group(1).strip()
        if name not in values:
            raise ValueError(f"Unknown merge field {{{name}}}.")
        return values[name]

    return _FIELD.sub(fill, text or "")


def primary_tag(language: str | None) -> str:
    return (language or "").split("-")[0].split("_")[0].casefold()


def format_date(day: date, language: str) -> str:
    lang = primary_tag(language)
    if lang == "vi":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    if lang in ("zh", "ja"):
        return f"{day.year}年{day.month}月{day.day}日"
    if lang == "ko":
        return f"{day.year}년 {day.month}월 {day.day}일"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def language_rank(template_language: str, wanted: str | None) -> int | None:
    """0 the client's exact language, 1 the same language (another region/script), 2 the default
    language, 3 the default language in another region; None for any other language."""
    t = template_language.casefold().replace("_", "-")
    if wanted:
        w = wanted.casefold().replace("_", "-")
        if t == w:
            return 0
        if primary_tag(t) == primary_tag(w):
            return 1
    if t == DEFAULT_LANGUAGE:
        return 2
    if primary_tag(t) == DEFAULT_LANGUAGE:
        return 3
    return None


def is_marketing(purpose: str) -> bool:
    p = purpose.casefold()
    return any(word in p for word in MARKETING_WORDS)


# -- default templates -------------------------------------------------------------------------------
_EN_BODY = """Dear {{client.given_name}},

It is time for your annual review. I would like to meet with you to go over your goals, your accounts and \
anything that has changed for you over the past year.

Your review is due on {{next_review}}. Please {reply} to choose a time that suits you.

Kind regards,
{{rm.display_name}}
{{org.name}}"""
_VI_BODY = """Kính gửi Quý khách {{client.display_name}},

Đã đến lúc thực hiện buổi đánh giá hằng năm của Quý khách. Tôi mong được gặp Quý khách để cùng xem lại các \
mục tiêu tài chính, các tài khoản và những thay đổi của Quý khách trong năm qua.

Buổi đánh giá dự kiến vào ngày {{next_review}}. Quý khách vui lòng {reply} để chọn thời gian thuận tiện.

Trân trọng,
{{rm.display_name}}
{{org.name}}"""
_ZH_BODY = """尊敬的{{client.display_name}}：

您的年度回顾时间已到。我希望与您会面，一起回顾您的财务目标、账户情况以及过去一年中的变化。

您的回顾预定于{{next_review}}进行。请{reply}，选择您方便的时间。

此致
敬礼

{{rm.display_name}}
{{org.name}}"""
_REPLY = {
    ("en", "email"): "reply to this e-mail or call me", ("en", "letter"): "call me or reply to this letter",
    ("vi", "email"): "trả lời thư điện tử này hoặc gọi cho tôi", ("vi", "letter"): "gọi cho tôi hoặc trả lời thư này",
    ("zh", "email"): "回复此邮件或致电与我联系", ("zh", "letter"): "致电或回信与我联系",
}
_DEFAULTS = {
    "en": ("Annual review invitation", "Your annual review with {org.name}", _EN_BODY),
    "vi": ("Thư mời đánh giá hằng năm", "Buổi đánh giá hằng năm của Quý khách tại {org.name}", _VI_BODY),
    "zh": ("年度回顾邀请", "{org.name}：您的年度财务回顾", _ZH_BODY),
}
ANNUAL_REVIEW_INVITATION = "annual_review_invitation"


def default_templates() -> list[dict]:
    """The seeded templates. Their ids are derived from their identity, so two devices seeding the
    same profile create the same rows (sync sees one template, not two)."""
    out = []
    for lang, (name, subject, body) in _DEFAULTS.items():
        for channel in ("email", "letter"):
            key = f"rmdesk:template:{ANNUAL_REVIEW_INVITATION}:{channel}:{lang}"
            out.append({
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, key)), "name": name, "purpose": ANNUAL_REVIEW_INVITATION,
                "channel": channel, "language": lang, "subject": subject,
                # the bodies above use doubled braces for merge fields and single ones for {reply}
                "body": body.format(reply=_REPLY[(lang, channel)]),
            })
    return out


class CommunicationsMixin(ServiceBase):
    # -- templates ----------------------------------------------------------------------------------
    def ensure_default_templates(self) -> int:
        """Seed the default templates that were never created (a deleted one stays deleted)."""
        seeds = default_templates()
        with self._db.reading() as s:
            have = set(s.scalars(select(CommunicationTemplate.id).where(
                CommunicationTemplate.id.in_([t["id"] for t in seeds]))))
        missing = [t for t in seeds if t["id"] not in have]
        if not missing:
            return 0
        with self._db.unit(self._actor) as uow:
            for t in missing:
                if uow.session.get(CommunicationTemplate, t["id"]) is None:
                    uow.session.add(CommunicationTemplate(**t))
        return len(missing)

    def templates(self, purpose: str | None = None, channel: str | None = None) -> tuple[TemplateView, ...]:
        self.ensure_default_templates()
        with self._db.reading() as s:
            q = (select(CommunicationTemplate, Segment.code)
                 .outerjoin(Segment, Segment.id == CommunicationTemplate.segment_id)
                 .where(CommunicationTemplate.deleted.is_(False)))
            if purpose:
                q = q.where(CommunicationTemplate.purpose == purpose)
            if channel:
                q = q.where(CommunicationTemplate.channel == channel)
            rows = s.execute(q.order_by(CommunicationTemplate.purpose, CommunicationTemplate.channel,
                                        CommunicationTemplate.language, CommunicationTemplate.name))
            return tuple(_template_view(t, code) for t, code in rows)

    def save_template(self, name: str, purpose: str, channel: str, body: str, *, language: str = DEFAULT_LANGUAGE,
                      subject: str | None = None, segment: str | None = None,
                      template_id: str | None = None) -> TemplateView:
        """Create a template, or replace the one with ``template_id``; unknown merge fields are refused."""
        name_ = text_field(name, QT_TRANSLATE_NOOP("Field", "template name"), 120, required=True)
        purpose_ = text_field(purpose, QT_TRANSLATE_NOOP("Field", "purpose"), 40, required=True)
        if channel not in TEMPLATE_CHANNELS:
            raise ValueError(f"A template is for one of: {', '.join(TEMPLATE_CHANNELS)}.")
        language_ = (language or "").strip()
        if not _LANG.match(language_) or len(language_) > 35:
            raise ValueError(f"'{language}' is not a language tag (for example en, vi or zh-Hant).")
        body_ = text_field(body, QT_TRANSLATE_NOOP("Field", "template text"), 100_000, required=True)
        subject_ = text_field(subject, QT_TRANSLATE_NOOP("Field", "subject"), 300)
        for part in (body_ or "", subject_ or ""):
            check_merge_fields(part)
        with self._db.unit(self._actor) as uow:
            s = uow.session
            segment_id = None
            if segment:
                segment_id = s.scalar(select(Segment.id).where(Segment.code == segment, Segment.deleted.is_(False)))
                if segment_id is None:
                    raise LookupError(f"There is no segment {segment!r}.")
            if template_id:
                row = s.get(CommunicationTemplate, template_id)
                if row is None or row.deleted:
                    raise LookupError(f"There is no template with id {template_id!r}.")
            else:
                row = CommunicationTemplate()
                s.add(row)
            row.name, row.purpose, row.channel, row.language = name_, purpose_, channel, language_
            row.subject, row.body, row.segment_id = subject_, body_, segment_id
            s.flush()
            return _template_view(row, segment)

    def delete_template(self, template_id: str) -> None:
        with self._db.unit(self._actor) as uow:
            row = uow.session.get(CommunicationTemplate, template_id)
            if row is None or row.deleted:
                raise LookupError(f"There is no template with id {template_id!r}.")
            row.deleted = True

    # -- composing ----------------------------------------------------------------------------------
    def compose(self, client_id: str, purpose: str, channel: str = "email") -> CommunicationDraft:
        """The communication for this client: the template in the client's language where one exists
        (else the default language), merged. Refused when the client may not be contacted this way."""
        if channel not in TEMPLATE_CHANNELS:
            raise ValueError(f"Choose one of: {', '.join(TEMPLATE_CHANNELS)}.")
        with self._db.reading() as s:
            client = self._client(s, client_id)
            warnings = self._permission(s, client, channel, purpose)
        self.ensure_default_templates()
        with self._db.reading() as s:
            client = self._client(s, client_id)
            candidates = list(s.scalars(select(CommunicationTemplate).where(
                CommunicationTemplate.purpose == purpose, CommunicationTemplate.channel == channel,
                CommunicationTemplate.deleted.is_(False))))
            ranked = []
            for t in candidates:
                lang = language_rank(t.language, client.preferred_language)
                if lang is None or (t.segment_id is not None and t.segment_id != client.segment_id):
                    continue
                ranked.append(((lang, t.segment_id is None, t.name, t.id), t))
            if not ranked:
                raise LookupError(f"There is no {channel} template for '{purpose}' in "
                                  f"{client.preferred_language or DEFAULT_LANGUAGE} or {DEFAULT_LANGUAGE}.")
            rank, template = min(ranked, key=lambda pair: pair[0])
            fallback = bool(client.preferred_language) and rank[0] >= 2
            if fallback:
                warnings.append(f"There is no template in {client.preferred_language}; "
                                f"the {template.language} one is used.")
            values, more = self._merge_values(s, client, template.language)
            warnings.extend(more)
            email = self._primary_email(s, client.id)
            if channel == "email" and email is None:
                warnings.append(f"{client.display_name} has no e-mail address on file.")
            postal = self._postal(s, client)
            return CommunicationDraft(
                client.id, client.display_name, template.id, template.name, purpose, channel, template.language,
                fallback, render(template.subject or "", values), render(template.body, values), client.display_name,
                email, postal, tuple(warnings))

    def _permission(self, s: Session, client: Client, channel: str, purpose: str) -> list[str]:
        """Refuse do-not-contact and refused channels (ContactRefused); return softer warnings."""
        word = _CHANNEL_WORDS.get(channel, channel)
        if client.do_not_contact:
            raise ContactRefused(QT_TRANSLATE_NOOP(
                "Contact", "{client} is marked do not contact; nothing was sent.").format(client=client.display_name))
        if client.status == "closed":
            raise ContactRefused(QT_TRANSLATE_NOOP(
                "Contact", "{client}'s relationship is closed; nothing was sent.").format(client=client.display_name))
        today = self.today(s)
        decisions: dict[str, Consent] = {}
        for row in s.scalars(select(Consent).where(Consent.client_id == client.id, Consent.deleted.is_(False))
                             .order_by(Consent.recorded_at, Consent.id)):
            decisions[row.purpose] = row

        def in_force(purpose_: str) -> bool | None:
            row = decisions.get(purpose_)
            if row is None or (row.expires_on is not None and row.expires_on < today):
                return None
            return row.granted

        if in_force(f"contact_{channel}") is False:
            raise ContactRefused(QT_TRANSLATE_NOOP(
                "Contact", "{client} has refused contact by {channel}; nothing was sent.").format(
                client=client.display_name, channel=word))
        if is_marketing(purpose) and in_force(f"marketing_{channel}") is not True:
            raise ContactRefused(QT_TRANSLATE_NOOP(
                "Contact", "{client} has not agreed to marketing by {channel}; nothing was sent.").format(
                client=client.display_name, channel=word))
        warnings = []
        if client.preferred_channel and client.preferred_channel != channel:
            preferred = _CHANNEL_WORDS.get(client.preferred_channel, client.preferred_channel)
            warnings.append(QT_TRANSLATE_NOOP("Contact", "{client} prefers to be contacted by {channel}.").format(
                client=client.display_name, channel=preferred))
        if client.interpreter_needed:
            warnings.append(QT_TRANSLATE_NOOP("Contact", "{client} needs an interpreter.").format(client=client.display_name))
        return warnings

    def _merge_values(self, s: Session, client: Client, language: str) -> tuple[dict[str, str], list[str]]:
        rm_name, _ = self._rm(s)
        review = self._next_review(s, client)
        warnings = [] if review else ["No review date is known; {next_review} was left blank."]
        return {
            "client.given_name": (client.given_name or "").strip() or client.display_name,
            "client.display_name": client.display_name,
            "rm.display_name": rm_name,
            "org.name": str(setting(s, "org.name")),
            "next_review": format_date(review, language) if review else "",
        }, warnings

    def _next_review(self, s: Session, client: Client) -> date | None:
        """The next planned review in the diary, else the date the cadence asks for (not in the past)."""
        tz = zone(s)
        now = self.now()
        planned = s.scalars(select(ScheduledContact).where(
            ScheduledContact.client_id == client.id, ScheduledContact.status == "planned",
            ScheduledContact.deleted.is_(False), ScheduledContact.due_at >= now)
            .order_by(ScheduledContact.due_at)).all()
        reviews = [c for c in planned if "review" in c.contact_kind]
        if reviews:
            return reviews[0].due_at.astimezone(tz).date()
        ctx = self._context(s)
        cadences = self._effective(s, client, ctx)
        if not cadences:
            return planned[0].due_at.astimezone(tz).date() if planned else None
        chosen = [c for c in cadences if "review" in (c.label or c.kind.value)] or list(cadences)
        last = self._last_contact(s, client.id)
        due = min(cad.next_due(last, c, tz, today=ctx.today, onboarded_on=client.onboarded_on) for c in chosen)
        return max(due, ctx.today)

    @staticmethod
    def _primary_email(s: Session, client_id: str) -> str | None:
        return s.scalar(select(ClientEmail.address).where(ClientEmail.client_id == client_id,
                                                          ClientEmail.deleted.is_(False))
                        .order_by(ClientEmail.is_primary.desc(), ClientEmail.created_at).limit(1))

    @staticmethod
    def _postal(s: Session, client: Client) -> tuple[str, ...]:
        row = s.scalar(select(ClientAddress).where(ClientAddress.client_id == client.id,
                                                   ClientAddress.deleted.is_(False))
                       .order_by(ClientAddress.is_primary.desc(), ClientAddress.created_at).limit(1))
        if row is None:
            return ()
        town = " ".join(p for p in (row.city, row.region, row.postcode) if p)
        lines = [row.line1, row.line2 or "", town, row.country if row.country != client.country else ""]
        return tuple(line for line in lines if line)

    # -- producing ----------------------------------------------------------------------------------
    def write_email(self, draft: CommunicationDraft, path: Path | str) -> SentCommunication:
        """The draft as an .eml file (UTF-8, opens as an unsent message), written atomically, and recorded."""
        target = Path(path)
        self._need(draft, "email")
        if not draft.to_address:
            raise ValueError(f"{draft.client_name} has no e-mail address on file.")

        def produce(s: Session, sent_at: datetime) -> dict:
            rm_name, rm_email = self._rm(s)
            msg = EmailMessage()
            msg["Subject"] = draft.subject
            try:
                msg["To"] = Address(display_name=draft.to_name, addr_spec=draft.to_address)
                if rm_email:
                    msg["From"] = Address(display_name=rm_name, addr_spec=rm_email)
            except Exception as exc:  # the header classes raise several types for bad addresses
                raise ValueError(f"'{draft.to_address}' cannot be written as an e-mail address.") from exc
            msg["Date"] = format_datetime(sent_at.astimezone(zone(s)))
            msg["Message-ID"] = make_msgid(domain="rmdesk.invalid")
            msg["X-Unsent"] = "1"  # Outlook and others open it as a draft ready to send
            msg.set_content(draft.body, charset="utf-8")
            msg["Content-Language"] = draft.language  # after set_content, which clears Content-* headers
            write_private(target, msg.as_bytes(policy=SMTP))
            return {"format": "eml", "file": target.name}

        return self._record(draft, produce, path=target)

    def email_url(self, draft: CommunicationDraft) -> SentCommunication:
        """The draft as a mailto: link for the default mail program, and recorded."""
        self._need(draft, "email")
        if not draft.to_address:
            raise ValueError(f"{draft.client_name} has no e-mail address on file.")
        body = draft.body.replace("\r\n", "\n").replace("\n", "\r\n")
        url = (f"mailto:{quote(draft.to_address, safe='@')}?subject={quote(draft.subject, safe='')}"
               f"&body={quote(body, safe='')}")
        return self._record(draft, lambda s, at: {"format": "mailto", "length": len(url)}, url=url)

    def write_letter(self, draft: CommunicationDraft, path: Path | str, password: str | None = None
                     ) -> SentCommunication:
        """The draft as a branded PDF letter (embedded fonts, any script), written atomically, and recorded."""
        target = Path(path)
        self._need(draft, "letter")

        def produce(s: Session, sent_at: datetime) -> dict:
            from app.reports.branding import load_branding
            from app.reports.document import write_pdf_atomic

            branding = load_branding(self._db.path.parent)
            data = letter_pdf(draft, branding, sent_at.astimezone(zone(s)).date())
            write_pdf_atomic(target, data, password)
            return {"format": "pdf", "file": target.name, "encrypted": bool(password)}

        return self._record(draft, produce, path=target)

    def communications(self, client_id: str, limit: int = 100) -> tuple[CommunicationView, ...]:
        """What was sent to the client, newest first."""
        with self._db.reading() as s:
            self._client(s, client_id)
            tz = zone(s)
            rows = s.scalars(select(Communication).where(Communication.client_id == client_id,
                                                         Communication.deleted.is_(False))
                             .order_by(Communication.sent_at.desc()).limit(limit))
            return tuple(CommunicationView(c.id, c.sent_at.astimezone(tz), c.channel, c.subject, c.template_id,
                                           (c.meta or {}).get("format"), (c.meta or {}).get("language"))
                         for c in rows)

    @staticmethod
    def _need(draft: CommunicationDraft, channel: str) -> None:
        if draft.channel != channel:
            raise ValueError(f"This is a {draft.channel} draft; compose a {channel} to produce one.")

    def _record(self, draft: CommunicationDraft, produce, *, path: Path | None = None,
                url: str | None = None) -> SentCommunication:
        """Check permission again (the draft may be old), produce, and record - all or nothing."""
        sent_at = self.now()
        with self._db.unit(self._actor) as uow:
            s = uow.session
            client = self._client(s, draft.client_id)
            self._permission(s, client, draft.channel, draft.purpose)
            meta = produce(s, sent_at)
            meta.update({"purpose": draft.purpose, "language": draft.language})
            row = Communication(client_id=client.id, template_id=draft.template_id, channel=draft.channel,
                                sent_at=sent_at, subject=draft.subject or None, body=draft.body, meta=meta)
            s.add(row)
            s.flush()
            return SentCommunication(row.id, client.id, draft.channel, meta["format"], sent_at, row.subject, path, url)


def _template_view(t: CommunicationTemplate, segment_code: str | None) -> TemplateView:
    return TemplateView(t.id, t.name, t.purpose, t.channel, t.language, segment_code, t.subject, t.body)


def letter_pdf(draft: CommunicationDraft, branding, on: date) -> bytes:
    """A one-page letter on the report engine: date, address block, subject, body."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    from app.reports.document import build_pdf, ct, footer_for_client, styles_for
    from app.reports.fonts import rich

    styles = styles_for(branding)
    story: list = [Paragraph(rich(format_date(on, draft.language)), styles.body_right), Spacer(1, 6 * mm)]
    story.append(ct("\n".join((draft.to_name, *draft.postal_address)), styles.body))
    story.append(Spacer(1, 10 * mm))
    if draft.subject:
        story.append(Paragraph(rich(draft.subject), styles.h2))
        story.append(Spacer(1, 2 * mm))
    for block in re.split(r"\n\s*\n", draft.body.replace("\r\n", "\n").strip()):
        story.append(ct(block, styles.body))
        story.append(Spacer(1, 3.5 * mm))
    return build_pdf(story, branding, footer_for_client(draft.client_name, branding), draft.subject or "Letter")
