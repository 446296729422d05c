"""The escrow app on a real MongoDB (one database per test) through Flask's test client."""

from __future__ import annotations

import pytest
from escrow.bootstrap import create_app

from shared.clock import FixedClock
from shared.config import Settings
from tests.support import Caller, scratch_store, service_settings
from tests.unit.escrow.builders import TODAY, china_noon


@pytest.fixture()
def settings(infra, unique) -> Settings:
    return service_settings("escrow", infra, unique)


@pytest.fixture()
def clock() -> FixedClock:
    return FixedClock(china_noon(TODAY))


@pytest.fixture()
def store(settings, clock):
    yield from scratch_store(settings, clock)


@pytest.fixture()
def call(settings, store, clock):
    """call(method, url, role=..., **kwargs) with a bearer token of that department."""
    caller = Caller(create_app(settings=settings, store=store, clock=clock).test_client())

    def _call(method: str, url: str, role: str | None = "civil_affairs", **kwargs):
        return caller(method, url, role, **kwargs)

    return _call
