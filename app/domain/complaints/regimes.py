"""Regulatory complaint regimes as data.

Each regime is a table of clock rules per complaint type plus the facts a response letter needs.
Adding a regime (or changing a timeframe after a rule change) means editing data here, never
adding branches to the deadline code.

Sources: ASIC RG 271 (Australia, from 5 Oct 2021) and FCA DISP 1.5/1.6 (UK, incl. PSD2 payment
services in DISP 1.6.2A). Where the text is ambiguous the conservative reading is chosen and noted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from enum import StrEnum
from types import MappingProxyType


class ComplaintType(StrEnum):
    STANDARD = "standard"
    HARDSHIP = "hardship"  # financial hardship, default notices, postponing enforcement
    SUPERANNUATION = "superannuation"
    PAYMENT_SERVICES = "payment_services"


class DayUnit(StrEnum):
    BUSINESS = "business"
    CALENDAR = "calendar"


class ClockStart(StrEnum):
    """The event a clock runs from. Only receipt today; kept as data so rules can start elsewhere."""

    RECEIVED = "received"


class Clock(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    EARLY_RESOLUTION = "early_resolution"  # ASIC: closed within 5 business days
    SUMMARY_RESOLUTION = "summary_resolution"  # FCA: resolved by the 3rd business day
    FINAL_RESPONSE = "final_response"
    EXTENDED_FINAL_RESPONSE = "extended_final_response"  # PSD2: only after a holding reply

    @property
    def is_window(self) -> bool:
        """A window is an opportunity (resolve early, lighter letter), not an obligation: missing it is no breach."""
        return self in (Clock.EARLY_RESOLUTION, Clock.SUMMARY_RESOLUTION)

    @property
    def label(self) -> str:
        return _CLOCK_LABELS[self]


_CLOCK_LABELS = {
    Clock.ACKNOWLEDGEMENT: "Acknowledgement",
    Clock.EARLY_RESOLUTION: "Early resolution",
    Clock.SUMMARY_RESOLUTION: "Summary resolution",
    Clock.FINAL_RESPONSE: "Final response",
    Clock.EXTENDED_FINAL_RESPONSE: "Extended final response",
}


class ResponseLetter(StrEnum):
    """The written communication a case needs."""

    NONE = "none"
    SUMMARY_RESOLUTION = "summary_resolution_communication"
    FINAL_RESPONSE = "final_response"


@dataclass(frozen=True, slots=True)
class ClockRule:
    clock: Clock
    count: int
    unit: DayUnit
    starts_from: ClockStart = ClockStart.RECEIVED


@dataclass(frozen=True, slots=True)
class ExternalDisputeBody:
    """The ombudsman a final response must name, with the contact details to print."""

    name: str
    short_name: str
    website: str
    phone: str
    email: str | None = None
    postal_address: str | None = None


@dataclass(frozen=True, slots=True)
class Regime:
    code: str
    name: str
    clocks: Mapping[ComplaintType, tuple[ClockRule, ...]]
    external_body: ExternalDisputeBody
    # A receipt at/after this local time or on a non-business day counts from the next business day
    # for business-day clocks. None = always count from the local day of receipt (conservative).
    roll_receipt_after: time | None
    # The window inside which a case may close early, and the letter an early close then needs.
    early_resolution: Clock | None
    early_resolution_letter: ResponseLetter
    # Types that always need a written response, however fast they are resolved.
    always_written: frozenset[ComplaintType] = frozenset()
    # Must the client get reasons in writing when the final-response deadline cannot be met?
    delay_notice_required: bool = True
    notes: tuple[str, ...] = field(default=())

    def rules_for(self, complaint_type: ComplaintType | str) -> tuple[ClockRule, ...]:
        try:
            return self.clocks[ComplaintType(complaint_type)]
        except (ValueError, KeyError):
            raise ValueError(
                f"'{complaint_type}' is not a complaint type that {self.name} sets timeframes for."
            ) from None

    def rule(self, complaint_type: ComplaintType | str, clock: Clock) -> ClockRule | None:
        return next((r for r in self.rules_for(complaint_type) if r.clock is clock), None)


def _table(rows: dict[ComplaintType, tuple[ClockRule, ...]]) -> Mapping[ComplaintType, tuple[ClockRule, ...]]:
    missing = set(ComplaintType) - rows.keys()
    if missing:  # every regime answers for every type, so lookups never fall through silently
        raise ValueError(f"regime table misses {sorted(missing)}")
    return MappingProxyType(rows)


AFCA = ExternalDisputeBody(
    name="Australian Financial Complaints Authority",
    short_name="AFCA",
    website="www.afca.org.au",
    phone="1800 931 678",
    email="info@afca.org.au",
    postal_address="GPO Box 3, Melbourne VIC 3001",
)

FINANCIAL_OMBUDSMAN = ExternalDisputeBody(
    name="Financial Ombudsman Service",
    short_name="FOS",
    website="www.financial-ombudsman.org.uk",
    phone="0800 023 4567",
    email="complaint.info@financial-ombudsman.org.uk",
    postal_address="Exchange Tower, London E14 9SR",
)

_B, _C = DayUnit.BUSINESS, DayUnit.CALENDAR


def _asic_rules(final_days: int) -> tuple[ClockRule, ...]:
    return (
        ClockRule(Clock.ACKNOWLEDGEMENT, 1, _B),
        ClockRule(Clock.EARLY_RESOLUTION, 5, _B),
        ClockRule(Clock.FINAL_RESPONSE, final_days, _C),
    )


ASIC = Regime(
    code="asic",
    name="ASIC RG 271",
    clocks=_table(
        {
            ComplaintType.STANDARD: _asic_rules(30),
            ComplaintType.HARDSHIP: _asic_rules(21),
            ComplaintType.SUPERANNUATION: _asic_rules(45),
            ComplaintType.PAYMENT_SERVICES: _asic_rules(30),
        }
    ),
    external_body=AFCA,
    roll_receipt_after=None,
    early_resolution=Clock.EARLY_RESOLUTION,
    early_resolution_letter=ResponseLetter.NONE,
    always_written=frozenset({ComplaintType.HARDSHIP}),
    notes=(
        "RG 271 has no after-hours rule, so business days count from the local day of receipt.",
        "A complaint closed within 5 business days needs no written response unless the client asks "
        "for one or it concerns hardship, a default notice or postponing enforcement.",
        "If the final response will be late, send a delay notice with reasons and the AFCA details.",
    ),
)

_FCA_GENERAL = (
    ClockRule(Clock.SUMMARY_RESOLUTION, 3, _B),
    ClockRule(Clock.FINAL_RESPONSE, 56, _C),  # eight weeks
)

FCA = Regime(
    code="fca",
    name="FCA DISP",
    clocks=_table(
        {
            ComplaintType.STANDARD: _FCA_GENERAL,
            ComplaintType.HARDSHIP: _FCA_GENERAL,
            ComplaintType.SUPERANNUATION: _FCA_GENERAL,
            ComplaintType.PAYMENT_SERVICES: (
                ClockRule(Clock.SUMMARY_RESOLUTION, 3, _B),
                ClockRule(Clock.FINAL_RESPONSE, 15, _B),
                ClockRule(Clock.EXTENDED_FINAL_RESPONSE, 35, _B),
            ),
        }
    ),
    external_body=FINANCIAL_OMBUDSMAN,
    roll_receipt_after=time(17, 0),  # DISP 1.5.3G: after close of business -> next business day
    early_resolution=Clock.SUMMARY_RESOLUTION,
    early_resolution_letter=ResponseLetter.SUMMARY_RESOLUTION,
    notes=(
        "A complaint resolved by the end of the third business day after receipt gets a summary "
        "resolution communication instead of a final response.",
        "Payment services: 15 business days, or up to 35 with a holding reply in exceptional cases.",
    ),
)

REGIMES: Mapping[str, Regime] = MappingProxyType({r.code: r for r in (ASIC, FCA)})


def regime(code: str) -> Regime:
    """The regime for ``code`` (case-insensitive), or a ValueError naming the known ones."""
    try:
        return REGIMES[code.strip().lower()]
    except KeyError:
        known = ", ".join(f"{r.code} ({r.name})" for r in REGIMES.values())
        raise ValueError(f"Unknown complaints regime '{code}'. Choose one of: {known}.") from None
