"""Who may write in fire safety, cell by cell: inspectors do on-site work, the brigade's
leaders take the decisions the rules reserve (expert conclusion, sealing, extension), all
within the institution's district. In-memory event store; the institution lies in IN."""

from __future__ import annotations

import itertools

import pytest
from fire_safety.bootstrap import create_app

from shared.authority import BUSINESS_DUTIES, INSPECTOR, LEADER, WRITE_DUTIES
from shared.clock import FixedClock
from shared.config import Settings
from shared.eventstore import InMemoryEventStore
from tests.authz.matrix import (
    ANY_REGION,
    IN,
    NATIONAL_ONLY,
    OUT,
    Recipe,
    Request,
    Rule,
    check_operation,
    missing_recipes,
)
from tests.integration.fire_safety.conftest import (
    EXPERTS,
    FIRE_OFFICERS,
    complete_body,
    completed,
)
from tests.signer import mint
from tests.support import Caller
from tests.unit.fire_safety.builders import MONDAY, china_noon, make_uscc

FIRE = ("fire_rescue",)
INSPECTING = ("fire_rescue", "civil_affairs")
ALL = ("civil_affairs", "market_supervision", "fire_rescue", "health", "emergency",
       "public_security", "finance", "housing")
_n = itertools.count(1)


class World:
    def __init__(self) -> None:
        clock = FixedClock(china_noon(MONDAY))
        self.app = create_app(Settings(service="fire_safety"),
                              store=InMemoryEventStore("fire_safety", clock), clock=clock)
        self.client = self.app.test_client()
        self.call = Caller(self.client)
        for login, duty in [*((x, "officer") for x in FIRE_OFFICERS),
                            *((x, "expert") for x in EXPERTS)]:
            assert self.call("POST", "/api/v1/departments/fire_rescue/officials",
                             "fire_rescue", json={"login": login, "region": IN,
                                                  "duty": duty}).status_code == 201
        self.inspection = self.inspect(complete=True)
        self.open_inspection = self.inspect(complete=False)
        self.hazard = f"{self.inspection}.exits_routes"
        assert self.call("POST", f"/api/v1/hazards/{self.hazard}/rectification-order",
                         "fire_rescue", json={"deadline_workdays": 5}).status_code == 200

    def inspect(self, complete: bool) -> str:
        iid = f"FI-M{next(_n)}"
        body = complete_body(inspection_id=iid, institution_uscc=make_uscc(next(_n),
                                                                            district=IN))
        if complete:
            assert completed(self.call, body=body).status_code == 200
            return iid
        body.update(complete=False, items=body["items"][:1])
        assert self.call("POST", "/api/v1/inspections", "fire_rescue",
                         json=body).status_code == 201
        return iid


def _hazard(path: str, body: dict) -> Recipe:
    duties = {"rectification-order": WRITE_DUTIES, "reinspections": (INSPECTOR,)}.get(
        path, (LEADER,))
    return Recipe(Rule(FIRE, duties=duties),
                  lambda w: Request(f"/api/v1/hazards/{w.hazard}/{path}", body))


def _new_inspection(w: World) -> Request:
    iid = f"FI-N{next(_n)}"
    return Request("/api/v1/inspections", {**complete_body(
        inspection_id=iid, institution_uscc=make_uscc(next(_n), district=IN)),
        "complete": False})


