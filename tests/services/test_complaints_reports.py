"""The complaints register (and its CSV), the UK-style summary on hand-built cases, root-cause trends,
and the letters checked with Poppler."""

from __future__ import annotations

import csv
import shutil
import stat
import subprocess
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.store.models import AuditEntry
from tests.services.test_complaints import SYDNEY, intake, people  # noqa: F401  (fixture)

LONDON = ZoneInfo("Europe/London")


def ldn(m: int, d: int, h: int = 10, y: int = 2026) -> datetime:
    return datetime(y, m, d, h, 0, tzinfo=LONDON)


def step(svc, case_id: str, action: str, at: datetime, **kw):
    return svc.act(case_id, action, at=at, now=at, **kw)


@pytest.fixture
def uk_book(workstation, people):  # noqa: F811
    """Six FCA cases in England around March 2026, worked through the service."""
    for key, value in (("org.complaint_regime", "fca"), ("org.region", "GB-ENG"),
                       ("org.timezone", "Europe/London"), ("org.currency", "GBP")):
        workstation.settings.set(key, value)
    svc = workstation.complaints
    a = intake(workstation, people.zoe, ldn(3, 2), products=("Current account",), categories=("Fees",))
    step(svc, a.id, "acknowledge", ldn(3, 2, 11))
    pay = svc.propose_compensation(a.id, Decimal("100.00"), "redress", at=ldn(3, 3))
    step(svc, a.id, "close", ldn(3, 4, 15), outcome="upheld")  # inside the 3-business-day window
    svc.mark_compensation_paid(pay.id, at=ldn(3, 5))
    b = intake(workstation, people.acme, ldn(3, 2, 12), products=("Credit card", "Current account"),
               channel="email")
    step(svc, b.id, "acknowledge", ldn(3, 2, 13))
    step(svc, b.id, "investigate", ldn(3, 3))
    step(svc, b.id, "issue_response", ldn(3, 24))
    step(svc, b.id, "close", ldn(3, 25), outcome="not_upheld")  # within 8 weeks
    c = intake(workstation, people.zoe, ldn(1, 5), products=("Mortgage",))
    step(svc, c.id, "acknowledge", ldn(1, 5, 11))
    step(svc, c.id, "investigate", ldn(1, 6))
    svc.propose_compensation(c.id, Decimal("50.00"), "goodwill", at=ldn(1, 7))  # approved, not yet paid
    step(svc, c.id, "issue_response", ldn(3, 14))
    step(svc, c.id, "close", ldn(3, 15), outcome="partly_upheld")  # after 8 weeks (due 2 Mar)
    d = intake(workstation, people.zoe, ldn(3, 10, 9))
    step(svc, d.id, "withdraw", ldn(3, 11))
    e = intake(workstation, people.zoe, ldn(3, 20), products=("Credit card",))
    f = intake(workstation, people.zoe, ldn(2, 20))
    step(svc, f.id, "acknowledge", ldn(2, 20, 11))
    step(svc, f.id, "investigate", ldn(2, 21))
    step(svc, f.id, "issue_response", ldn(4, 1))
    step(svc, f.id, "close", ldn(4, 2), outcome="upheld")  # neither received nor closed in March
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}


def test_uk_summary_on_hand_built_cases(workstation, uk_book):
    s = workstation.complaints.uk_summary(date(2026, 3, 1), date(2026, 3, 31))
    assert (s.received, s.closed) == (4, 4)
    assert (s.closed_within_3_business_days, s.closed_within_8_weeks, s.closed_after_8_weeks) == (2, 1, 1)
    assert (s.upheld, s.partly_upheld, s.not_upheld, s.withdrawn) == (2, 1, 1, 1)
    assert s.upheld_share == Decimal("0.6667")
    assert (s.redress_paid, s.redress_agreed, s.currency) == (Decimal("100.00"), Decimal("150.00"), "GBP")
    assert [(p.product, p.received, p.closed, p.upheld, p.redress_paid) for p in s.by_product] == [
        ("Current account", 2, 2, 1, Decimal("100.00")),
        ("Credit card", 2, 1, 0, Decimal("0.00")),
        ("(not recorded)", 1, 1, 0, Decimal("0.00")),
        ("Mortgage", 0, 1, 1, Decimal("0.00")),
    ]
    april = workstation.complaints.uk_summary(date(2026, 4, 1), date(2026, 4, 30))
    assert (april.received, april.closed, april.upheld_share) == (0, 1, Decimal("1.0000"))
    empty = workstation.complaints.uk_summary(date(2025, 1, 1), date(2025, 1, 31))
    assert empty.received == 0 and empty.upheld_share is None and empty.by_product == ()
    with pytest.raises(ValueError, match="before its start"):
        workstation.complaints.uk_summary(date(2026, 3, 31), date(2026, 3, 1))


