"""Bearer tokens and department roles on every registry endpoint."""

from __future__ import annotations

import pytest

from tests.integration.registry.conftest import stored
from tests.unit.registry.builders import filing_json, make_uscc, record_json

USCC = make_uscc(1)
ENDPOINTS = [
    ("POST", "/api/v1/enterprise-registrations/batch", {"records": [record_json(1)]}),
    ("POST", f"/api/v1/institutions/{USCC}/filing", filing_json()),
    ("PATCH", f"/api/v1/institutions/{USCC}/filing", {"beds": 70}),
    ("POST", f"/api/v1/institutions/{USCC}/filing/cancellation", {"reason": "停止经营"}),
    ("POST", "/api/v1/checks/unfiled", None),
    ("GET", f"/api/v1/institutions/{USCC}", None),
]


@pytest.mark.parametrize(("method", "url", "body"), ENDPOINTS)
def test_every_endpoint_answers_401_problem_without_a_token(call, store, method, url, body):
    resp = call(method, url, json=body)
    assert resp.status_code == 401
    assert resp.mimetype == "application/problem+json"
    assert resp.headers["WWW-Authenticate"] == "Bearer"
    assert stored(store) == []


def test_a_forged_token_is_rejected(call, store):
    resp = call("GET", f"/api/v1/institutions/{USCC}",
                headers={"Authorization": "Bearer not.a.jwt"})
    assert resp.status_code == 401


@pytest.mark.parametrize(("method", "url", "body", "role"), [
    (*ENDPOINTS[0], "civil_affairs"),
    (*ENDPOINTS[1], "market_supervision"),
    (*ENDPOINTS[2], "fire_rescue"),
    (*ENDPOINTS[3], "market_supervision"),
    (*ENDPOINTS[4], "health"),
])
def test_a_department_without_the_role_gets_403_and_nothing_is_stored(call, store, method, url,
                                                                     body, role):
    resp = call(method, url, role, json=body)
    assert resp.status_code == 403
    assert resp.mimetype == "application/problem+json"
    assert stored(store) == []


def test_role_is_checked_before_the_body_is_validated(call):
    resp = call("POST", f"/api/v1/institutions/{USCC}/filing", "market_supervision",
                json={"beds": "many"})
    assert resp.status_code == 403


def test_an_account_administrator_may_use_no_write_endpoint(call):
    resp = call("POST", "/api/v1/enterprise-registrations/batch", "admin",
                json={"records": [record_json(1)]})
    assert resp.status_code == 403
