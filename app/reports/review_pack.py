"""The client review pack: a calm, branded PDF an RM hands to (or prepares for) a client meeting.

``render_review_pack(data, sections, branding)`` -> PDF bytes. Sections print in the fixed order
of ``SECTIONS`` whatever order they are asked in; a section whose data is ``None`` (capability
missing) is left out entirely, and an empty collection prints a one-line statement instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from reportlab.lib import colors
from reportlab.platypus import (
    Flowable,
    Image,
    KeepInFrame,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.reports.branding import Branding, default_branding
from app.reports.data import (
    AgreedAction,
    ContactLine,
    HoldingLine,
    ReviewPackData,
)
from app.reports.document import (
    CONTENT_W,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MUTED,
    PAGE_H,
    SectionHeading,
    bar_chart,
    build_pdf,
    bullet_list,
    chart_caption,
    ct,
    data_table,
    facts_grid,
    fmt_date,
    fmt_money,
    fmt_month,
    fmt_number,
    footer_for_client,
    line_chart,
    logo_image,
    note,
    section,
    stat_tiles,
    styles_for,
)
from app.reports.fonts import BODY, rich

SECTIONS: tuple[str, ...] = (
    "cover",
    "summary",
    "profile",
    "changes",
    "holdings",
    "revenue",
    "contacts",
    "complaints",
    "satisfaction",
    "segment",
    "recommendations",
    "actions",
    "next_review",
    "disclosures",
)

SECTION_TITLES: dict[str, str] = {
    "cover": "Client review",
    "summary": "Summary",
    "profile": "Your profile",
    "changes": "Changes since your last review",
    "holdings": "Your holdings",
    "revenue": "Revenue and usage",
    "contacts": "Our contact with you",
    "complaints": "Complaints",
    "satisfaction": "Your feedback",
    "segment": "Your service level",
    "recommendations": "Recommendations",
    "actions": "Agreed actions",
    "next_review": "Next review",
    "disclosures": "Important information",
}

# Which ReviewPackData field a section needs; None means the section is always available.
_SECTION_FIELD: dict[str, str | None] = {
    "cover": None,
    "summary": None,
    "profile": None,
    "changes": "changes",
    "holdings": "holdings",
    "revenue": "usage",
    "contacts": "contacts",
    "complaints": "complaints",
    "satisfaction": "satisfaction",
    "segment": "segment",
    "recommendations": "recommendations",
    "actions": "actions",
    "next_review": "next_review",
    "disclosures": "disclosures",
}

_OPEN_COMPLAINT_WORDS = ("resolved", "closed", "withdrawn", "rejected")
_SUMMARY_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 4


def available_sections(data: ReviewPackData) -> list[str]:
    """The sections this data can fill (for a chooser in the GUI)."""
    return [s for s in SECTIONS if _has(data, s)]


def _has(data: ReviewPackData, sid: str) -> bool:
    fld = _SECTION_FIELD[sid]
    return fld is None or getattr(data, fld) is not None


def render_review_pack(
    data: ReviewPackData,
    sections: Sequence[str] | None = None,
    branding: Branding | None = None,
) -> bytes:
    branding = branding or default_branding()
    chosen = list(SECTIONS) if sections is None else list(sections)
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown review pack section(s): {', '.join(unknown)}")
    wanted = set(chosen)
    order = [s for s in SECTIONS if s in wanted and _has(data, s)]

    r = _Renderer(data, branding, order)
    story: list[Flowable] = []
    with_cover = "cover" in order
    for i, sid in enumerate(order):
        if sid == "summary" and story and not isinstance(story[-1], PageBreak):
            story.append(PageBreak())
        story.extend(getattr(r, f"s_{sid}")())
        if sid == "cover":
            story.append(NextPageTemplate("body"))
        if sid in ("cover", "summary") and i < len(order) - 1:
            story.append(PageBreak())
    if not story:
        story.append(note("No sections were selected for this review pack.", r.st))
    name = data.client.name
    return build_pdf(
        story,
        branding,
        footer_for_client(name, branding),
        title=f"Client review — {name}",
        subject=f"Review pack prepared {fmt_date(data.prepared_on)}",
        with_cover=with_cover,
    )


def _is_open(state: str) -> bool:
    s = state.lower()
    return not any(w in s for w in _OPEN_COMPLAINT_WORDS)


def _totals(holdings: Sequence[HoldingLine]) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    assets: dict[str, Decimal] = defaultdict(Decimal)
    lending: dict[str, Decimal] = defaultdict(Decimal)
    for h in holdings:
        if h.balance >= 0:
            assets[h.currency] += h.balance
        else:
            lending[h.currency] += -h.balance
    return dict(assets), dict(lending)


def _money_list(amounts: dict[str, Decimal], base: str, decimals: int = 0) -> str:
    if not amounts:
        return fmt_money(0, base, decimals)
    keys = sorted(amounts, key=lambda c: (c != base, c))
    return "\n".join(fmt_money(amounts[c], c, decimals) for c in keys)


def _contact_status(c: ContactLine, today: date) -> str:
    if c.held_on and c.planned_on:
        return "Held as planned" if c.held_on <= c.planned_on else "Held later"
    if c.held_on:
        return "Unplanned"
    if c.planned_on and c.planned_on < today:
        return "Not held"
    return "Planned"


def _action_status(a: AgreedAction, today: date) -> str:
    if a.done:
        return "Done"
    if a.due and a.due < today:
        return "Overdue"
    return "Open"


class _Renderer:
    def __init__(self, data: ReviewPackData, branding: Branding, order: Sequence[str] = SECTIONS):
        self.d = data
        self.b = branding
        self.st = styles_for(branding)
        self.base = data.base_currency
        chosen = set(order)
        # The summary speaks only of what the pack contains; asked for on its own (a one-pager),
        # it draws on everything available.
        self._summary_all = not (chosen - {"cover", "summary"})
        self._chosen = chosen

    def _in_pack(self, sid: str) -> bool:
        return self._summary_all or sid in self._chosen

    def _sec(self, sid: str, first: Sequence[Flowable], rest: Sequence[Flowable] = ()) -> list[Flowable]:
        return section(SECTION_TITLES[sid], sid, self.b, first, rest)

    def _period(self) -> str | None:
        d = self.d
        if d.period_start and d.period_end:
            return f"{fmt_date(d.period_start)} – {fmt_date(d.period_end)}"
        return None

    # ------------------------------------------------------------------ cover

    def s_cover(self) -> list[Flowable]:
        d, st, b = self.d, self.st, self.b
        out: list[Flowable] = [Spacer(0, 34)]
        img = logo_image(b)
        if img is not None:
            iw, ih = img.getSize()
            h = 22 * 2.83465
            logo = Image(str(b.logo_path), width=h * iw / ih, height=h)
            logo.hAlign = "LEFT"
            out += [logo, Spacer(0, 10)]
        out += [
            Paragraph(rich(b.organisation), st.h2),
            Spacer(0, 150),
            Paragraph(rich(SECTION_TITLES["cover"].upper()), st.kicker),
            Spacer(0, 8),
            ct(d.client.name, st.title),
            Spacer(0, 10),
        ]
        sub = [f"Prepared {fmt_date(d.prepared_on)}"]
        period = self._period()
        if period:
            sub.append(f"Review period {period}")
        out.append(Paragraph("<br/>".join(rich(s) for s in sub), st.subtitle))
        out.append(Spacer(0, 150))
        rows = [
            ("Relationship manager", d.client.rm_name),
            ("Client reference", d.client.reference),
            ("Next review", fmt_date(d.next_review) if d.next_review else None),
        ]
        out.append(facts_grid(rows, st, columns=3))
        return out

    # ------------------------------------------------------------------ summary

    def s_summary(self) -> list[Flowable]:
        d, st, b = self.d, self.st, self.b
        tiles: list[tuple[str, str, str]] = []
        if d.holdings is not None and self._in_pack("holdings"):
            assets, lending = _totals(d.holdings)
            tiles.append(("Total assets", _money_list(assets, self.base), f"{len(d.holdings)} holdings"))
            if lending:
                tiles.append(("Total borrowing", _money_list(lending, self.base), ""))
        if d.contacts is not None and self._in_pack("contacts"):
            held = sum(1 for c in d.contacts if c.held_on)
            tiles.append(("Contacts held", str(held), "in the review period"))
        if d.satisfaction and self._in_pack("satisfaction"):
            last = max(d.satisfaction, key=lambda p: p.on)
            tiles.append(
                ("Latest feedback", f"{fmt_number(last.score, 1 if last.score % 1 else 0)} / {last.scale_max}",
                 fmt_date(last.on))
            )
        if d.next_review and len(tiles) < 4 and self._in_pack("next_review"):
            tiles.append(("Next review", fmt_date(d.next_review), ""))
        body: list[Flowable] = []
        if tiles:
            body += [stat_tiles(tiles[:4], b), Spacer(0, 12)]
        c = d.client
        facts = [
            ("Client", c.name),
            ("Relationship manager", c.rm_name),
            ("Segment", " · ".join(x for x in (c.segment, c.loyalty_tier) if x) or None),
            ("Client since", fmt_date(c.client_since) if c.client_since else None),
            ("Preferred contact", " · ".join(x for x in (c.preferred_channel, c.preferred_language) if x)
             or None),
            ("Review period", self._period()),
        ]
        body.append(facts_grid(facts, st, columns=3))
        if d.changes is not None and d.changes.lines and self._in_pack("changes"):
            body += [Paragraph("What has changed", st.h2), *bullet_list(d.changes.lines[:5], st, b.accent)]
            if len(d.changes.lines) > 5:
                body.append(note(f"and {len(d.changes.lines) - 5} more, set out in this pack.", st))
        if d.holdings and self._in_pack("holdings"):
            body += [Paragraph("Where your money is", st.h2), self._allocation_chart(height=120)]
        if d.complaints is not None and self._in_pack("complaints"):
            open_c = [x for x in d.complaints if _is_open(x.state)]
            if open_c:
                nxt = min((x.next_deadline for x in open_c if x.next_deadline), default=None)
                txt = f"{len(open_c)} open complaint{'s' if len(open_c) != 1 else ''}"
                if nxt:
                    txt += f"; next step due {fmt_date(nxt)}"
                body += [Paragraph("Open complaints", st.h2), Paragraph(rich(txt) + ".", st.body)]
        if d.recommendations and self._in_pack("recommendations"):
            body += [
                Paragraph("For discussion", st.h2),
                *bullet_list([r.product for r in d.recommendations[:4]], st, b.accent),
            ]
        if d.actions and self._in_pack("actions"):
            pending = [a for a in d.actions if not a.done][:5]
            if pending:
                rows = [[a.action, a.owner, a.due] for a in pending]
                body += [Paragraph("Agreed actions", st.h2),
                         data_table(["Action", "Owner", "Due"], rows, b, widths=[6, 2.2, 1.6])]
        content = [SectionHeading(SECTION_TITLES["summary"], "summary", st, b.accent), *body]
        return [KeepInFrame(CONTENT_W, _SUMMARY_H, content, mode="shrink", name="summary")]

    # ------------------------------------------------------------------ profile

    def s_profile(self) -> list[Flowable]:
        c, st, b = self.d.client, self.st, self.b
        facts = [
            ("Name", c.name),
            ("Client type", c.kind),
            ("Client reference", c.reference),
            ("Relationship manager", c.rm_name),
            ("Segment", c.segment),
            ("Loyalty tier", c.loyalty_tier),
            ("Client since", fmt_date(c.client_since) if c.client_since else None),
            ("Date of birth", fmt_date(c.date_of_birth) if c.date_of_birth else None),
            ("Preferred language", c.preferred_language),
            ("Preferred channel", c.preferred_channel),
        ]
        rest: list[Flowable] = []
        if c.contacts:
            rows = [[x.kind, x.value, "Preferred" if x.preferred else ""] for x in c.contacts]
            rest += [Paragraph("Contact details", st.h2),
                     data_table(["Type", "Detail", ""], rows, b, widths=[1.6, 5, 1.4])]
        if c.household:
            rows = [[m.name, m.relationship, "Yes" if m.is_client else "No"] for m in c.household]
            rest += [Paragraph("Household and connected people", st.h2),
                     data_table(["Name", "Relationship", "Also a client"], rows, b, widths=[4, 3, 1.5])]
        if c.key_dates:
            rows = [[k.label, k.on] for k in sorted(c.key_dates, key=lambda k: k.on)]
            rest += [Paragraph("Key dates", st.h2),
                     data_table(["Occasion", "Date"], rows, b, widths=[6, 2])]
        if c.special_needs:
            rest += [Paragraph("Support we provide", st.h2), *bullet_list(c.special_needs, st, b.accent)]
        rest.append(Spacer(0, 4))
        rest.append(note("Please tell us if anything here is out of date.", st))
        return self._sec("profile", [facts_grid(facts, st, columns=3)], rest)

    # ------------------------------------------------------------------ changes

    def s_changes(self) -> list[Flowable]:
        ch = self.d.changes
        assert ch is not None
        st = self.st
        intro = (f"Since your last review on {fmt_date(ch.last_review_on)}:" if ch.last_review_on
                 else "Since your last review:")
        if not ch.lines:
            return self._sec("changes", [note("Nothing material has changed since your last review.", st)])
        items = bullet_list(ch.lines, st, self.b.accent)
        return self._sec("changes", [Paragraph(rich(intro), st.body), Spacer(0, 4), *items[:1]], items[1:])

    # ------------------------------------------------------------------ holdings

    def _allocation_chart(self, height: float = 130) -> Flowable:
        holdings = self.d.holdings or ()
        by_cat: dict[str, Decimal] = defaultdict(Decimal)
        for h in holdings:
            if h.currency == self.base and h.balance > 0:
                by_cat[h.category] += h.balance
        if not by_cat:
            return Spacer(0, 0)
        cats = sorted(by_cat, key=lambda k: -by_cat[k])[:8]
        h = max(height, 24 + 18 * len(cats))
        return bar_chart(cats, [("Balance", [float(by_cat[c]) for c in cats])], self.b, height=h,
                         horizontal=True)

    def s_holdings(self) -> list[Flowable]:
        holdings = self.d.holdings
        assert holdings is not None
        st, b = self.st, self.b
        if not holdings:
            return self._sec("holdings", [note("You hold no products with us at present.", st)])
        ordered = sorted(holdings, key=lambda h: (h.category, h.product))
        rows = [[h.product, h.category, h.account_masked, fmt_money(h.balance, h.currency)] for h in ordered]
        assets, lending = _totals(holdings)
        net: dict[str, Decimal] = defaultdict(Decimal)
        for h in holdings:
            net[h.currency] += h.balance
        total = ["Net total", "", "", _money_list(dict(net), self.base, 2)]
        table = data_table(["Product", "Category", "Account", "Balance"], rows, b,
                           widths=[4, 2.6, 1.9, 2.4], align="LLLR", total_row=total)
        rest: list[Flowable] = [table]
        trend = self._trend_chart()
        if trend is not None:
            rest += [Spacer(0, 10), Paragraph("Balance trend", st.h2), trend,
                     chart_caption(f"Month-end balances of your largest holdings in {self.base}.", b)]
        alloc = self._allocation_chart()
        if not isinstance(alloc, Spacer):
            rest += [Spacer(0, 6), Paragraph(f"Assets by category ({self.base})", st.h2), alloc]
        others = sorted(c for c in net if c != self.base)
        if others:
            rest.append(note(f"Holdings in {', '.join(others)} are shown in their own currency and are not "
                             f"included in the charts.", st))
        return self._sec("holdings", [], rest)

    def _trend_chart(self) -> Flowable | None:
        hist = [h for h in (self.d.holdings or ()) if h.history and h.currency == self.base]
        if not hist:
            return None
        top = sorted(hist, key=lambda h: -abs(h.balance))[:4]
        series = [(f"{h.product} {h.account_masked}", [(dt, float(v)) for dt, v in h.history]) for h in top]
        return line_chart(series, self.b, height=165)

    # ------------------------------------------------------------------ revenue

    def s_revenue(self) -> list[Flowable]:
        usage = self.d.usage
        assert usage is not None
        st, b = self.st, self.b
        if not usage:
            return self._sec("revenue", [note("No activity was recorded in this period.", st)])
        lines = sorted(usage, key=lambda u: u.month)
        cur = lines[0].currency
        same_cur = all(u.currency == cur for u in lines)
        rows = [[fmt_month(u.month), fmt_number(u.transactions),
                 fmt_money(u.revenue, "" if same_cur else u.currency)] for u in lines]
        total = ["Total", fmt_number(sum(u.transactions for u in lines)),
                 fmt_money(sum((u.revenue for u in lines), Decimal(0))) if same_cur else ""]
        charted = [u for u in lines if u.currency == cur]
        chart = bar_chart([u.month.strftime("%b %y") for u in charted],
                          [("Revenue", [float(u.revenue) for u in charted])], b, height=130)
        table = data_table(["Month", "Transactions", f"Revenue ({cur})" if same_cur else "Revenue"], rows, b,
                           widths=[3, 2, 2.5], align="LRR", total_row=total)
        return self._sec(
            "revenue",
            [Paragraph(f"Revenue by month ({rich(cur)})", st.h2), chart],
            [Spacer(0, 8), table],
        )

    # ------------------------------------------------------------------ contacts

    def s_contacts(self) -> list[Flowable]:
        contacts = self.d.contacts
        assert contacts is not None
        st, b, today = self.st, self.b, self.d.prepared_on
        if not contacts:
            return self._sec("contacts", [note("We have not been in contact during this period.", st)])
        lines = sorted(contacts, key=lambda c: c.on or date.min, reverse=True)
        planned = sum(1 for c in contacts if c.planned_on)
        as_planned = sum(1 for c in contacts if c.planned_on and c.held_on)
        unplanned = sum(1 for c in contacts if c.held_on and not c.planned_on)
        intro = (f"{planned} contact{'s' if planned != 1 else ''} planned, {as_planned} of them held; "
                 f"{unplanned} further contact{'s' if unplanned != 1 else ''} at your request or ours.")
        rows = [[c.on, c.channel, c.purpose, _contact_status(c, today), c.outcome] for c in lines]
        table = data_table(["Date", "Channel", "Purpose", "Planned vs actual", "Outcome"], rows, b,
                           widths=[1.7, 1.5, 3.2, 1.9, 3.6])
        return self._sec("contacts", [Paragraph(rich(intro), st.body), Spacer(0, 6), table])

    # ------------------------------------------------------------------ complaints

    def s_complaints(self) -> list[Flowable]:
        complaints = self.d.complaints
        assert complaints is not None
        st, b = self.st, self.b
        if not complaints:
            return self._sec("complaints", [note("No complaints were recorded in this period.", st)])
        lines = sorted(complaints, key=lambda c: c.received, reverse=True)
        rows = [[c.reference, c.received, c.subject, c.state,
                 c.next_deadline if _is_open(c.state) else None, c.outcome] for c in lines]
        table = data_table(["Reference", "Received", "Subject", "Status", "Next deadline", "Outcome"], rows, b,
                           widths=[2.3, 1.8, 2.8, 2.0, 1.8, 2.6])
        return self._sec(
            "complaints",
            [Paragraph("We take every concern seriously. This is where each one stands.", st.body), Spacer(0, 6),
             table],
        )

    # ------------------------------------------------------------------ satisfaction

    def s_satisfaction(self) -> list[Flowable]:
        pts = self.d.satisfaction
        assert pts is not None
        st, b = self.st, self.b
        if not pts:
            return self._sec("satisfaction", [note("We have no feedback from you on record yet.", st)])
        lines = sorted(pts, key=lambda p: p.on)
        scale = max(p.scale_max for p in lines)
        first: list[Flowable] = []
        if len(lines) > 1:
            chart = line_chart([("Score", [(p.on, p.score) for p in lines])], b, height=120, y_min=0,
                               y_max=scale)
            first += [chart, chart_caption(f"Your satisfaction scores (0–{scale}).", b)]
        rows = [[p.on, f"{fmt_number(p.score, 1 if p.score % 1 else 0)} / {p.scale_max}", p.comment]
                for p in reversed(lines)]
        table = data_table(["Date", "Score", "What you told us"], rows, b, widths=[1.6, 1.2, 8], align="LCL")
        if not first:
            first = [table]
            rest: list[Flowable] = []
        else:
            rest = [Spacer(0, 8), table]
        return self._sec("satisfaction", first, rest)

    # ------------------------------------------------------------------ segment

    def s_segment(self) -> list[Flowable]:
        s = self.d.segment
        assert s is not None
        st, b = self.st, self.b
        facts = [
            ("Segment", s.segment),
            ("Tier", s.tier),
            ("Communicated to you", fmt_date(s.told_on) if s.told_on else "At this review"),
            ("Previous segment", s.previous_segment),
        ]
        rest: list[Flowable] = []
        if s.benefits:
            rest += [Paragraph("What this means for you", st.h2), *bullet_list(s.benefits, st, b.accent)]
        return self._sec("segment", [facts_grid(facts, st, columns=4)], rest)

    # ------------------------------------------------------------------ recommendations

    def s_recommendations(self) -> list[Flowable]:
        recs = self.d.recommendations
        assert recs is not None
        st, b = self.st, self.b
        if not recs:
            return self._sec("recommendations", [note("We have no new recommendations at this time.", st)])
        cards: list[Flowable] = []
        for r in recs:
            t = Table([[ct(r.product, st.h2)], [ct(r.reason, st.body)]], colWidths=[CONTENT_W - 4])
            t.setStyle(TableStyle([
                ("LINEBEFORE", (0, 0), (0, -1), 2, colors.HexColor(b.accent)),
                ("FONTNAME", (0, 0), (-1, -1), BODY),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, 0), 0),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 0),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 4),
            ]))
            cards += [t, Spacer(0, 8)]
        intro = note("Suggestions to discuss with you. None of these is a decision until you make it.", st)
        return self._sec("recommendations", [intro, Spacer(0, 6), cards[0]], cards[1:])

    # ------------------------------------------------------------------ actions

    def s_actions(self) -> list[Flowable]:
        acts = self.d.actions
        assert acts is not None
        st, b, today = self.st, self.b, self.d.prepared_on
        if not acts:
            return self._sec("actions", [note("No actions are outstanding.", st)])
        lines = sorted(acts, key=lambda a: (a.done, a.due or date.max))
        rows = [[a.action, a.owner, a.due, _action_status(a, today)] for a in lines]
        return self._sec("actions", [data_table(["Action", "Who", "By", "Status"], rows, b,
                                                widths=[6, 2.2, 1.6, 1.2])])

    # ------------------------------------------------------------------ next review

    def s_next_review(self) -> list[Flowable]:
        d, st = self.d, self.st
        assert d.next_review is not None
        txt = (f"Your next review with {rich(d.client.rm_name)} is planned for "
               f"<b>{fmt_date(d.next_review)}</b>. If your circumstances change before then, "
               f"please get in touch and we will meet sooner.")
        return self._sec("next_review", [Paragraph(txt, st.body)])

    # ------------------------------------------------------------------ disclosures

    def s_disclosures(self) -> list[Flowable]:
        text = self.d.disclosures
        assert text is not None
        st = self.st
        paras = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
        small = st.small.clone("disclosure", textColor=MUTED, spaceAfter=5)
        flow: list[Flowable] = [ct(p, small) for p in paras] or [note("—", st)]
        return self._sec("disclosures", flow[:1], [*flow[1:], Spacer(0, 6)])


__all__ = ["SECTIONS", "SECTION_TITLES", "available_sections", "render_review_pack"]