def test_register_rows_and_csv_round_trip(workstation, uk_book, tmp_path):
    svc = workstation.complaints
    rows = svc.register_rows()
    assert [r.reference for r in rows] == [uk_book[k].reference for k in "cfabde"]  # oldest receipt first
    a = next(r for r in rows if r.complaint_id == uk_book["a"].id)
    assert (a.client_type, a.channel, a.products, a.issues, a.days_to_close, a.outcome, a.compensation_total,
            a.currency, a.regime, a.region) == ("person", "phone", ("Current account",), ("Fees",), 2, "upheld",
                                                Decimal("100.00"), "GBP", "fca", "GB-ENG")
    assert a.received_at == ldn(3, 2) and a.received_at.tzinfo == LONDON and a.ack_due_at is None
    out = tmp_path / "register.csv"
    assert svc.write_register(out) == 6
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with out.open(encoding="utf-8-sig", newline="") as fh:
        back = list(csv.DictReader(fh))

    def when(text: str):
        return datetime.fromisoformat(text) if text else None

    def secs(moment):
        return moment.replace(microsecond=0) if moment else None

    assert len(back) == len(rows)
    for r, b in zip(rows, back, strict=True):
        assert (b["complaint_id"], b["reference"], b["client_type"], b["channel"], b["complaint_type"]) == (
            r.complaint_id, r.reference, r.client_type, r.channel, r.complaint_type)
        assert tuple(filter(None, b["products"].split("; "))) == r.products
        assert tuple(filter(None, b["issues"].split("; "))) == r.issues
        for column, value in (("received", r.received_at), ("acknowledged", r.acknowledged_at),
                              ("closed", r.closed_at), ("acknowledgement_due", r.ack_due_at),
                              ("final_response_due", r.final_due_at)):
            assert when(b[column]) == secs(value), column
        assert (int(b["days_to_close"]) if b["days_to_close"] else None) == r.days_to_close
        assert (b["state"], b["outcome"] or None, Decimal(b["compensation"]), b["currency"], b["regime"],
                b["region"]) == (r.state, r.outcome, r.compensation_total, r.currency, r.regime, r.region)
    with workstation.database.reading() as s:
        assert s.scalar(select(AuditEntry.detail).where(AuditEntry.action == "export")).startswith("register")


def test_register_period_uses_each_cases_local_day(workstation, people, tmp_path):  # noqa: F811
    march_end = intake(workstation, people.zoe, datetime(2026, 3, 31, 23, 30, tzinfo=SYDNEY))
    april_start = intake(workstation, people.zoe, datetime(2026, 4, 1, 0, 30, tzinfo=SYDNEY))  # 31 Mar in UTC
    svc = workstation.complaints
    assert [r.complaint_id for r in svc.register_rows(date(2026, 3, 1), date(2026, 3, 31))] == [march_end.id]
    assert [r.complaint_id for r in svc.register_rows(date(2026, 4, 1), None)] == [april_start.id]
    assert len(svc.register_rows()) == 2
    with pytest.raises(ValueError, match="before its start"):
        svc.register_rows(date(2026, 4, 2), date(2026, 4, 1))


def test_csv_neutralises_formulas(workstation, people, tmp_path):  # noqa: F811
    intake(workstation, people.zoe, datetime(2026, 3, 2, 10, tzinfo=SYDNEY), products=("=HYPERLINK(1)",))
    assert "'=HYPERLINK(1)" in workstation.complaints.register_csv()


def test_root_cause_trend_and_recurrence_flags(workstation, people):  # noqa: F811
    svc = workstation.complaints
    days = [datetime(2026, m, d, 10, tzinfo=SYDNEY) for m, d in ((1, 10), (1, 20), (2, 5), (3, 3), (3, 4))]
    cases = [intake(workstation, people.zoe, at) for at in days]
    for case, code in zip(cases, ("fees_charges", "fees_charges", "fees_charges", "system_error", "fees_charges"),
                          strict=True):
        svc.attach_root_cause(case.id, code)
    svc.attach_root_cause(cases[4].id, "communication")
    trend = svc.root_cause_trend(date(2026, 1, 1), date(2026, 3, 31))
    assert trend.months == (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1))
    assert [(t.code, t.counts) for t in trend.series] == [("fees_charges", (2, 1, 1)), ("communication", (0, 0, 1)),
                                                          ("system_error", (0, 0, 1))]
    assert svc.root_cause_trend(date(2026, 2, 1), date(2026, 2, 28)).series[0].counts == (1,)
    flags = svc.recurrence_flags()
    assert [(f.cause_code, f.references) for f in flags] == [
        ("fees_charges", tuple(cases[i].reference for i in (0, 1, 2, 4)))]
    assert flags[0].active_on(date(2026, 3, 10)) and not flags[0].active_on(date(2026, 9, 1))
    assert svc.recurrence_flags(date(2026, 3, 1), date(2026, 3, 31)) == []


