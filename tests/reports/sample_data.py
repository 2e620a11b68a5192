"""Sample report data in many scripts, shared by the tests (and handy for looking at output)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from app.reports.data import (
    AgreedAction,
    ChangeSinceLastReview,
    ClientSummary,
    ComplaintLine,
    ComplaintsReportData,
    ComplaintSummaryRow,
    ContactDetail,
    ContactLine,
    ExceptionRow,
    ExceptionsReportData,
    FeedbackReportData,
    FeedbackTrendRow,
    HoldingLine,
    HouseholdMember,
    KeyDate,
    PortfolioReportData,
    ProductDemandRow,
    Recommendation,
    ReportHeader,
    ReviewPackData,
    SatisfactionPoint,
    SegmentStatus,
    StaffActivityRow,
    TargetRow,
    UsageLine,
)

NAMES = [
    "Zoë Ångström",
    "Αλέξανδρος Παπαδόπουλος",
    "Дмитрий Иванов",
    "محمد عبدالله",
    "王小明",
    "Nguyễn Thị Minh Khai",
]

TODAY = date(2025, 3, 14)


def _months(n: int, end: date = TODAY) -> list[date]:
    out = []
    y, m = end.year, end.month
    for _ in range(n):
        out.append(date(y, m, 1))
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return list(reversed(out))


def _history(end_balance: Decimal, months: int = 12, drift: float = 0.012) -> tuple:
    pts = []
    v = float(end_balance)
    for i, mth in enumerate(reversed(_months(months))):
        wobble = 1 + 0.01 * ((i * 7) % 5 - 2)
        pts.append((mth, Decimal(str(round(v * wobble, 2)))))
        v /= 1 + drift
    return tuple(reversed(pts))


def holdings(n: int = 6, with_history: bool = True) -> tuple[HoldingLine, ...]:
    base = [
        ("Premier Current Account", "Current account", Decimal("18250.40")),
        ("Notice Saver 95", "Savings", Decimal("142000.00")),
        ("Global Balanced Portfolio", "Investments", Decimal("612480.15")),
        ("Sustainable Equity Fund", "Investments", Decimal("98300.00")),
        ("Residential Mortgage — 5y fixed", "Lending", Decimal("-385000.00")),
        ("Life & Critical Illness Cover", "Insurance", Decimal("0.00")),
    ]
    out = []
    for i in range(n):
        prod, cat, bal = base[i % len(base)]
        if i >= len(base):
            prod = f"{prod} #{i // len(base) + 1}"
            bal = bal + Decimal(i * 13)
        cur = "EUR" if i % 11 != 10 else "USD"
        out.append(
            HoldingLine(
                product=prod,
                category=cat,
                account_masked=f"•••• {4000 + i * 37:04d}",
                balance=bal,
                currency=cur,
                history=_history(bal) if with_history and bal else (),
            )
        )
    return tuple(out)


def client(name: str = NAMES[0]) -> ClientSummary:
    return ClientSummary(
        name=name,
        kind="Individual",
        rm_name="Helena Marsh",
        reference="C-104233",
        segment="Private",
        loyalty_tier="Gold",
        client_since=date(2011, 6, 1),
        date_of_birth=date(1968, 9, 23),
        preferred_language="English",
        preferred_channel="Meeting in branch",
        special_needs=("Large-print letters", "Prefers morning appointments"),
        contacts=(
            ContactDetail("Email", "client@example.org", True),
            ContactDetail("Mobile", "+44 7700 900123"),
            ContactDetail("Address", "12 Harbour Lane, Bristol BS1 4QA, United Kingdom"),
        ),
        household=(
            HouseholdMember("Αλέξανδρος Παπαδόπουλος", "Spouse", True),
            HouseholdMember("王小明", "Business partner", False),
            HouseholdMember("محمد عبدالله", "Son-in-law", True),
        ),
        key_dates=(
            KeyDate("Birthday", date(2025, 9, 23)),
            KeyDate("Mortgage fixed rate ends", date(2026, 4, 30)),
        ),
    )


def review_pack(name: str = NAMES[0], n_holdings: int = 6, **over) -> ReviewPackData:
    months = _months(12)
    data = ReviewPackData(
        client=client(name),
        prepared_on=TODAY,
        period_start=date(2024, 3, 1),
        period_end=date(2025, 2, 28),
        base_currency="EUR",
        changes=ChangeSinceLastReview(
            lines=(
                "Moved to the Private segment in September.",
                "Mortgage fixed rate ends in April 2026 — options to review in the autumn.",
                f"Added {NAMES[1]} as a joint holder on the Notice Saver.",
                "Notice Saver 95 rate rose from 3.10 % to 3.45 %.",
            ),
            last_review_on=date(2024, 3, 12),
        ),
        holdings=holdings(n_holdings),
        usage=tuple(
            UsageLine(m, Decimal(180 + (i * 37) % 90), 40 + (i * 13) % 25) for i, m in enumerate(months)
        ),
        contacts=(
            ContactLine("Meeting", "Annual review", date(2024, 3, 12), date(2024, 3, 12), "Agreed new savings goal"),
            ContactLine("Phone", "Mortgage rate check", date(2024, 7, 1), date(2024, 7, 3), "No change for now"),
            ContactLine("Email", "Segment change letter", None, date(2024, 9, 16), "Acknowledged"),
            ContactLine("Video", "Half-year portfolio update", date(2024, 10, 10), None, None),
            ContactLine("Meeting", "Review preparation", date(2025, 4, 2), None, None),
        ),
        complaints=(
            ComplaintLine("CMP-2024-0113", date(2024, 5, 6), "Resolved", "Card declined abroad", None,
                          "Apology and €50 goodwill credit"),
            ComplaintLine("CMP-2025-0021", date(2025, 2, 20), "Investigating", "Delay in transfer to ISA",
                          date(2025, 3, 20), None),
        ),
        satisfaction=(
            SatisfactionPoint(date(2024, 3, 14), 8, 10, "Helpful review, clear next steps."),
            SatisfactionPoint(date(2024, 7, 5), 6, 10, "Phone queue was long."),
            SatisfactionPoint(date(2024, 10, 1), 9, 10, "خدمة ممتازة وشرح واضح للخيارات المتاحة، شكراً جزيلاً "
                              "على الاهتمام والمتابعة المستمرة طوال العام"),
            SatisfactionPoint(date(2025, 2, 1), 9, 10, "非常满意，谢谢。"),
        ),
        segment=SegmentStatus("Private", "Gold", date(2024, 9, 16), "Premier",
                              ("A named relationship manager and deputy", "Priority phone line",
                               "Annual review meeting at a time that suits you")),
        recommendations=(
            Recommendation("Fixed Rate Bond 2y", "You keep over €100k in instant access; fixing part of it "
                           "for two years would earn more while keeping six months' spending available."),
            Recommendation("Lasting Power of Attorney guidance", "Several family members hold accounts with "
                           "us; a plan for who can act for you is worth a conversation."),
        ),
        actions=(
            AgreedAction("Send Fixed Rate Bond illustration", "Helena Marsh", date(2025, 3, 28)),
            AgreedAction("Confirm ISA transfer completed", "Helena Marsh", date(2025, 3, 20)),
            AgreedAction("Bring latest payslips to the mortgage meeting", NAMES[0], date(2025, 4, 2)),
            AgreedAction("Update correspondence address", "Helena Marsh", date(2024, 4, 1), done=True),
        ),
        next_review=date(2026, 3, 10),
        disclosures=(
            "The value of investments can go down as well as up and you may get back less than you "
            "invested. Past performance is not a guide to future returns.\n\n"
            "This pack summarises information held by us on the date shown. It is not a statement; "
            "your statements remain the record of your accounts.\n\n"
            "Eligible deposits are protected up to €100,000 per depositor by the deposit guarantee scheme."
        ),
    )
    if over:
        from dataclasses import replace

        data = replace(data, **over)
    return data


def header(title: str) -> ReportHeader:
    return ReportHeader(title, "Q1 2025", TODAY, "Helena Marsh", "Team North")


def portfolio_report() -> PortfolioReportData:
    rms = ["Helena Marsh", "Tomás Ó Briain", "Αικατερίνη Νικολάου", "Ли Вэй"]
    targets = []
    for i, rm in enumerate(rms):
        targets.append(TargetRow(rm, "New clients", Decimal(40), Decimal(28 + i * 6)))
        targets.append(TargetRow(rm, "Assets under management", Decimal(50_000_000),
                                 Decimal(41_000_000 + i * 4_500_000), "EUR"))
        targets.append(TargetRow(rm, "Reviews completed", Decimal(120), Decimal(96 + i * 11)))
    demand = []
    for seg in ("Mass affluent", "Premier", "Private"):
        for j, prod in enumerate(("Savings", "Mortgage", "Investments", "Insurance")):
            demand.append(ProductDemandRow(seg, prod, 10 + (len(seg) * 7 + j * 11) % 40))
    staff = tuple(StaffActivityRow(rm, 120 + i * 9, 104 + i * 10, 30 + i * 3, 4 + i, 6 - i)
                  for i, rm in enumerate(rms))
    return PortfolioReportData(header("Portfolio against targets"), tuple(targets), tuple(demand), staff)


def exceptions_report(n: int = 25) -> ExceptionsReportData:
    kinds = ["Review overdue", "Complaint near deadline", "Segment not told", "Planned contact missed"]
    rows = tuple(
        ExceptionRow(NAMES[i % len(NAMES)], kinds[i % len(kinds)], f"Detail for case {i}: follow up with client.",
                     TODAY - timedelta(days=3 * i), "Helena Marsh", ("High", "Medium", "Low")[i % 3], f"C-{1000 + i}")
        for i in range(n)
    )
    return ExceptionsReportData(header("Exceptions"), rows)


def complaints_report() -> ComplaintsReportData:
    cats = ["Cards and payments", "Mortgages", "Investments", "Service", "Fees and charges"]
    summary = tuple(ComplaintSummaryRow(c, 20 + i * 7, 15 + i * 6, 5 + i, i % 3, 4 + i, 12.5 + i * 3.2)
                    for i, c in enumerate(cats))
    open_cases = (
        ComplaintLine("CMP-2025-0021", date(2025, 2, 20), "Investigating", "Delay in ISA transfer", date(2025, 3, 20)),
        ComplaintLine("CMP-2025-0033", date(2025, 3, 2), "Open", "王小明: card fee query", date(2025, 3, 16)),
    )
    return ComplaintsReportData(header("Complaints"), summary, open_cases)


def feedback_report() -> FeedbackReportData:
    trend = tuple(FeedbackTrendRow(m, 60 + i * 3, 7.2 + (i % 5) * 0.3, 10, 30 + i, 8 + i % 4)
                  for i, m in enumerate(_months(12)))
    comments = (
        SatisfactionPoint(date(2025, 3, 3), 9, 10, "Very clear explanation of the options. — Zoë Ångström"),
        SatisfactionPoint(date(2025, 3, 5), 4, 10, "Долго ждал ответа на письмо."),
        SatisfactionPoint(date(2025, 3, 8), 10, 10, "خدمة ممتازة"),
    )
    return FeedbackReportData(header("Client feedback"), trend, comments)
