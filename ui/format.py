"""Locale formatting for what the views show: money, numbers, dates, times (QLocale from `user.locale`).

One formatter for the whole GUI, replaced when the settings are read (`set_locale`). Views never call
str() or f-strings on money or dates: they go through here, so a German user reads 1.234,50 €
and 04.03.2026 while an Australian reads $1,234.50 and 04/03/2026.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QLocale, QTime

from ui.i18n import TranslationContext

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDateTimeEdit

DEFAULT_LOCALE = "en_AU"
DEFAULT_CURRENCY = "AUD"


class Format(TranslationContext):
    """The translation context of the relative dates below: `Format.tr("…")`."""


def _long_year(pattern: str) -> str:
    """The locale's short date with a four-digit year and two-digit day/month (columns line up)."""
    pattern = re.sub(r"(?<!y)yy(?!y)", "yyyy", pattern)
    pattern = re.sub(r"(?<!d)d(?!d)", "dd", pattern)
    return re.sub(r"(?<!M)M(?!M)", "MM", pattern)


def _drop(pattern: str, token: str) -> str:
    """`pattern` without the `token` field and the separators (and quoted words) glued to it:
    'dddd, d. MMMM yyyy' less the year is 'dddd, d. MMMM'; less the weekday, 'd. MMMM yyyy'."""
    glued = rf"[\s,\u202f]*(?:'[^']*'[\s\u202f]*)?{token}(?:[\s\u202f]*'[^']*'\.?|[年년]|\.(?=\s))?[\s,\u202f]*"

    def cut(m: re.Match[str]) -> str:
        return "" if m.start() == 0 or m.end() == len(pattern) else " "

    return re.sub(glued, cut, pattern, count=1).strip(" ,\u202f")


def _abbreviated(pattern: str) -> str:
    """Short weekday and month names: 'dddd d MMMM' -> 'ddd d MMM'."""
    return re.sub(r"(?<!M)MMMM(?!M)", "MMM", re.sub(r"(?<!d)dddd(?!d)", "ddd", pattern))


