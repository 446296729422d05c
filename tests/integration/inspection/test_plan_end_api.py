"""The plan's end date through HTTP: validated on creation, drawn tasks left without a result
flagged once after it, cancellation by a plan department only (not admin)."""

from __future__ import annotations

from datetime import date

from tests.integration.inspection.conftest import (
    add_inspectors,
    add_institutions,
    add_item,
    drawn,
    joint_plan,
)
from tests.unit.inspection.builders import china_noon


def _drawn(call, directory, **plan) -> dict:
    add_institutions(directory, range(1, 11))
    add_inspectors(call, "civil_affairs", 4)
    add_inspectors(call, "fire_rescue", 3)
    items = [add_item(call, "civil_affairs"), add_item(call, "fire_rescue")]
    r = call("POST", "/api/v1/plans", "civil_affairs", json=joint_plan(items, **plan))
    assert r.status_code == 201, r.get_data(as_text=True)
    pid = r.json["plan_id"]
    assert call("POST", f"/api/v1/plans/{pid}/publication", "civil_affairs").status_code == 200
    r = call("POST", f"/api/v1/plans/{pid}/draw", "civil_affairs")
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.json


def test_end_date_outside_the_plan_year_or_before_today_is_refused_and_nothing_stored(
        call, store):
    items = [add_item(call, "civil_affairs"), add_item(call, "fire_rescue")]
    before = list(store.read_all())
    for ends_on in ("2027-01-01", "2026-11-22", "2026-13-01"):  # today is 2026-11-23
        r = call("POST", "/api/v1/plans", "civil_affairs",
                 json=joint_plan(items, ends_on=ends_on))
        assert r.status_code == 422, (ends_on, r.get_data(as_text=True))
        assert r.mimetype == "application/problem+json" and "ends_on" in r.json["errors"]
    assert list(store.read_all()) == before
    r = call("POST", "/api/v1/plans", "civil_affairs", json=joint_plan(items))
    assert r.status_code == 201 and r.json["ends_on"] == "2026-12-31"  # the year's last day


def test_tasks_without_a_result_by_the_end_date_are_flagged_once(call, directory, clock):
    plan = _drawn(call, directory, ends_on="2026-11-30")
    assert plan["ends_on"] == "2026-11-30"
    done, cancelled, *left = [t["task_id"] for t in plan["draw"]["tasks"]]
    url = "/api/v1/tasks/{}".format
    call("POST", f"{url(done)}/inspection", "civil_affairs",
         sub=drawn(call, f"{url(done)}", "civil_affairs"), json={"inspected_on": "2026-11-23"})
    r = call("POST", f"{url(done)}/result", "civil_affairs",
         sub=drawn(call, f"{url(done)}", "civil_affairs"), json={
        "item_outcomes": [{"item": "civil_affairs/X1", "outcome": "compliant"},
                          {"item": "fire_rescue/X1", "outcome": "compliant"}],
        "follow_up": "none"})
    assert r.status_code == 200, r.get_data(as_text=True)
    # admin and departments outside the plan may not cancel; a plan department may, once
    assert call("POST", f"{url(cancelled)}/cancellation", "admin",
                json={"reason": "机构已停业"}).status_code == 403
    assert call("POST", f"{url(cancelled)}/cancellation", "health",
                json={"reason": "机构已停业"}).status_code == 403
    assert call("POST", f"{url(cancelled)}/cancellation", "fire_rescue",
                json={"reason": ""}).status_code == 422
    r = call("POST", f"{url(cancelled)}/cancellation", "fire_rescue", json={"reason": "机构已停业"})
    assert r.status_code == 200 and r.json["status"] == "cancelled"
    assert r.json["cancelled"]["department"] == "fire_rescue"
    assert call("POST", f"{url(done)}/cancellation", "civil_affairs",
                json={"reason": "x"}).status_code == 409  # result already recorded
    assert call("POST", f"{url(cancelled)}/inspection", "civil_affairs",
         sub=drawn(call, f"{url(cancelled)}", "civil_affairs"),
                json={"inspected_on": "2026-11-24"}).status_code == 409

    clock.set(china_noon(date(2026, 11, 30)))  # the end date itself
    assert call("POST", "/api/v1/checks/publication-overdue", "civil_affairs").json[
        "unfinished"] == []
    clock.set(china_noon(date(2026, 12, 1)))  # one day past it
    report = call("POST", "/api/v1/checks/publication-overdue", "fire_rescue").json
    assert sorted(report["unfinished"]) == sorted(left) and report["plans_ended"] == 1
    again = call("POST", "/api/v1/checks/publication-overdue", "civil_affairs").json
    assert again["unfinished"] == []
    assert call("GET", url(left[0]), "civil_affairs").json["unfinished_on"] == "2026-12-01"
    assert call("GET", url(done), "civil_affairs").json["unfinished_on"] is None
    assert call("GET", url(cancelled), "civil_affairs").json["unfinished_on"] is None
