"""The national ceiling bounds every local cap (民发〔2024〕19号): deposit ≤ 12 × monthly bed fee,
prepaid service fees ≤ 12 months; the effective cap is the lower of the local and national caps,
and a local policy above the national ceiling is refused when it is published."""

from __future__ import annotations

from datetime import date

import pytest
from escrow.app.common import Policies
from escrow.app.policies import publish_policy
from escrow.config import load_rules
from escrow.domain.errors import CapExceeded, InvalidCommand
from escrow.domain.events import EVENTS
from escrow.domain.policy import BASES, Ceiling, Terms, default_policies
from escrow.domain.state import evolve, initial
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.config import Settings
from tests.unit.escrow.builders import META, TODAY, USCC, World

FROM = date(2025, 3, 3)


def _terms(multiple: int, base: str, months: int) -> Terms:
    return Terms(multiple, base, months, False, None, 30, "percentage", 0, 500, "测试规则")


def _world_with(terms: Terms, service: int, bed: int, ceiling: Ceiling | None = None) -> World:
    w = World()
    if ceiling is not None:
        w.policies = Policies(w.store, default_policies(30, 500, ceiling))
    publish_policy("testland", FROM, terms, store=w.store, clock=w.clock, meta=META,
                   ceiling=w.policies.ceiling)
    w.open("testland")
    w.contract(service=service, bed=bed)
    return w


fees = st.integers(1, 2_000_000).flatmap(
    lambda service: st.tuples(st.just(service), st.integers(0, service)))


@settings(max_examples=150, deadline=None)
@given(multiple=st.integers(0, 12), base=st.sampled_from(BASES), months=st.integers(0, 12),
       fees=fees, kind=st.sampled_from(["deposit", "prepayment"]))
def test_the_effective_cap_is_the_lower_of_the_local_cap_and_the_national_ceiling(
        multiple: int, base: str, months: int, fees: tuple[int, int], kind: str) -> None:
    service, bed = fees
    w = _world_with(_terms(multiple, base, months), service, bed)
    if kind == "deposit":
        local = multiple * (service if base == "monthly_service_fee" else bed)
        national = 12 * bed
    else:
        local, national = months * service, 12 * service
    cap = min(local, national)
    with pytest.raises(CapExceeded) as exc:
        w.declare(cap + 1, kind)  # one fen past the effective cap: refused, refusal recorded
    assert exc.value.facts["cap_fen"] == cap
    assert w.events()[-1] == "DepositRejected"
    if cap > 0:  # exactly at the cap: accepted
        assert [e.event_name for e in w.declare(cap, kind).events] == ["DepositAccepted"]


@pytest.mark.parametrize("jurisdiction", ["national", "chongqing", "beijing"])
@given(fees=fees)
@settings(max_examples=40, deadline=None)
def test_no_accepted_deposit_ever_exceeds_twelve_monthly_bed_fees(
        jurisdiction: str, fees: tuple[int, int]) -> None:
    service, bed = fees
    w = World()
    w.open(jurisdiction)
    w.contract(service=service, bed=bed)
    with pytest.raises(CapExceeded):
        w.declare(12 * bed + 1)


def test_a_deposit_above_the_national_ceiling_is_refused_under_a_looser_local_rule() -> None:
    # Chongqing's seed rule allows 6 x the service fee (18,000 元); 12 x the 1,000 元 bed fee
    # is 12,000 元, and the lower one binds.
    w = World()
    w.open("chongqing")
    w.contract(service=300_000, bed=100_000)
    with pytest.raises(CapExceeded) as exc:
        w.declare(1_200_001)
    assert exc.value.facts["cap_fen"] == 1_200_000
    assert exc.value.facts["rule"]["code"] == "deposit_national_ceiling"
    assert "民发〔2024〕19号" in exc.value.facts["rule"]["text"]
    assert w.declare(1_200_000).events


@pytest.mark.parametrize("base", BASES)
def test_a_local_policy_above_the_national_ceiling_is_refused_when_published(base: str) -> None:
    w = World()
    with pytest.raises(InvalidCommand) as exc:
        publish_policy("testland", FROM, _terms(13, base, 13), store=w.store, clock=w.clock,
                       meta=META)
    assert set(exc.value.errors) == {"deposit_cap_multiple", "prepaid_cap_months"}
    assert "国家上限" in exc.value.errors["deposit_cap_multiple"][0]
    assert not w.store.load("policy-testland").events
    # at the ceiling: published
    assert publish_policy("testland", FROM, _terms(12, base, 12), store=w.store, clock=w.clock,
                          meta=META).created


def test_the_national_ceiling_is_configurable() -> None:
    extra = {"ELDERCARE_ESCROW_NATIONAL_DEPOSIT_BED_FEE_MULTIPLE": "6",
             "ELDERCARE_ESCROW_NATIONAL_PREPAID_MONTHS": "6"}
    defaults = load_rules(Settings.from_env("escrow", extra)).default_policies()
    assert (defaults["national"].terms.deposit_cap_multiple,
            defaults["national"].terms.prepaid_cap_months) == (6, 6)
    ceiling = Ceiling(6, 6)
    w = _world_with(_terms(6, "monthly_service_fee", 6), 300_000, 250_000, ceiling)
    with pytest.raises(CapExceeded) as exc:
        w.declare(6 * 250_000 + 1)
    assert exc.value.facts["cap_fen"] == 6 * 250_000
    with pytest.raises(CapExceeded) as exc:
        w.declare(6 * 300_000 + 1, "prepayment")
    assert exc.value.facts["cap_fen"] == 6 * 300_000
    with pytest.raises(InvalidCommand):  # a local 12 is above a national 6
        publish_policy("other", FROM, _terms(12, "monthly_bed_fee", 6), store=w.store,
                       clock=w.clock, meta=META, ceiling=ceiling)


def test_contracts_registered_before_the_ceiling_was_recorded_replay_with_the_statute() -> None:
    data = {"institution_uscc": USCC, "contract_id": "C1", "resident_ref": "R-7f3a9c",
            "monthly_service_fee_fen": 300_000, "monthly_bed_fee_fen": 100_000,
            "starts_on": TODAY.isoformat(), "ends_on": None,
            "policy": {"jurisdiction": "chongqing", "version": 0, "effective_from": "2000-01-01"},
            "terms": _terms(6, "monthly_service_fee", 12).to_data(),
            "registered_on": TODAY.isoformat()}
    state = evolve(initial(), EVENTS.decode("ResidentContractRegistered", 1, data))
    assert state.contracts["C1"].ceiling == Ceiling(12, 12)
