"""The credit app on a real MongoDB (one database per test) through Flask's test client."""

from __future__ import annotations

import pytest
from credit.bootstrap import build_context, create_app

from shared import mongo
from shared.clock import FixedClock
from shared.config import Settings
from shared.eventstore import MongoEventStore
from shared.http.auth import mint
from tests.unit.credit.builders import TODAY, china_noon


@pytest.fixture()
def settings(infra, unique) -> Settings:
    return Settings(service="credit", mongodb_uri=infra.mongo_uri, kafka_bootstrap=infra.kafka,
                    db_prefix=f"t_{unique}_")


@pytest.fixture()
def clock() -> FixedClock:
    return FixedClock(china_noon(TODAY))


@pytest.fixture()
def store(settings, clock):
    s = MongoEventStore(mongo.database(settings), "credit", clock)
    s.ensure_indexes()
    yield s
    mongo.client(settings.mongodb_uri).drop_database(settings.database)


@pytest.fixture()
def ctx(settings, store, clock):
    return build_context(settings, store, clock)


@pytest.fixture()
def app(settings, ctx):
    return create_app(settings=settings, context=ctx)


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


def names(store: MongoEventStore) -> list[str]:
    return [e.name for e in store.read_all()]
