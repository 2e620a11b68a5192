"""The life of a complaint case as an explicit state machine.

    received -> acknowledged -> investigating <-> escalated -> response_issued -> closed
                                     ^                                              |
                                     +------------------- reopen -------------------+

* Closing needs an outcome (upheld / partly upheld / not upheld). From ``response_issued`` that is
  always allowed. From ``acknowledged`` or ``investigating`` only when the case was resolved inside
  the regime's early-resolution window (ASIC: 5 business days; FCA: summary resolution by the 3rd
  business day) - the caller works that out with ``deadlines.resolved_early``. A received case must
  be acknowledged first, and an escalated one must get a response: both are things a regulator
  expects to see on file.
* Withdrawal closes any open case with outcome ``withdrawn``.
* Reopening a closed case sends it back to ``investigating`` and needs a reason.

Each transition yields a ``CaseEvent`` for the insert-only case history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum


class CaseStatus(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    INVESTIGATING = "investigating"
    ESCALATED = "escalated"
    RESPONSE_ISSUED = "response_issued"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    CaseStatus.RECEIVED: "awaiting acknowledgement",
    CaseStatus.ACKNOWLEDGED: "acknowledged",
    CaseStatus.INVESTIGATING: "under investigation",
    CaseStatus.ESCALATED: "escalated",
    CaseStatus.RESPONSE_ISSUED: "responded to",
    CaseStatus.CLOSED: "closed",
}


class Outcome(StrEnum):
    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    NOT_UPHELD = "not_upheld"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    INVESTIGATE = "investigate"  # start, or resume after escalation
    ESCALATE = "escalate"
    ISSUE_RESPONSE = "issue_response"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"


# What "a closed case cannot be ..." reads like for each action.
_PASSIVE = {
    Action.ACKNOWLEDGE: "acknowledged",
    Action.INVESTIGATE: "investigated",
    Action.ESCALATE: "escalated",
    Action.ISSUE_RESPONSE: "given a response",
    Action.CLOSE: "closed",
    Action.WITHDRAW: "withdrawn",
    Action.REOPEN: "reopened",
}

_OPEN = frozenset(CaseStatus) - {CaseStatus.CLOSED}

# The legal moves, as data. CLOSE from acknowledged/investigating is further guarded (early resolution).
TRANSITIONS: dict[tuple[CaseStatus, Action], CaseStatus] = {
    (CaseStatus.RECEIVED, Action.ACKNOWLEDGE): CaseStatus.ACKNOWLEDGED,
    (CaseStatus.ACKNOWLEDGED, Action.INVESTIGATE): CaseStatus.INVESTIGATING,
    (CaseStatus.ACKNOWLEDGED, Action.CLOSE): CaseStatus.CLOSED,
    (CaseStatus.INVESTIGATING, Action.ESCALATE): CaseStatus.ESCALATED,
    (CaseStatus.INVESTIGATING, Action.ISSUE_RESPONSE): CaseStatus.RESPONSE_ISSUED,
    (CaseStatus.INVESTIGATING, Action.CLOSE): CaseStatus.CLOSED,
    (CaseStatus.ESCALATED, Action.INVESTIGATE): CaseStatus.INVESTIGATING,
    (CaseStatus.ESCALATED, Action.ISSUE_RESPONSE): CaseStatus.RESPONSE_ISSUED,
    (CaseStatus.RESPONSE_ISSUED, Action.CLOSE): CaseStatus.CLOSED,
    (CaseStatus.CLOSED, Action.REOPEN): CaseStatus.INVESTIGATING,
    **{(s, Action.WITHDRAW): CaseStatus.CLOSED for s in _OPEN},
}

_EARLY_CLOSE_FROM = frozenset({CaseStatus.ACKNOWLEDGED, CaseStatus.INVESTIGATING})


class IllegalTransition(ValueError):
    """A move the case's current state does not allow; the message is written for the RM."""


