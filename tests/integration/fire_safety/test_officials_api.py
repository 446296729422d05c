"""Issue 9 over HTTP: the officials register, the recording department (403), and member lists
checked against the register (422 field by field, nothing stored)."""

from __future__ import annotations

import re

import pytest

from tests.integration.fire_safety.conftest import (
    EXPERTS,
    complete_body,
    completed,
    inspection_body,
    stored,
)

OFFICIALS = "/api/v1/departments/fire_rescue/officials"
PENDING = "FI-1.combustible_decoration"


def test_a_department_maintains_its_register_idempotently(call, store):
    body = {"login": "fr-101", "region": "500103"}
    first = call("POST", OFFICIALS, "fire_rescue", json=body)
    assert first.status_code == 201
    assert first.get_json() == {"login": "fr-101", "department": "fire_rescue",
                                "region": "500103", "duty": "officer", "conflicts": [],
                                "active": True}
    assert call("POST", OFFICIALS, "fire_rescue", json=body).status_code == 200
    r = call("POST", OFFICIALS, "fire_rescue", json={**body, "region": "500104"})
    assert r.status_code == 409 and r.mimetype == "application/problem+json"
    assert call("POST", OFFICIALS, "civil_affairs", json=body).status_code == 403
    r = call("POST", "/api/v1/departments/civil_affairs/officials", "civil_affairs",
             json=body)
    assert r.status_code == 409  # one login, one department
    r = call("POST", f"{OFFICIALS}/fr-101/deactivation", "fire_rescue", json={"reason": "调离"})
    assert r.status_code == 200 and r.get_json()["active"] is False
    logins = {o["login"]: o["active"] for o in call("GET", OFFICIALS, "fire_rescue").get_json()}
    assert logins["fr-101"] is False and logins["fr-001"] is True
    assert call("GET", OFFICIALS, "civil_affairs").status_code == 403
    assert [e.name for e in store.read_all() if e.subject == "officials-register"].count(
        "OfficialRegistered") == 4 + 7 + 1


@pytest.mark.parametrize(("body", "field"), [
    ({"login": "张 三", "region": "500103"}, "login"),
    ({"login": "fr-9", "region": "5001"}, "region"),
    ({"login": "fr-9", "region": "500103", "duty": "chief"}, "duty"),
    ({"login": "fr-9", "region": "500103", "conflicts": ["nope"]}, "conflicts"),
    ({"region": "500103"}, "login"),
])
def test_a_bad_registration_is_a_422_problem(call, body, field):
    r = call("POST", OFFICIALS, "fire_rescue", json=body)
    assert r.status_code == 422 and field in r.get_json()["errors"], r.get_json()


def test_bad_department_or_login_in_the_path_is_a_422_problem(call):
    r = call("POST", "/api/v1/departments/fire_rescue/officials/bad%20login/deactivation",
             "fire_rescue", json={"reason": "x"})
    assert r.status_code == 422 and "login" in r.get_json()["errors"]
    r = call("GET", "/api/v1/departments/nowhere/officials", "fire_rescue")
    assert r.status_code == 422 and "department" in r.get_json()["errors"]


@pytest.mark.parametrize("role", ["civil_affairs", "admin"])
def test_only_the_inspections_own_department_records_its_findings_over_http(call, store, role):
    assert call("POST", "/api/v1/inspections", "fire_rescue",
                json=inspection_body()).status_code == 201
    before = stored(store)
    for method, path, body in [
            ("POST", "/api/v1/inspections/FI-1/items", {"items": complete_body()["items"]}),
            ("POST", "/api/v1/inspections/FI-1/completion", None)]:
        r = call(method, path, role, json=body)
        assert r.status_code == 403, r.get_json()
        assert r.mimetype == "application/problem+json"
    assert stored(store) == before


def test_admin_cannot_open_an_inspection(call, store):
    r = call("POST", "/api/v1/inspections", "admin", json=complete_body())
    assert r.status_code == 403 and r.mimetype == "application/problem+json"
    assert "FireInspectionStarted" not in stored(store)


@pytest.mark.parametrize("members", [
    ["fr-001", "fr-002"],                    # two: too few
    ["fr-001", "fr-002", "fr-unknown"],      # not a registered account
    ["fr-001", "fr-002", "fr-001"],          # duplicate
    ["fr-001", "fr-002", "expert-1"],        # an expert is not an officer
])
def test_a_collective_determination_by_unregistered_or_too_few_people_is_refused(
        call, store, members):
    body = complete_body()
    body["items"][0]["determined_by"] = members
    r = call("POST", "/api/v1/inspections", "fire_rescue", json=body)
    assert r.status_code == 422, r.get_json()
    assert "determined_by" in r.get_json()["errors"]
    assert "FireInspectionStarted" not in stored(store)


