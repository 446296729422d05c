"""Time travel with an absurd date is a 422 naming the field, never a 500, on every route."""

from __future__ import annotations

import re

import pytest

from tests.integration.projection.helpers import envelope
from tests.unit.projection import samples as s

CODE = s.uscc(101)
ABSURD = ["9999-12-31", "1899-12-31", "0001-01-01", "10000-01-01", "2026-13-01", "garbage",
          "20261123"]
AS_OF_ROUTES = [f"/institutions/{CODE}", f"/api/v1/institutions/{CODE}"]


def _concrete(rule: str) -> str:
    """A URL for a url_map rule: the sample USCC for code converters, 'x' for the others."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>",
                  lambda m: CODE if "uscc" in m.group(1) else "x", rule)


def _get_routes(app) -> list[str]:
    return sorted({_concrete(r.rule) for r in app.url_map.iter_rules()
                   if "GET" in r.methods and not r.rule.startswith("/static")})


@pytest.mark.parametrize("day", ABSURD)
def test_an_absurd_as_of_is_422_naming_the_field_on_every_route_that_takes_it(
        apply_directly, client, day):
    apply_directly(*[envelope(e) for e in s.lifecycle(CODE)])
    api = client.get(f"/api/v1/institutions/{CODE}?as_of={day}")
    assert api.status_code == 422 and api.mimetype == "application/problem+json"
    assert "as_of" in api.get_json()["errors"]
    page = client.get(f"/institutions/{CODE}?as_of={day}")
    assert page.status_code == 422 and page.mimetype == "text/html"
    assert "日期" in page.get_data(as_text=True)


def test_no_route_answers_a_5xx_to_an_absurd_as_of(apply_directly, client):
    # routes found from the app's url_map, so a new page that takes as_of is covered too
    apply_directly(*[envelope(e) for e in s.lifecycle(CODE)])
    routes = _get_routes(client.application)
    assert set(AS_OF_ROUTES) <= set(routes)
    for route in routes:
        if route == "/readyz":  # 503 by design here: no consumer runs in this test
            continue
        for day in ("9999-12-31", "0001-01-01", "2026-11-30"):  # the last: a past day, folded
            resp = client.get(f"{route}?as_of={day}")
            if resp.status_code == 503 and route.startswith("/complaints/"):
                # the form pages call the complaints service, which no test runs here: a
                # 503 saying so (and that nothing was sent) is their answer, not a crash
                assert "暂时无法访问" in resp.get_data(as_text=True), route
                continue
            assert resp.status_code < 500, (route, day, resp.status_code)


def _today(offset: int = 0) -> str:
    from datetime import timedelta

    from shared.clock import SystemClock, china_today

    return (china_today(SystemClock()) + timedelta(days=offset)).isoformat()


@pytest.mark.parametrize(("day", "status"), [
    ("2000-01-01", 404), ("1999-12-31", 422),  # lower bound: no record yet, then one day past
    (_today(), 200), (_today(1), 422),  # upper bound: today (now), then tomorrow
])
def test_as_of_bounds_at_the_limit_and_one_past_it(apply_directly, client, day, status):
    apply_directly(*[envelope(e) for e in s.lifecycle(CODE)])
    assert client.get(f"/api/v1/institutions/{CODE}?as_of={day}").status_code == status
    assert client.get(f"/institutions/{CODE}?as_of={day}").status_code == status


def test_the_directory_list_and_its_open_data_as_of_a_past_day(apply_directly, client,
                                                               mongo_client):
    """The list, its counts and the open data fold the directory's events up to that day: an
    institution filed later is absent, one cancelled later is still listed as filed."""
    from shared.readside import asof

    apply_directly(*[envelope(e) for e in s.lifecycle(CODE)])
    try:
        march = client.get("/api/v1/institutions?as_of=2026-03-31").get_json()
        now = client.get("/api/v1/institutions").get_json()
        assert [i["uscc"] for i in march["items"]] == [CODE] and march["total"] == 1
        assert now["total"] == 0  # cancelled since: no longer among the filed
        before = client.get("/api/v1/institutions?as_of=2025-12-31").get_json()
        assert before["total"] == 0 and before["items"] == []
        page = client.get("/?as_of=2026-03-31").get_data(as_text=True)
        assert CODE in page and "2026-03-31 日终" in page
        csv = client.get("/open-data/institutions.csv?as_of=2026-03-31").get_data(as_text=True)
        assert CODE in csv and CODE not in client.get(
            "/open-data/institutions.csv").get_data(as_text=True)
    finally:
        db = client.application.extensions["projection.db"]()
        mongo_client.drop_database(asof.database_of(db).name)


def test_a_past_day_asked_while_another_is_folding_is_a_503_to_retry_not_a_queue(
        apply_directly, client, mongo_client, monkeypatch):
    """One fold at a time per process: a request that finds another running is told to come
    back (503, Retry-After) instead of holding a web thread; live pages are unaffected."""
    from shared.readside import asof

    apply_directly(*[envelope(e) for e in s.lifecycle(CODE)])
    monkeypatch.setattr(asof, "WAIT", 0.05)
    assert asof._lock.acquire(timeout=5)
    try:
        page = client.get("/?as_of=2026-04-02")
        assert page.status_code == 503 and int(page.headers["Retry-After"]) > 0
        assert "请稍后再试" in page.get_data(as_text=True)
        data = client.get("/open-data/institutions.json?as_of=2026-04-02")
        assert data.status_code == 503 and data.mimetype == "application/problem+json"
        assert client.get("/").status_code == 200  # now: no fold needed
    finally:
        asof._lock.release()
    try:
        assert client.get("/?as_of=2026-04-02").status_code == 200
    finally:
        db = client.application.extensions["projection.db"]()
        mongo_client.drop_database(asof.database_of(db).name)
