"""The fire-safety app on a real MongoDB (one database per test) through Flask's test client."""

from __future__ import annotations

import pytest
from fire_safety.bootstrap import create_app

from shared.clock import FixedClock
from shared.config import Settings
from shared.eventstore import MongoEventStore
from tests.support import Caller, scratch_store, service_settings
from tests.unit.fire_safety.builders import MONDAY, china_noon, make_uscc

USCC = make_uscc(7)


@pytest.fixture()
def settings(infra, unique) -> Settings:
    return service_settings("fire_safety", infra, unique)


@pytest.fixture()
def clock() -> FixedClock:
    return FixedClock(china_noon(MONDAY))


@pytest.fixture()
def store(settings, clock):
    yield from scratch_store(settings, clock)


@pytest.fixture()
def app(settings, store, clock):
    return create_app(settings=settings, store=store, clock=clock)


@pytest.fixture()
def call(app, settings) -> Caller:
    return Caller(app.test_client())


FIRE_OFFICERS = ("fr-001", "fr-002", "fr-003", "fr-chief")
EXPERTS = tuple(f"expert-{n}" for n in range(1, 8))


@pytest.fixture(autouse=True)
def officials(call) -> None:
    """The named accounts the tests' member lists use, registered through the API."""
    people = [*((login, "officer") for login in FIRE_OFFICERS),
              *((login, "expert") for login in EXPERTS)]
    for login, duty in people:
        r = call("POST", "/api/v1/departments/fire_rescue/officials", "fire_rescue",
                 json={"login": login, "region": "500103", "duty": duty})
        assert r.status_code == 201, r.get_json()


def stored(store: MongoEventStore) -> list[str]:
    """Names of everything in the store, in order, leaving out the officials register."""
    return [e.name for e in store.read_all() if e.subject != "officials-register"]


def inspection_body(**changes):
    body = {
        "inspection_id": "FI-1", "institution_uscc": USCC, "institution_name": "康乐养老院",
        "kind": "fire_supervision", "inspection_date": MONDAY.isoformat(),
        "inspectors": [{"user_id": "fr-001", "department": "fire_rescue"},
                       {"user_id": "fr-002", "department": "fire_rescue"}],
        "items": [
            {"item_code": "exits_routes", "outcome": "fail", "evidence": "二层通道上锁",
             "level": "major", "determined_by": ["fr-001", "fr-002", "fr-chief"]},
            {"item_code": "control_room", "outcome": "corrected_on_spot",
             "evidence": "当场补齐值班人员"}],
    }
    return {**body, **changes}


PASSING = ["emergency_lighting_signs", "fire_facilities", "annual_test_report",
           "wiring_fire_power_gas", "combustible_decoration", "patrol_drill_logs",
           "evacuation_aids", "fire_approval"]


def complete_body(**changes):
    body = inspection_body(**changes)
    body["items"] = body["items"] + [{"item_code": c, "outcome": "pass"} for c in PASSING]
    body["complete"] = True
    return body


def confirm_determinations(call, body, role="fire_rescue") -> None:
    """Each member named for a major item in ``body`` agrees, from their own account."""
    iid = body["inspection_id"]
    for i in body["items"]:
        for member in i.get("determined_by", []) if i.get("level") == "major" else []:
            r = call("POST", f"/api/v1/inspections/{iid}/items/{i['item_code']}"
                     "/determination-votes", role, sub=member, json={"agree": True})
            assert r.status_code == 200, r.get_json()


def completed(call, role="fire_rescue", body=None, **changes):
    """Start the inspection with all its items (``body`` or complete_body's), have the
    members of every collective determination confirm it, then complete it; the completion's
    response (200)."""
    body = {**(body or complete_body(**changes)), "complete": False}
    r = call("POST", "/api/v1/inspections", role, json=body)
    assert r.status_code == 201, r.get_json()
    confirm_determinations(call, body, role)
    return call("POST", f"/api/v1/inspections/{body['inspection_id']}/completion", role)
