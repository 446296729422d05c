"""The registry app on a real MongoDB (one database per test) through Flask's test client."""

from __future__ import annotations

from datetime import date

import pytest
from registry.bootstrap import create_app

from shared.clock import FixedClock
from shared.config import Settings
from shared.eventstore import MongoEventStore
from tests.support import Caller, scratch_store, service_settings
from tests.unit.registry.builders import china_noon

TODAY = date(2026, 11, 23)


@pytest.fixture()
def settings(infra, unique) -> Settings:
    return service_settings("registry", infra, unique)


@pytest.fixture()
def clock() -> FixedClock:
    return FixedClock(china_noon(TODAY))


@pytest.fixture()
def store(settings, clock):
    yield from scratch_store(settings, clock)


@pytest.fixture()
def app(settings, store, clock):
    return create_app(settings=settings, store=store, clock=clock)


@pytest.fixture()
def call(app, settings) -> Caller:
    return Caller(app.test_client())


def stored(store: MongoEventStore) -> list[tuple[str, str]]:
    """(stream, event name) of everything in the store, in order."""
    return [(e.subject, e.name) for e in store.read_all()]
