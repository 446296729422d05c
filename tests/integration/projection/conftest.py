"""Fixtures: a database, a topic and a running consumer per test, on the session's servers."""

from __future__ import annotations

import threading

import pytest
from projection.bootstrap import create_app
from projection.consumer import build, prepare
from projection.projector import PROJECTOR, uscc_of

from shared import kafka
from shared.config import DEAD_LETTER_TOPIC, Settings
from shared.readside.apply import Applier
from shared.readside.mongo import MongoReadStore
from shared.readside.projector import to_event


@pytest.fixture()
def settings(infra, unique):
    # property tests send hundreds of requests from one test client within seconds; the
    # public site's rate limit has tests of its own (tests/integration/kernel/test_limits.py)
    return Settings(service="projection", mongodb_uri=infra.mongo_uri,
                    kafka_bootstrap=infra.kafka, db_prefix=f"tp_{unique}_",
                    extra={"ELDERCARE_PUBLIC_RATE_LIMIT": "100000 per second"})


@pytest.fixture()
def db(mongo_client, settings):
    database = mongo_client[settings.database]
    prepare(database)
    yield database
    mongo_client.drop_database(settings.database)


@pytest.fixture()
def client(settings, db):
    app = create_app(settings, db=db)
    app.config["TESTING"] = True
    return app.test_client()


@pytest.fixture()
def apply_directly(db):
    """The consumer's apply without Kafka (one batch), for tests about reading."""
    applier = Applier(MongoReadStore(db), PROJECTOR)

    def apply(*envelopes):
        applier.apply([to_event(env, uscc_of(env)) for env in envelopes])

    return apply


@pytest.fixture()
def topic(infra, unique):
    name = f"test.registry.{unique}"
    kafka.ensure_topics(infra.kafka, [name, DEAD_LETTER_TOPIC], 3)
    return name


@pytest.fixture()
def publish(infra, topic):
    """Produce envelopes as the registry's relay does (key = stream id)."""
    producer = kafka.producer(infra.kafka)

    def send(*envelopes):
        for env in envelopes:
            producer.produce(topic, key=env.subject, value=env.value(), headers=env.headers())
        assert producer.flush(15) == 0

    yield send
    producer.close()


@pytest.fixture()
def live(settings, db, topic, unique):
    """The public-directory consumer running in a thread on the test's topic."""
    consumer = build(settings, db, topics=[topic], group=f"projection.test.{unique}", fast=True)
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    yield consumer
    stop.set()
    thread.join(15)
    consumer.dead_letters.close()
    assert not thread.is_alive()
