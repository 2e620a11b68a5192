from __future__ import annotations

from datetime import UTC, datetime
from itertools import product
from zoneinfo import ZoneInfo

import pytest

from app.domain.complaints import (
    Action,
    CaseEvent,
    CaseState,
    CaseStatus,
    IllegalTransition,
    Outcome,
    allowed_actions,
    transition,
)

AT = datetime(2026, 4, 7, 10, 0, tzinfo=ZoneInfo("Australia/Sydney"))
S, A = CaseStatus, Action

# Written out independently of the module's table: the whole legal matrix.
LEGAL = {
    (S.RECEIVED, A.ACKNOWLEDGE): S.ACKNOWLEDGED,
    (S.RECEIVED, A.WITHDRAW): S.CLOSED,
    (S.ACKNOWLEDGED, A.INVESTIGATE): S.INVESTIGATING,
    (S.ACKNOWLEDGED, A.CLOSE): S.CLOSED,
    (S.ACKNOWLEDGED, A.WITHDRAW): S.CLOSED,
    (S.INVESTIGATING, A.ESCALATE): S.ESCALATED,
    (S.INVESTIGATING, A.ISSUE_RESPONSE): S.RESPONSE_ISSUED,
    (S.INVESTIGATING, A.CLOSE): S.CLOSED,
    (S.INVESTIGATING, A.WITHDRAW): S.CLOSED,
    (S.ESCALATED, A.INVESTIGATE): S.INVESTIGATING,
    (S.ESCALATED, A.ISSUE_RESPONSE): S.RESPONSE_ISSUED,
    (S.ESCALATED, A.WITHDRAW): S.CLOSED,
    (S.RESPONSE_ISSUED, A.CLOSE): S.CLOSED,
    (S.RESPONSE_ISSUED, A.WITHDRAW): S.CLOSED,
    (S.CLOSED, A.REOPEN): S.INVESTIGATING,
}
ILLEGAL = sorted(set(product(S, A)) - LEGAL.keys())


def state(status: CaseStatus) -> CaseState:
    return CaseState(status, Outcome.NOT_UPHELD if status is S.CLOSED else None)


def kwargs(action: Action) -> dict:
    """Everything a legal move may need, so the matrix tests only the state rule."""
    extra: dict = {"at": AT, "actor": "rm.jones", "note": "client called back"}
    if action is A.CLOSE:
        extra |= {"outcome": Outcome.UPHELD, "resolved_early": True}
    return extra


def test_matrix_is_complete():
    assert len(LEGAL) + len(ILLEGAL) == len(S) * len(A) == 42


@pytest.mark.parametrize(("status", "action"), sorted(LEGAL))
def test_legal_transition(status, action):
    result = transition(state(status), action, **kwargs(action))
    assert result.state.status is LEGAL[(status, action)]
    expected_outcome = {A.WITHDRAW: Outcome.WITHDRAWN, A.CLOSE: Outcome.UPHELD}.get(action)
    assert result.state.outcome is expected_outcome
    assert result.event == CaseEvent(
        kind=action,
        from_state=status,
        to_state=LEGAL[(status, action)],
        at=datetime(2026, 4, 7, 0, 0, tzinfo=UTC),  # 10:00 AEST stored as UTC
        actor="rm.jones",
        note="client called back",
        outcome=expected_outcome,
    )


