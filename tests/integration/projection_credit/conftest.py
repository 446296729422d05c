"""The projection app with only the credit feature, on a real MongoDB database per test."""

from __future__ import annotations

import pytest
from projection import features
from projection.bootstrap import create_app
from projection.features import credit as credit_feature
from projection.features.credit import pages
from projection.features.credit import projector as store

from shared.clock import FixedClock
from shared.config import Settings
from tests.signer import mint
from tests.support import Projected
from tests.unit.credit.builders import TODAY, china_noon, context


@pytest.fixture()
def settings(infra, unique):
    return Settings(service="projection", mongodb_uri=infra.mongo_uri,
                    kafka_bootstrap=infra.kafka, db_prefix=f"tpc_{unique}_")


@pytest.fixture()
def db(mongo_client, settings):
    database = mongo_client[settings.database]
    Projected(database, store.PROJECTOR).prepare()
    yield database
    mongo_client.drop_database(settings.database)


@pytest.fixture()
def page_clock() -> FixedClock:
    return FixedClock(china_noon(TODAY))


@pytest.fixture()
def client(settings, db, page_clock, monkeypatch):
    # other features are written concurrently; these tests exercise the credit feature alone
    monkeypatch.setattr(features, "discover", lambda: [credit_feature.FEATURE])
    app = create_app(settings, db=db)
    app.extensions[pages.CLOCK] = page_clock
    app.config["TESTING"] = True
    return app.test_client()


@pytest.fixture()
def token(settings):
    return lambda role: {"Authorization": f"Bearer {mint('t', role)}"}


@pytest.fixture()
def source_clock() -> FixedClock:
    return FixedClock(china_noon(TODAY))


@pytest.fixture()
def credit(source_clock):
    """The credit service's handlers on an in-memory store: real, contract-checked events."""
    return context(source_clock)


def emitted(ctx, since: int = 0):
    """Every event the in-memory store holds, in order, from index ``since``."""
    return [e for c in ctx.store.unpublished(100_000) for e in c.events][since:]
