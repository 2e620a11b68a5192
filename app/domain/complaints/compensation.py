"""Who may approve a compensation or goodwill payment, and up to how much.

The limits are data (an ``ApprovalMatrix``) so a firm can set its own delegations. Money is
``Decimal`` in the case currency, never float. By default ``admin`` is an IT role with no
payment authority: keeping system administration and spending apart is the safer default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from app.messages import QT_TRANSLATE_NOOP


class Role(StrEnum):
    RM = "rm"
    TEAM_LEADER = "team_leader"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return _ROLE_LABELS.get(self.value, self.value)


_ROLE_LABELS = {
    "rm": QT_TRANSLATE_NOOP("Role", "relationship manager"),
    "team_leader": QT_TRANSLATE_NOOP("Role", "team leader"),
    "manager": QT_TRANSLATE_NOOP("Role", "manager"),
    "admin": QT_TRANSLATE_NOOP("Role", "admin"),
}


class ApprovalRefused(ValueError):
    """The approver may not approve this amount; the message says who can."""


def _money(amount: Decimal | int) -> Decimal:
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError("compensation amounts must be Decimal (or int), never float")
    value = Decimal(amount)
    if not value.is_finite() or value < 0:
        raise ValueError("A compensation amount must be zero or more.")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("A compensation amount has at most two decimal places (cents or pence).")
    return value


@dataclass(frozen=True, slots=True)
class ApprovalMatrix:
    """Each role's own authority; ``None`` means unlimited, a missing role means none."""

    limits: Mapping[Role, Decimal | None]

    def limit(self, role: Role | str) -> Decimal | None:
        return self.limits.get(Role(role), Decimal(0))

    def can_approve(self, amount: Decimal | int, role: Role | str) -> bool:
        value, limit = _money(amount), self.limit(role)
        return limit is None or value <= limit

    def needs_approval(self, amount: Decimal | int, proposer_role: Role | str) -> bool:
        """True when the amount is above what the proposer may grant alone."""
        return not self.can_approve(amount, proposer_role)

    def roles_that_can_approve(self, amount: Decimal | int) -> tuple[Role, ...]:
        return tuple(r for r in Role if self.can_approve(amount, r))


DEFAULT_MATRIX = ApprovalMatrix(
    MappingProxyType(
        {Role.RM: Decimal("500.00"), Role.TEAM_LEADER: Decimal("5000.00"), Role.MANAGER: None, Role.ADMIN: Decimal(0)}
    )
)


@dataclass(frozen=True, slots=True)
class StaffMember:
    user_id: str
    role: Role
    name: str = ""


@dataclass(frozen=True, slots=True)
class Approval:
    amount: Decimal
    proposed_by: StaffMember
    approved_by: StaffMember
    self_approved: bool  # within the proposer's own authority


def needs_approval(amount: Decimal | int, proposer_role: Role | str, matrix: ApprovalMatrix = DEFAULT_MATRIX) -> bool:
    return matrix.needs_approval(amount, proposer_role)


def can_approve(amount: Decimal | int, approver_role: Role | str, matrix: ApprovalMatrix = DEFAULT_MATRIX) -> bool:
    return matrix.can_approve(amount, approver_role)


def approve(
    amount: Decimal | int,
    *,
    proposed_by: StaffMember,
    approved_by: StaffMember,
    matrix: ApprovalMatrix = DEFAULT_MATRIX,
) -> Approval:
    """Record an approval, or raise ``ApprovalRefused`` with what to do instead."""
    value = _money(amount)
    if matrix.can_approve(value, approved_by.role):
        return Approval(value, proposed_by, approved_by, approved_by.user_id == proposed_by.user_id)
    roles = None
    for r in matrix.roles_that_can_approve(value):  # "a or b or c", each part translatable
        roles = r.label if roles is None else QT_TRANSLATE_NOOP("Approval", "{either} or {other}").format(
            either=roles, other=r.label)
    next_step = (QT_TRANSLATE_NOOP("Approval", "Ask a {roles} to approve it.").format(roles=roles) if roles
                 else QT_TRANSLATE_NOOP("Approval", "No role may approve this much; check the approval limits."))
    limit = matrix.limit(approved_by.role) or Decimal(0)
    # amounts go in as Decimal: "{:,.2f}" in English (the CLI), the user's money format in the GUI
    if approved_by.user_id == proposed_by.user_id:
        raise ApprovalRefused(QT_TRANSLATE_NOOP(
            "Approval", "You cannot approve your own proposal of {amount:,.2f}: your limit is {limit:,.2f}. {next_step}"
        ).format(amount=value, limit=limit, next_step=next_step))
    raise ApprovalRefused(QT_TRANSLATE_NOOP(
        "Approval", "A {role} can approve up to {limit:,.2f}, not {amount:,.2f}. {next_step}"
    ).format(role=approved_by.role.label, limit=limit, amount=value, next_step=next_step))