RECIPES = {
    ("POST", "/api/v1/checklist-templates/{template_id}/versions"): Recipe(
        Rule(FIRE, region=NATIONAL_ONLY), lambda w: Request(
            "/api/v1/checklist-templates/tpl-matrix/versions",
            {"title": "测试模板", "items": [{"code": "exits_routes", "title": "疏散通道",
                                           "severity_hint": "major"}]})),
    ("POST", "/api/v1/checks/overdue"): Recipe(
        Rule(FIRE, duties=(LEADER,), region=NATIONAL_ONLY),
        lambda w: Request("/api/v1/checks/overdue")),
    ("POST", "/api/v1/departments/{department}/officials"): Recipe(
        Rule(FIRE, region=ANY_REGION), lambda w: Request(
            "/api/v1/departments/fire_rescue/officials",
            {"login": f"fr-m{next(_n)}", "region": IN, "duty": "officer"})),
    ("POST", "/api/v1/departments/{department}/officials/{login}/deactivation"): Recipe(
        Rule(FIRE, region=ANY_REGION), lambda w: Request(
            "/api/v1/departments/fire_rescue/officials/fr-003/deactivation", {"reason": "调离"})),
    ("POST", "/api/v1/hazards/{hazard_id}/expert-determination"): _hazard(
        "expert-determination", {"members": list(EXPERTS), "result": "major"}),
    ("POST", "/api/v1/hazards/{hazard_id}/expert-determination/votes"): Recipe(
        Rule(FIRE, duties=BUSINESS_DUTIES),
        lambda w: Request(f"/api/v1/hazards/{w.hazard}/expert-determination/votes",
                          {"agree": True})),
    ("POST", "/api/v1/hazards/{hazard_id}/extension"): _hazard(
        "extension", {"extra_workdays": 2, "reason": "材料采购周期"}),
    ("POST", "/api/v1/hazards/{hazard_id}/rectification-order"): _hazard(
        "rectification-order", {"deadline_workdays": 5}),
    ("POST", "/api/v1/hazards/{hazard_id}/reinspections"): _hazard(
        "reinspections", {"outcome": "not_fixed", "inspectors": ["fr-001", "fr-002"],
                          "evidence": "仍上锁"}),
    ("POST", "/api/v1/hazards/{hazard_id}/sealing"): _hazard(
        "sealing", {"scope": "二层", "reason": "通道上锁", "decision": "collective",
                    "decided_by": ["fr-001", "fr-002", "fr-chief"]}),
    ("POST", "/api/v1/hazards/{hazard_id}/sealing/confirmation"): _hazard(
        "sealing/confirmation", {"decided_by": ["fr-001", "fr-002", "fr-chief"]}),
    ("POST", "/api/v1/hazards/{hazard_id}/sealing/lifting"): _hazard(
        "sealing/lifting", {"reason": "已整改"}),
    # votes: any duty of the brigade within the district reaches the domain (nothing is put
    # to the vote here: 409); who is a member is the domain's rule (tests/unit, integration)
    ("POST", "/api/v1/hazards/{hazard_id}/sealing/votes"): Recipe(
        Rule(FIRE, duties=BUSINESS_DUTIES),
        lambda w: Request(f"/api/v1/hazards/{w.hazard}/sealing/votes", {"agree": True})),
    ("POST", "/api/v1/inspections/{inspection_id}/items/{item_code}/determination-votes"):
        Recipe(Rule(FIRE, duties=BUSINESS_DUTIES), lambda w: Request(
            f"/api/v1/inspections/{w.open_inspection}/items/control_room/determination-votes",
            {"agree": True})),
    ("POST", "/api/v1/inspections"): Recipe(
        Rule(INSPECTING, duties=(INSPECTOR,)), _new_inspection),
    ("POST", "/api/v1/inspections/{inspection_id}/completion"): Recipe(
        Rule(FIRE, duties=(INSPECTOR,)),
        lambda w: Request(f"/api/v1/inspections/{w.open_inspection}/completion")),
    ("POST", "/api/v1/inspections/{inspection_id}/corrections"): Recipe(
        Rule(FIRE, duties=(INSPECTOR, LEADER)), lambda w: Request(
            f"/api/v1/inspections/{w.inspection}/corrections",
            {"item_code": "exits_routes", "note": "补充说明", "reason": "笔误"})),
    ("POST", "/api/v1/inspections/{inspection_id}/items"): Recipe(
        Rule(FIRE, duties=(INSPECTOR,)), lambda w: Request(
            f"/api/v1/inspections/{w.open_inspection}/items",
            {"items": [{"item_code": "control_room", "outcome": "pass"}]})),
}


def test_every_write_operation_has_a_recipe():
    assert missing_recipes("fire_safety", RECIPES) == []


@pytest.mark.parametrize("operation", sorted(RECIPES), ids=lambda op: f"{op[0]} {op[1]}")
def test_matrix(operation):
    world = World()
    assert check_operation(world.client, operation[0], RECIPES[operation], world) == []


def test_reads_stop_at_the_region():
    """One inspection or hazard outside the reader's regions is 403; the officials register
    lists only those serving where the reader's regions reach."""
    w = World()
    for regions, status in (((IN,), 200), (("5001",), 200), ((OUT,), 403)):
        token = mint("reader", "health", regions=regions, duties=BUSINESS_DUTIES)
        auth = {"Authorization": f"Bearer {token}"}
        for url in (f"/api/v1/inspections/{w.inspection}", f"/api/v1/hazards/{w.hazard}"):
            assert w.client.get(url, headers=auth).status_code == status, (url, regions)
        own = mint("reader", "fire_rescue", regions=regions, duties=BUSINESS_DUTIES)
        listed = w.client.get("/api/v1/departments/fire_rescue/officials",
                              headers={"Authorization": f"Bearer {own}"}).get_json()
        assert bool(listed) == (status == 200), regions


def test_every_department_may_register_only_its_own_officials():
    w = World()
    for department in ALL:
        token = mint("registrar", department, regions=(OUT,), duties=("clerk",))
        resp = w.client.post("/api/v1/departments/fire_rescue/officials",
                             headers={"Authorization": f"Bearer {token}"},
                             json={"login": f"x-{department}", "region": IN, "duty": "officer"})
        assert (resp.status_code != 403) == (department == "fire_rescue"), department