@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_illegal_transition(status, action):
    with pytest.raises(IllegalTransition) as err:
        transition(state(status), action, **kwargs(action))
    message = str(err.value)
    assert message and message[0].isupper() and message.endswith(".")
    assert "Action." not in message and "CaseStatus" not in message  # no developer vocabulary


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        (S.CLOSED, A.ESCALATE, "A closed case cannot be escalated; reopen it first."),
        (S.CLOSED, A.ISSUE_RESPONSE, "A closed case cannot be given a response; reopen it first."),
        (S.CLOSED, A.WITHDRAW, "This case is already closed."),
        (S.INVESTIGATING, A.REOPEN, "Only a closed case can be reopened; this one is still open (under investigation)."),
        (S.RECEIVED, A.ESCALATE, "This complaint has not been acknowledged yet, so it cannot be escalated; acknowledge it first."),
        (S.ACKNOWLEDGED, A.ESCALATE, "Start the investigation before the case can be escalated."),
        (S.ESCALATED, A.ESCALATE, "This case is already escalated."),
        (S.INVESTIGATING, A.ACKNOWLEDGE, "This complaint has already been acknowledged."),
        (S.RESPONSE_ISSUED, A.ISSUE_RESPONSE,
         "A response has already been issued; close the case, and reopen it if the matter needs more work."),
        (S.ESCALATED, A.CLOSE, "An escalated case needs a response to the client before it can be closed."),
    ],
)
def test_refusals_read_well(status, action, message):
    with pytest.raises(IllegalTransition, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        transition(state(status), action, **kwargs(action))


def test_allowed_actions_follow_the_table():
    for status in S:
        assert set(allowed_actions(state(status))) == {a for (s, a) in LEGAL if s is status}


@pytest.mark.parametrize("status", [S.ACKNOWLEDGED, S.INVESTIGATING])
def test_closing_without_a_response_needs_early_resolution(status):
    with pytest.raises(IllegalTransition, match="not resolved within the early-resolution period"):
        transition(state(status), A.CLOSE, at=AT, actor="rm.jones", outcome=Outcome.UPHELD)


def test_closing_after_a_response_does_not_need_early_resolution():
    result = transition(state(S.RESPONSE_ISSUED), A.CLOSE, at=AT, actor="rm.jones", outcome="partly_upheld")
    assert result.state == CaseState(S.CLOSED, Outcome.PARTLY_UPHELD)


def test_close_needs_an_outcome_and_not_withdrawn():
    with pytest.raises(IllegalTransition, match="Choose an outcome"):
        transition(state(S.RESPONSE_ISSUED), A.CLOSE, at=AT, actor="rm.jones")
    with pytest.raises(IllegalTransition, match="Use Withdraw"):
        transition(state(S.RESPONSE_ISSUED), A.CLOSE, at=AT, actor="rm.jones", outcome=Outcome.WITHDRAWN)


def test_outcome_only_on_close():
    with pytest.raises(IllegalTransition, match="only recorded when the case is closed"):
        transition(state(S.INVESTIGATING), A.ESCALATE, at=AT, actor="rm.jones", outcome=Outcome.UPHELD)


def test_reopen_needs_a_reason_and_clears_the_outcome():
    with pytest.raises(IllegalTransition, match="Say why"):
        transition(state(S.CLOSED), A.REOPEN, at=AT, actor="tl.smith", note="  ")
    result = transition(state(S.CLOSED), A.REOPEN, at=AT, actor="tl.smith", note="new evidence")
    assert result.state == CaseState(S.INVESTIGATING, None)


def test_event_needs_an_aware_time_and_an_actor():
    with pytest.raises(ValueError, match="time zone"):
        transition(state(S.RECEIVED), A.ACKNOWLEDGE, at=datetime(2026, 4, 7, 10), actor="rm.jones")
    with pytest.raises(ValueError, match="who did it"):
        transition(state(S.RECEIVED), A.ACKNOWLEDGE, at=AT, actor=" ")


def test_closed_state_carries_an_outcome_and_open_does_not():
    with pytest.raises(ValueError):
        CaseState(S.CLOSED)
    with pytest.raises(ValueError):
        CaseState(S.INVESTIGATING, Outcome.UPHELD)


def test_a_whole_journey():
    st = CaseState()
    for action, extra in [
        (A.ACKNOWLEDGE, {}),
        (A.INVESTIGATE, {}),
        (A.ESCALATE, {}),
        (A.INVESTIGATE, {}),
        (A.ISSUE_RESPONSE, {}),
        (A.CLOSE, {"outcome": Outcome.NOT_UPHELD}),
        (A.REOPEN, {"note": "client sent statements"}),
        (A.WITHDRAW, {}),
    ]:
        st = transition(st, action, at=AT, actor="rm.jones", **extra).state
    assert st == CaseState(S.CLOSED, Outcome.WITHDRAWN)
