"""Compensation against the approval matrix from settings, through the service, at the boundaries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from app.domain.complaints import ApprovalRefused, IllegalTransition
from app.store.models import Compensation, ComplaintEvent
from tests.services.test_complaints import R, intake, people  # noqa: F401  (fixture)


@pytest.fixture
def case(workstation, people):  # noqa: F811
    return intake(workstation, people.zoe, R)


def events(db, case_id: str) -> list[str]:
    with db.reading() as s:
        return list(s.scalars(select(ComplaintEvent.kind).where(ComplaintEvent.complaint_id == case_id)
                              .order_by(ComplaintEvent.at, ComplaintEvent.id)))


def test_rm_grants_up_to_their_limit_alone(workstation, people, case):  # noqa: F811
    c = workstation.complaints.propose_compensation(case.id, Decimal("500.00"), "goodwill", "Sorry for the wait")
    assert (c.status, c.approved_by_id, c.proposed_by_id, c.needs_approval) == ("approved", people.me, people.me,
                                                                                 False)
    assert c.currency == "AUD" and c.amount == Decimal("500.00")
    assert events(workstation.database, case.id)[-2:] == ["comp_proposed", "comp_approved"]


def test_one_cent_over_needs_a_team_leader(workstation, people, case):  # noqa: F811
    svc = workstation.complaints
    c = svc.propose_compensation(case.id, Decimal("500.01"), "refund")
    assert c.status == "proposed" and c.needs_approval and c.approved_by_id is None
    with pytest.raises(ApprovalRefused, match="cannot approve your own proposal of 500.01: your limit is 500.00"):
        svc.approve_compensation(c.id)
    with pytest.raises(ApprovalRefused, match="relationship manager can approve up to 500.00"):
        svc.approve_compensation(c.id, people.rm2)
    assert events(workstation.database, case.id)[-1] == "comp_proposed"  # refusals wrote nothing
    ok = svc.approve_compensation(c.id, people.leader)
    assert (ok.status, ok.approved_by_id, ok.approved_by) == ("approved", people.leader, "Tina Leader")
    last = svc.case(case.id).events[-1]
    assert last.kind == "comp_approved" and last.data["approved_by"] == people.leader
    assert last.data["recorded_by"] == workstation.actor and last.data["approver_role"] == "team_leader"
    with pytest.raises(ValueError, match="already been decided"):
        svc.approve_compensation(c.id, people.manager)


def test_team_leader_limit_boundary_and_manager_unlimited(workstation, people, case):  # noqa: F811
    svc = workstation.complaints
    at_limit = svc.propose_compensation(case.id, Decimal("5000.00"), "redress")
    over = svc.propose_compensation(case.id, Decimal("5000.01"), "redress")
    assert svc.approve_compensation(at_limit.id, people.leader).status == "approved"
    with pytest.raises(ApprovalRefused, match="team leader can approve up to 5,000.00"):
        svc.approve_compensation(over.id, people.leader)
    assert svc.approve_compensation(over.id, people.manager).approved_by == "Max Manager"


def test_limits_come_from_the_settings(workstation, people, case):  # noqa: F811
    workstation.settings.set("org.approval_limits", {"rm": "100", "team_leader": "1000.50", "manager": None})
    svc = workstation.complaints
    assert svc.propose_compensation(case.id, Decimal("100.00")).status == "approved"
    assert svc.propose_compensation(case.id, Decimal("100.01")).status == "proposed"
    big = svc.propose_compensation(case.id, Decimal("1000.51"))
    with pytest.raises(ApprovalRefused):
        svc.approve_compensation(big.id, people.leader)
    workstation.settings.set("org.approval_limits", {"rm": "lots"})
    with pytest.raises(ValueError, match="not an amount"):
        svc.propose_compensation(case.id, Decimal("1.00"))
    workstation.settings.set("org.approval_limits", {"intern": "5"})
    with pytest.raises(ValueError, match="unknown role 'intern'"):
        svc.propose_compensation(case.id, Decimal("1.00"))


@pytest.mark.parametrize(("amount", "message"), [
    (0.5, "never a float"), (Decimal("0"), "more than zero"), (Decimal("-5"), "more than zero"),
    (Decimal("1.005"), "two decimals"), (Decimal("NaN"), "more than zero"), ("abc", "not an amount"),
])
def test_bad_amounts_are_refused_and_write_nothing(workstation, case, amount, message):
    with pytest.raises(ValueError, match=message):
        workstation.complaints.propose_compensation(case.id, amount)
    with workstation.database.reading() as s:
        assert s.scalar(select(func.count()).select_from(Compensation)) == 0


def test_reject_withdraw_and_pay(workstation, people, case):  # noqa: F811
    svc = workstation.complaints
    c = svc.propose_compensation(case.id, Decimal("800.00"), "goodwill")
    with pytest.raises(ValueError, match="Only someone who could approve 800.00"):
        svc.reject_compensation(c.id, "Too much", people.rm2)
    with pytest.raises(ValueError, match="why"):
        svc.reject_compensation(c.id, " ", people.leader)
    assert svc.reject_compensation(c.id, "Policy caps this at 300", people.leader).status == "rejected"
    mine = svc.propose_compensation(case.id, Decimal("900.00"))
    assert svc.reject_compensation(mine.id, "Proposed by mistake").status == "rejected"  # proposer withdraws
    small = svc.propose_compensation(case.id, Decimal("300.00"))
    with pytest.raises(ValueError, match="Only approved"):
        svc.mark_compensation_paid(mine.id)
    paid = svc.mark_compensation_paid(small.id)
    assert paid.status == "paid" and paid.paid_at is not None
    v = svc.case(case.id)
    assert v.compensation_total == Decimal("300.00")
    assert [c.status for c in v.compensations] == ["rejected", "rejected", "paid"]
    with workstation.database.reading() as s:  # integer cents in storage
        assert s.execute(text("SELECT amount FROM compensations WHERE id = :i"), {"i": small.id}).scalar() == 30000


def test_a_case_cannot_close_with_a_proposal_waiting(workstation, people, case):  # noqa: F811
    svc = workstation.complaints
    svc.act(case.id, "acknowledge", at=R.replace(hour=11), now=R.replace(hour=11))
    c = svc.propose_compensation(case.id, Decimal("750.00"))
    with pytest.raises(IllegalTransition, match="waiting for approval"):
        svc.act(case.id, "close", outcome="upheld", at=R.replace(hour=12), now=R.replace(hour=12))
    svc.approve_compensation(c.id, people.leader)
    assert svc.act(case.id, "close", outcome="upheld", at=R.replace(hour=13), now=R.replace(hour=13)).state == "closed"
    svc.mark_compensation_paid(c.id)  # paying after closure is fine
