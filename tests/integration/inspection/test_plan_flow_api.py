"""A joint plan through HTTP: create, publish, draw, inspect, record, publish, verify."""

from __future__ import annotations

from tests.integration.inspection.conftest import (
    add_inspectors,
    add_institutions,
    add_item,
    drawn,
    joint_plan,
)


def _drawn_plan(call, directory) -> dict:
    add_institutions(directory, range(1, 11))
    add_inspectors(call, "civil_affairs", 4)
    add_inspectors(call, "fire_rescue", 3)
    items = [add_item(call, "civil_affairs"), add_item(call, "fire_rescue")]
    r = call("POST", "/api/v1/plans", "civil_affairs", json=joint_plan(items))
    assert r.status_code == 201, r.get_data(as_text=True)
    pid = r.json["plan_id"]
    r = call("POST", f"/api/v1/plans/{pid}/publication", "civil_affairs")
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.json["status"] == "published" and r.json["draw"] is None
    r = call("POST", f"/api/v1/plans/{pid}/draw", "fire_rescue")
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.json


def test_joint_plan_draws_half_of_b_level_institutions_with_one_inspector_per_department(
        call, directory):
    plan = _drawn_plan(call, directory)
    assert plan["status"] == "drawn"
    assert [s["drawn"] for s in plan["draw"]["strata"]] == [0, 5, 0, 0]
    for t in plan["draw"]["tasks"]:
        depts = {k.split("/")[0] for k in t["inspectors"]}
        assert depts == {"civil_affairs", "fire_rescue"} and len(t["inspectors"]) >= 2


def test_public_verification_matches_and_a_tampered_seed_does_not(call, directory):
    pid = _drawn_plan(call, directory)["plan_id"]
    ok = call("GET", f"/api/v1/plans/{pid}/verification")
    assert ok.status_code == 200 and ok.json["matches"] is True
    bad = call("GET", f"/api/v1/plans/{pid}/verification", query_string={"seed": "0" * 64})
    assert bad.json["matches"] is False and bad.json["checks"]["seed"] is False


def test_result_recorded_and_published_within_the_deadline(call, directory):
    plan = _drawn_plan(call, directory)
    task = plan["draw"]["tasks"][0]["task_id"]
    before_draw = call("POST", f"/api/v1/tasks/{task}/inspection", "civil_affairs",
         sub=drawn(call, f"/api/v1/tasks/{task}", "civil_affairs"),
                       json={"inspected_on": "2026-11-20"})  # drawn on 2026-11-23
    assert before_draw.status_code == 422 and "inspected_on" in before_draw.json["errors"]
    assert call("POST", f"/api/v1/tasks/{task}/inspection", "civil_affairs",
         sub=drawn(call, f"/api/v1/tasks/{task}", "civil_affairs"),
                json={"inspected_on": "2026-11-23"}).status_code == 200
    r = call("POST", f"/api/v1/tasks/{task}/result", "fire_rescue",
         sub=drawn(call, f"/api/v1/tasks/{task}", "fire_rescue"), json={
        "item_outcomes": [{"item": "civil_affairs/X1", "outcome": "compliant"},
                          {"item": "fire_rescue/X1", "outcome": "problem_found"}],
        "findings": "疏散通道堆放杂物", "follow_up": "rectification_ordered"})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.json["result"]["publish_deadline"] == "2026-12-21"  # 20 wd from inspected_on
    r = call("POST", f"/api/v1/tasks/{task}/publication", "civil_affairs")
    assert r.status_code == 200 and r.json["status"] == "published"
