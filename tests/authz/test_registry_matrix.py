"""Who may write in the registry, cell by cell (department x duty x region), and the region
rules as invariants. The app runs on the in-memory event store; objects lie in IN (渝中区)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from registry.app.change_filing import change_filing
from registry.app.file_institution import file_institution
from registry.bootstrap import create_app
from registry.domain.model import FilingDetails
from registry.domain.rules import Rules

from shared.authority import (
    BUSINESS_DUTIES,
    LEADER,
    NATIONAL,
    WRITE_DUTIES,
    Authority,
    Forbidden,
)
from shared.clock import FixedClock
from shared.config import Settings
from shared.eventstore import CommitMeta, InMemoryEventStore
from shared.workdays import WorkCalendar
from tests.authz.matrix import (
    IN,
    NATIONAL_ONLY,
    OUT,
    Recipe,
    Request,
    Rule,
    as_official,
    check_operation,
    covers,
    missing_recipes,
)
from tests.support import Caller
from tests.unit.registry.builders import china_noon, filing_json, make_uscc, record_json

PUSH = "registrations:push"
CIVIL = ("civil_affairs",)
_serial = itertools.count(1)


class World:
    def __init__(self) -> None:
        clock = FixedClock(china_noon(date(2026, 11, 23)))
        self.app = create_app(Settings(service="registry"), InMemoryEventStore("registry", clock),
                              clock)
        self.client = self.app.test_client()
        self.call = Caller(self.client)
        self.filed = self.file_one()

    def file_one(self, district: str = IN) -> str:
        uscc = make_uscc(next(_serial), district=district)
        resp = self.call("POST", f"/api/v1/institutions/{uscc}/filing", "civil_affairs",
                         json=filing_json(district_code=district))
        assert resp.status_code == 201, resp.get_json()
        return uscc


def _fresh_filing(world: World) -> Request:
    uscc = make_uscc(next(_serial))
    return Request(f"/api/v1/institutions/{uscc}/filing", filing_json(district_code=IN))


RECIPES = {
    ("POST", "/api/v1/enterprise-registrations/batch"): Recipe(
        Rule(("market_supervision",), scope=PUSH),
        lambda w: Request("/api/v1/enterprise-registrations/batch",
                          {"records": [record_json(next(_serial))]})),
    ("POST", "/api/v1/institutions/{uscc}/filing"): Recipe(Rule(CIVIL), _fresh_filing),
    ("PATCH", "/api/v1/institutions/{uscc}/filing"): Recipe(
        Rule(CIVIL), lambda w: Request(f"/api/v1/institutions/{w.filed}/filing", {"beds": 70})),
    ("POST", "/api/v1/institutions/{uscc}/filing/cancellation"): Recipe(
        Rule(CIVIL), lambda w: Request(f"/api/v1/institutions/{w.filed}/filing/cancellation",
                                       {"reason": "停止经营"})),
    ("POST", "/api/v1/checks/unfiled"): Recipe(
        Rule(CIVIL, duties=(LEADER,), region=NATIONAL_ONLY),
        lambda w: Request("/api/v1/checks/unfiled")),
}


def test_every_write_operation_has_a_recipe():
    assert missing_recipes("registry", RECIPES) == []


@pytest.mark.parametrize("operation", sorted(RECIPES), ids=lambda op: f"{op[0]} {op[1]}")
def test_matrix(operation):
    world = World()
    assert check_operation(world.client, operation[0], RECIPES[operation], world) == []


def test_a_clerk_cannot_file_into_another_district_or_move_an_institution_there():
    w = World()
    yz = as_official("civil_affairs", (IN,), ("clerk",))
    uscc = make_uscc(900, district=OUT)
    out = w.client.post(f"/api/v1/institutions/{uscc}/filing", headers=yz,
                        json=filing_json(district_code=OUT))
    assert out.status_code == 403 and "500108" in out.get_json()["detail"]
    moved = w.client.patch(f"/api/v1/institutions/{w.filed}/filing", headers=yz,
                           json={"district_code": OUT})
    assert moved.status_code == 403
    assert w.client.patch(f"/api/v1/institutions/{w.filed}/filing", headers=yz,
                          json={"beds": 71}).status_code == 200


def test_an_institution_pushed_in_one_district_cannot_be_filed_from_another():
    w = World()
    uscc = make_uscc(901, district=IN)
    w.call("POST", "/api/v1/enterprise-registrations/batch", "market_supervision", scope=PUSH,
           json={"records": [record_json(901, uscc=uscc)]})
    nanan = as_official("civil_affairs", (OUT,), ("clerk",))
    resp = w.client.post(f"/api/v1/institutions/{uscc}/filing", headers=nanan,
                         json=filing_json(district_code=OUT))
    assert resp.status_code == 403


def test_regulator_reads_of_one_institution_stop_at_the_region():
    w = World()
    url = f"/api/v1/institutions/{w.filed}"
    for regions in ((IN,), ("5001",)):
        reader = as_official("health", regions, ("clerk",))
        assert w.client.get(url, headers=reader).status_code == 200
    out = w.client.get(url, headers=as_official("health", (OUT,), ("clerk",)))
    assert out.status_code == 403 and out.get_json()["detail"]


def test_every_event_records_who_acted_and_for_which_region():
    w = World()
    w.client.patch(f"/api/v1/institutions/{w.filed}/filing", json={"beds": 75},
                   headers=as_official("civil_affairs", ("5001", OUT), ("leader",),
                                       sub="cq-leader"))
    env = w.app.extensions["registry"].store.load(f"institution-{w.filed}").events[-1]
    assert (env.actor, env.actor_dept, env.actor_region) == ("cq-leader", "civil_affairs", "5001")


# -- invariants over generated accounts and districts ------------------------------------
COUNTIES = st.sampled_from(["500103", "500108", "500112", "510104", "110101", "500235"])
REGIONS = st.lists(st.sampled_from(["50", "5001", "5002", "500103", "500108", "51", "5101",
                                    "110101", NATIONAL]), max_size=3).map(tuple)


def _details(district: str) -> FilingDetails:
    return FilingDetails.from_data(filing_json(district_code=district))


@settings(max_examples=120, deadline=None)
@given(district=COUNTIES, regions=REGIONS, department=st.sampled_from(["civil_affairs",
                                                                       "health", "finance"]),
       duty=st.sampled_from(BUSINESS_DUTIES))
def test_filing_is_allowed_exactly_when_department_duty_and_region_all_reach(
        district, regions, department, duty):
    clock = FixedClock(china_noon(date(2026, 11, 23)))
    store = InMemoryEventStore("registry", clock)
    meta = CommitMeta.of(Authority("x", department, regions, (duty,)), "c-1")
    expected = department == "civil_affairs" and duty in WRITE_DUTIES and covers(regions,
                                                                                   district)
    uscc = make_uscc(5, district=district if district.startswith("5") else "500103")
    try:
        file_institution(uscc, _details(district), store=store, clock=clock,
                         calendar=WorkCalendar(), rules=Rules(), meta=meta)
        allowed = True
    except Forbidden:
        allowed = False
    assert allowed == expected
    assert (store.load(f"institution-{uscc}").version > 0) == expected  # nothing half-written


@settings(max_examples=60, deadline=None)
@given(regions=REGIONS)
def test_a_change_never_moves_an_institution_out_of_the_callers_reach(regions):
    clock = FixedClock(china_noon(date(2026, 11, 23)))
    store = InMemoryEventStore("registry", clock)
    uscc = make_uscc(6)
    file_institution(uscc, _details(IN), store=store, clock=clock, calendar=WorkCalendar(),
                     rules=Rules(), meta=CommitMeta.system("seed"))
    meta = CommitMeta.of(Authority("x", "civil_affairs", regions, ("clerk",)), "c-2")
    try:
        change_filing(uscc, {"district_code": OUT}, store=store, clock=clock, meta=meta)
        moved = True
    except Forbidden:
        moved = False
    assert moved == (covers(regions, IN) and covers(regions, OUT))
