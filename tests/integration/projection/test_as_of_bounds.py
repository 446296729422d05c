"""Time travel with an absurd date is a 422 naming the field, never a 500, on every route."""

from __future__ import annotations

import re

import pytest

from tests.integration.projection.helpers import envelope
from tests.unit.projection import samples as s

CODE = s.uscc(101)
ABSURD = ["9999-12-31", "1899-12-31", "0001-01-01", "10000-01-01", "2026-13-01", "garbage"]
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
        for day in ("9999-12-31", "0001-01-01"):
            resp = client.get(f"{route}?as_of={day}")
            if resp.status_code == 503 and route.startswith("/complaints/"):
                # the form pages call the complaints service, which no test runs here: a
                # 503 saying so (and that nothing was sent) is their answer, not a crash
                assert "暂时无法访问" in resp.get_data(as_text=True), route
                continue
            assert resp.status_code < 500, (route, day, resp.status_code)


@pytest.mark.parametrize(("day", "status"), [
    ("1900-01-01", 404), ("1899-12-31", 422),  # lower bound: no record yet, then one day past
    ("2099-12-31", 200), ("2100-01-01", 422),  # upper bound: the current state, then one past
])
def test_as_of_bounds_at_the_limit_and_one_past_it(apply_directly, client, day, status):
    apply_directly(*[envelope(e) for e in s.lifecycle(CODE)])
    assert client.get(f"/api/v1/institutions/{CODE}?as_of={day}").status_code == status
    assert client.get(f"/institutions/{CODE}?as_of={day}").status_code == status
