"""Root-cause categories and the recurrence (systemic issue) detector.

Both regulators expect firms to look past single complaints: the same cause coming back several
times in a short period is a possible systemic issue to escalate. A window of D days is D
consecutive calendar days, both ends included (30 days: 1 Jan and 30 Jan are in one window,
1 Jan and 31 Jan are not).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class RootCause:
    code: str
    label: str


DEFAULT_ROOT_CAUSES: tuple[RootCause, ...] = (
    RootCause("fees_charges", "Fees and charges"),
    RootCause("disclosure", "Product information or disclosure"),
    RootCause("advice", "Suitability of advice"),
    RootCause("service_delay", "Delay or service standard"),
    RootCause("communication", "Communication or missing information"),
    RootCause("staff_conduct", "Staff conduct"),
    RootCause("system_error", "System or technology failure"),
    RootCause("transaction_error", "Payment or transaction error"),
    RootCause("hardship", "Financial hardship handling"),
    RootCause("privacy", "Privacy or confidentiality"),
    RootCause("fraud_scam", "Fraud or scam"),
    RootCause("terms_policy", "Terms, pricing or policy decision"),
    RootCause("third_party", "Third party or supplier"),
    RootCause("other", "Other"),
)


def root_cause(code: str, causes: Iterable[RootCause] = DEFAULT_ROOT_CAUSES) -> RootCause:
    for cause in causes:
        if cause.code == code:
            return cause
    raise ValueError(f"'{code}' is not a known root cause; pick one from the list.")


@dataclass(frozen=True, slots=True)
class CauseOccurrence:
    case_id: str
    cause_code: str
    received: date


@dataclass(frozen=True, slots=True)
class RecurrenceFlag:
    """One episode of a cause recurring: every case in a qualifying window, merged while windows overlap."""

    cause_code: str
    case_ids: tuple[str, ...]  # in order of receipt
    first: date
    last: date
    peak: int  # most cases inside any single window of the episode


def detect_recurrence(
    occurrences: Iterable[CauseOccurrence], *, threshold: int = 3, window_days: int = 30
) -> list[RecurrenceFlag]:
    """Flag causes seen on ``threshold`` or more cases within any ``window_days``-day window."""
    if threshold < 1 or window_days < 1:
        raise ValueError("The recurrence threshold and window must both be at least 1.")
    by_cause: dict[str, dict[str, date]] = defaultdict(dict)
    for occ in occurrences:  # a case counts once per cause, at its earliest receipt
        seen = by_cause[occ.cause_code].get(occ.case_id)
        by_cause[occ.cause_code][occ.case_id] = occ.received if seen is None else min(seen, occ.received)

    flags: list[RecurrenceFlag] = []
    for cause in sorted(by_cause):
        cases = sorted(by_cause[cause].items(), key=lambda kv: (kv[1], kv[0]))
        flags.extend(_episodes(cause, cases, threshold, window_days))
    return flags


def _episodes(cause: str, cases: list[tuple[str, date]], threshold: int, window_days: int) -> list[RecurrenceFlag]:
    episodes: list[RecurrenceFlag] = []
    lo = 0
    start = end = -1  # current episode spans cases[start..end]
    peak = 0

    def close() -> None:
        chunk = cases[start : end + 1]
        episodes.append(RecurrenceFlag(cause, tuple(c for c, _ in chunk), chunk[0][1], chunk[-1][1], peak))

    for hi, (_, day) in enumerate(cases):
        while (day - cases[lo][1]).days >= window_days:
            lo += 1
        count = hi - lo + 1
        if count < threshold:
            continue
        if start >= 0 and lo <= end:  # overlaps the open episode: extend it
            end, peak = hi, max(peak, count)
        else:
            if start >= 0:
                close()
            start, end, peak = lo, hi, count
    if start >= 0:
        close()
    return episodes
