"""Deposit, prepayment and membership caps of each shipped policy, at and just above the cap."""

from __future__ import annotations

from datetime import date

import pytest
from escrow.app.policies import publish_policy
from escrow.domain.errors import CapExceeded, Conflict, InvalidCommand
from escrow.domain.policy import Terms

from tests.unit.escrow.builders import META, TODAY, World

SERVICE, BED = 300_000, 100_000  # 3,000 元 a month, of which 1,000 元 is the bed
HIGH_BED = 250_000  # a bed fee high enough that the local service-fee cap binds

# jurisdiction, bed fee, kind, effective cap in fen: the lower of the local and national caps
CAPS = [
    ("chongqing", BED, "deposit", 12 * BED),  # 6 x 3,000 > 12 x 1,000: national binds
    ("chongqing", HIGH_BED, "deposit", 6 * SERVICE),  # 6 x 3,000 < 12 x 2,500: local binds
    ("national", BED, "deposit", 12 * BED),
    ("national", HIGH_BED, "deposit", 12 * HIGH_BED),
    ("beijing", BED, "deposit", 4 * SERVICE),  # 4 x 3,000 = 12 x 1,000
    ("beijing", HIGH_BED, "deposit", 4 * SERVICE),
    ("chongqing", BED, "prepayment", 12 * SERVICE),
    ("national", BED, "prepayment", 12 * SERVICE),
    ("beijing", BED, "prepayment", 3 * SERVICE),
]


def _world(jurisdiction: str, bed: int = BED) -> World:
    w = World()
    w.open(jurisdiction)
    w.contract(service=SERVICE, bed=bed)
    return w


@pytest.mark.parametrize(("jurisdiction", "bed", "kind", "cap"), CAPS)
def test_amount_exactly_at_the_cap_is_accepted(jurisdiction: str, bed: int, kind: str,
                                               cap: int) -> None:
    w = _world(jurisdiction, bed)
    handled = w.declare(cap, kind)
    assert [e.event_name for e in handled.events] == ["DepositAccepted"]
    assert handled.events[0].cap_fen == cap


@pytest.mark.parametrize(("jurisdiction", "bed", "kind", "cap"), CAPS)
def test_one_fen_above_the_cap_is_rejected_and_the_rejection_recorded(
        jurisdiction: str, bed: int, kind: str, cap: int) -> None:
    w = _world(jurisdiction, bed)
    with pytest.raises(CapExceeded) as exc:
        w.declare(cap + 1, kind)
    assert exc.value.facts["cap_fen"] == cap
    assert exc.value.facts["amount_fen"] == cap + 1
    assert exc.value.facts["excess_fen"] == 1
    assert exc.value.facts["rule"]["text"]
    assert w.events()[-1] == "DepositRejected"


def test_deposits_add_up_against_the_cap() -> None:
    w = _world("beijing")
    w.declare(3 * SERVICE)
    w.declare(SERVICE)
    with pytest.raises(CapExceeded) as exc:
        w.declare(1)
    assert exc.value.facts["held_before_fen"] == 4 * SERVICE


def test_national_deposit_cap_is_based_on_the_bed_fee_not_the_service_fee() -> None:
    w = _world("national")
    with pytest.raises(CapExceeded) as exc:
        w.declare(12 * SERVICE)
    assert "月床位费" in exc.value.facts["rule"]["text"]


def test_membership_fee_is_rejected_where_the_policy_does_not_allow_it() -> None:
    w = _world("chongqing")
    with pytest.raises(CapExceeded) as exc:
        w.declare(1, "membership_fee")
    assert exc.value.facts["rule"]["code"] == "membership_not_allowed"


def _membership_terms() -> Terms:
    return Terms(12, "monthly_bed_fee", 12, True, 12, 30, "amount", 1_000_000, 0, "云南试行")


def test_published_membership_cap_applies_to_contracts_starting_after_it() -> None:
    w = World()
    publish_policy("yunnan", TODAY, _membership_terms(), store=w.store, clock=w.clock,
                   meta=META)
    w.open("yunnan")
    w.contract(service=SERVICE, bed=BED)
    assert w.declare(12 * SERVICE, "membership_fee").events
    with pytest.raises(CapExceeded):
        w.declare(1, "membership_fee")


def test_a_policy_change_applies_to_new_contracts_only() -> None:
    w = _world("chongqing")  # C1 starts today under the default (6x service fee, 12x bed)
    stricter = Terms(2, "monthly_service_fee", 3, False, None, 15, "percentage", 0, 500, "新规")
    publish_policy("chongqing", date(2025, 4, 1), stricter, store=w.store, clock=w.clock,
                   meta=META)
    w.contract("C2", starts=date(2025, 4, 1))
    w.declare(12 * BED, cid="C1")
    with pytest.raises(CapExceeded) as exc:
        w.declare(2 * SERVICE + 1, cid="C2")
    assert exc.value.facts["policy"]["version"] == 1


def test_a_retried_receipt_is_answered_like_the_first_time_without_a_second_event() -> None:
    w = _world("beijing")
    for _ in range(2):
        with pytest.raises(CapExceeded):
            w.declare(4 * SERVICE + 1, receipt="S-9")
    assert w.events().count("DepositRejected") == 1
    assert w.declare(SERVICE, receipt="S-1").events
    assert w.declare(SERVICE, receipt="S-1").events == ()
    with pytest.raises(Conflict):
        w.declare(SERVICE + 5, receipt="S-1")


@pytest.mark.parametrize("ref", ["张三", "110101199003074514", "R-110101199003074514",
                                 "R-13812345678", "R-ab", "r-abcdef", "R-abc def"])
def test_resident_ids_must_be_pseudonymous(ref: str) -> None:
    from escrow.app.contracts import register_contract
    from escrow.domain.contracts import RegisterContract

    w = World()
    w.open()
    cmd = RegisterContract("91350100M000100Y43", "C1", ref, SERVICE, BED, TODAY, None, TODAY)
    with pytest.raises(InvalidCommand) as exc:
        register_contract(cmd, store=w.store, policies=w.policies, meta=META)
    assert "resident_ref" in exc.value.errors
    assert w.events() == ["EscrowAccountOpened"]


def test_money_cannot_be_taken_without_an_open_supervised_account() -> None:
    w = World()
    with pytest.raises(Conflict):
        w.contract()