@dataclass(frozen=True, slots=True)
class CaseState:
    status: CaseStatus = CaseStatus.RECEIVED
    outcome: Outcome | None = None  # set exactly when closed

    def __post_init__(self) -> None:
        if (self.status is CaseStatus.CLOSED) != (self.outcome is not None):
            raise ValueError("A closed case has an outcome and an open case has none.")

    @property
    def is_open(self) -> bool:
        return self.status is not CaseStatus.CLOSED


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """One row of the insert-only case history."""

    kind: Action
    from_state: CaseStatus
    to_state: CaseStatus
    at: datetime  # aware UTC
    actor: str
    note: str = ""
    outcome: Outcome | None = None


@dataclass(frozen=True, slots=True)
class Transition:
    state: CaseState
    event: CaseEvent


def allowed_actions(state: CaseState) -> tuple[Action, ...]:
    """Actions the UI may offer (early close still depends on the clocks)."""
    return tuple(a for a in Action if (state.status, a) in TRANSITIONS)


def _refusal(status: CaseStatus, action: Action) -> str:
    if status is CaseStatus.CLOSED:
        if action in (Action.CLOSE, Action.WITHDRAW):
            return "This case is already closed."
        return f"A closed case cannot be {_PASSIVE[action]}; reopen it first."
    if action is Action.REOPEN:
        return f"Only a closed case can be reopened; this one is still open ({status.label})."
    if status is CaseStatus.RECEIVED:
        return f"This complaint has not been acknowledged yet, so it cannot be {_PASSIVE[action]}; acknowledge it first."
    if action is Action.ACKNOWLEDGE:
        return "This complaint has already been acknowledged."
    if status is CaseStatus.RESPONSE_ISSUED:
        what = "" if action is Action.ISSUE_RESPONSE else f", so the case cannot be {_PASSIVE[action]}"
        return f"A response has already been issued{what}; close the case, and reopen it if the matter needs more work."
    if (status, action) in {(CaseStatus.INVESTIGATING, Action.INVESTIGATE), (CaseStatus.ESCALATED, Action.ESCALATE)}:
        return f"This case is already {status.label}."
    if status is CaseStatus.ACKNOWLEDGED:
        return f"Start the investigation before the case can be {_PASSIVE[action]}."
    if status is CaseStatus.ESCALATED and action is Action.CLOSE:
        return "An escalated case needs a response to the client before it can be closed."
    return f"A case that is {status.label} cannot be {_PASSIVE[action]}."


def transition(
    state: CaseState,
    action: Action | str,
    *,
    at: datetime,
    actor: str,
    note: str = "",
    outcome: Outcome | str | None = None,
    resolved_early: bool = False,
) -> Transition:
    """Apply ``action`` to ``state`` or raise ``IllegalTransition`` saying why not."""
    action = Action(action)
    outcome = Outcome(outcome) if outcome is not None else None
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("The time of a case event needs a time zone.")
    if not actor.strip():
        raise ValueError("Every case event must record who did it.")
    target = TRANSITIONS.get((state.status, action))
    if target is None:
        raise IllegalTransition(_refusal(state.status, action))

    new_outcome: Outcome | None = None
    if action is Action.WITHDRAW:
        new_outcome = Outcome.WITHDRAWN
    elif action is Action.CLOSE:
        if outcome is None:
            raise IllegalTransition("Choose an outcome (upheld, partly upheld or not upheld) to close the case.")
        if outcome is Outcome.WITHDRAWN:
            raise IllegalTransition("Use Withdraw to record that the client withdrew the complaint.")
        if state.status in _EARLY_CLOSE_FROM and not resolved_early:
            raise IllegalTransition(
                "This case was not resolved within the early-resolution period, so the client needs a "
                "written response before it can be closed."
            )
        new_outcome = outcome
    elif action is Action.REOPEN and not note.strip():
        raise IllegalTransition("Say why the case is being reopened.")

    if outcome is not None and action is not Action.CLOSE:
        raise IllegalTransition("An outcome is only recorded when the case is closed.")
    event = CaseEvent(action, state.status, target, at.astimezone(UTC), actor, note, new_outcome)
    return Transition(CaseState(target, new_outcome), event)
