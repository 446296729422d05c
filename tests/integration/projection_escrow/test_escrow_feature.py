"""The escrow read model through real Kafka, its pages, and a rebuild equal to the live model."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from escrow.app.reconciliation import import_statement
from escrow.app.refunds import end_contract
from projection.bootstrap import create_app
from projection.features.escrow import projector as store

from shared import kafka
from shared.clock import FixedClock
from shared.config import DEAD_LETTER_TOPIC, Settings
from shared.readside.consumer import ProjectionConsumer
from shared.readside.mongo import MongoReadStore
from tests.integration.projection.helpers import wait_until
from tests.signer import mint
from tests.support import Projected
from tests.unit.escrow.builders import META, TODAY, USCC, World, china_noon


@pytest.fixture()
def settings(infra, unique):
    return Settings(service="projection", mongodb_uri=infra.mongo_uri,
                    kafka_bootstrap=infra.kafka, db_prefix=f"tpe_{unique}_")


@pytest.fixture()
def db(mongo_client, settings):
    database = mongo_client[settings.database]
    Projected(database, store.PROJECTOR).prepare()
    yield database
    mongo_client.drop_database(settings.database)


@pytest.fixture()
def topic(infra, unique):
    name = f"test.escrow.{unique}"
    kafka.ensure_topics(infra.kafka, [name, DEAD_LETTER_TOPIC], 3)
    return name


@pytest.fixture()
def live(infra, db, topic, unique):
    """The feature's projection consumer on the test's topic."""
    group = f"{store.GROUP}.{unique}"
    consumer = ProjectionConsumer(kafka.consumer(infra.kafka, group, fast=True),
                                  store.PROJECTOR, MongoReadStore(db),
                                  kafka.producer(infra.kafka), topics=[topic], group=group)
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(15)
    assert not thread.is_alive()


def _history() -> World:
    """An account, a contract with a deposit, a short statement and an ended contract."""
    w = World()
    w.open()
    w.contract()
    w.declare(600_000)
    import_statement(USCC, b"bank_txn_id,booked_on,amount_fen\nT1,2025-03-02,100000\n", "csv",
                     store=w.store, clock=w.clock, policies=w.policies, meta=META)
    end_contract(USCC, "C1", TODAY, store=w.store, clock=w.clock, meta=META)
    return w


def _publish(infra, topic, envelopes) -> None:
    producer = kafka.producer(infra.kafka)
    for env in envelopes:
        producer.produce(topic, key=env.subject, value=env.value(), headers=env.headers())
    assert producer.flush(15) == 0


def _client(settings, db, day):
    app = create_app(settings, db=db)
    app.extensions["escrow.clock"] = FixedClock(china_noon(day))
    return app.test_client()


def test_events_from_kafka_reach_the_pages_once_even_when_redelivered(
        infra, settings, db, topic, live) -> None:
    envelopes = _history().store.load(f"escrow-{USCC}").events
    _publish(infra, topic, envelopes + envelopes[:3])  # redelivery changes nothing
    views = Projected(db, store.PROJECTOR)[store.INSTITUTIONS]
    wait_until(lambda: (views.find_one({"_id": USCC}) or {}).get("_v") == len(envelopes))
    view = views.find_one({"_id": USCC})
    assert view["contracts"] == 1 and view["balance_fen"] == 100_000
    client = _client(settings, db, date(2025, 4, 3))  # refund deadline passed
    public = client.get(f"/escrow/{USCC}").get_data(as_text=True)
    assert "不合规" in public and "已开立" in public and "600,000" not in public
    assert "6,000.00" not in public  # no resident's amounts in public
    assert client.get("/escrow/regulator/").status_code == 401
    token = mint("t-finance", "finance")
    page = client.get(f"/escrow/regulator/{USCC}", headers={"Authorization": f"Bearer {token}"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "SF-1" in html and "R-7f3a9c" in html
    assert "6,000.00" in html  # liabilities for regulators


def test_rebuild_gives_exactly_the_live_read_model(db) -> None:
    projected = Projected(db, store.PROJECTOR)
    for env in _history().store.load(f"escrow-{USCC}").events:  # one event per batch
        projected.feed([env])
    live_docs = list(projected[store.INSTITUTIONS].find({}).sort("_id", 1))
    assert projected.rebuild() == 2
    assert list(projected[store.INSTITUTIONS].find({}).sort("_id", 1)) == live_docs
