"""The credit app on a real MongoDB (one database per test) through Flask's test client."""

from __future__ import annotations

import pytest
from credit.bootstrap import build_context, create_app

from shared.clock import FixedClock
from shared.config import Settings
from shared.eventstore import MongoEventStore
from tests.support import Caller, scratch_store, service_settings
from tests.unit.credit.builders import TODAY, china_noon


@pytest.fixture()
def settings(infra, unique) -> Settings:
    return service_settings("credit", infra, unique)


@pytest.fixture()
def clock() -> FixedClock:
    return FixedClock(china_noon(TODAY))


@pytest.fixture()
def store(settings, clock):
    yield from scratch_store(settings, clock, indexes=True)


@pytest.fixture()
def ctx(settings, store, clock):
    return build_context(settings, store, clock)


@pytest.fixture()
def app(settings, ctx):
    return create_app(settings=settings, context=ctx)


@pytest.fixture()
def call(app, settings) -> Caller:
    return Caller(app.test_client())


def names(store: MongoEventStore) -> list[str]:
    return [e.name for e in store.read_all()]