def test_a_deactivated_official_can_no_longer_sit(call, store):
    call("POST", f"{OFFICIALS}/fr-chief/deactivation", "fire_rescue", json={"reason": "退休"})
    r = call("POST", "/api/v1/inspections", "fire_rescue", json=complete_body())
    assert r.status_code == 422 and "fr-chief" in " ".join(r.get_json()["errors"][
        "determined_by"])


def _pending_inspection(call):
    body = complete_body()
    body["items"] = [i for i in body["items"] if i["item_code"] != "combustible_decoration"]
    body["items"].append({"item_code": "combustible_decoration", "outcome": "fail",
                          "evidence": "大量可燃装修", "level": "pending_expert_review"})
    assert completed(call, body=body).status_code == 200


def test_an_expert_panel_of_seven_registered_members_determines_a_major_hazard(call, store):
    _pending_inspection(call)
    path = f"/api/v1/hazards/{PENDING}/expert-determination"
    before = stored(store)
    six = {"members": list(EXPERTS[:6]), "result": "major"}
    r = call("POST", path, "fire_rescue", json=six)
    assert r.status_code == 422 and "members" in r.get_json()["errors"]
    unknown = {**six, "members": [*EXPERTS[:6], "outsider"]}
    r = call("POST", path, "fire_rescue", json=unknown)
    assert r.status_code == 422 and "outsider" in " ".join(r.get_json()["errors"]["members"])
    claimed = {"members": list(EXPERTS), "agreeing": list(EXPERTS), "result": "major"}
    r = call("POST", path, "fire_rescue", json=claimed)  # nobody agrees for the members
    assert r.status_code == 422 and "agreeing" in r.get_json()["errors"]
    seven = {"members": list(EXPERTS), "result": "major"}
    assert call("POST", path, "admin", json=seven).status_code == 403
    assert stored(store) == before
    r = call("POST", path, "fire_rescue", json=seven)
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["events"] == ["ExpertPanelConvened"]
    votes = f"{path}/votes"
    outsider = call("POST", votes, "fire_rescue", sub="fr-001", json={"agree": True})
    assert outsider.status_code == 403  # not on the panel
    answers = [call("POST", votes, "fire_rescue", sub=login, json={"agree": True}).get_json()
               for login in EXPERTS[:5]]
    assert [a["events"] for a in answers[:4]] == [["ExpertPanelVoted"]] * 4  # 4/7 < 2/3
    assert answers[4]["events"] == ["ExpertPanelVoted", "MajorHazardDetermined"]  # 5/7
    assert answers[4]["hazard"]["level"] == "major"
    again = call("POST", votes, "fire_rescue", sub=EXPERTS[0], json={"agree": True})
    assert again.status_code == 200 and again.get_json()["events"] == []  # a retry
    changed = call("POST", votes, "fire_rescue", sub=EXPERTS[0], json={"agree": False})
    assert changed.status_code == 409


def test_an_interested_party_cannot_sit_on_the_panel(call, store):
    from tests.integration.fire_safety.conftest import USCC

    r = call("POST", OFFICIALS, "fire_rescue",
             json={"login": "expert-8", "region": "500103", "duty": "expert",
                   "conflicts": [USCC]})
    assert r.status_code == 201
    _pending_inspection(call)
    members = [*EXPERTS[:6], "expert-8"]
    r = call("POST", f"/api/v1/hazards/{PENDING}/expert-determination", "fire_rescue",
             json={"members": members, "result": "major"})
    assert r.status_code == 422 and "expert-8" in " ".join(r.get_json()["errors"]["members"])


def test_admin_decides_nothing_on_hazards_orders_seals_or_checklists(app, call, store):
    # every POST under /api/v1/hazards and the checklist versions, found from the url_map
    routes = [r.rule for r in app.url_map.iter_rules() if "POST" in r.methods and (
        r.rule.startswith("/api/v1/hazards/") or r.rule.endswith("/versions"))]
    assert len(routes) >= 5
    for rule in routes:
        url = re.sub(r"<[^>]+>", "X1", rule)
        r = call("POST", url, "admin", json={})
        assert r.status_code == 403 and r.mimetype == "application/problem+json", (rule, r)
    assert stored(store) == []
