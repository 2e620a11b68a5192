from __future__ import annotations

from datetime import date

import pytest

from app.domain.complaints import (
    DEFAULT_ROOT_CAUSES,
    CauseOccurrence,
    RecurrenceFlag,
    detect_recurrence,
    root_cause,
)


def occ(case: str, cause: str, y: int, m: int, d: int) -> CauseOccurrence:
    return CauseOccurrence(case, cause, date(y, m, d))


def test_default_categories_have_unique_codes_and_labels():
    codes = [c.code for c in DEFAULT_ROOT_CAUSES]
    assert len(codes) == len(set(codes))
    assert all(c.label for c in DEFAULT_ROOT_CAUSES)
    assert root_cause("fees_charges").label == "Fees and charges"


def test_unknown_root_cause():
    with pytest.raises(ValueError, match="'nope' is not a known root cause"):
        root_cause("nope")


def test_window_boundary_is_inclusive_of_d_days():
    # 30-day window: 1 Jan .. 30 Jan is inside one window, 1 Jan .. 31 Jan is not.
    inside = [occ("c1", "fees_charges", 2026, 1, 1), occ("c2", "fees_charges", 2026, 1, 15),
              occ("c3", "fees_charges", 2026, 1, 30)]
    outside = inside[:2] + [occ("c3", "fees_charges", 2026, 1, 31)]
    assert detect_recurrence(inside, threshold=3, window_days=30) == [
        RecurrenceFlag("fees_charges", ("c1", "c2", "c3"), date(2026, 1, 1), date(2026, 1, 30), 3)
    ]
    assert detect_recurrence(outside, threshold=3, window_days=30) == []


def test_threshold_boundary():
    two = [occ("c1", "advice", 2026, 3, 1), occ("c2", "advice", 2026, 3, 2)]
    assert detect_recurrence(two, threshold=3) == []
    assert [f.case_ids for f in detect_recurrence(two, threshold=2)] == [("c1", "c2")]


def test_causes_are_counted_separately():
    mixed = [occ("c1", "advice", 2026, 3, 1), occ("c2", "privacy", 2026, 3, 2), occ("c3", "advice", 2026, 3, 3)]
    assert detect_recurrence(mixed, threshold=3) == []
    assert [f.cause_code for f in detect_recurrence(mixed, threshold=2)] == ["advice"]


def test_overlapping_windows_merge_into_one_episode_and_separate_ones_do_not():
    rows = [
        occ("a", "system_error", 2026, 1, 1),
        occ("b", "system_error", 2026, 1, 5),
        occ("c", "system_error", 2026, 1, 9),  # window 1-9 Jan: a, b, c
        occ("d", "system_error", 2026, 1, 13),  # window 5-13 Jan: b, c, d (overlaps)
        occ("z", "system_error", 2026, 3, 1),  # lone case, never flagged
        occ("e", "system_error", 2026, 6, 1),
        occ("f", "system_error", 2026, 6, 2),
        occ("g", "system_error", 2026, 6, 3),
        occ("h", "system_error", 2026, 6, 4),
    ]
    flags = detect_recurrence(rows, threshold=3, window_days=10)
    assert flags == [
        RecurrenceFlag("system_error", ("a", "b", "c", "d"), date(2026, 1, 1), date(2026, 1, 13), 3),
        RecurrenceFlag("system_error", ("e", "f", "g", "h"), date(2026, 6, 1), date(2026, 6, 4), 4),
    ]


def test_a_case_counts_once_per_cause_and_input_order_does_not_matter():
    rows = [occ("c2", "fees_charges", 2026, 1, 3), occ("c1", "fees_charges", 2026, 1, 1),
            occ("c1", "fees_charges", 2026, 1, 2), occ("c3", "fees_charges", 2026, 1, 4)]
    assert detect_recurrence(rows, threshold=4) == []
    assert detect_recurrence(rows, threshold=3)[0].case_ids == ("c1", "c2", "c3")


def test_same_day_cluster_and_window_of_one_day():
    rows = [occ(f"c{i}", "fraud_scam", 2026, 2, 2) for i in range(3)] + [occ("c9", "fraud_scam", 2026, 2, 3)]
    (flag,) = detect_recurrence(rows, threshold=3, window_days=1)
    assert flag.case_ids == ("c0", "c1", "c2") and flag.peak == 3


@pytest.mark.parametrize(("threshold", "window"), [(0, 30), (3, 0)])
def test_nonsense_settings_are_refused(threshold, window):
    with pytest.raises(ValueError, match="at least 1"):
        detect_recurrence([], threshold=threshold, window_days=window)
