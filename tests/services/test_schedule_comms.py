"""Communications: template choice by language and segment, merge fields, refusals (do not contact,
refused channel, marketing without consent), .eml / mailto: / PDF letter, and the record of what was sent."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from sqlalchemy import func, select

from app.services.schedule import ANNUAL_REVIEW_INVITATION, ContactRefused
from app.services.schedule.communications import render
from app.store.models import Client, ClientAddress, Communication, CommunicationTemplate, Consent

from .test_schedule import Book, local


@pytest.fixture
def book(workstation) -> Book:
    return Book(workstation)


@pytest.fixture
def svc(book: Book):
    return book.service()

PURPOSE = ANNUAL_REVIEW_INVITATION


def sent(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(Communication))


def set_client(db, client_id, **fields) -> None:
    with db.unit("t") as uow:
        c = uow.session.get(Client, client_id)
        for k, v in fields.items():
            setattr(c, k, v)


def consent(db, client_id, purpose, granted) -> None:
    with db.unit("t") as uow:
        uow.session.add(Consent(client_id=client_id, purpose=purpose, granted=granted,
                                recorded_at=datetime(2024, 1, 1, tzinfo=UTC)))


def test_defaults_are_seeded_once_with_stable_ids(book, svc):
    first = svc.templates(PURPOSE)
    assert {(t.channel, t.language) for t in first} == {(c, lang) for c in ("email", "letter")
                                                        for lang in ("en", "vi", "zh")}
    assert svc.ensure_default_templates() == 0
    svc.delete_template(first[0].id)
    assert svc.ensure_default_templates() == 0  # a deleted default stays deleted
    assert len(svc.templates(PURPOSE)) == 5


def test_template_in_the_clients_language_else_the_default(book, svc):
    vi = svc.compose(book.ids["vi"], PURPOSE, "email")
    assert (vi.language, vi.language_fallback) == ("vi", False)
    assert vi.body.startswith("Kính gửi Quý khách Nguyễn Văn An,")
    assert "12/09/2024" not in vi.body and "/2025" in vi.body  # annual review due 1 May 2025, vi date format
    assert f"{book.ws.user.display_name}\nRM Desk Demo Bank" in vi.body
    assert vi.subject == "Buổi đánh giá hằng năm của Quý khách tại RM Desk Demo Bank"

    set_client(book.db, book.ids["green"], preferred_language="zh-CN")
    zh = svc.compose(book.ids["green"], PURPOSE, "letter")
    assert zh.language == "zh" and "2025年1月15日" in zh.body and not zh.language_fallback

    set_client(book.db, book.ids["green"], preferred_language="fr")
    fr = svc.compose(book.ids["green"], PURPOSE, "email")
    assert (fr.language, fr.language_fallback) == ("en", True)
    assert fr.body.startswith("Dear Gina,") and "15 January 2025" in fr.body
    assert any("no template in fr" in w for w in fr.warnings)

    set_client(book.db, book.ids["green"], preferred_language=None)
    assert not svc.compose(book.ids["green"], PURPOSE).language_fallback
    with pytest.raises(LookupError, match="no sms template"):
        svc.compose(book.ids["green"], PURPOSE, "sms")


def test_segment_template_beats_the_generic_one_in_the_same_language(book, svc):
    svc.save_template("Premium invite", PURPOSE, "email", "Dear {client.display_name}, premium review {{soon}}.",
                      subject="Premium review", segment="PREMIUM")
    premium = svc.compose(book.ids["amber"], PURPOSE)
    assert premium.template_name == "Premium invite"
    assert premium.body == "Dear Ada Amber, premium review {soon}."
    other = svc.compose(book.ids["green"], PURPOSE)
    assert other.template_name == "Annual review invitation"
    # the client's language still wins over a segment template in another language
    assert svc.compose(book.ids["vi"], PURPOSE).language == "vi"


def test_unknown_merge_fields_are_refused(book, svc):
    with pytest.raises(ValueError, match=r"Unknown merge field \{client.tax_id\}"):
        svc.save_template("Bad", PURPOSE, "email", "Your TFN is {client.tax_id}")
    with pytest.raises(ValueError, match="language tag"):
        svc.save_template("Bad", PURPOSE, "email", "Hi", language="english!")
    with pytest.raises(ValueError, match="Unknown merge field"):
        render("{__class__}", {})


def test_do_not_contact_and_refused_channels(book, svc, tmp_path):
    with pytest.raises(ContactRefused, match="do not contact"):
        svc.compose(book.ids["dnc"], PURPOSE, "email")
    draft = svc.compose(book.ids["green"], PURPOSE, "email")
    consent(book.db, book.ids["green"], "contact_email", False)
    with pytest.raises(ContactRefused, match="refused contact by e-mail"):
        svc.compose(book.ids["green"], PURPOSE, "email")
    with pytest.raises(ContactRefused):  # an older draft is checked again when it is produced
        svc.write_email(draft, tmp_path / "x.eml")
    assert not (tmp_path / "x.eml").exists() and sent(book.db) == 0
    assert svc.compose(book.ids["green"], PURPOSE, "letter").channel == "letter"  # letters still allowed
    consent(book.db, book.ids["green"], "contact_email", True)  # the latest decision is the one in force
    assert svc.compose(book.ids["green"], PURPOSE, "email")

    svc.save_template("Card offer", "marketing_offer", "email", "A new card for {client.given_name}")
    with pytest.raises(ContactRefused, match="not agreed to marketing"):
        svc.compose(book.ids["green"], "marketing_offer", "email")
    consent(book.db, book.ids["green"], "marketing_email", True)
    assert svc.compose(book.ids["green"], "marketing_offer", "email").body == "A new card for Gina"
    set_client(book.db, book.ids["green"], preferred_channel="phone")
    assert any("prefers to be contacted by phone" in w for w in svc.compose(book.ids["green"], PURPOSE).warnings)


def test_email_file_parses_back_and_is_recorded(book, svc, tmp_path):
    draft = svc.compose(book.ids["vi"], PURPOSE, "email")
    out = svc.write_email(draft, tmp_path / "invite.eml")
    data = (tmp_path / "invite.eml").read_bytes()
    assert (tmp_path / "invite.eml").stat().st_mode & 0o777 == 0o600
    msg = message_from_bytes(data, policy=default)
    assert msg["Subject"] == draft.subject
    assert msg["To"].addresses[0].addr_spec == "vi@example.com"
    assert msg["To"].addresses[0].display_name == "Nguyễn Văn An"
    assert msg["Content-Language"] == "vi" and msg["X-Unsent"] == "1"
    assert msg.get_content_charset() == "utf-8"
    assert msg.get_content().replace("\r\n", "\n").strip() == draft.body.strip()
    assert out.format == "eml" and out.path == tmp_path / "invite.eml"
    with book.db.reading() as s:
        row = s.scalars(select(Communication)).one()
        assert (row.client_id, row.channel, row.template_id) == (book.ids["vi"], "email", draft.template_id)
        assert row.meta == {"format": "eml", "file": "invite.eml", "purpose": PURPOSE, "language": "vi"}
    assert [c.subject for c in svc.communications(book.ids["vi"])] == [draft.subject]


def test_mailto_url_round_trips(book, svc):
    draft = svc.compose(book.ids["green"], PURPOSE, "email")
    out = svc.email_url(draft)
    parts = urlsplit(out.url)
    assert parts.scheme == "mailto" and unquote(parts.path) == "green@example.com"
    query = parse_qs(parts.query)
    assert query["subject"] == [draft.subject]
    assert query["body"][0].replace("\r\n", "\n") == draft.body
    assert sent(book.db) == 1
    with pytest.raises(ValueError, match="letter draft"):
        svc.email_url(svc.compose(book.ids["green"], PURPOSE, "letter"))


def test_letter_pdf_in_chinese_and_vietnamese(book, svc, tmp_path):
    from pypdf import PdfReader

    with book.db.unit("t") as uow:
        uow.session.add(ClientAddress(client_id=book.ids["green"], line1="1 Harbour St", city="Sydney",
                                      region="NSW", postcode="2000", is_primary=True))
    set_client(book.db, book.ids["green"], preferred_language="zh")
    draft = svc.compose(book.ids["green"], PURPOSE, "letter")
    assert draft.postal_address == ("1 Harbour St", "Sydney NSW 2000")
    out = svc.write_letter(draft, tmp_path / "letter.pdf")
    data = (tmp_path / "letter.pdf").read_bytes()
    assert data.startswith(b"%PDF") and out.format == "pdf"
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "1 Harbour St" in text and "年度回顾" in text
    vi = svc.write_letter(svc.compose(book.ids["vi"], PURPOSE, "letter"), tmp_path / "vi.pdf", password="s3cret")
    reader = PdfReader(io.BytesIO((tmp_path / "vi.pdf").read_bytes()))
    assert reader.is_encrypted and vi.format == "pdf"
    assert sent(book.db) == 2


def test_template_rows_are_not_duplicated_across_seeding_devices(book, svc):
    svc.templates()
    again = type(svc)(book.db, "other-device")
    again.ensure_default_templates()
    with book.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(CommunicationTemplate)) == 6


def test_record_uses_the_service_clock(book):
    svc2 = book.service(local(2024, 6, 12, 11))
    out = svc2.email_url(svc2.compose(book.ids["green"], PURPOSE))
    assert out.sent_at == local(2024, 6, 12, 11)
