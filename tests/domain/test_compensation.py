from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.complaints import (
    DEFAULT_MATRIX,
    ApprovalMatrix,
    ApprovalRefused,
    Role,
    StaffMember,
    approve,
    can_approve,
    needs_approval,
)

RM = StaffMember("u1", Role.RM, "Ana")
OTHER_RM = StaffMember("u2", Role.RM, "Ben")
TL = StaffMember("u3", Role.TEAM_LEADER, "Cleo")
MGR = StaffMember("u4", Role.MANAGER, "Dev")
ADMIN = StaffMember("u5", Role.ADMIN, "Eve")


@pytest.mark.parametrize(
    ("amount", "role", "allowed"),
    [
        ("0.00", Role.RM, True),
        ("500.00", Role.RM, True),
        ("500.01", Role.RM, False),
        ("5000.00", Role.TEAM_LEADER, True),
        ("5000.01", Role.TEAM_LEADER, False),
        ("1000000.00", Role.MANAGER, True),
        ("0.01", Role.ADMIN, False),
        ("0.00", Role.ADMIN, True),
    ],
)
def test_can_approve_at_the_boundaries(amount, role, allowed):
    assert can_approve(Decimal(amount), role) is allowed
    assert needs_approval(Decimal(amount), role) is not allowed


def test_roles_accept_their_string_codes():
    assert can_approve(Decimal("500.00"), "rm") and not can_approve(Decimal("500.01"), "rm")


def test_self_approval_within_own_limit_is_recorded_as_such():
    approval = approve(Decimal("500.00"), proposed_by=RM, approved_by=RM)
    assert approval.approved_by == RM and approval.self_approved
    assert approval.amount == Decimal("500.00")


def test_self_approval_above_own_limit_is_refused_and_says_who_can():
    with pytest.raises(ApprovalRefused) as err:
        approve(Decimal("500.01"), proposed_by=RM, approved_by=RM)
    assert str(err.value) == (
        "You cannot approve your own proposal of 500.01: your limit is 500.00. "
        "Ask a team leader or manager to approve it."
    )


def test_approver_without_authority_is_refused():
    with pytest.raises(ApprovalRefused, match=r"^A team leader can approve up to 5,000.00, not 5,000.01\. Ask a manager"):
        approve(Decimal("5000.01"), proposed_by=RM, approved_by=TL)
    with pytest.raises(ApprovalRefused, match="A relationship manager can approve up to 500.00"):
        approve(Decimal("600"), proposed_by=RM, approved_by=OTHER_RM)
    with pytest.raises(ApprovalRefused, match="admin can approve up to 0.00"):
        approve(Decimal("10"), proposed_by=RM, approved_by=ADMIN)


def test_an_approver_with_authority_is_returned():
    approval = approve(Decimal("5000.00"), proposed_by=RM, approved_by=TL)
    assert (approval.approved_by, approval.proposed_by, approval.self_approved) == (TL, RM, False)
    assert approve(Decimal("250000"), proposed_by=TL, approved_by=MGR).approved_by == MGR


def test_matrix_is_configurable_and_missing_roles_have_no_authority():
    matrix = ApprovalMatrix({Role.RM: Decimal("100.00"), Role.MANAGER: Decimal("2000.00")})
    assert needs_approval(Decimal("100.01"), Role.RM, matrix)
    assert not can_approve(Decimal("0.01"), Role.TEAM_LEADER, matrix)
    with pytest.raises(ApprovalRefused, match="No role may approve this much"):
        approve(Decimal("2000.01"), proposed_by=RM, approved_by=MGR, matrix=matrix)


def test_default_limits():
    assert DEFAULT_MATRIX.limit(Role.RM) == Decimal("500")
    assert DEFAULT_MATRIX.limit(Role.TEAM_LEADER) == Decimal("5000")
    assert DEFAULT_MATRIX.limit(Role.MANAGER) is None
    assert DEFAULT_MATRIX.roles_that_can_approve(Decimal("500.01")) == (Role.TEAM_LEADER, Role.MANAGER)


@pytest.mark.parametrize("bad", [Decimal("-1"), Decimal("1.005"), Decimal("NaN"), Decimal("Infinity")])
def test_bad_amounts_are_refused(bad):
    with pytest.raises(ValueError):
        can_approve(bad, Role.MANAGER)


@pytest.mark.parametrize("bad", [500.0, True, "500"])
def test_non_decimal_amounts_are_a_programming_error(bad):
    with pytest.raises(TypeError):
        needs_approval(bad, Role.RM)
