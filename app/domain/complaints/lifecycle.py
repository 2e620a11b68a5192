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

from app.messages import QT_TRANSLATE_NOOP


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
    CaseStatus.RECEIVED: QT_TRANSLATE_NOOP("CaseStatus", "awaiting acknowledgement"),
    CaseStatus.ACKNOWLEDGED: QT_TRANSLATE_NOOP("CaseStatus", "acknowledged"),
    CaseStatus.INVESTIGATING: QT_TRANSLATE_NOOP("CaseStatus", "under investigation"),
    CaseStatus.ESCALATED: QT_TRANSLATE_NOOP("CaseStatus", "escalated"),
    CaseStatus.RESPONSE_ISSUED: QT_TRANSLATE_NOOP("CaseStatus", "responded to"),
    CaseStatus.CLOSED: QT_TRANSLATE_NOOP("CaseStatus", "closed"),
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
    Action.ACKNOWLEDGE: QT_TRANSLATE_NOOP("CaseAction", "acknowledged"),
    Action.INVESTIGATE: QT_TRANSLATE_NOOP("CaseAction", "investigated"),
    Action.ESCALATE: QT_TRANSLATE_NOOP("CaseAction", "escalated"),
    Action.ISSUE_RESPONSE: QT_TRANSLATE_NOOP("CaseAction", "given a response"),
    Action.CLOSE: QT_TRANSLATE_NOOP("CaseAction", "closed"),
    Action.WITHDRAW: QT_TRANSLATE_NOOP("CaseAction", "withdrawn"),
    Action.REOPEN: QT_TRANSLATE_NOOP("CaseAction", "reopened"),
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
    # `done` and `status` are themselves messages: the GUI translates them inside the sentence
    done, label = _PASSIVE[action], status.label
    if status is CaseStatus.CLOSED:
        if action in (Action.CLOSE, Action.WITHDRAW):
            return QT_TRANSLATE_NOOP("CaseRefusal", "This case is already closed.")
        return QT_TRANSLATE_NOOP("CaseRefusal", "A closed case cannot be {done}; reopen it first.").format(done=done)
    if action is Action.REOPEN:
        return QT_TRANSLATE_NOOP(
            "CaseRefusal", "Only a closed case can be reopened; this one is still open ({status})."
        ).format(status=label)
    if status is CaseStatus.RECEIVED:
        return QT_TRANSLATE_NOOP(
            "CaseRefusal", "This complaint has not been acknowledged yet, so it cannot be {done}; acknowledge it first."
        ).format(done=done)
    if action is Action.ACKNOWLEDGE:
        return QT_TRANSLATE_NOOP("CaseRefusal", "This complaint has already been acknowledged.")
    if status is CaseStatus.RESPONSE_ISSUED:
        if action is Action.ISSUE_RESPONSE:
            return QT_TRANSLATE_NOOP(
                "CaseRefusal", "A response has already been issued; close the case, and reopen it if the matter "
                "needs more work.")
        return QT_TRANSLATE_NOOP(
            "CaseRefusal", "A response has already been issued, so the case cannot be {done}; close the case, and "
            "reopen it if the matter needs more work.").format(done=done)
    if (status, action) in {(CaseStatus.INVESTIGATING, Action.INVESTIGATE), (CaseStatus.ESCALATED, Action.ESCALATE)}:
        return QT_TRANSLATE_NOOP("CaseRefusal", "This case is already {status}.").format(status=label)
    if status is CaseStatus.ACKNOWLEDGED:
        return QT_TRANSLATE_NOOP("CaseRefusal", "Start the investigation before the case can be {done}.").format(
            done=done)
    if status is CaseStatus.ESCALATED and action is Action.CLOSE:
        return QT_TRANSLATE_NOOP(
            "CaseRefusal", "An escalated case needs a response to the client before it can be closed.")
    return QT_TRANSLATE_NOOP("CaseRefusal", "A case that is {status} cannot be {done}.").format(status=label, done=done)


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
            raise IllegalTransition(QT_TRANSLATE_NOOP(
                "CaseRefusal", "Choose an outcome (upheld, partly upheld or not upheld) to close the case."))
        if outcome is Outcome.WITHDRAWN:
            raise IllegalTransition(QT_TRANSLATE_NOOP(
                "CaseRefusal", "Use Withdraw to record that the client withdrew the complaint."))
        if state.status in _EARLY_CLOSE_FROM and not resolved_early:
            raise IllegalTransition(QT_TRANSLATE_NOOP(
                "CaseRefusal", "This case was not resolved within the early-resolution period, so the client "
                "needs a written response before it can be closed."
            ))
        new_outcome = outcome
    elif action is Action.REOPEN and not note.strip():
        raise IllegalTransition(QT_TRANSLATE_NOOP("CaseRefusal", "Say why the case is being reopened."))

    if outcome is not None and action is not Action.CLOSE:
        raise IllegalTransition(QT_TRANSLATE_NOOP("CaseRefusal", "An outcome is only recorded when the case is closed."))
    event = CaseEvent(action, state.status, target, at.astimezone(UTC), actor, note, new_outcome)
    return Transition(CaseState(target, new_outcome), event)
