"""Who may write in escrow, cell by cell, and the jurisdiction rules as invariants. The app
runs on the in-memory event store; institutions lie in IN (渝中区: the USCC's division code)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from escrow.app.policies import policy_scope
from escrow.bootstrap import create_app
from escrow.domain.jurisdictions import PROVINCES, district_of, region_of
from hypothesis import given
from hypothesis import strategies as st

from shared.authority import LEADER, NATIONAL, WRITE_DUTIES, Authority, Forbidden, check
from shared.clock import FixedClock
from shared.config import Settings
from shared.eventstore import InMemoryEventStore
from tests.authz.matrix import (
    IN,
    NATIONAL_ONLY,
    OUT,
    Recipe,
    Request,
    Rule,
    as_official,
    check_operation,
    missing_recipes,
)
from tests.support import Caller
from tests.unit.escrow.builders import china_noon
from tests.unit.registry.builders import make_uscc

CIVIL = ("civil_affairs",)
STATEMENTS = ("civil_affairs", "finance")
ACCOUNT = {"jurisdiction": "chongqing", "bank": "重庆银行", "account_number": "6222000012345678",
           "custody_agreement_id": "CQ-AG-1"}
TERMS = {"effective_from": "2025-04-01", "deposit_cap_multiple": 3,
         "deposit_cap_base": "monthly_service_fee", "prepaid_cap_months": 3,
         "membership_allowed": False, "refund_deadline_days": 15,
         "reserve_kind": "amount", "reserve_amount_fen": 5_000_000, "basis": "测试"}
_n = itertools.count(1)


def contract(cid: str) -> dict:
    return {"contract_id": cid, "resident_ref": "R-7f3a9c", "monthly_service_fee_fen": 300_000,
            "monthly_bed_fee_fen": 100_000, "starts_on": "2025-03-01"}


class World:
    def __init__(self) -> None:
        clock = FixedClock(china_noon(date(2025, 3, 3)))
        self.app = create_app(Settings(service="escrow"), store=InMemoryEventStore("escrow",
                                                                                   clock),
                              clock=clock)
        self.client = self.app.test_client()
        self.call = Caller(self.client)
        self.uscc = self.open()

    def open(self, district: str = IN) -> str:
        uscc = make_uscc(next(_n), district=district)
        base = f"/api/v1/institutions/{uscc}"
        assert self.call("POST", f"{base}/account", "civil_affairs", json=ACCOUNT).status_code \
            == 201
        assert self.call("POST", f"{base}/contracts", "civil_affairs",
                         json=contract("C1")).status_code == 201
        return uscc

    @property
    def base(self) -> str:
        return f"/api/v1/institutions/{self.uscc}"


def _n_str() -> str:
    return str(next(_n))


RECIPES = {
    ("POST", "/api/v1/checks/overdue-refunds"): Recipe(
        Rule(CIVIL, duties=(LEADER,), region=NATIONAL_ONLY),
        lambda w: Request("/api/v1/checks/overdue-refunds")),
    ("POST", "/api/v1/institutions/{uscc}/account"): Recipe(
        Rule(CIVIL), lambda w: Request(
            f"/api/v1/institutions/{make_uscc(next(_n))}/account", ACCOUNT)),
    ("POST", "/api/v1/institutions/{uscc}/account/closure"): Recipe(
        Rule(CIVIL), lambda w: Request(f"{w.base}/account/closure", {"reason": "停业"})),
    ("POST", "/api/v1/institutions/{uscc}/contracts"): Recipe(
        Rule(CIVIL), lambda w: Request(f"{w.base}/contracts", contract(f"C{_n_str()}"))),
    ("POST", "/api/v1/institutions/{uscc}/contracts/{contract_id}/deposits"): Recipe(
        Rule(CIVIL), lambda w: Request(f"{w.base}/contracts/C1/deposits", {
            "kind": "deposit", "receipt_no": f"S{_n_str()}", "amount_fen": 100})),
    ("POST", "/api/v1/institutions/{uscc}/contracts/{contract_id}/draws"): Recipe(
        Rule(CIVIL), lambda w: Request(f"{w.base}/contracts/C1/draws",
                                       {"period": "2025-03", "amount_fen": 100})),
    ("POST", "/api/v1/institutions/{uscc}/contracts/{contract_id}/end"): Recipe(
        Rule(CIVIL), lambda w: Request(f"{w.base}/contracts/C1/end",
                                       {"ended_on": "2025-03-03"})),
    ("POST", "/api/v1/institutions/{uscc}/contracts/{contract_id}/refunds"): Recipe(
        Rule(CIVIL), lambda w: Request(f"{w.base}/contracts/C1/refunds", {
            "reference": f"BK-{_n_str()}", "amount_fen": 1, "paid_on": "2025-03-03"})),
    ("POST", "/api/v1/institutions/{uscc}/reconciliations"): Recipe(
        Rule(STATEMENTS), lambda w: Request(f"{w.base}/reconciliations", {"note": "核对"})),
    ("POST", "/api/v1/institutions/{uscc}/statements"): Recipe(
        Rule(STATEMENTS), lambda w: Request(f"{w.base}/statements", {"transactions": [
            {"bank_txn_id": f"T{_n_str()}", "booked_on": "2025-03-03", "amount_fen": 100}]})),
    ("POST", "/api/v1/policies/{jurisdiction}"): Recipe(
        Rule(CIVIL, duties=(LEADER,), region=NATIONAL_ONLY),
        lambda w: Request("/api/v1/policies/national", TERMS)),
}


def test_every_write_operation_has_a_recipe():
    assert missing_recipes("escrow", RECIPES) == []


@pytest.mark.parametrize("operation", sorted(RECIPES), ids=lambda op: f"{op[0]} {op[1]}")
def test_matrix(operation):
    world = World()
    assert check_operation(world.client, operation[0], RECIPES[operation], world) == []


def test_a_city_policy_needs_the_city_a_province_policy_the_province():
    w = World()
    city_clerk = as_official("civil_affairs", ("5001",))
    province_clerk = as_official("civil_affairs", ("50",))
    assert w.client.post("/api/v1/policies/chongqing", json=TERMS,
                         headers=city_clerk).status_code == 403
    assert w.client.post("/api/v1/policies/chongqing", json=TERMS,
                         headers=province_clerk).status_code == 201
    assert w.client.post("/api/v1/policies/500103", json=TERMS,
                         headers=as_official("civil_affairs", ("500103",))).status_code == 201
    assert w.client.post("/api/v1/policies/500108", json=TERMS,
                         headers=as_official("civil_affairs", ("500103",))).status_code == 403
    assert w.client.post("/api/v1/policies/sichuan", json=TERMS,
                         headers=province_clerk).status_code == 403


def test_regulator_reads_stop_at_the_region():
    w = World()
    assert w.client.get(w.base, headers=as_official("finance", (IN,))).status_code == 200
    out = w.client.get(w.base, headers=as_official("finance", (OUT,)))
    assert out.status_code == 403 and out.get_json()["detail"]
    assert w.client.get(f"{w.base}/contracts/C1",
                        headers=as_official("civil_affairs", (OUT,))).status_code == 403


JURISDICTIONS = st.one_of(st.sampled_from(sorted(PROVINCES) + ["national", "laxland"]),
                          st.sampled_from(["500103", "5001", "500108", "510104", "11"]))
ACCOUNTS = st.lists(st.sampled_from(["50", "5001", "500103", "500108", "51", "11", NATIONAL]),
                    max_size=3).map(tuple)


@given(JURISDICTIONS, ACCOUNTS, st.sampled_from(["clerk", "leader", "inspector"]))
def test_a_local_account_never_publishes_a_national_policy(jurisdiction, regions, duty):
    who = Authority("x", "civil_affairs", regions, (duty,))
    try:
        check(who, policy_scope(jurisdiction))
        allowed = True
    except Forbidden:
        allowed = False
    if region_of(jurisdiction) == NATIONAL:
        assert allowed == (NATIONAL in regions and duty == LEADER)
    else:
        code = region_of(jurisdiction)
        covered = NATIONAL in regions or any(
            code.startswith(r) for r in regions if len(r) <= len(code))
        assert allowed == (covered and duty in WRITE_DUTIES)


@given(st.sampled_from(["500103", "500108", "500112", "510104"]))
def test_a_city_account_covers_its_counties_and_no_other_citys(county):
    who = Authority("x", "civil_affairs", ("5001",), ("clerk",))
    uscc = make_uscc(1, district=county)
    assert district_of(uscc) == county
    try:
        check(who, policy_scope(county))
        allowed = True
    except Forbidden:
        allowed = False
    assert allowed == county.startswith("5001")
