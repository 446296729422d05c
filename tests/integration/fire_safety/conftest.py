"""The fire-safety app on a real MongoDB (one database per test) through Flask's test client."""

from __future__ import annotations

import pytest
from fire_safety.bootstrap import create_app

from shared import mongo
from shared.clock import FixedClock
from shared.config import Settings
from shared.eventstore import MongoEventStore
from shared.http.auth import mint
from tests.unit.fire_safety.builders import MONDAY, china_noon, make_uscc

USCC = make_uscc(7)


@pytest.fixture()
def settings(infra, unique) -> Settings:
    return Settings(service="fire_safety", mongodb_uri=infra.mongo_uri,
                    kafka_bootstrap=infra.kafka, db_prefix=f"t_{unique}_")


@pytest.fixture()
def clock() -> FixedClock:
    return FixedClock(china_noon(MONDAY))


@pytest.fixture()
def store(settings, clock):
    s = MongoEventStore(mongo.database(settings), "fire_safety", clock)
    yield s
    mongo.client(settings.mongodb_uri).drop_database(settings.database)


@pytest.fixture()
def app(settings, store, clock):
    return create_app(settings=settings, store=store, clock=clock)


class Caller:
    """Calls the app as a department; one token per role so Idempotency-Key replays match."""

    def __init__(self, client, secret: str) -> None:
        self.client, self.secret, self.tokens = client, secret, {}

    def __call__(self, method: str, url: str, role: str | None = None, **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        if role:
            token = self.tokens.setdefault(role, mint(self.secret, f"test-{role}", role))
            headers["Authorization"] = f"Bearer {token}"
        return self.client.open(url, method=method, headers=headers, **kwargs)


@pytest.fixture()
def call(app, settings) -> Caller:
    return Caller(app.test_client(), settings.jwt_secret)


def stored(store: MongoEventStore) -> list[str]:
    """Names of everything in the store, in order."""
    return [e.name for e in store.read_all()]


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