class Formatter:
    def __init__(self, locale_name: str = DEFAULT_LOCALE, currency: str = DEFAULT_CURRENCY) -> None:
        locale = QLocale(locale_name.replace("-", "_")) if locale_name else QLocale(DEFAULT_LOCALE)
        if locale.language() == QLocale.Language.C:
            locale = QLocale(DEFAULT_LOCALE)
        self.locale = locale
        self.currency = (currency or DEFAULT_CURRENCY).upper()
        self.date_pattern = _long_year(locale.dateFormat(QLocale.FormatType.ShortFormat))
        self.grid_date_pattern = self.date_pattern.replace("yyyy", "yy")  # dense grids: 18/08/26
        self.time_pattern = locale.timeFormat(QLocale.FormatType.ShortFormat)
        # the worded dates, all cut from the locale's long date so fields come in the locale's order
        # (en_AU 'dddd, d MMMM yyyy', de_DE 'dddd, d. MMMM yyyy', en_US 'dddd, MMMM d, yyyy')
        self.long_date_pattern = locale.dateFormat(QLocale.FormatType.LongFormat)
        no_weekday = _drop(self.long_date_pattern, "dddd")
        self.weekday_date_pattern = _abbreviated(self.long_date_pattern)  # Wed, 4 Mar 2026
        self.medium_date_pattern = _abbreviated(no_weekday)  # 4 Mar 2026
        self.weekday_day_pattern = _abbreviated(_drop(self.long_date_pattern, "yyyy"))  # Wed, 4 Mar
        self.day_month_pattern = _drop(no_weekday, "yyyy")  # 4 March

    @property
    def name(self) -> str:
        return self.locale.name()

    # -- numbers and money ----------------------------------------------------------------------------
    def number(self, value: int | float | Decimal | None, decimals: int = 0) -> str:
        if value is None:
            return ""
        if decimals == 0 and isinstance(value, int):
            return self.locale.toString(value)
        return self.locale.toString(float(value), "f", decimals)

    def _symbol(self, currency: str | None) -> str:
        code = (currency or self.currency).upper()
        own = self.locale.currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode)
        if code == own:
            return self.locale.currencySymbol(QLocale.CurrencySymbolFormat.CurrencySymbol)
        return f"{code}\u00a0"  # another currency than the locale's: say which, never a misleading "$"

    def money(self, value: Decimal | int | float | None, currency: str | None = None, decimals: int = 2) -> str:
        if value is None:
            return ""
        symbol = self._symbol(currency)
        text = self.locale.toCurrencyString(float(value), symbol.strip(), decimals)
        if symbol.endswith("\u00a0") and "\u00a0" not in text:
            text = text.replace(symbol.strip(), symbol, 1)
        return text

    def money_short(self, value: Decimal | int | float | None, currency: str | None = None) -> str:
        """Whole units for headlines: $12,345,678."""
        return self.money(value, currency, 0)

    def percent(self, value: float | None) -> str:
        if value is None:
            return ""
        return self.locale.toString(float(value), "f", 0) + self.locale.percent()

    # -- dates and times ------------------------------------------------------------------------------
    def date(self, value: date | datetime | None) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = self.local(value).date()
        return self.locale.toString(QDate(value.year, value.month, value.day), self.date_pattern)

    def grid_date(self, value: date | datetime | None) -> str:
        """A compact date for dense grids (two-digit year); the full date goes in the tooltip."""
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = self.local(value).date()
        return self.locale.toString(QDate(value.year, value.month, value.day), self.grid_date_pattern)

    def datetime(self, value: datetime | None) -> str:
        if value is None:
            return ""
        local = self.local(value)
        qdate = QDate(local.year, local.month, local.day)
        qtime = QTime(local.hour, local.minute)
        return f"{self.locale.toString(qdate, self.date_pattern)} {self.locale.toString(qtime, self.time_pattern)}"

    def clock(self, value: datetime | time | None) -> str:
        """The time of day as given (a wall clock: no conversion between zones), e.g. 2:30 pm, 14:30."""
        if value is None:
            return ""
        return self.locale.toString(QTime(value.hour, value.minute), self.time_pattern)

    def _worded(self, value: date | datetime | None, pattern: str) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = self.local(value).date()
        return self.locale.toString(QDate(value.year, value.month, value.day), pattern)

    def long_date(self, value: date | datetime | None) -> str:
        """Wednesday, 4 March 2026 / Mittwoch, 4. März 2026."""
        return self._worded(value, self.long_date_pattern)

    def weekday_date(self, value: date | datetime | None) -> str:
        """Wed, 4 Mar 2026 / Mi., 4. März 2026."""
        return self._worded(value, self.weekday_date_pattern)

    def medium_date(self, value: date | datetime | None) -> str:
        """4 Mar 2026 / 4. März 2026: unambiguous in every locale, shorter than the long date."""
        return self._worded(value, self.medium_date_pattern)

    def weekday_day(self, value: date | datetime | None) -> str:
        """Wed, 4 Mar / Mi., 4. März (column headers of a week)."""
        return self._worded(value, self.weekday_day_pattern)

    def day_month(self, value: date | datetime | None) -> str:
        """4 March / 4. März."""
        return self._worded(value, self.day_month_pattern)

    def month_year(self, value: date | datetime | None, short: bool = False) -> str:
        """March 2026 / März 2026 (Mar 2026 when `short`): the month's stand-alone name."""
        if value is None:
            return ""
        kind = QLocale.FormatType.ShortFormat if short else QLocale.FormatType.LongFormat
        return f"{self.locale.standaloneMonthName(value.month, kind)} {value.year}"

    def weekday_name(self, value: date, short: bool = True) -> str:
        """Wed / Mi. (Wednesday / Mittwoch unless `short`)."""
        kind = QLocale.FormatType.ShortFormat if short else QLocale.FormatType.LongFormat
        return self.locale.standaloneDayName(value.isoweekday(), kind)

    def dress_date_edit(self, edit: QDateTimeEdit, *, weekday: bool = False, time: bool = False) -> None:
        """A date editor showing the medium date with this locale's month names (`weekday`: with the
        abbreviated day name, for planning; `time`: a date-time editor, with the locale's clock)."""
        edit.setLocale(self.locale)
        pattern = self.weekday_date_pattern if weekday else self.medium_date_pattern
        edit.setDisplayFormat(f"{pattern} {self.time_pattern}" if time else pattern)

    @staticmethod
    def local(value: datetime) -> datetime:
        """A stored instant (UTC, aware or naive) in the computer's time zone."""
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone()

    def ago(self, value: date | datetime | None, today: date | None = None) -> str:
        """'today', 'yesterday', '12 days ago', 'in 3 days'."""
        if value is None:
            return ""
        day = self.local(value).date() if isinstance(value, datetime) else value
        days = ((today or date.today()) - day).days
        if days == 0:
            return Format.tr("today")
        if days == 1:
            return Format.tr("yesterday")
        if days == -1:
            return Format.tr("tomorrow")
        if days > 0:
            return Format.tr("%1 days ago").replace("%1", self.number(days))
        return Format.tr("in %1 days").replace("%1", self.number(-days))


_current = Formatter()


def fmt() -> Formatter:
    return _current


def set_locale(locale_name: str | None, currency: str | None = None) -> Formatter:
    """Use `locale_name` (e.g. 'en_AU', 'de-DE') and the reporting `currency` from now on."""
    global _current
    _current = Formatter(locale_name or DEFAULT_LOCALE, currency or _current.currency)
    return _current
