"""The inspection app on a real MongoDB (one database per test) through Flask's test client."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from inspection.adapters.directory import MongoObjectDirectory
from inspection.bootstrap import create_app

from shared import mongo
from shared.clock import FixedClock
from shared.config import Settings
from shared.eventstore import MongoEventStore
from tests.support import Caller, LocalBeacon, drop_database, service_settings
from tests.unit.inspection.builders import china_noon, filed

TODAY = date(2026, 11, 23)  # a Monday


@pytest.fixture()
def settings(infra, unique) -> Settings:
    return service_settings("inspection", infra, unique)


@pytest.fixture()
def clock() -> FixedClock:
    return FixedClock(china_noon(TODAY))


@pytest.fixture()
def db(settings):
    yield mongo.database(settings)
    drop_database(settings)


@pytest.fixture()
def store(db, clock):
    return MongoEventStore(db, "inspection", clock)


@pytest.fixture()
def directory(db) -> MongoObjectDirectory:
    d = MongoObjectDirectory(db)
    d.ensure_indexes()
    return d


@pytest.fixture()
def app(settings, store, clock, db):
    return create_app(settings=settings, store=store, clock=clock, db=db, beacon=LocalBeacon())


@pytest.fixture()
def call(app, settings) -> Caller:
    return Caller(app.test_client())


def add_institutions(directory: MongoObjectDirectory, numbers: range) -> list[str]:
    """File institutions straight into the object directory (as the consumer would)."""
    envs = [filed(n) for n in numbers]
    for env in envs:
        directory.apply(env)
    return [env.data["uscc"] for env in envs]


def add_inspectors(call: Caller, dept: str, count: int, **extra: Any) -> list[str]:
    keys = []
    for n in range(count):
        body = {"inspector_id": f"I{n:04d}", "region": "500103",
                "certificate_no": f"ZF{dept[:2].upper()}{n:06d}", **extra}
        r = call("POST", f"/api/v1/departments/{dept}/inspectors", dept, json=body)
        assert r.status_code in (200, 201), r.get_data(as_text=True)
        keys.append(r.json["key"])
    return keys


def add_item(call: Caller, dept: str, item_id: str = "X1") -> str:
    r = call("POST", f"/api/v1/departments/{dept}/items", dept, json={
        "item_id": item_id, "name": f"{dept} 抽查事项",
        "legal_basis": "《养老机构管理办法》第三十条",
        "method": "on_site"})
    assert r.status_code in (200, 201), r.get_data(as_text=True)
    return r.json["ref"]


def joint_plan(items: list[str], batch: int = 1, **over: Any) -> dict[str, Any]:
    return {"series": "joint", "year": 2026, "batch": batch, "title": "2026 年养老机构联合抽查",
            "departments": ["civil_affairs", "fire_rescue"], "items": items,
            "ratios": {"A": 10, "B": 50, "C": 50, "D": 100}, **over}


def drawn(call, task_url: str, department: str) -> str:
    """The account of an inspector of ``department`` drawn for the task (who may record it)."""
    team = call("GET", task_url, department).json["inspectors"]
    return next(k.split("/", 1)[1] for k in team if k.startswith(f"{department}/"))
