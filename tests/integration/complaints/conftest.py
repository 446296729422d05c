"""The complaints app on a real MongoDB (one database per test) through Flask's test client."""

from __future__ import annotations

import pytest
from complaints.app.secrets import Secrets
from complaints.bootstrap import build_deps, create_app, vault_keys

from shared import mongo
from shared.clock import FixedClock
from shared.config import Settings
from tests.support import Caller, scratch_store, service_settings
from tests.unit.complaints.builders import TODAY, china_noon


@pytest.fixture()
def settings(infra, unique) -> Settings:
    return service_settings("complaints", infra, unique)


@pytest.fixture()
def clock() -> FixedClock:
    return FixedClock(china_noon(TODAY))


@pytest.fixture()
def secrets() -> Secrets:
    return Secrets.generate()


@pytest.fixture()
def store(settings, clock):
    yield from scratch_store(settings, clock)
    mongo.client(settings.mongodb_uri).drop_database(settings.database + "_vault")


@pytest.fixture()
def deps(settings, store, clock, secrets):
    return build_deps(settings, store, clock, secrets)


@pytest.fixture()
def app(settings, store, clock, secrets):
    return create_app(settings=settings, store=store, clock=clock, secrets=secrets)


@pytest.fixture()
def call(app):
    caller = Caller(app.test_client())

    def _call(method: str, url: str, role: str | None = "civil_affairs", **kwargs):
        return caller(method, url, role, **kwargs)

    return _call


@pytest.fixture()
def keys(settings):
    return vault_keys(settings)
