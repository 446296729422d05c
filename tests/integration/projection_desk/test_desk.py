"""The desk read model from the fire-safety service's real events, read through
GET /api/v1/desk by officials of each department and region; a redelivery changes nothing and
a rebuild equals the live model."""

from __future__ import annotations

from datetime import timedelta

import pytest
from projection import features
from projection.bootstrap import create_app
from projection.features.desk import FEATURE
from projection.features.desk.api import CLOCK
from projection.features.desk.fold import ITEMS
from projection.features.desk.projector import PROJECTOR

from shared.clock import FixedClock
from shared.config import Settings
from tests.integration.projection_fire_safety.conftest import HAZARD, LIGHTS, Service
from tests.signer import mint
from tests.support import Projected, projection_settings
from tests.unit.fire_safety.builders import MONDAY, china_noon


@pytest.fixture()
def settings(infra, unique):
    return projection_settings(infra, unique, "tpd")


@pytest.fixture()
def db(mongo_client, settings):
    yield mongo_client[settings.database]
    mongo_client.drop_database(settings.database)


@pytest.fixture()
def projected(db):
    p = Projected(db, PROJECTOR)
    p.prepare()
    return p


@pytest.fixture()
def clock():
    return FixedClock(china_noon(MONDAY))


@pytest.fixture()
def client(settings, db, projected, monkeypatch, clock):
    monkeypatch.setattr(features, "discover", lambda: [FEATURE])
    app = create_app(settings, db=db)
    app.extensions[CLOCK] = clock
    return app.test_client()


def desk(client, department="fire_rescue", regions=("500103",), duties=("clerk",)):
    token = mint("desk-reader", department, regions=regions, duties=duties)
    resp = client.get("/api/v1/desk", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_a_hazard_moves_from_order_to_rectification_to_done_on_the_brigades_desk(
        projected, client, clock):
    service = Service()
    service.inspect()
    projected.feed(service.take())
    mine = desk(client)
    assert sorted((i["kind"], i["ref"]) for i in mine["items"]) == sorted([
        ("order_to_serve", HAZARD), ("order_to_serve", LIGHTS)])
    assert mine["counts"] == {"order_to_serve": 2} and mine["overdue"] == 0
    assert all(i["due"] == "2026-11-26" for i in mine["items"])  # 3 working days
    # other departments and other districts see none of it
    assert desk(client, department="civil_affairs")["items"] == []
    assert desk(client, regions=("500108",))["items"] == []
    assert len(desk(client, regions=("5001",))["items"]) == 2

    service.order(HAZARD, workdays=5)
    projected.feed(service.take())
    items = {i["ref"]: i for i in desk(client)["items"]}
    assert items[HAZARD]["kind"] == "rectification_due"
    assert items[HAZARD]["due"] == "2026-11-30"
    clock.set(china_noon(MONDAY + timedelta(days=4)))  # Friday: the other order is late
    later = desk(client)
    assert later["items"][0]["ref"] == LIGHTS and later["items"][0]["overdue"]
    assert later["overdue"] == 1

    service.verify(MONDAY + timedelta(days=3))
    projected.feed(service.take())
    assert [i["ref"] for i in desk(client)["items"]] == [LIGHTS]


def test_a_redelivery_changes_nothing_and_a_rebuild_equals_the_live_model(projected, client):
    service = Service()
    service.inspect()
    first = service.take()
    projected.feed(first)
    service.order(HAZARD)
    projected.feed(service.take())
    live = sorted(projected[ITEMS].find(), key=lambda d: d["_id"])
    projected.feed(first)  # redelivered
    assert sorted(projected[ITEMS].find(), key=lambda d: d["_id"]) == live
    projected.rebuild()
    assert sorted(projected[ITEMS].find(), key=lambda d: d["_id"]) == live


def test_the_dashboard_counts_each_fact_once_within_the_readers_regions(db, monkeypatch):
    from projection.features.dashboard import FEATURE as DASH
    from projection.features.dashboard.fold import COUNTS
    from projection.features.dashboard.projector import PROJECTOR as DASHBOARD

    dash = Projected(db, DASHBOARD)
    dash.prepare()
    service = Service()
    service.inspect()
    first = service.take()
    dash.feed(first)
    service.order(HAZARD)
    service.verify(MONDAY + timedelta(days=3))
    dash.feed(service.take())
    dash.feed(first)  # redelivered
    monkeypatch.setattr(features, "discover", lambda: [DASH])
    app = create_app(Settings(service="projection"), db=db)
    client = app.test_client()

    def rows(regions):
        token = mint("leader", "civil_affairs", regions=regions, duties=("leader",))
        resp = client.get("/api/v1/dashboard", headers={"Authorization": f"Bearer {token}"})
        assert resp.status_code == 200
        return {(r["metric"], r["district"], r["month"]): r["n"] for r in resp.get_json()["rows"]}

    assert rows(("500103",)) == {("hazards_found", "500103", "2026-11"): 2,
                                 ("hazards_closed", "500103", "2026-11"): 1}
    assert rows(("50",)) == rows(("500103",))
    assert rows(("500108",)) == {}
    live = sorted(dash[COUNTS].find(), key=lambda d: d["_id"])
    dash.rebuild()
    assert sorted(dash[COUNTS].find(), key=lambda d: d["_id"]) == live
