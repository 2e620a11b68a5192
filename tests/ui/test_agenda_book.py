"""A small book for the agenda tests and screenshots, built through the services (never the store):
four clients, contacts today / this week / this month, a task whose reminder is due, referrals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from app.services.clients import ClientDraft
from app.services.schedule import view_range


@dataclass
class Book:
    today: date
    clients: dict[str, str] = field(default_factory=dict)  # key -> client id
    items: dict[str, Any] = field(default_factory=dict)  # key -> service view
    days: dict[str, date] = field(default_factory=dict)  # item key -> local date

    def in_view(self, view: str, anchor: date | None = None) -> set[str]:
        """Ids of the book's agenda items a view around `anchor` (default today) should show."""
        first, last = view_range(view, anchor or self.today)
        return {self.items[k].id for k, d in self.days.items() if first <= d <= last}


def other_day_in_week(today: date) -> date:
    first, last = view_range("week", today)
    return next(first + timedelta(days=i) for i in range(7) if first + timedelta(days=i) != today)


def day_in_month_not_week(today: date) -> date:
    mfirst, mlast = view_range("month", today)
    wfirst, wlast = view_range("week", today)
    d = mfirst
    while wfirst <= d <= wlast:
        d += timedelta(days=1)
    assert d <= mlast
    return d


def build_book(ws: Any) -> Book:
    """Runs off the GUI thread (the tests call it through off_thread)."""
    people = (("ann", "Ann", "Lee", "ann.lee@example.com"), ("bob", "Bob", "Nguyen", "bob.nguyen@example.com"),
              ("cara", "Cara", "Okafor", "cara@example.com"), ("dan", "Dan", "Smith", None))
    book = Book(ws.schedule.today())
    for key, given, family, email in people:
        draft = ClientDraft(given_name=given, family_name=family, country="AU",
                            emails=[("personal", email)] if email else [], preferred_channel="email",
                            do_not_contact=key == "dan")
        book.clients[key] = ws.clients.create(draft, owner_id=ws.user.id)
    s = ws.schedule
    today = book.today
    s.set_cadence_override(book.clients["ann"], "quarterly_review", months=3, reason="Wants a closer eye")
    week_day, month_day = other_day_in_week(today), day_in_month_not_week(today)
    book.items["review"] = s.schedule_contact(book.clients["ann"], datetime.combine(today, time(10, 0)),
                                              "quarterly_review", "Q2 portfolio review", "Branch office", 60)
    book.items["call"] = s.schedule_contact(book.clients["bob"], datetime.combine(today, time(14, 30)), "call",
                                            "Check the new card")
    book.items["week_meeting"] = s.schedule_contact(book.clients["cara"], datetime.combine(week_day, time(11, 0)),
                                                    "meeting", "Estate planning chat", "Cafe Nero")
    book.items["month_review"] = s.schedule_contact(book.clients["dan"], datetime.combine(month_day, time(9, 30)),
                                                    "annual_review_meeting", "Annual review")
    book.items["task"] = s.add_task("Send pension transfer forms", client_id=book.clients["bob"], due=today,
                                    remind_at=datetime.now(UTC) - timedelta(hours=1))
    book.items["referral"] = s.create_referral(book.clients["cara"], "Lending", "Refinance the investment property",
                                               "Priya Shah", due_on=today)
    late = s.create_referral(book.clients["bob"], "Insurance", "Income protection quote", "Sam Wu",
                             due_on=today - timedelta(days=3))
    book.items["late_referral"] = late
    book.days = {"review": today, "call": today, "week_meeting": week_day, "month_review": month_day,
                 "task": today, "referral": today, "late_referral": late.due_on}
    return book
