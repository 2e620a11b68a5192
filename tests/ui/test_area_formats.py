"""The agenda and the complaints area format through the user's formatter (ui/format.py), not the process's
default locale: a German user reads German day names and 1.234,50 €, an Australian $1,234.50. Counts use
Qt's numerus forms ("1 day" / "2 days"; "1 jour" / "2 jours" under the French catalogue)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt

from app.services.complaints.views import (
    CompensationView,
    EventView,
    ProductSummary,
    ReferralView,
    RootCauseTrend,
    TrendSeries,
)
from ui import format as ui_format
from ui import i18n
from ui.format import Formatter
from ui.models.complaints_model import (
    CompensationModel,
    EventsModel,
    ProductModel,
    ReferralsModel,
    TrendModel,
)
from ui.views import complaint_common
from ui.views.agenda_format import fmt_day, fmt_day_long, fmt_month, fmt_time
from ui.views.complaint_list import CaseListPanel

MARCH_4 = date(2026, 3, 4)  # a Wednesday


@pytest.fixture
def locale() -> Iterator[Any]:
    """`locale("de_DE", "EUR")` as a Settings change would; back to the default afterwards."""
    yield ui_format.set_locale
    ui_format.set_locale("en_AU", "AUD")


# -- the formatter's worded dates ----------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "long", "weekday", "medium", "day_month", "month"), [
    ("de_DE", "Mittwoch, 4. März 2026", "Mi., 4. März 2026", "4. März 2026", "4. März", "März 2026"),
    ("en_AU", "Wednesday, 4 March 2026", "Wed, 4 Mar 2026", "4 Mar 2026", "4 March", "March 2026"),
    ("en_US", "Wednesday, March 4, 2026", "Wed, Mar 4, 2026", "Mar 4, 2026", "March 4", "March 2026"),
    ("fr_FR", "mercredi 4 mars 2026", "mer. 4 mars 2026", "4 mars 2026", "4 mars", "mars 2026"),
    ("es_ES", "miércoles, 4 de marzo de 2026", "mié, 4 de mar de 2026", "4 de mar de 2026", "4 de marzo",
     "marzo 2026"),
])
def test_worded_dates_follow_the_locales_order_and_names(name, long, weekday, medium, day_month, month):
    f = Formatter(name)
    assert (f.long_date(MARCH_4), f.weekday_date(MARCH_4), f.medium_date(MARCH_4), f.day_month(MARCH_4),
            f.month_year(MARCH_4)) == (long, weekday, medium, day_month, month)


def test_agenda_helpers_use_the_users_locale_not_the_process_default(locale):
    default = QLocale()
    QLocale.setDefault(QLocale("en_US"))  # what the agenda used to read
    try:
        locale("de_DE", "EUR")
        moment = datetime(2026, 3, 4, 14, 30)
        assert fmt_day_long(MARCH_4) == "Mittwoch, 4. März 2026"
        assert fmt_day(MARCH_4) == "Mi., 4. März 2026" and fmt_month(MARCH_4) == "März 2026"
        assert fmt_time(moment) == "14:30"
        locale("en_AU", "AUD")
        assert fmt_time(moment) == "2:30\u202fpm" and fmt_day(MARCH_4) == "Wed, 4 Mar 2026"
    finally:
        QLocale.setDefault(default)


# -- the complaints models -----------------------------------------------------------------------------------
def compensation(amount: str, currency: str) -> CompensationView:
    at = datetime(2026, 3, 4, 3, 30, tzinfo=UTC)
    return CompensationView(id="c1", amount=Decimal(amount), currency=currency, kind="redress", status="proposed",
                            proposed_by_id=None, proposed_by="Ann", proposed_at=at, approved_by_id=None,
                            approved_by=None, approved_at=None, paid_at=None, note=None, needs_approval=True)


def cell(model: Any, key: str, row: int = 0) -> str:
    return model.data(model.index(row, model.column_of(key)))


def test_complaint_money_and_dates_in_german_and_australian(qapp, locale):
    locale("de_DE", "EUR")
    comp = CompensationModel()
    comp.set_rows([compensation("1234.50", "EUR"), compensation("99", "AUD")])
    assert cell(comp, "amount") == "1.234,50\u00a0€"
    assert cell(comp, "amount", 1) == "99,00\u00a0AUD"  # not the organisation's currency: say which
    referrals = ReferralsModel()
    referrals.set_rows([ReferralView(id="r", department="Payments", owner_name=None, reason="Refund", due_on=MARCH_4,
                                     status="open", created_by=None, overdue=False)])
    assert cell(referrals, "due") == "4. März 2026"
    products = ProductModel("EUR")
    products.set_rows([ProductSummary(product="Cards", received=1200, closed=3, upheld=1,
                                      redress_paid=Decimal("1234.5"))])
    assert (cell(products, "received"), cell(products, "paid")) == ("1.200", "1.234,50\u00a0€")
    trend = TrendModel()
    trend.set_trend(RootCauseTrend(start=MARCH_4, end=MARCH_4, months=(date(2026, 3, 1),),
                                   series=(TrendSeries(code="x", label="Fees", counts=(2,)),)))
    assert trend.headerData(2, Qt.Orientation.Horizontal) == "Mär 2026"
    assert complaint_common.money(Decimal("1234.5")) == "1.234,50\u00a0€"
    events = EventsModel()
    events.set_rows([EventView(id="e", at=datetime(2026, 3, 4, 3, 30, tzinfo=UTC), kind="comp_proposed",
                               from_state=None, to_state=None, actor="Ann", note=None,
                               data={"amount": "1234.50", "needs_approval": True})])
    assert cell(events, "detail") == "1.234,50 · needs approval"

    locale("en_AU", "AUD")
    comp.set_rows([compensation("1234.50", "AUD")])
    assert cell(comp, "amount") == "$1,234.50"
    referrals.set_rows(referrals.rows())
    assert cell(referrals, "due") == "4 Mar 2026"


def test_a_deadline_reads_in_the_users_locale_and_its_own_zone(locale):
    locale("de_DE", "EUR")
    end_of_day = datetime(2026, 3, 4, 23, 59, tzinfo=UTC)
    assert complaint_common.due_text(end_of_day) == "Mi., 4. März 2026 (end of day UTC)"
    assert complaint_common.when(datetime(2026, 3, 4, 14, 5, tzinfo=UTC), with_zone=True) == "4. März 2026 14:05 UTC"


# -- counts: Qt numerus forms --------------------------------------------------------------------------------
@pytest.fixture
def french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The French catalogue compiled from the committed .ts, installed; English again afterwards."""
    subprocess.run([str(Path(sys.executable).parent / "pyside6-lrelease"), "-silent", "-nounfinished",
                    str(Path(i18n.__file__).parent / "rmdesk_fr.ts"), "-qm", str(tmp_path / "rmdesk_fr.qm")],
                   check=True)
    monkeypatch.setattr(i18n, "catalogue_dir", tmp_path)
    assert i18n.set_language("fr_FR")
    yield
    i18n.set_language("en_AU")


def test_counts_take_the_english_plural_forms(qapp):
    i18n.set_language("en_AU")
    span = complaint_common.span
    assert (span(timedelta(days=1)), span(timedelta(days=2))) == ("1 day", "2 days")
    assert complaint_common.time_left_text(timedelta(days=2, hours=1), "ok") == "2 days left"
    assert [CaseListPanel.tr("%n open case(s)", "", n) for n in (1, 2)] == ["1 open case", "2 open cases"]


def test_counts_take_the_french_plural_forms(qapp, french):
    span = complaint_common.span
    assert (span(timedelta(days=1)), span(timedelta(days=2))) == ("1 jour", "2 jours")
    assert i18n.current_language() == "fr"
