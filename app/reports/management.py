"""Management reports: portfolio against targets, exceptions, complaints, client feedback.

Each ``render_*`` takes one of the management dataclasses from ``app.reports.data`` and returns
PDF bytes. Optional parts (product demand, staff activity, open cases, comments) print only when
given. Charts come first where a manager would rather look than read; the exact figures follow.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Spacer

from app.reports.branding import Branding, default_branding
from app.reports.data import (
    ComplaintsReportData,
    ExceptionsReportData,
    FeedbackReportData,
    PortfolioReportData,
    ProductDemandRow,
    ReportHeader,
    StaffActivityRow,
    TargetRow,
)
from app.reports.document import (
    bar_chart,
    build_pdf,
    chart_caption,
    ct,
    data_table,
    fmt_date,
    fmt_money,
    fmt_month,
    fmt_number,
    footer_internal,
    line_chart,
    note,
    section,
    stat_tiles,
    styles_for,
)
from app.reports.fonts import rich

_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_SEVERITY_COLOUR = {"high": "#B3261E", "medium": "#9A6B00", "low": "#4B5563"}


def _title_block(h: ReportHeader, branding: Branding) -> list[Flowable]:
    st = styles_for(branding)
    bits = [h.period_label]
    if h.scope:
        bits.append(h.scope)
    bits.append(f"prepared {fmt_date(h.prepared_on)} by {h.prepared_by}")
    return [
        Paragraph("MANAGEMENT REPORT", st.kicker),
        Spacer(0, 4),
        ct(h.title, st.title.clone("mtitle", fontSize=22, leading=27)),
        Spacer(0, 4),
        ct(" · ".join(bits), st.subtitle.clone("msub", fontSize=10.5, leading=14)),
        Spacer(0, 14),
    ]


def _build(h: ReportHeader, story: list[Flowable], branding: Branding) -> bytes:
    return build_pdf(
        _title_block(h, branding) + story,
        branding,
        footer_internal(branding),
        title=f"{h.title} — {h.period_label}",
        subject=h.scope or h.title,
    )


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:,.0f} %"


def _value(v, unit: str) -> str:
    if unit and unit != "%" and len(unit) == 3 and unit.isalpha():
        return fmt_money(v, unit, 0)
    s = fmt_number(v, 0 if v == int(v) else 1)
    return f"{s} %" if unit == "%" else s


# --------------------------------------------------------------------------- portfolio


def _targets_section(rows: Sequence[TargetRow], branding: Branding) -> list[Flowable]:
    st = styles_for(branding)
    if not rows:
        return section("Targets", "targets", branding,
                       [note("No targets are set for this period.", st)])
    by_measure: dict[str, list[TargetRow]] = defaultdict(list)
    for r in rows:
        by_measure[r.measure].append(r)
    total = [r.attainment for r in rows if r.attainment is not None]
    on_track = sum(1 for a in total if a >= 1)
    tiles = [
        ("Measures", str(len(rows)), f"{len(by_measure)} kinds"),
        ("At or above target", str(on_track), _pct(on_track / len(total)) if total else ""),
        ("Below target", str(len(total) - on_track), ""),
    ]
    first: list[Flowable] = [stat_tiles(tiles, branding), Spacer(0, 6)]
    rest: list[Flowable] = []
    for measure, items in by_measure.items():
        labels = [r.label for r in items]
        att = [100 * (r.attainment or 0) for r in items]
        chart = bar_chart(labels, [("Attainment", att)], branding, height=max(70, 26 + 20 * len(items)),
                          horizontal=True, value_format=lambda v: f"{v:.0f}%", reference=100)
        table = data_table(
            ["Name", "Target", "Actual", "Attainment"],
            [[r.label, _value(r.target, r.unit), _value(r.actual, r.unit), _pct(r.attainment)] for r in items],
            branding, widths=[4, 2, 2, 1.6], align="LRRR",
        )
        rest += [Paragraph(rich(measure), st.h2), chart,
                 chart_caption("Per cent of target; the dashed line marks 100 %.", branding), Spacer(0, 4), table]
    return section("Targets", "targets", branding, first + rest[:3], rest[3:])


def _demand_section(rows: Sequence[ProductDemandRow], branding: Branding) -> list[Flowable]:
    st = styles_for(branding)
    if not rows:
        return section("Product demand by segment", "demand", branding,
                       [note("No product take-up was recorded in this period.", st)])
    segments = list(dict.fromkeys(r.segment for r in rows))
    products = list(dict.fromkeys(r.product for r in rows))
    grid: dict[tuple[str, str], int] = Counter()
    for r in rows:
        grid[(r.segment, r.product)] += r.count
    series = [(seg, [grid[(seg, p)] for p in products]) for seg in segments]
    chart = bar_chart(products, series, branding, height=170)
    table = data_table(
        ["Segment", *products, "Total"],
        [[seg, *[fmt_number(grid[(seg, p)]) for p in products], fmt_number(sum(grid[(seg, p)] for p in products))]
         for seg in segments],
        branding, widths=[2.4] + [1.4] * len(products) + [1.2], align="L" + "R" * (len(products) + 1),
        total_row=["Total", *[fmt_number(sum(grid[(s, p)] for s in segments)) for p in products],
                   fmt_number(sum(grid.values()))],
    )
    return section("Product demand by segment", "demand", branding,
                   [chart, chart_caption("New take-ups in the period, by client segment.", branding)],
                   [Spacer(0, 6), table])


def _staff_section(rows: Sequence[StaffActivityRow], branding: Branding) -> list[Flowable]:
    st = styles_for(branding)
    if not rows:
        return section("Staff activity", "staff", branding, [note("No activity was recorded.", st)])
    names = [r.staff_name for r in rows]
    chart = bar_chart(names, [("Contacts planned", [r.contacts_planned for r in rows]),
                              ("Contacts held", [r.contacts_held for r in rows])], branding, height=150)
    table = data_table(
        ["Staff member", "Planned", "Held", "Held %", "Reviews", "Complaints", "Open actions"],
        [[r.staff_name, fmt_number(r.contacts_planned), fmt_number(r.contacts_held),
          _pct(r.contacts_held / r.contacts_planned if r.contacts_planned else None),
          fmt_number(r.reviews_done), fmt_number(r.complaints_handled), fmt_number(r.open_actions)]
         for r in rows],
        branding, widths=[2.8, 1.1, 1.1, 1.1, 1.2, 1.6, 1.6], align="LRRRRRR",
    )
    return section("Staff activity", "staff", branding, [chart], [Spacer(0, 6), table])


def render_portfolio_report(data: PortfolioReportData, branding: Branding | None = None) -> bytes:
    branding = branding or default_branding()
    story = _targets_section(data.targets, branding)
    if data.product_demand is not None:
        story += _demand_section(data.product_demand, branding)
    if data.staff_activity is not None:
        story += _staff_section(data.staff_activity, branding)
    return _build(data.header, story, branding)


# --------------------------------------------------------------------------- exceptions


def render_exceptions_report(data: ExceptionsReportData, branding: Branding | None = None) -> bytes:
    branding = branding or default_branding()
    st = styles_for(branding)
    rows = data.exceptions
    if not rows:
        story = section("Exceptions", "exceptions", branding,
                        [note("No exceptions: every client is within policy.", st)])
        return _build(data.header, story, branding)
    sev = Counter(r.severity.lower() for r in rows)
    tiles = [("Exceptions", str(len(rows)), "")] + [
        (s.title(), str(sev.get(s, 0)), "") for s in ("high", "medium", "low")
    ]
    kinds = Counter(r.kind for r in rows)
    names = [k for k, _ in kinds.most_common(10)]
    chart = bar_chart(names, [("Exceptions", [kinds[k] for k in names])], branding,
                      height=max(80, 26 + 18 * len(names)), horizontal=True)
    today = data.header.prepared_on
    ordered = sorted(rows, key=lambda r: (_SEVERITY_ORDER.get(r.severity.lower(), 3), r.since or date.max))

    muted = st.cell.clone("cell_muted", textColor=colors.HexColor("#6B7280"), fontSize=7.5, leading=10)

    def sev_cell(s: str) -> Flowable:
        colour = _SEVERITY_COLOUR.get(s.lower(), "#4B5563")
        return Paragraph(f'<font color="{colour}"><b>{rich(s)}</b></font>', st.cell)

    table = data_table(
        ["Severity", "Client", "Issue", "Detail", "Since", "Days", "Owner"],
        [[sev_cell(r.severity), [ct(r.client_name, st.cell), *([ct(r.client_reference, muted)] if r.client_reference else [])],
          r.kind, r.detail, r.since, fmt_number((today - r.since).days) if r.since else None, r.owner]
         for r in ordered],
        branding, widths=[1.6, 2.6, 2.2, 3.3, 2.0, 1.1, 1.9], align="LLLLLRL",
    )
    story = section("Overview", "exceptions", branding,
                    [stat_tiles(tiles, branding), Spacer(0, 10), Paragraph("By kind", st.h2), chart],
                    [Spacer(0, 8), Paragraph("All exceptions, most urgent first", st.h2), table])
    return _build(data.header, story, branding)


# --------------------------------------------------------------------------- complaints


def render_complaints_report(data: ComplaintsReportData, branding: Branding | None = None) -> bytes:
    branding = branding or default_branding()
    st = styles_for(branding)
    rows = data.summary
    story: list[Flowable] = []
    if not rows:
        story += section("Complaints", "complaints", branding,
                         [note("No complaints were received in this period.", st)])
    else:
        tot = {k: sum(getattr(r, k) for r in rows) for k in ("received", "resolved", "open", "overdue", "upheld")}
        tiles = [
            ("Received", fmt_number(tot["received"]), ""),
            ("Resolved", fmt_number(tot["resolved"]), _pct(tot["resolved"] / tot["received"]) if tot["received"]
             else ""),
            ("Open", fmt_number(tot["open"]), ""),
            ("Past deadline", fmt_number(tot["overdue"]), ""),
        ]
        cats = [r.category for r in rows]
        chart = bar_chart(cats, [("Received", [r.received for r in rows]), ("Resolved", [r.resolved for r in rows]),
                                 ("Open", [r.open for r in rows])], branding, height=170)
        resolved_days = [(r.average_days_to_resolve, r.resolved) for r in rows
                         if r.average_days_to_resolve is not None and r.resolved]
        avg = (sum(d * n for d, n in resolved_days) / sum(n for _, n in resolved_days)) if resolved_days else None
        table = data_table(
            ["Category", "Received", "Resolved", "Open", "Past deadline", "Upheld", "Avg days"],
            [[r.category, fmt_number(r.received), fmt_number(r.resolved), fmt_number(r.open),
              fmt_number(r.overdue), fmt_number(r.upheld), fmt_number(r.average_days_to_resolve, 1)] for r in rows],
            branding, widths=[3, 1.2, 1.2, 1, 1.4, 1.1, 1.1], align="LRRRRRR",
            total_row=["Total", *[fmt_number(tot[k]) for k in ("received", "resolved", "open", "overdue", "upheld")],
                       fmt_number(avg, 1)],
        )
        story += section("Complaints by category", "complaints", branding,
                         [stat_tiles(tiles, branding), Spacer(0, 10), chart],
                         [Spacer(0, 8), table])
    if data.open_cases is not None:
        if data.open_cases:
            cases = sorted(data.open_cases, key=lambda c: c.next_deadline or date.max)
            t = data_table(["Reference", "Received", "Subject", "Status", "Next deadline"],
                           [[c.reference, c.received, c.subject, c.state, c.next_deadline] for c in cases],
                           branding, widths=[2, 1.7, 4, 1.8, 1.8])
            story += section("Open cases, nearest deadline first", "open_cases", branding, [t])
        else:
            story += section("Open cases", "open_cases", branding, [note("No cases are open.", st)])
    if data.staff_activity is not None:
        story += _staff_section(data.staff_activity, branding)
    return _build(data.header, story, branding)


# --------------------------------------------------------------------------- feedback


def render_feedback_report(data: FeedbackReportData, branding: Branding | None = None) -> bytes:
    branding = branding or default_branding()
    st = styles_for(branding)
    trend = sorted(data.trend, key=lambda r: r.month)
    story: list[Flowable] = []
    if not trend:
        story += section("Client feedback", "feedback", branding,
                         [note("No feedback was received in this period.", st)])
    else:
        last = trend[-1]
        scale = max(r.scale_max for r in trend)
        tiles = [
            ("Responses", fmt_number(sum(r.responses for r in trend)), f"{len(trend)} months"),
            ("Latest average", f"{last.average_score:.1f} / {last.scale_max}", fmt_month(last.month)),
        ]
        if last.nps is not None:
            tiles.append(("Net promoter score", f"{last.nps:+.0f}", fmt_month(last.month)))
        score_chart = line_chart([("Average score", [(r.month, r.average_score) for r in trend])], branding,
                                 height=140, y_min=0, y_max=scale)
        resp_chart = bar_chart([r.month.strftime("%b %y") for r in trend],
                               [("Responses", [r.responses for r in trend])], branding, height=120)
        table = data_table(
            ["Month", "Responses", "Average score", "Promoters", "Detractors", "NPS"],
            [[fmt_month(r.month), fmt_number(r.responses), f"{r.average_score:.1f}",
              fmt_number(r.promoters), fmt_number(r.detractors),
              "—" if r.nps is None else f"{r.nps:+.0f}"] for r in trend],
            branding, widths=[2, 1.5, 1.7, 1.5, 1.5, 1.2], align="LRRRRR",
        )
        story += section(
            "Scores and responses", "feedback", branding,
            [stat_tiles(tiles, branding), Spacer(0, 10), Paragraph("Average score by month", st.h2), score_chart],
            [Paragraph("Responses by month", st.h2), resp_chart, Spacer(0, 8), table],
        )
    if data.comments is not None:
        if data.comments:
            cs = sorted(data.comments, key=lambda c: c.on, reverse=True)
            t = data_table(["Date", "Score", "Comment"],
                           [[c.on, f"{fmt_number(c.score, 1 if c.score % 1 else 0)} / {c.scale_max}", c.comment]
                            for c in cs],
                           branding, widths=[1.6, 1.2, 8], align="LCL")
            story += section("What clients told us", "comments", branding, [t])
        else:
            story += section("What clients told us", "comments", branding, [note("No comments.", st)])
    if data.product_demand is not None:
        story += _demand_section(data.product_demand, branding)
    return _build(data.header, story, branding)


__all__ = [
    "render_complaints_report",
    "render_exceptions_report",
    "render_feedback_report",
    "render_portfolio_report",
]

