"""Contract end: deposit and unused prepayment due within the policy deadline; overdue check."""

from __future__ import annotations

from datetime import date

import pytest
from escrow.app.contracts import draw_prepayment
from escrow.app.refunds import check_overdue, end_contract, issue_refund
from escrow.domain.errors import Conflict, InvalidCommand

from tests.unit.escrow.builders import META, TODAY, USCC, World


def _ended_world() -> World:
    """Deposit 600,000 + prepayment 900,000 of which one month (300,000) was used."""
    w = World()
    w.open()
    w.contract()
    w.declare(600_000)
    w.declare(900_000, "prepayment")
    draw_prepayment(USCC, "C1", "2025-03", 300_000, store=w.store, clock=w.clock,
                    policies=w.policies, meta=META)
    end_contract(USCC, "C1", TODAY, store=w.store, clock=w.clock, meta=META)
    return w


def _refund(w: World, amount: int, paid_on: date, ref: str = "RF-1"):
    return issue_refund(USCC, "C1", ref, amount, paid_on, store=w.store, clock=w.clock,
                        policies=w.policies, meta=META)


def _check(w: World) -> list[str]:
    return check_overdue(store=w.store, clock=w.clock, meta=META).flagged


def test_deposit_and_unused_prepayment_are_due_within_the_deadline() -> None:
    w = _ended_world()
    ended = w.store.load(f"escrow-{USCC}").events[-1].data
    assert ended["refund_due_fen"] == 1_200_000
    assert ended["refund_due_by"] == "2025-04-02"  # 30 days (configurable, UNCONFIRMED)


def test_nothing_is_overdue_on_the_last_day_of_the_deadline() -> None:
    w = _ended_world()
    w.move_to(date(2025, 4, 2))
    assert _check(w) == []


def test_refund_still_due_the_day_after_the_deadline_is_overdue_once() -> None:
    w = _ended_world()
    w.move_to(date(2025, 4, 3))
    assert _check(w) == [f"{USCC}/C1"]
    assert _check(w) == []
    overdue = w.store.load(f"escrow-{USCC}").events[-1].data
    assert overdue["amount_due_fen"] == 1_200_000 and overdue["days_overdue"] == 1


def test_a_refund_paid_in_time_is_not_flagged() -> None:
    w = _ended_world()
    handled = _refund(w, 1_200_000, TODAY)
    assert handled.events[0].late is False
    assert handled.events[0].totals.liabilities_fen == 0
    w.move_to(date(2025, 6, 1))
    assert _check(w) == []


def test_a_partial_refund_leaves_the_rest_overdue_and_a_late_one_is_marked_late() -> None:
    w = _ended_world()
    _refund(w, 200_000, TODAY)
    w.move_to(date(2025, 4, 10))
    assert _check(w) == [f"{USCC}/C1"]
    late = _refund(w, 1_000_000, date(2025, 4, 10), "RF-2").events[0].to_data()
    assert late["late"] is True and late["remaining_fen"] == 0


def test_a_refund_larger_than_what_is_due_is_refused() -> None:
    w = _ended_world()
    with pytest.raises(InvalidCommand):
        _refund(w, 1_200_001, TODAY)


def test_no_more_money_is_taken_after_the_contract_ended() -> None:
    w = _ended_world()
    with pytest.raises(Conflict):
        w.declare(1)


def test_the_deadline_of_the_policy_at_contract_start_is_used() -> None:
    from escrow.app.policies import publish_policy
    from escrow.domain.policy import Terms

    w = World()
    w.open("beijing")
    w.contract()
    quick = Terms(4, "monthly_service_fee", 3, False, None, 7, "percentage", 0, 500, "新规")
    publish_policy("beijing", TODAY, quick, store=w.store, clock=w.clock, meta=META)
    w.declare(100_000)
    ended = end_contract(USCC, "C1", TODAY, store=w.store, clock=w.clock, meta=META)
    assert ended.events[0].refund_deadline_days == 30  # C1 started under version 0