# -- letters ----------------------------------------------------------------------------------------------------


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (Poppler) is not installed")
    return path


def pdf_text(pdf: bytes | Path, tmp_path: Path) -> str:
    path = pdf if isinstance(pdf, Path) else tmp_path / "letter.pdf"
    if not isinstance(pdf, Path):
        path.write_bytes(pdf)
    out = subprocess.run([_poppler("pdftotext"), "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return " ".join(out.split())


def unembedded_fonts(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run([_poppler("pdffonts"), str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    return [line for line in lines if line.split()[-5] != "yes"]


def test_acknowledgement_letter_names_the_client_reference_and_afca(workstation, people, tmp_path):  # noqa: F811
    v = intake(workstation, people.zoe, datetime(2026, 4, 3, 17, 45, tzinfo=SYDNEY),
               description="Charged the card fee twice")
    pdf = workstation.complaints.letter_pdf(v.id, "acknowledgement", now=datetime(2026, 4, 4, tzinfo=UTC))
    text = pdf_text(pdf, tmp_path)
    for needle in ("Zoë Ångström", v.reference, "12 Harbour St", "Sydney NSW 2000", "3 Apr 2026", "3 May 2026",
                   "Charged the card fee twice", "Australian Financial Complaints Authority (AFCA)",
                   "www.afca.org.au", "1800 931 678", "info@afca.org.au", "GPO Box 3, Melbourne VIC 3001"):
        assert needle in text, needle
    assert unembedded_fonts(pdf, tmp_path) == []


def test_final_response_and_delay_notice(workstation, people, tmp_path):  # noqa: F811
    svc = workstation.complaints
    received = datetime(2026, 3, 2, 10, tzinfo=LONDON)
    v = intake(workstation, people.acme, received, regime="fca", region="GB-ENG", timezone="Europe/London")
    step(svc, v.id, "acknowledge", received + timedelta(hours=1))
    step(svc, v.id, "investigate", received + timedelta(days=1))
    svc.propose_compensation(v.id, Decimal("75.00"), "refund", "the duplicate fee", at=received + timedelta(days=2))
    with pytest.raises(ValueError, match="Write what we found"):
        svc.letter_pdf(v.id, "final_response", outcome="upheld")
    with pytest.raises(ValueError, match="outcome"):
        svc.letter_pdf(v.id, "final_response", response="We looked.")
    with pytest.raises(ValueError, match="not a letter"):
        svc.letter_pdf(v.id, "love_letter")
    text = pdf_text(svc.letter_pdf(v.id, "final_response", outcome="partly_upheld",
                                   response="We found one fee was charged in error."), tmp_path)
    for needle in ("Acme Pty Ltd", "Dear Sir or Madam", v.reference, "partly upheld",
                   "We found one fee was charged in error.", "Refund: the duplicate fee", "AUD 75.00",
                   "Financial Ombudsman Service (FOS)", "www.financial-ombudsman.org.uk", "0800 023 4567",
                   "within six months"):
        assert needle in text, needle
    now = received + timedelta(days=50)
    with pytest.raises(ValueError, match="reasons"):
        svc.write_letter(v.id, "delay_notice", tmp_path / "x.pdf", now=now)
    with pytest.raises(ValueError, match="already past"):
        svc.letter_pdf(v.id, "delay_notice", reasons="x", expected_by=date(2026, 4, 1), now=now)
    path = svc.write_letter(v.id, "delay_notice", tmp_path / "delay.pdf", now=now, expected_by=date(2026, 5, 15),
                            reasons="We are waiting for records from the card scheme.")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = pdf_text(path, tmp_path)
    for needle in ("We are waiting for records from the card scheme.", "15 May 2026", "27 Apr 2026",
                   "Financial Ombudsman Service"):
        assert needle in text, needle
    written = svc.write_letter(v.id, "acknowledgement", tmp_path / "ack.pdf", password="s3cret")
    assert written.read_bytes().count(b"/Encrypt") >= 1
    events = svc.case(v.id).events
    assert [(e.kind, e.data.get("letter"), e.data.get("extension")) for e in events[-2:]] == [
        ("delay_notice", None, False), ("letter", "acknowledgement", None)]
    assert events[-2].note == "We are waiting for records from the card scheme."
    step(svc, v.id, "withdraw", now)
    with pytest.raises(ValueError, match="closed"):
        svc.letter_pdf(v.id, "delay_notice", reasons="x", now=now)
