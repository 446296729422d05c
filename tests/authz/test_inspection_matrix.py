"""Who may write in 双随机一公开, cell by cell: plans by their departments for the districts
they sample, recusal decisions by a leader of the recused inspector's department, task
records only by an inspector drawn for the task, from their own account. Runs on the MongoDB
of the test session (the object directory and the seed vault live there)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inspection.adapters.directory import MongoObjectDirectory
from inspection.bootstrap import create_app
from inspection.domain.model import DEPARTMENTS

from shared import mongo
from shared.authority import BUSINESS_DUTIES, LEADER
from shared.clock import FixedClock
from shared.eventstore import MongoEventStore
from tests.authz.matrix import (
    ANY_REGION,
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
from tests.integration.inspection.conftest import (
    add_inspectors,
    add_institutions,
    add_item,
    joint_plan,
)
from tests.support import Caller, LocalBeacon, drop_database, service_settings
from tests.unit.inspection.builders import china_noon
from tests.unit.registry.builders import make_uscc

JOINT = ("civil_affairs", "fire_rescue")
INSPECTING = ("inspector",)
NOBODY: tuple[str, ...] = ()  # no official of the matrix: only the drawn inspector (below)
_n = itertools.count(1)


class World:
    def __init__(self, settings) -> None:
        from datetime import date

        db = mongo.database(settings)
        clock = FixedClock(china_noon(date(2026, 11, 23)))
        store = MongoEventStore(db, "inspection", clock)
        self.directory = MongoObjectDirectory(db)
        self.directory.ensure_indexes()
        self.app = create_app(settings=settings, store=store, clock=clock, db=db,
                              beacon=LocalBeacon())
        self.client = self.app.test_client()
        self.call = call = Caller(self.client)
        add_institutions(self.directory, range(1, 7))
        add_inspectors(call, "civil_affairs", 3)
        add_inspectors(call, "fire_rescue", 4)
        self.items = [add_item(call, "civil_affairs"), add_item(call, "fire_rescue")]
        self.plan = self.new_plan()
        assert call("POST", f"/api/v1/plans/{self.plan}/publication",
                    "civil_affairs").status_code == 200
        self.drawn_plan = self.new_plan()
        call("POST", f"/api/v1/plans/{self.drawn_plan}/publication", "civil_affairs")
        draw = call("POST", f"/api/v1/plans/{self.drawn_plan}/draw", "civil_affairs").json
        self.task = draw["draw"]["tasks"][0]
        self.fire_member = next(k for k in self.task["inspectors"]
                                if k.startswith("fire_rescue/"))
        rec = call("POST", f"/api/v1/plans/{self.drawn_plan}/recusals", "civil_affairs", json={
            "task_id": self.task["task_id"], "inspector": self.fire_member,
            "requested_by": "institution", "reason": "检查人员与本机构负责人系近亲属"})
        assert rec.status_code in (200, 201), rec.get_data(as_text=True)
        self.recusal = rec.json["recusal_id"]
        self.store, self.clock = store, clock

    def targeted(self) -> str:
        """A fresh targeted inspection of an institution in IN, opened by an orange alert
        naming civil affairs (as the risk consumer would)."""
        from inspection.app.targeted import open_from_alert
        from inspection.domain.rules import Rules

        from shared.eventstore import CommitMeta
        from shared.workdays import WorkCalendar

        alert = f"RA-{make_uscc(1)}-{next(_n)}"
        h = open_from_alert({"alert_id": alert, "uscc": make_uscc(1), "level": "orange",
                             "reasons": [{"label": "预收费专户资金缺口"}],
                             "departments": ["civil_affairs"]}, store=self.store,
                            clock=self.clock, calendar=WorkCalendar(), rules=Rules(),
                            meta=CommitMeta.system("t"))
        assert h is not None and h.events
        return f"/api/v1/targeted-inspections/TI-{alert}"

    def new_plan(self) -> str:
        body = joint_plan(self.items, series=f"m{next(_n)}", districts=[IN])
        r = self.call("POST", "/api/v1/plans", "civil_affairs", json=body)
        assert r.status_code == 201, r.get_data(as_text=True)
        return str(r.json["plan_id"])

    def new_drawn_plan(self) -> str:
        """A drawn plan no case has voided yet: the last one while refused cases left it
        drawn, else a new one (each voiding that is let through voids its own)."""
        pid = getattr(self, "_voidable", None)
        if pid is not None:
            r = self.call("GET", f"/api/v1/plans/{pid}", "civil_affairs")
            if r.status_code == 200 and r.get_json().get("status") == "drawn":
                return str(pid)
        pid = self.new_plan()
        self._voidable = pid
        self.call("POST", f"/api/v1/plans/{pid}/publication", "civil_affairs")
        r = self.call("POST", f"/api/v1/plans/{pid}/draw", "civil_affairs")
        assert r.status_code == 200, r.get_data(as_text=True)
        return pid

    @property
    def task_url(self) -> str:
        return f"/api/v1/tasks/{self.task['task_id']}"


TARGETED_RESULT = {"inspected_on": "2026-11-23", "inspectors": ["张三", "李四"],
                   "findings": "专户资金已补足", "problem_found": False, "follow_up": "none"}
RECIPES = {
    ("POST", "/api/v1/targeted-inspections/{inspection_id}/result"): Recipe(
        Rule(("civil_affairs",), duties=("inspector", LEADER)),
        lambda w: Request(f"{w.targeted()}/result", TARGETED_RESULT)),
    ("POST", "/api/v1/targeted-inspections/{inspection_id}/publication"): Recipe(
        Rule(("civil_affairs",)), lambda w: Request(f"{w.targeted()}/publication", {})),
    ("PATCH", "/api/v1/departments/{department}/inspectors/{inspector_id}"): Recipe(
        Rule(("fire_rescue",), region=ANY_REGION), lambda w: Request(
            "/api/v1/departments/fire_rescue/inspectors/I0003", {"region": "500103"})),
    ("POST", "/api/v1/checks/publication-overdue"): Recipe(
        Rule(DEPARTMENTS, duties=(LEADER,), region=NATIONAL_ONLY),
        lambda w: Request("/api/v1/checks/publication-overdue")),
    ("POST", "/api/v1/departments/{department}/inspectors"): Recipe(
        Rule(("fire_rescue",), region=ANY_REGION), lambda w: Request(
            "/api/v1/departments/fire_rescue/inspectors",
            {"inspector_id": f"m{next(_n)}", "region": IN,
             "certificate_no": f"ZFM{next(_n):06d}"})),
    ("POST", "/api/v1/departments/{department}/items"): Recipe(
        Rule(("civil_affairs",), region=ANY_REGION), lambda w: Request(
            "/api/v1/departments/civil_affairs/items",
            {"item_id": f"M{next(_n)}", "name": "矩阵事项", "legal_basis": "《养老机构管理办法》",
             "method": "on_site"})),
    ("POST", "/api/v1/plans"): Recipe(Rule(JOINT), lambda w: Request(
        "/api/v1/plans", joint_plan(w.items, series=f"m{next(_n)}", districts=[IN]))),
    ("POST", "/api/v1/plans/{plan_id}/draw"): Recipe(
        Rule(JOINT), lambda w: Request(f"/api/v1/plans/{w.plan}/draw")),
    ("POST", "/api/v1/plans/{plan_id}/draw-voiding"): Recipe(
        Rule(JOINT, duties=(LEADER,)), lambda w: Request(
            f"/api/v1/plans/{w.new_drawn_plan()}/draw-voiding",
            {"reason": "名录快照有误，需重抽"})),
    ("POST", "/api/v1/plans/{plan_id}/publication"): Recipe(
        Rule(JOINT), lambda w: Request(f"/api/v1/plans/{w.plan}/publication")),
    ("POST", "/api/v1/plans/{plan_id}/recusals"): Recipe(
        Rule(JOINT, duties=BUSINESS_DUTIES), lambda w: Request(
            f"/api/v1/plans/{w.drawn_plan}/recusals",
            {"task_id": w.task["task_id"], "inspector": w.fire_member,
             "requested_by": "institution", "reason": "利害关系"})),
    ("POST", "/api/v1/plans/{plan_id}/recusals/{recusal_id}/decision"): Recipe(
        Rule(("fire_rescue",), duties=(LEADER,)), lambda w: Request(
            f"/api/v1/plans/{w.drawn_plan}/recusals/{w.recusal}/decision",
            {"approved": False, "reason": "不构成利害关系"})),
    ("POST", "/api/v1/tasks/{task_id}/cancellation"): Recipe(
        Rule(JOINT, duties=(LEADER,)),
        lambda w: Request(f"{w.task_url}/cancellation", {"reason": "机构已停业"})),
    ("POST", "/api/v1/tasks/{task_id}/inspection"): Recipe(
        Rule(NOBODY), lambda w: Request(f"{w.task_url}/inspection",
                                        {"inspected_on": "2026-11-23"})),
    ("POST", "/api/v1/tasks/{task_id}/publication"): Recipe(
        Rule(JOINT), lambda w: Request(f"{w.task_url}/publication")),
    ("POST", "/api/v1/tasks/{task_id}/result"): Recipe(
        Rule(NOBODY), lambda w: Request(f"{w.task_url}/result", {
            "item_outcomes": [{"item": w.items[0], "outcome": "compliant"},
                              {"item": w.items[1], "outcome": "compliant"}],
            "follow_up": "none"})),
}


@pytest.fixture()
def world(infra, unique):
    settings = service_settings("inspection", infra, unique)
    yield World(settings)
    drop_database(settings)


def test_every_write_operation_has_a_recipe():
    assert missing_recipes("inspection", RECIPES) == []


@pytest.mark.parametrize("operation", sorted(RECIPES), ids=lambda op: f"{op[0]} {op[1]}")
def test_matrix(world, operation):
    assert check_operation(world.client, operation[0], RECIPES[operation], world) == []


def test_only_the_drawn_inspector_records_the_task(world):
    dept, login = world.fire_member.split("/", 1)
    team = {k.split("/", 1)[1] for k in world.task["inspectors"] if k.startswith(dept + "/")}
    others = [k for k in (f"I{n:04d}" for n in range(4)) if k not in team]
    url = f"{world.task_url}/inspection"
    body = {"inspected_on": "2026-11-23"}
    refused = [
        as_official(dept, sub=others[0], duties=INSPECTING),  # another inspector, same department
        as_official(dept, sub=login, duties=("clerk", "leader")),  # right person, no duty
        as_official(dept, (OUT,), INSPECTING, sub=login),  # the right person, wrong district
    ]
    if f"civil_affairs/{login}" not in world.task["inspectors"]:
        # the same login, another department
        refused.append(as_official("civil_affairs", duties=INSPECTING, sub=login))
    for headers in refused:
        assert world.client.post(url, json=body, headers=headers).status_code == 403
    ok = world.client.post(url, json=body, headers=as_official(dept, duties=INSPECTING, sub=login))
    assert ok.status_code == 200, ok.get_data(as_text=True)
    env = world.app.extensions["inspection"].store.load(
        f"task-{world.task['task_id']}").events[-1]
    assert (env.actor, env.actor_dept, env.actor_region) == (login, dept, IN)


def test_a_plan_for_districts_beyond_the_account_is_refused(world):
    body = joint_plan(world.items, series="wide", districts=[IN, OUT])
    yz = as_official("civil_affairs", (IN,), ("clerk",), sub="planner")
    assert world.client.post("/api/v1/plans", json=body, headers=yz).status_code == 403
    city = as_official("civil_affairs", ("5001",), ("clerk",), sub="planner")
    assert world.client.post("/api/v1/plans", json=body, headers=city).status_code == 201
    national_only = joint_plan(world.items, series="all")  # no district: the whole country
    assert world.client.post("/api/v1/plans", json=national_only,
                             headers=city).status_code == 403


@pytest.mark.parametrize("regions", [(IN,), ("5001",), (OUT,)], ids=["in", "city", "out"])
def test_regulator_reads_stop_at_the_region(world, regions):
    """Single reads outside the reader's regions are 403; lists leave those rows out."""
    sees = regions != (OUT,)
    task = world.task["task_id"]
    ca = as_official("civil_affairs", regions, ("clerk",), sub="reader")
    fr = as_official("fire_rescue", regions, ("clerk",), sub="reader")
    get = world.client.get
    assert get(world.task_url, headers=ca).status_code == (200 if sees else 403)
    uscc = get(world.task_url, headers=as_official("civil_affairs", ("100000",), sub="n")).json[
        "uscc"]
    assert get(f"/api/v1/objects/{uscc}", headers=ca).status_code == (200 if sees else 403)
    tasks = get(f"/api/v1/plans/{world.drawn_plan}/tasks", headers=ca).json
    assert (task in [t["task_id"] for t in tasks]) == sees
    recusals = get(f"/api/v1/plans/{world.drawn_plan}/recusals", headers=ca).json
    assert (world.recusal in [r["recusal_id"] for r in recusals]) == sees
    roster = get("/api/v1/departments/fire_rescue/inspectors", headers=fr).json
    assert bool(roster) == sees


_COUNTIES = ("500103", "500108", "500112", "510104")
_ACCOUNT_REGIONS = (*_COUNTIES, "5001", "5101", "50", "51", "100000")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(regions=st.lists(st.sampled_from(_ACCOUNT_REGIONS), min_size=1, max_size=3,
                        unique=True),
       districts=st.lists(st.sampled_from(_COUNTIES), max_size=3, unique=True))
def test_a_plan_is_created_exactly_when_the_account_covers_every_district_it_samples(
        world, regions, districts):
    """Invariant: allowed iff each sampled district lies within one of the account's regions;
    a plan naming no district samples the whole country and needs national scope."""
    body = joint_plan(world.items, series=f"p{next(_n)}", districts=districts)
    headers = as_official("civil_affairs", tuple(regions), ("clerk",), sub="planner")
    status = world.client.post("/api/v1/plans", json=body, headers=headers).status_code
    reaches = (all(covers(tuple(regions), d) for d in districts) if districts
               else "100000" in regions)
    assert status == (201 if reaches else 403), (regions, districts, status)
