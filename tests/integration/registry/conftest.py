"""The registry app on a real MongoDB (one database per test) through Flask's test client."""

from __future__ import annotations

from datetime import date

import pytest
from registry.bootstrap import create_app

from shared import mongo
from shared.clock import FixedClock
from shared.config import Settings
from shared.eventstore import MongoEventStore
from shared.http.auth import mint
from tests.unit.registry.builders import china_noon

TODAY = date(2026, 11, 23)


@pytest.fixture()
def settings(infra, unique) -> Settings:
    return Settings(service="registry", mongodb_uri=infra.mongo_uri, kafka_bootstrap=infra.kafka,
                    db_prefix=f"t_{unique}_")


@pytest.fixture()
def clock() -> FixedClock:
    return FixedClock(china_noon(TODAY))


@pytest.fixture()
def store(settings, clock):
    s = MongoEventStore(mongo.database(settings), "registry", clock)
    yield s
    mongo.client(settings.mongodb_uri).drop_database(settings.database)


@pytest.fixture()
def app(settings, store, clock):
    return create_app(settings=settings, store=store, clock=clock)


class Caller:
    """Calls the app as a department; one token per role so Idempotency-Key replays match."""

    def __init__(self, client, secret: str) -> None:
        self.client, self.secret, self.tokens = client, secret, {}

    def __call__(self, method: str, url: str, role: str | None = None, **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        if role:
            token = self.tokens.setdefault(role, mint(self.secret, f"test-{role}", role))
            headers["Authorization"] = f"Bearer {token}"
        return self.client.open(url, method=method, headers=headers, **kwargs)


@pytest.fixture()
def call(app, settings) -> Caller:
    return Caller(app.test_client(), settings.jwt_secret)


def stored(store: MongoEventStore) -> list[tuple[str, str]]:
    """(stream, event name) of everything in the store, in order."""
    return [(e.subject, e.name) for e in store.read_all()]
