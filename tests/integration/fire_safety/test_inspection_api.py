"""From an inspection with a major hazard to an order, overdue and verification, over HTTP."""

from __future__ import annotations

from tests.integration.fire_safety.conftest import (
    complete_body,
    completed,
    confirm_determinations,
    inspection_body,
    stored,
)

HAZARD = "FI-1.exits_routes"


def every_item():
    """Every item recorded, the inspection left open (for its determinations' answers)."""
    return {**complete_body(), "complete": False}


def test_an_inspection_with_a_major_hazard_goes_overdue_and_is_then_verified(call, store, clock):
    r = completed(call)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["status"] == "completed" and body["template_version"] == 1
    assert [h["hazard_id"] for h in body["hazards"]] == [HAZARD]
    assert stored(store) == ["ChecklistTemplatePublished", "FireInspectionStarted",
                             *["FireInspectionItemRecorded"] * 10,
                             *["CollectiveDeterminationConfirmed"] * 3,
                             "FireInspectionCompleted", "FireHazardIdentified",
                             "MajorHazardDetermined"]
    r = call("POST", f"/api/v1/hazards/{HAZARD}/rectification-order", "fire_rescue",
             json={"deadline_workdays": 5, "measures": "拆除通道门锁"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["hazard"]["order"]["deadline"] == "2026-11-30"
    clock.advance(days=8)  # Tuesday 1 December
    report = call("POST", "/api/v1/checks/overdue", "fire_rescue").get_json()
    assert report["raised"] == [{"event": "RectificationOverdue", "hazard_id": HAZARD}]
    assert call("GET", f"/api/v1/hazards/{HAZARD}", "civil_affairs").get_json()[
        "status"] == "overdue"
    r = call("POST", f"/api/v1/hazards/{HAZARD}/reinspections", "fire_rescue",
             json={"outcome": "fixed", "inspectors": ["fr-001", "fr-003"], "evidence": "已整改"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["events"] == ["ReinspectionRecorded", "RectificationVerified"]
    assert r.get_json()["hazard"]["status"] == "verified"


def test_items_can_be_recorded_step_by_step_and_the_completed_record_is_immutable(call, store):
    body = inspection_body()
    assert call("POST", "/api/v1/inspections", "fire_rescue", json=body).status_code == 201
    r = call("POST", "/api/v1/inspections/FI-1/completion", "fire_rescue")
    assert r.status_code == 422 and "items" in r.get_json()["errors"]
    rest = {"items": complete_body()["items"][2:]}
    assert call("POST", "/api/v1/inspections/FI-1/items", "fire_rescue",
                json=rest).status_code == 200
    confirm_determinations(call, complete_body())
    assert call("POST", "/api/v1/inspections/FI-1/completion", "fire_rescue").status_code == 200
    again = call("POST", "/api/v1/inspections/FI-1/items", "fire_rescue", json=rest)
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    r = call("POST", "/api/v1/inspections/FI-1/corrections", "fire_rescue",
             json={"item_code": "exits_routes", "note": "照片编号为 7", "reason": "笔误"})
    assert r.status_code == 201 and r.get_json()["corrections"] == 1


def test_civil_affairs_records_joint_daily_checks_only(call):
    team = [{"user_id": "fr-001", "department": "fire_rescue"},
            {"user_id": "ca-001", "department": "civil_affairs"}]
    r = call("POST", "/api/v1/inspections", "civil_affairs",
             json=inspection_body(inspectors=team))
    assert r.status_code == 422 and "inspectors" in r.get_json()["errors"]
    # its collective determination is by civil affairs' own registered officers
    r = call("POST", "/api/v1/inspections", "civil_affairs",
             json=inspection_body(inspectors=team, kind="joint_daily"))
    assert r.status_code == 422 and "determined_by" in r.get_json()["errors"]
    for login in ("ca-001", "ca-002", "ca-003"):
        assert call("POST", "/api/v1/departments/civil_affairs/officials", "civil_affairs",
                    json={"login": login, "region": "500103"}).status_code == 201
    body = inspection_body(inspectors=team, kind="joint_daily")
    body["items"][0]["determined_by"] = ["ca-001", "ca-002", "ca-003"]
    r = call("POST", "/api/v1/inspections", "civil_affairs", json=body)
    assert r.status_code == 201
    assert r.get_json()["department"] == "civil_affairs"
    assert call("POST", "/api/v1/inspections", "health",
                json=inspection_body()).status_code == 403


def test_an_idempotent_retry_returns_the_first_result(call, store):
    headers = {"Idempotency-Key": "k-1"}
    first = call("POST", "/api/v1/inspections", "fire_rescue", json=every_item(),
                 headers=headers)
    second = call("POST", "/api/v1/inspections", "fire_rescue",
                  json=every_item(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert stored(store).count("FireInspectionStarted") == 1


def test_unknown_inspection_and_hazard_are_404_problems(call):
    r = call("GET", "/api/v1/inspections/FI-404", "fire_rescue")
    assert r.status_code == 404 and r.mimetype == "application/problem+json"
    r = call("POST", "/api/v1/hazards/FI-404.exits_routes/extension", "fire_rescue",
             json={"extra_workdays": 3, "reason": "x"})
    assert r.status_code == 404


def test_a_major_item_is_determined_only_by_its_named_members_each_from_their_own_account(
        call, store):
    votes = "/api/v1/inspections/FI-1/items/exits_routes/determination-votes"
    assert call("POST", "/api/v1/inspections", "fire_rescue",
                json=every_item()).status_code == 201
    r = call("POST", "/api/v1/inspections/FI-1/completion", "fire_rescue")
    assert r.status_code == 422
    assert "fr-001、fr-002、fr-chief" in " ".join(r.get_json()["errors"]["items"])
    before = stored(store)
    # the leader who recorded it cannot answer for the members; nor can anyone off the list
    for sub in ("test-fire_rescue", "fr-003"):
        r = call("POST", votes, "fire_rescue", sub=sub, json={"agree": True})
        assert r.status_code == 403 and r.mimetype == "application/problem+json"
    # another department's account of that name is not the member either
    assert call("POST", votes, "health", sub="fr-001", json={"agree": True}).status_code == 403
    assert stored(store) == before
    for sub in ("fr-001", "fr-002"):
        r = call("POST", votes, "fire_rescue", sub=sub, json={"agree": True})
        assert r.status_code == 200, r.get_json()
    result = next(x for x in r.get_json()["results"] if x["item_code"] == "exits_routes")
    assert (result["agreeing"], result["waiting_for"]) == (["fr-001", "fr-002"], ["fr-chief"])
    assert call("POST", "/api/v1/inspections/FI-1/completion", "fire_rescue").status_code == 422
    assert call("POST", votes, "fire_rescue", sub="fr-001",
                json={"agree": False}).status_code == 409  # an answer is not changed
    assert call("POST", votes, "fire_rescue", sub="fr-chief",
                json={"agree": True}).status_code == 200
    r = call("POST", "/api/v1/inspections/FI-1/completion", "fire_rescue")
    assert r.status_code == 200 and r.get_json()["hazards"][0]["level"] == "major"


def test_a_dissent_blocks_completion_until_the_item_is_recorded_again(call, store):
    votes = "/api/v1/inspections/FI-1/items/exits_routes/determination-votes"
    assert call("POST", "/api/v1/inspections", "fire_rescue",
                json=every_item()).status_code == 201
    assert call("POST", votes, "fire_rescue", sub="fr-002",
                json={"agree": False}).status_code == 200
    r = call("POST", "/api/v1/inspections/FI-1/completion", "fire_rescue")
    assert r.status_code == 422 and "fr-002" in " ".join(r.get_json()["errors"]["items"])
    general = {"items": [{**complete_body()["items"][0], "level": "general",
                          "determined_by": []}]}
    assert call("POST", "/api/v1/inspections/FI-1/items", "fire_rescue",
                json=general).status_code == 200
    r = call("POST", "/api/v1/inspections/FI-1/completion", "fire_rescue")
    assert r.status_code == 200 and r.get_json()["hazards"][0]["level"] == "general"
