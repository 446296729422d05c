"""The escrow app on a real MongoDB (one database per test) through Flask's test client."""

from __future__ import annotations

import pytest
from escrow.bootstrap import create_app

from shared import mongo
from shared.clock import FixedClock
from shared.config import Settings
from shared.eventstore import MongoEventStore
from shared.http.auth import mint
from tests.unit.escrow.builders import TODAY, china_noon


@pytest.fixture()
def settings(infra, unique) -> Settings:
    return Settings(service="escrow", mongodb_uri=infra.mongo_uri, kafka_bootstrap=infra.kafka,
                    db_prefix=f"t_{unique}_")


@pytest.fixture()
def clock() -> FixedClock:
    return FixedClock(china_noon(TODAY))


@pytest.fixture()
def store(settings, clock):
    s = MongoEventStore(mongo.database(settings), "escrow", clock)
    yield s
    mongo.client(settings.mongodb_uri).drop_database(settings.database)


@pytest.fixture()
def call(settings, store, clock):
    """call(method, url, role=..., **kwargs) with a bearer token of that department."""
    client = create_app(settings=settings, store=store, clock=clock).test_client()
    tokens: dict[str, str] = {}

    def _call(method: str, url: str, role: str | None = "civil_affairs", **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        if role:
            tokens.setdefault(role, mint(settings.jwt_secret, f"t-{role}", role))
            headers["Authorization"] = f"Bearer {tokens[role]}"
        return client.open(url, method=method, headers=headers, **kwargs)

    return _call
