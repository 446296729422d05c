"""Who may write in credit, cell by cell: a penalty belongs to the department that decided
it, where its deciding authority sits; the serious-dishonesty list's decisions (listing,
removal, repair, correction) are civil affairs leaders'; a joint measure is reported by its
own department. In-memory event store; institutions and authorities lie in IN."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from credit.bootstrap import create_app

from shared.authority import DEPARTMENTS, LEADER, WRITE_DUTIES
from shared.clock import FixedClock
from shared.config import Settings
from tests.authz.matrix import (
    IN,
    NATIONAL_ONLY,
    OUT,
    Recipe,
    Request,
    Rule,
    check_operation,
    covers,
    missing_recipes,
)
from tests.signer import mint
from tests.support import Caller
from tests.unit.credit.builders import china_noon, context, make_uscc

CIVIL = ("civil_affairs",)
PENALTY_DEPARTMENTS = ("civil_affairs", "market_supervision", "fire_rescue", "health",
                       "emergency", "public_security", "finance")
_n = itertools.count(1)


def penalty(n: int, district: str = IN) -> dict:
    return {"decision_no": f"渝中民罚〔2026〕{n}号",
            "party": {"kind": "organisation", "uscc": make_uscc(n, district=district),
                      "name": "重庆幸福养老服务有限公司"},
            "violation_type": "fire_safety", "legal_basis": "《消防法》第六十条",
            "sanctions": [{"kind": "fine", "amount_fen": 5_000_000}],
            "authority": "重庆市渝中区消防救援支队", "district_code": district,
            "decided_on": "2026-11-20", "summary": "疏散通道堵塞"}


PROPOSAL = {"institution_name": "重庆幸福养老服务有限公司", "ground": "major_fire_hazard_overdue",
            "ground_detail": "重大火灾隐患逾期未整改",
            "responsible_persons": [{"name": "王建国", "id_number": "500103197001011234",
                                     "role": "法定代表人"}]}


class World:
    def __init__(self) -> None:
        clock = FixedClock(china_noon(date(2026, 11, 23)))
        self.app = create_app(Settings(service="credit"), context=context(clock))
        self.client = self.app.test_client()
        self.call = call = Caller(self.client)
        n = next(_n) + 1000
        r = call("POST", "/api/v1/penalties", "fire_rescue", json=penalty(n))
        assert r.status_code == 201, r.get_data(as_text=True)
        self.penalty = r.json["penalty_id"]
        self.uscc = make_uscc(next(_n) + 2000)
        base = f"/api/v1/dishonesty/{self.uscc}"
        assert call("POST", f"{base}/proposal", "fire_rescue", json=PROPOSAL).status_code == 201
        listed = call("POST", f"{base}/decision", "civil_affairs",
                      json={"approve": True, "decision_no": "渝民信〔2026〕1号"}).json
        self.measure = next(m["measure_id"] for m in listed["listing"]["measures"]
                            if m["department"] == "finance")
        self.fresh = make_uscc(next(_n) + 3000)  # proposed, not decided
        assert call("POST", f"/api/v1/dishonesty/{self.fresh}/proposal", "fire_rescue",
                    json=PROPOSAL).status_code == 201

    @property
    def base(self) -> str:
        return f"/api/v1/dishonesty/{self.uscc}"


RECIPES = {
    ("POST", "/api/v1/checks/run"): Recipe(
        Rule(CIVIL, duties=(LEADER,), region=NATIONAL_ONLY),
        lambda w: Request("/api/v1/checks/run")),
    ("POST", "/api/v1/dishonesty/{uscc}/correction"): Recipe(
        Rule(CIVIL, duties=(LEADER,)), lambda w: Request(
            f"{w.base}/correction", {"decision_no": "更〔2026〕1号", "reason": "事实认定有误"})),
    ("POST", "/api/v1/dishonesty/{uscc}/decision"): Recipe(
        Rule(CIVIL, duties=(LEADER,)), lambda w: Request(
            f"/api/v1/dishonesty/{w.fresh}/decision",
            {"approve": True, "decision_no": "渝民信〔2026〕2号"})),
    ("POST", "/api/v1/dishonesty/{uscc}/measures/{measure_id}/execution"): Recipe(
        Rule(("finance",)), lambda w: Request(
            f"{w.base}/measures/{w.measure}/execution", {"note": "已执行"})),
    ("POST", "/api/v1/dishonesty/{uscc}/proposal"): Recipe(
        Rule(PENALTY_DEPARTMENTS), lambda w: Request(
            f"/api/v1/dishonesty/{make_uscc(next(_n) + 4000)}/proposal", PROPOSAL)),
    ("POST", "/api/v1/dishonesty/{uscc}/removal"): Recipe(
        Rule(CIVIL, duties=(LEADER,)), lambda w: Request(f"{w.base}/removal", {
            "decision_no": "移〔2026〕1号", "no_new_serious_dishonesty": True,
            "obligations_fulfilled": True})),
    ("POST", "/api/v1/dishonesty/{uscc}/repair"): Recipe(
        Rule(CIVIL, duties=(LEADER,)), lambda w: Request(f"{w.base}/repair", {
            "approved": False, "decision_no": "修〔2026〕1号", "reason": "未满最短期限"})),
    ("POST", "/api/v1/penalties"): Recipe(
        Rule(PENALTY_DEPARTMENTS),
        lambda w: Request("/api/v1/penalties", penalty(next(_n) + 5000))),
    ("POST", "/api/v1/penalties/{penalty_id}/early-end"): Recipe(
        Rule(("fire_rescue",)), lambda w: Request(
            f"/api/v1/penalties/{w.penalty}/early-end",
            {"obligations_met": True, "harm_removed": True})),
    ("POST", "/api/v1/penalties/{penalty_id}/publication"): Recipe(
        Rule(("fire_rescue",)),
        lambda w: Request(f"/api/v1/penalties/{w.penalty}/publication")),
    ("POST", "/api/v1/penalties/{penalty_id}/withdrawal"): Recipe(
        Rule(("fire_rescue",)), lambda w: Request(
            f"/api/v1/penalties/{w.penalty}/withdrawal",
            {"change": "revoked", "reason": "复议撤销", "revoked_on": "2026-11-23"})),
}


def test_every_write_operation_has_a_recipe():
    assert missing_recipes("credit", RECIPES) == []


@pytest.mark.parametrize("operation", sorted(RECIPES), ids=lambda op: f"{op[0]} {op[1]}")
def test_matrix(operation):
    world = World()
    assert check_operation(world.client, operation[0], RECIPES[operation], world) == []


def test_a_penalty_decided_elsewhere_is_neither_recorded_nor_published_from_here():
    w = World()
    yz = {"Authorization": "Bearer " + mint("yz", "fire_rescue", regions=(IN,),
                                            duties=WRITE_DUTIES)}
    out = w.client.post("/api/v1/penalties", json=penalty(next(_n) + 6000, district=OUT),
                        headers=yz)
    assert out.status_code == 403 and OUT in out.get_json()["detail"]
    nanan = {"Authorization": "Bearer " + mint("na", "fire_rescue", regions=(OUT,),
                                               duties=WRITE_DUTIES)}
    assert w.client.post(f"/api/v1/penalties/{w.penalty}/publication",
                         headers=nanan).status_code == 403
    assert w.client.post(f"/api/v1/penalties/{w.penalty}/publication",
                         headers=yz).status_code == 200


def test_every_department_but_the_decider_is_refused_on_its_penalty():
    w = World()
    for department in DEPARTMENTS:
        token = mint("x", department, regions=(IN,), duties=WRITE_DUTIES)
        resp = w.client.post(f"/api/v1/penalties/{w.penalty}/publication",
                             headers={"Authorization": f"Bearer {token}"})
        assert (resp.status_code == 403) == (department != "fire_rescue"), department


# -- invariants over generated accounts ---------------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

REGIONS = st.lists(st.sampled_from(["50", "5001", "5002", "500103", "500108", "51", "100000"]),
                   min_size=1, max_size=3).map(tuple)


@settings(max_examples=40, deadline=None)
@given(regions=REGIONS, district=st.sampled_from([IN, OUT, "500112", "510104"]))
def test_a_penalty_is_recorded_exactly_where_the_account_reaches(regions, district):
    w = World()
    token = mint("x", "fire_rescue", regions=regions, duties=WRITE_DUTIES)
    resp = w.client.post("/api/v1/penalties", json=penalty(next(_n) + 7000, district=district),
                         headers={"Authorization": f"Bearer {token}"})
    assert (resp.status_code != 403) == covers(regions, district), resp.get_json()


@pytest.mark.parametrize("regions", [(IN,), ("5001",), (OUT,)], ids=["in", "city", "out"])
def test_regulator_reads_of_a_penalty_and_a_credit_file_stop_at_the_region(regions):
    """403 outside the reader's regions; the serious-dishonesty listing is read everywhere
    (joint punishment binds every department in every region)."""
    w = World()
    status = 403 if regions == (OUT,) else 200
    auth = {"Authorization": "Bearer " + mint("reader", "finance", regions=regions,
                                               duties=("clerk",))}
    assert w.client.get(f"/api/v1/penalties/{w.penalty}", headers=auth).status_code == status
    assert w.client.get(f"/api/v1/credit-files/{w.uscc}", headers=auth).status_code in (
        {status} if status == 403 else {200, 404})
    assert w.client.get(f"/api/v1/dishonesty/{w.uscc}", headers=auth).status_code == 200
