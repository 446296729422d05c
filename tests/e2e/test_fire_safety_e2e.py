"""A fire inspector records a major hazard, serves an order, watches it go overdue and then
verified; the public and regulator pages follow each state."""

from __future__ import annotations

from datetime import date, timedelta

import requests

from shared.workdays import WorkCalendar
from tests.e2e.conftest import bearer, make_uscc, poll, today

USCC = make_uscc(9401)
NAME = "重庆市渝中区消防端到端测试养老院"
PASSING = ["emergency_lighting_signs", "fire_facilities", "annual_test_report", "control_room",
           "wiring_fire_power_gas", "combustible_decoration", "patrol_drill_logs",
           "evacuation_aids", "fire_approval"]


def _inspection(inspection_id: str, day: date) -> dict:
    items = [{"item_code": "exits_routes", "outcome": "fail", "evidence": "二层疏散通道上锁",
              "level": "major", "determined_by": ["fr-e2e-1", "fr-e2e-2", "fr-e2e-chief"]}]
    items += [{"item_code": c, "outcome": "pass"} for c in PASSING]
    return {"inspection_id": inspection_id, "institution_uscc": USCC, "institution_name": NAME,
            "kind": "fire_supervision", "inspection_date": day.isoformat(),
            "inspectors": [{"user_id": "fr-e2e-1", "department": "fire_rescue"},
                           {"user_id": "fr-e2e-2", "department": "fire_rescue"}],
            "items": items, "complete": False}


MEMBERS = ("fr-e2e-1", "fr-e2e-2", "fr-e2e-chief")


def _determined_and_completed(stack, api: str, fire: dict, inspection_id: str) -> dict:
    """Each member of the collective determination confirms it, signed in as themselves
    (their own accounts in the identity service); then the inspector completes it."""
    for login in MEMBERS:
        own = {"Authorization": f"Bearer {stack.token('fire_rescue', login)}"}
        r = requests.post(f"{api}/inspections/{inspection_id}/items/exits_routes/"
                          "determination-votes", json={"agree": True}, headers=own, timeout=10)
        assert r.status_code == 200, r.text
    r = requests.post(f"{api}/inspections/{inspection_id}/completion", headers=fire,
                      timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def _register_officials(api: str, fire: dict) -> None:
    """The determination's members are named accounts in fire rescue's register."""
    for login in MEMBERS:
        r = requests.post(f"{api}/departments/fire_rescue/officials", headers=fire, timeout=10,
                          json={"login": login, "region": "500103"})
        assert r.status_code in (200, 201), r.text


def _page(stack, path: str, role: str | None = None) -> str:
    headers = bearer(stack, role) if role else {}
    r = requests.get(f"{stack.urls['projection']}{path}", headers=headers, timeout=5)
    return r.text if r.status_code == 200 else ""


def test_inspection_to_overdue_to_verified_over_http(stack):
    api, fire = stack.urls["fire_safety"] + "/api/v1", bearer(stack, "fire_rescue")
    inspected = today() - timedelta(days=30)  # deadlines already past: overdue now
    _register_officials(api, fire)
    r = requests.post(f"{api}/inspections", json=_inspection("FI-E2E-1", inspected),
                      headers=fire, timeout=10)
    assert r.status_code == 201, r.text
    hazard = _determined_and_completed(stack, api, fire, "FI-E2E-1")["hazards"][0]["hazard_id"]
    served = WorkCalendar().add_workdays(inspected, 1)
    r = requests.post(f"{api}/hazards/{hazard}/rectification-order", headers=fire, timeout=10,
                      json={"deadline_workdays": 5, "served_on": served.isoformat()})
    assert r.status_code == 200 and r.json()["hazard"]["order"]["served_late"] is False
    poll(lambda: f'data-uscc="{USCC}"' in _page(stack, "/fire-safety/"), timeout=15)

    report = requests.post(f"{api}/checks/overdue", headers=fire, timeout=30).json()
    assert {"event": "RectificationOverdue", "hazard_id": hazard} in report["raised"]
    poll(lambda: 'class="overdue-item"' in _page(stack, f"/fire-safety/institutions/{USCC}"),
         timeout=15)
    assert hazard in _page(stack, "/fire-safety/regulator", "civil_affairs")

    r = requests.post(f"{api}/hazards/{hazard}/reinspections", headers=fire, timeout=10,
                      json={"outcome": "fixed", "inspectors": ["fr-e2e-1", "fr-e2e-3"],
                            "evidence": "门锁已拆除"})
    assert r.json()["events"] == ["ReinspectionRecorded", "RectificationVerified"]
    poll(lambda: 'id="open-major">0<' in _page(stack, f"/fire-safety/institutions/{USCC}"),
         timeout=15)
    assert f'data-uscc="{USCC}"' not in _page(stack, "/fire-safety/")


def test_bad_input_is_a_422_problem_and_nothing_is_stored(stack):
    api, fire = stack.urls["fire_safety"] + "/api/v1", bearer(stack, "fire_rescue")
    body = _inspection("FI-E2E-BAD", today())
    body["inspectors"] = body["inspectors"][:1]
    r = requests.post(f"{api}/inspections", json=body, headers=fire, timeout=10)
    assert r.status_code == 422 and "inspectors" in r.json()["errors"]
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert requests.get(f"{api}/inspections/FI-E2E-BAD", headers=fire,
                        timeout=5).status_code == 404
