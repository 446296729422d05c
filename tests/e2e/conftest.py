"""The whole platform as `make run` starts it (embedded servers, gunicorn, relay, consumer)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import requests
from stdnum.cn import uscc as uscc_mod

from devtools.devstack.stack import Stack
from shared.clock import SystemClock, china_today


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory):
    st = Stack(tmp_path_factory.mktemp("platform"), demo=True)
    st.start()  # with demo=True it returns once the demo is on the public directory
    yield st
    st.stop()


def today() -> date:
    """Today in China, as the services count it (not the machine's date: from 16:00 UTC on,
    China is a day ahead, and a "today" from the machine would lie before what the services
    just stamped)."""
    return china_today(SystemClock())


def make_uscc(serial: int, prefix: str = "91", district: str = "500103") -> str:
    body = f"{prefix}{district}MA{serial:07d}"
    return body + uscc_mod.calc_check_digit(body)


def enterprise(uscc: str, name: str, **over: Any) -> dict[str, Any]:
    rec = {"uscc": uscc, "name": name, "entity_type": "有限责任公司",
           "legal_representative": "王建国", "address": "重庆市渝中区解放碑路1号",
           "district_code": "500103", "business_scope": "养老服务；餐饮服务",
           "established_date": "2026-03-01", "status": "active"}
    return {**rec, **over}


def filing(name: str, **over: Any) -> dict[str, Any]:
    body = {"name": name, "address": "重庆市渝中区解放碑路1号", "district_code": "500103",
            "legal_representative": "王建国", "operator_type": "private_profit",
            "premises_ownership": "leased", "beds": 60, "nursing_beds": 30,
            "floor_area_m2": 2400.0, "contact_name": "李明", "contact_phone": "02363001234",
            "first_admission_date": "2026-11-16"}
    return {**body, **over}


def bearer(st: Stack, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {st.token(role)}"}


def push_bearer(st: Stack) -> dict[str, str]:
    """Market supervision's push client (client credentials, scope registrations:push)."""
    return {"Authorization": f"Bearer {st.tokens('market_supervision', 'registrations:push')}"}


def poll(fn: Callable[[], Any], timeout: float = 30.0, every: float = 0.05) -> Any:
    """Return fn()'s first truthy result, polling until the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = fn()
        if result:
            return result
        time.sleep(every)
    raise AssertionError(f"not true within {timeout}s")


def wait_for_beacon(st: Stack, plan_id: str, attempt: int = 1, timeout: float = 60.0) -> dict:
    """Until the transparency log has signed the checkpoint a draw attempt of ``plan_id``
    mixes in (the first holding the plan's publication, or the previous attempt's end)."""
    key = f"plan:{plan_id}" if attempt == 1 else f"draw-closed:{plan_id}:{attempt - 1}"

    def ready() -> dict | None:
        r = requests.get(f"{st.urls['translog']}/api/v1/log/beacon", params={"key": key},
                         timeout=10)
        return r.json() if r.status_code == 200 else None

    return poll(ready, timeout=timeout, every=0.5)


def public_record(st: Stack, uscc: str) -> dict | None:
    r = requests.get(f"{st.urls['projection']}/api/v1/institutions/{uscc}", timeout=5)
    return r.json() if r.status_code == 200 else None


@pytest.fixture(scope="session")
def openapi_checker(stack):
    """Validate every JSON answer any e2e test gets from an API against its OpenAPI document."""
    from tests.e2e.openapi_check import ResponseChecker

    checker = ResponseChecker(stack.urls)
    original = requests.Session.send

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
        resp = original(self, request, **kwargs)
        if not kwargs.get("stream"):
            problem = checker.check(request.method or "GET", request.url or "", resp.status_code,
                                    resp.headers.get("Content-Type", ""), resp.content)
            if problem:
                raise AssertionError(f"response does not match its OpenAPI document: {problem}")
        return resp

    requests.Session.send = send  # type: ignore[method-assign]
    yield checker
    requests.Session.send = original  # type: ignore[method-assign]
    print(f"\nOpenAPI response check: {checker.checked} JSON API answers validated, "
          f"{len(checker.failures)} mismatches")


@pytest.fixture(autouse=True)
def _every_api_answer_matches_openapi(request):
    """Autouse for every e2e test that uses the stack (browser tests included)."""
    if "stack" in request.fixturenames:
        request.getfixturevalue("openapi_checker")
    yield
