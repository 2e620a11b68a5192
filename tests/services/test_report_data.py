"""Report data from a real profile: the review pack and the management reports, checked with Poppler.

``seed_book`` builds a small, many-script book that the batch and CLI tests reuse.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.domain.cadence import add_months
from app.reports.review_pack import SECTION_TITLES
from app.store.models import (
    AuditEntry,
    BalancePoint,
    Client,
    ClientAddress,
    ClientEmail,
    ClientPhone,
    Complaint,
    Holding,
    Interaction,
    Product,
    Recommendation,
    Relationship,
    ScheduledContact,
    Segment,
    SegmentChange,
    SegmentPolicy,
    Survey,
    SurveyResponse,
    Target,
    Task,
    Team,
    UsageSummary,
    User,
)

SYD = ZoneInfo("Australia/Sydney")
NAMES = {
    "zoe": "Zoë Ångström",
    "dmitri": "Дмитрий Иванов",
    "mohammed": "محمد عبدالله",
    "wang": "王小明",
    "nguyen": "Nguyễn Thị Minh Khai",
    "alex": "Αλέξανδρος Παπαδόπουλος",
}


@dataclass
class Book:
    today: date
    ids: dict[str, str] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)

    @property
    def tomorrow(self) -> list[str]:
        return [self.ids[k] for k in ("zoe", "nguyen", "alex")]


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), SYD)


def seed_book(db) -> Book:
    """Six clients in six scripts, with holdings and history, contacts planned and held, complaints,
    feedback, a segment change nobody told the client about, targets, and a suspected duplicate."""
    today = datetime.now(SYD).date()
    book = Book(today)
    ago = lambda days: today - timedelta(days=days)  # noqa: E731
    with db.unit("seed") as uow:
        s = uow.session
        team = Team(name="North")
        s.add(team)
        s.flush()
        for key, user, name, role in (("anna", "anna", "Anna Rossi", "rm"), ("ben", "ben", "Ben Okafor", "rm"),
                                      ("tess", "tess", "Tess Lee", "team_leader")):
            u = User(username=user, display_name=name, role=role, team_id=team.id)
            s.add(u)
            s.flush()
            book.users[key] = u.id
        segs = {}
        for code, name, rank, months in (("PRIVATE", "Private", 3, 3), ("MASS_AFFLUENT", "Mass affluent", 1, 12)):
            seg = Segment(code=code, name=name, rank=rank,
                          description="A dedicated relationship manager" if code == "PRIVATE" else None)
            s.add(seg)
            s.flush()
            s.add(SegmentPolicy(segment_id=seg.id, contact_kind="quarterly_review" if months == 3
                                else "annual_review_meeting", interval_months=months, max_gap_days=months * 40))
            segs[code] = seg.id
        prods = {}
        for code, name, cat in (("TD", "Term Deposit 12m", "deposit"), ("SAVER", "Notice Saver", "deposit"),
                                ("FUND", "Global Balanced Fund", "investment"),
                                ("MORT", "Home Loan 5y fixed", "lending"), ("CARD", "Platinum Card", "card")):
            p = Product(code=code, name=name, category=cat)
            s.add(p)
            s.flush()
            prods[code] = p.id
        survey = Survey(name="Relationship survey")
        s.add(survey)
        s.flush()

        def client(key, seg, owner, dob=None, email=True, phone=True, verified=None, **kw):
            c = Client(display_name=NAMES[key], segment_id=segs.get(seg), owner_id=book.users[owner],
                       date_of_birth=dob, onboarded_on=date(2018, 4, 3), data_verified_on=verified or ago(30),
                       **kw)
            s.add(c)
            s.flush()
            if email:
                s.add(ClientEmail(client_id=c.id, address=f"{key}@example.org", is_primary=True))
            if phone:
                s.add(ClientPhone(client_id=c.id, number="+61412345678", is_primary=True))
            book.ids[key] = c.id
            return c

        zoe = client("zoe", "PRIVATE", "anna", date(1980, 5, 1), preferred_language="sv",
                     preferred_channel="face_to_face", special_needs="Large print documents",
                     loyalty_tier="Gold")
        s.add(ClientAddress(client_id=zoe.id, line1="12 Harbour St", city="Sydney", region="NSW", postcode="2000",
                            is_primary=True))
        client("dmitri", "PRIVATE", "anna", date(1975, 1, 2))
        client("mohammed", "MASS_AFFLUENT", "ben", email=False, verified=ago(800))
        client("wang", "MASS_AFFLUENT", "ben", date(1990, 8, 8))
        twin = Client(display_name=NAMES["wang"], date_of_birth=date(1990, 8, 8), owner_id=book.users["ben"],
                      onboarded_on=ago(10), data_verified_on=ago(10))  # entered twice: a suspected duplicate
        s.add(twin)
        s.flush()
        book.ids["wang2"] = twin.id
        client("nguyen", "MASS_AFFLUENT", "ben", date(1968, 2, 29))
        client("alex", None, "anna", date(1959, 11, 30))
        s.add(Relationship(client_id=zoe.id, related_client_id=book.ids["dmitri"], kind="spouse"))

        # Zoë's holdings, with 14 month-ends of balance history and a year of usage
        def holding(cid, prod, balance, opened, acct, status="open", closed=None, history=0, start=None):
            h = Holding(client_id=cid, product_id=prods[prod], balance=Decimal(balance), opened_on=opened,
                        account_number=acct, status=status, closed_on=closed, currency="AUD")
            s.add(h)
            s.flush()
            v = Decimal(start or balance)
            step = (Decimal(balance) - v) / max(history, 1)
            for i in range(history, 0, -1):
                month_end = add_months(today.replace(day=1), -i + 1) - timedelta(days=1)
                s.add(BalancePoint(holding_id=h.id, as_of=month_end, balance=v.quantize(Decimal("0.01"))))
                v += step
            return h

        fund = holding(zoe.id, "FUND", "612480.15", date(2019, 6, 1), "FND0099887766", history=14, start="480000")
        holding(zoe.id, "TD", "250000", date(2021, 3, 1), "062000123456", history=14)
        holding(zoe.id, "MORT", "-385000", date(2020, 1, 10), "LN55512345", history=14, start="-402000")
        holding(zoe.id, "CARD", "-1200.25", ago(40), "4111111111114821")
        holding(zoe.id, "SAVER", "0", date(2019, 1, 1), "SV00001111", status="closed", closed=ago(20), history=14,
                start="30000")
        for i in range(12):
            month = add_months(today.replace(day=1), -i)
            s.add(UsageSummary(holding_id=fund.id, month=month, transactions=10 + i, volume=Decimal(5000),
                               revenue=Decimal("410.50") + i))
        for key in ("dmitri", "wang", "nguyen", "alex"):
            holding(book.ids[key], "TD", "50000", ago(400), "0620009999" + key[:2], history=3)
        holding(book.ids["nguyen"], "SAVER", "12000", ago(25), "SV0002222")

        # contacts: a review five months ago that closed a planned review, calls since, one missed call
        review = Interaction(client_id=zoe.id, user_id=book.users["anna"], occurred_at=at(ago(150)),
                             channel="face_to_face", purpose="annual_review", outcome="completed",
                             subject="Annual review")
        s.add(review)
        s.flush()
        s.add(ScheduledContact(client_id=zoe.id, owner_id=book.users["anna"], due_at=at(ago(151)),
                               contact_kind="annual_review_meeting", status="done", interaction_id=review.id))
        s.add(Interaction(client_id=zoe.id, user_id=book.users["anna"], occurred_at=at(ago(60)), channel="phone",
                          purpose="follow_up", outcome="left_message"))
        s.add(Interaction(client_id=zoe.id, occurred_at=at(ago(12)), channel="email", direction="inbound",
                          subject="Question about card fees"))
        s.add(ScheduledContact(client_id=zoe.id, owner_id=book.users["anna"], due_at=at(ago(30)),
                               contact_kind="monthly_call", status="missed"))
        s.add(Interaction(client_id=book.ids["dmitri"], user_id=book.users["anna"], occurred_at=at(ago(200)),
                          channel="phone", purpose="check_in"))
        for key in ("zoe", "nguyen", "alex"):  # tomorrow's meetings
            s.add(ScheduledContact(client_id=book.ids[key], owner_id=book.users["anna"],
                                   due_at=at(today + timedelta(days=1), 9 + len(key) % 5),
                                   contact_kind="quarterly_review", purpose="Quarterly review"))

        # complaints: one under investigation, one past its final-response deadline, one resolved
        now = datetime.now(UTC)
        s.add(Complaint(reference="C-2025-0001", client_id=zoe.id, channel="phone", received_at=now - timedelta(days=9),
                        received_tz="Australia/Sydney", description="Card annual fee charged twice",
                        categories=["fees_and_charges"], products=["credit_card"], regime="asic", region="AU-NSW",
                        state="investigating", acknowledged_at=now - timedelta(days=8),
                        ack_due_at=now - timedelta(days=8), final_due_at=now + timedelta(days=21),
                        owner_id=book.users["anna"]))
        s.add(Complaint(reference="C-2025-0002", client_id=book.ids["alex"], channel="email",
                        received_at=now - timedelta(days=40), received_tz="Australia/Sydney",
                        description="Transfer delayed", categories=["service"], products=["term_deposit"],
                        regime="asic", region="AU-NSW", state="investigating", acknowledged_at=now - timedelta(days=39),
                        ack_due_at=now - timedelta(days=39), final_due_at=now - timedelta(days=10),
                        owner_id=book.users["anna"]))
        s.add(Complaint(reference="C-2024-0107", client_id=book.ids["dmitri"], channel="branch",
                        received_at=now - timedelta(days=100), received_tz="Australia/Sydney",
                        description="Wrong statement address", categories=["service"], products=["term_deposit"],
                        regime="asic", region="AU-NSW", state="closed", outcome="upheld",
                        acknowledged_at=now - timedelta(days=99), response_issued_at=now - timedelta(days=80),
                        closed_at=now - timedelta(days=80), ack_due_at=now - timedelta(days=99),
                        final_due_at=now - timedelta(days=70), owner_id=book.users["anna"]))

        # feedback over the year
        for i, (score, nps, comment) in enumerate(((4, 8, "Helpful review"), (5, 10, "Anna is excellent"),
                                                   (3, 6, "Fees are unclear"), (5, 9, None))):
            for key in ("zoe", "dmitri"):
                s.add(SurveyResponse(survey_id=survey.id, client_id=book.ids[key],
                                     responded_at=at(ago(20 + 80 * i)), score=score, nps=nps,
                                     comment=f"{comment} ({NAMES[key].split()[0]})" if comment else None))

        # Zoë moved up to Private two months ago; nobody has told her yet
        s.add(SegmentChange(client_id=zoe.id, from_segment_id=segs["MASS_AFFLUENT"], to_segment_id=segs["PRIVATE"],
                            changed_at=at(ago(60)), reason="Assets above threshold"))
        s.add(Recommendation(client_id=zoe.id, product_id=prods["TD"], reason="Your fixed rate ends soon; lock in "
                             "a higher rate for the cash you hold for the renovation."))
        s.add(Task(client_id=zoe.id, owner_id=book.users["anna"], title="Send fee refund letter"))

        year_start, year_end = date(today.year, 1, 1), date(today.year, 12, 31)
        for metric, value in (("aum", "1500000"), ("revenue", "8000"), ("new_clients", "4"), ("contacts", "20")):
            s.add(Target(user_id=book.users["anna"], metric=metric, period_start=year_start, period_end=year_end,
                         value=Decimal(value)))
    return book


# --------------------------------------------------------------------------- fixtures and helpers


@pytest.fixture
def book(db) -> Book:
    return seed_book(db)


def need_poppler() -> None:
    missing = [t for t in ("pdftotext", "pdfinfo") if shutil.which(t) is None]
    if missing:
        pytest.skip(f"Poppler not installed: {', '.join(missing)}")


def pdftext(pdf: bytes | Path, tmp_path: Path, password: str | None = None) -> str:
    need_poppler()
    path = pdf if isinstance(pdf, Path) else tmp_path / "doc.pdf"
    if not isinstance(pdf, Path):
        path.write_bytes(pdf)
    args = ["pdftotext", "-enc", "UTF-8"] + (["-upw", password] if password else [])
    out = subprocess.run([*args, str(path), "-"], capture_output=True)
    if out.returncode:
        raise RuntimeError(out.stderr.decode(errors="replace"))
    return out.stdout.decode("utf-8")


# --------------------------------------------------------------------------- review pack data


def test_review_pack_data_is_filled_from_the_profile(workstation, book):
    d = workstation.reports.review_pack_data(book.ids["zoe"], today=book.today)
    c = d.client
    assert c.name == "Zoë Ångström" and c.rm_name == "Anna Rossi" and c.segment == "Private"
    assert c.kind == "Individual" and c.preferred_language == "Swedish" and c.preferred_channel == "Meeting"
    assert c.reference is None and c.date_of_birth is None  # no raw ids, no full birth date on paper
    assert [k.label for k in c.key_dates] == ["Birthday"] and c.key_dates[0].on.month == 5
    assert ("Spouse" in [m.relationship for m in c.household]) and c.household[0].name == "Дмитрий Иванов"
    assert {x.kind for x in c.contacts} == {"E-mail", "Mobile", "Home address"}
    # the review period runs from the last review (150 days ago)
    assert d.period_start == book.today - timedelta(days=150) and d.changes.last_review_on == d.period_start
    assert d.base_currency == "AUD"
    # open holdings only, accounts masked to the last four digits, a year of history ending today
    assert sorted(h.product for h in d.holdings) == ["Global Balanced Fund", "Home Loan 5y fixed",
                                                     "Platinum Card", "Term Deposit 12m"]
    fund = next(h for h in d.holdings if h.product == "Global Balanced Fund")
    assert fund.account_masked == "•••• 7766" and fund.category == "Investments"
    assert fund.history[-1] == (book.today, Decimal("612480.15")) and len(fund.history) >= 12
    changes = " | ".join(d.changes.lines)
    assert "New: Platinum Card (•••• 4821)" in changes and "Closed: Notice Saver" in changes
    assert "service level changed from Mass affluent to Private" in changes
    assert "complaint (fees and charges" in changes
    assert "Global Balanced Fund (•••• 7766): up" in changes
    assert "Your net balance with us rose" in changes
    # usage: 12 months, revenue as money
    assert len(d.usage) == 12 and d.usage[-1].revenue == Decimal("410.50")
    # planned vs actual: the review held as planned, a missed call, unplanned contacts, tomorrow's review
    by = {(x.purpose, x.planned_on is not None, x.held_on is not None): x for x in d.contacts}
    assert ("Annual review meeting", True, True) in by
    assert by[("Monthly call", True, False)].outcome == "Missed"
    assert ("Follow up", False, True) in by and ("Question about card fees", False, True) in by
    assert ("Quarterly review", True, False) in by
    # tomorrow's review is the meeting this pack is for: the next one is a quarter after it
    assert d.next_review == add_months(book.today + timedelta(days=1), 3)
    # complaints: the open one, with its next deadline, in words
    assert [(k.reference, k.state) for k in d.complaints] == [("C-2025-0001", "Under investigation")]
    assert d.complaints[0].subject == "Fees and charges, Credit card" and d.complaints[0].next_deadline
    assert [p.score for p in d.satisfaction] == [5.0, 3.0, 5.0, 4.0]
    # segment status: moved up, not yet told; the service model in words
    seg = d.segment
    assert (seg.segment, seg.previous_segment, seg.told_on, seg.tier) == ("Private", "Mass affluent", None, "Gold")
    assert seg.benefits == ("A dedicated relationship manager", "A review every quarter")
    assert [r.product for r in d.recommendations] == ["Term Deposit 12m"]
    assert d.actions is None and d.disclosures is None  # no capability yet: left out


def test_a_sparse_client_gets_empty_sections_not_missing_ones(workstation, book):
    d = workstation.reports.review_pack_data(book.ids["alex"], today=book.today)
    assert d.segment is None  # no segment: the section is left out
    assert d.changes.last_review_on is None and d.period_start == add_months(book.today, -12)
    assert d.usage == () and d.satisfaction == () and d.recommendations == ()
    assert [k.reference for k in d.complaints] == ["C-2025-0002"]
    assert d.complaints[0].next_deadline < book.today


def test_unknown_client_and_sections_are_clear_errors(workstation, book):
    with pytest.raises(LookupError, match="no such client"):
        workstation.reports.review_pack_data("not-a-client")
    with pytest.raises(ValueError, match="Unknown review pack section.*bogus"):
        workstation.reports.review_pack(book.ids["zoe"], ["cover", "bogus"])


# --------------------------------------------------------------------------- rendered packs


def test_pack_has_each_chosen_section_and_the_name(workstation, book, tmp_path):
    chosen = ["cover", "summary", "holdings", "contacts", "segment"]
    text = pdftext(workstation.reports.review_pack(book.ids["zoe"], chosen), tmp_path)
    for sid in chosen[1:]:
        assert SECTION_TITLES[sid] in text, sid
    assert "CLIENT REVIEW" in text and "Zoë Ångström" in text
    for sid in ("complaints", "changes", "revenue", "satisfaction", "recommendations"):
        assert SECTION_TITLES[sid] not in text, sid
    assert "Global Balanced Fund" in text and "Anna Rossi" in text
    assert book.ids["zoe"] not in text  # never a raw id


@pytest.mark.parametrize("key", ["dmitri", "mohammed", "wang", "nguyen", "alex"])
def test_full_pack_in_every_script(workstation, book, tmp_path, key):
    text = pdftext(workstation.reports.review_pack(book.ids[key]), tmp_path)
    name = NAMES[key]
    import unicodedata

    folded = unicodedata.normalize("NFKC", text)
    assert name in folded or name[::-1] in folded or " ".join(reversed(name.split())) in folded
    assert "Important information" not in text and "Agreed actions" not in text


def test_password_protected_pack_opens_only_with_the_password(workstation, book, tmp_path):
    path = workstation.reports.save_review_pack(book.ids["zoe"], tmp_path / "zoe.pdf", ["cover", "profile"],
                                                password="s3cret pass")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert "Your profile" in pdftext(path, tmp_path, password="s3cret pass")
    with pytest.raises(RuntimeError):
        pdftext(path, tmp_path)
    with pytest.raises(RuntimeError):
        pdftext(path, tmp_path, password="wrong")
    with workstation.database.reading() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()[-1]
    assert entry.client_id == book.ids["zoe"] and entry.entity == "review_pack"
    assert "zoe.pdf" in entry.detail and "password-protected" in entry.detail and "s3cret" not in entry.detail


def test_save_refuses_a_missing_folder_and_leaves_nothing(workstation, book, tmp_path):
    with pytest.raises(FileNotFoundError):
        workstation.reports.save_review_pack(book.ids["zoe"], tmp_path / "nope" / "x.pdf")
    assert not (tmp_path / "nope").exists()


def test_branding_from_the_profile_file_and_the_setting(workstation, book, tmp_path):
    (workstation.profile.home / "branding.json").write_text(
        '{"organisation": "Harbour Private Bank", "disclosures": "Past performance is no guide."}', "utf-8")
    reports = workstation.reports
    assert reports.branding.organisation == "Harbour Private Bank"
    d = reports.review_pack_data(book.ids["zoe"])
    assert d.disclosures == "Past performance is no guide."
    text = pdftext(reports.review_pack(book.ids["zoe"], ["cover", "disclosures"]), tmp_path)
    assert "Harbour Private Bank" in text and "Important information" in text
    workstation.settings.set("org.branding", {"organisation": "Setting Bank", "footer": "Regulated by nobody"})
    assert workstation.reports.branding.organisation == "Setting Bank"


# --------------------------------------------------------------------------- management reports


def test_portfolio_report_data_and_pdf(workstation, book, tmp_path):
    r = workstation.reports
    assert r.portfolio_data(today=book.today).header.period_label.startswith(f"1 Jan {book.today.year}")
    d = r.portfolio_data(today=book.today, start=book.today - timedelta(days=365))
    by = {(t.label, t.measure): t for t in d.targets}
    aum = by[("Anna Rossi", "Assets under management")]
    assert aum.target == Decimal("1500000") and aum.unit == "AUD"
    assert aum.actual == Decimal("612480.15") + 250000 + 50000 * 2  # assets only: no loans, no cards
    assert by[("Anna Rossi", "New clients")].actual == 0
    contacts = by[("Anna Rossi", "Contacts made")].actual
    assert contacts == sum(1 for n in (150, 60, 12, 200) if (book.today - timedelta(days=n)).year == book.today.year)
    planned = by[("Anna Rossi", "Planned contacts held")]
    assert (planned.target, planned.actual) == (2, 1)
    demand = {(x.segment, x.product): x.count for x in d.product_demand}
    assert demand[("Private", "Cards")] == 1 and demand[("Mass affluent", "Deposits")] == 1
    staff = {x.staff_name: x for x in d.staff_activity}
    assert staff["Anna Rossi"].contacts_planned == 2 and staff["Anna Rossi"].contacts_held == 1
    assert staff["Anna Rossi"].reviews_done == 1 and staff["Anna Rossi"].complaints_handled == 1
    assert staff["Anna Rossi"].open_actions == 1
    text = pdftext(r.management_report("portfolio", today=book.today), tmp_path)
    assert "Portfolio against targets" in text and "Anna Rossi" in text and "Assets under management" in text
    assert "Product demand by segment" in text and "Staff activity" in text


def test_exceptions_report(workstation, book, tmp_path):
    d = workstation.reports.exceptions_data(today=book.today)
    kinds: dict[str, list] = {}
    for e in d.exceptions:
        kinds.setdefault(e.kind, []).append(e)
    assert "Дмитрий Иванов" in [e.client_name for e in kinds["Contact overdue"]]
    breached = kinds["Complaint deadline breached"]
    assert [e.client_name for e in breached] == [NAMES["alex"]] and "C-2025-0002" in breached[0].detail
    missing = {e.client_name: e.detail for e in kinds["Missing contact details"]}
    assert missing[NAMES["mohammed"]] == "No e-mail address"
    assert NAMES["wang"] in missing  # the duplicate record has neither
    stale = {e.client_name: e for e in kinds["Details not verified"]}
    assert NAMES["mohammed"] in stale and stale[NAMES["mohammed"]].severity == "Medium"
    dup = kinds["Suspected duplicate"]
    assert [e.client_name for e in dup] == [NAMES["wang"]] and dup[0].detail.startswith("2 records")
    assert [e.client_name for e in kinds["Segment change not told"]] == [NAMES["zoe"]]
    assert all(e.owner for e in d.exceptions)
    text = pdftext(workstation.reports.management_report("exceptions", today=book.today), tmp_path)
    assert "Exceptions" in text and "Suspected duplicate" in text and "C-2025-0002" in text
    capped = workstation.reports.exceptions_data(today=book.today, limit=1)
    assert sum(1 for e in capped.exceptions if e.kind == "Missing contact details") == 1
    assert "missing contact details: 1 of" in capped.header.scope


def test_complaints_report(workstation, book, tmp_path):
    d = workstation.reports.complaints_data(today=book.today)
    rows = {r.category: r for r in d.summary}
    assert rows["Service"].received == 2 and rows["Service"].resolved == 1 and rows["Service"].overdue == 1
    assert rows["Service"].upheld == 1 and rows["Service"].average_days_to_resolve == 20.0
    assert rows["Fees and charges"].open == 1
    assert [c.reference for c in d.open_cases] == ["C-2025-0002", "C-2025-0001"]
    by_product = workstation.reports.complaints_data(today=book.today, group_by="product")
    assert {r.category for r in by_product.summary} == {"Term deposit", "Credit card"}
    text = pdftext(workstation.reports.management_report("complaints", today=book.today), tmp_path)
    assert "Complaints by category" in text and "C-2025-0002" in text and "Fees and charges" in text


def test_feedback_report(workstation, book, tmp_path):
    d = workstation.reports.feedback_data(today=book.today)
    assert sum(r.responses for r in d.trend) == 8
    last = d.trend[-1]
    assert last.average_score == 4.0 and last.promoters == 0 and last.detractors == 0  # nps 8: passive
    assert {c.comment for c in d.comments} >= {"Helpful review (Zoë)", "Fees are unclear (Дмитрий)"}
    text = pdftext(workstation.reports.management_report("feedback", today=book.today), tmp_path)
    assert "Client feedback" in text and "Fees are unclear" in text


def test_reports_for_one_rm(workstation, book):
    d = workstation.reports.exceptions_data(today=book.today, rm="ben")
    assert d.header.scope == "Book of Ben Okafor"
    assert {e.owner for e in d.exceptions} == {"Ben Okafor"}
    with pytest.raises(LookupError, match="no user"):
        workstation.reports.exceptions_data(rm="nobody")


def test_meetings_tomorrow(workstation, book):
    assert sorted(workstation.reports.tomorrows_meetings()) == sorted(book.tomorrow)
