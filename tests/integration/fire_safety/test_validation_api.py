"""Bad input on every write endpoint: 422 problem+json with field errors, nothing stored."""

from __future__ import annotations

import pytest

from tests.integration.fire_safety.conftest import (
    USCC,
    complete_body,
    completed,
    inspection_body,
    stored,
)

BAD_USCC = USCC[:-1] + ("0" if USCC[-1] != "0" else "1")
HAZARD = "FI-1.exits_routes"


def assert_422(resp, *fields: str) -> dict:
    assert resp.status_code == 422, resp.get_json()
    assert resp.mimetype == "application/problem+json"
    body = resp.get_json()
    for field in fields:
        assert field in body["errors"], body["errors"]
    return body["errors"]


@pytest.mark.parametrize(("changes", "field"), [
    ({"institution_uscc": BAD_USCC}, "institution_uscc"),
    ({"institution_name": " "}, "institution_name"),
    ({"kind": "other"}, "kind"),
    ({"inspection_date": "2026-13-01"}, "inspection_date"),
    ({"inspection_date": "2026-11-30"}, "inspection_date"),
    ({"inspectors": [{"user_id": "fr-001", "department": "fire_rescue"}]}, "inspectors"),
    ({"inspection_id": "bad id!"}, "inspection_id"),
    ({"template_id": "nope"}, "template_id"),
    ({"template_version": 9}, "template_version"),
    ({"items": [{"item_code": "exits_routes", "outcome": "fail", "evidence": "x",
                 "level": "major", "determined_by": ["a", "b"]}]}, "determined_by"),
    ({"items": [{"item_code": "nope", "outcome": "pass"}]}, "item_code"),
    ({"extra": 1}, "extra"),
])
def test_a_bad_inspection_is_rejected_and_nothing_is_stored(call, store, changes, field):
    assert_422(call("POST", "/api/v1/inspections", "fire_rescue",
                    json=inspection_body(**changes)), field)
    assert "FireInspectionStarted" not in stored(store)


def test_a_body_that_is_not_json_is_a_problem_not_500(call, store):
    r = call("POST", "/api/v1/inspections", "fire_rescue", data="{x",
             content_type="application/json")
    assert r.status_code in (400, 422) and r.mimetype == "application/problem+json"


@pytest.mark.parametrize(("path", "body", "field"), [
    ("rectification-order", {"deadline_workdays": 0}, "deadline_workdays"),
    ("rectification-order", {"deadline_workdays": "5"}, "deadline_workdays"),
    ("rectification-order", {"deadline_workdays": 5, "served_on": "2026-11-01"}, "served_on"),
    ("extension", {"extra_workdays": 2, "reason": ""}, "reason"),
    ("reinspections", {"outcome": "maybe", "inspectors": ["a", "b"]}, "outcome"),
    ("reinspections", {"outcome": "fixed", "inspectors": ["a"]}, "inspectors"),
    ("expert-determination", {"members": ["a"], "result": "maybe"},
     "result"),
    ("sealing", {"scope": "x", "reason": "y", "decision": "collective",
                 "decided_by": ["a"]}, "decided_by"),
])
def test_bad_hazard_commands_are_rejected_and_nothing_is_stored(call, store, path, body, field):
    assert completed(call).status_code == 200
    if path in ("extension", "reinspections"):
        call("POST", f"/api/v1/hazards/{HAZARD}/rectification-order", "fire_rescue",
             json={"deadline_workdays": 5})
    before = stored(store)
    assert_422(call("POST", f"/api/v1/hazards/{HAZARD}/{path}", "fire_rescue", json=body),
               field)
    assert stored(store) == before


def test_a_malformed_hazard_id_is_422(call):
    assert_422(call("POST", "/api/v1/hazards/no-dot/extension", "fire_rescue",
                    json={"extra_workdays": 2, "reason": "x"}), "hazard_id")


@pytest.mark.parametrize("body", [{}, {"agree": "maybe"}, {"agree": True, "member": "fr-002"}])
def test_a_members_answer_must_be_a_plain_yes_or_no_and_nothing_else(call, store, body):
    """Both vote endpoints: 422 field by field, nothing stored (the member is never taken
    from the body)."""
    assert call("POST", "/api/v1/inspections", "fire_rescue",
                json={**complete_body(), "complete": False}).status_code == 201
    before = stored(store)
    for url in ("/api/v1/inspections/FI-1/items/exits_routes/determination-votes",
                f"/api/v1/hazards/{HAZARD}/sealing/votes"):
        resp = call("POST", url, "fire_rescue", sub="fr-001", json=body)
        assert resp.status_code == 422 and resp.mimetype == "application/problem+json", url
    assert stored(store) == before
