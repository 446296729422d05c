"""The credit feature's consumer over real Kafka: events reach the read model exactly once."""

from __future__ import annotations

import threading

from credit.app import penalties
from projection.features.credit import projector as store

from shared import kafka
from shared.config import DEAD_LETTER_TOPIC
from shared.readside.consumer import ProjectionConsumer
from shared.readside.mongo import MongoReadStore
from tests.integration.credit.test_consumers import wait_until
from tests.integration.projection_credit.conftest import emitted
from tests.unit.credit.builders import make_uscc, meta, penalty_cmd


def test_published_credit_events_are_applied_once(infra, unique, db, credit):
    topic, group = f"test.credit.events.{unique}", f"{store.GROUP}.{unique}"
    kafka.ensure_topics(infra.kafka, [topic, DEAD_LETTER_TOPIC], 3)
    consumer = ProjectionConsumer(kafka.consumer(infra.kafka, group, fast=True),
                                  store.PROJECTOR, MongoReadStore(db),
                                  kafka.producer(infra.kafka), topics=[topic], group=group)
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    try:
        pid = penalties.record_penalty(credit, meta(), penalty_cmd(make_uscc(41))
                                       ).events[0].penalty_id
        penalties.publish_penalty(credit, meta(), pid)
        producer = kafka.producer(infra.kafka)
        for env in emitted(credit) * 2:  # each event twice
            producer.produce(topic, key=env.subject, value=env.value(), headers=env.headers())
        assert producer.flush(15) == 0
        penalties_ = MongoReadStore(db).collection(store.PROJECTOR, store.PENALTIES)
        doc = wait_until(lambda: penalties_.find_one({"_id": pid, "_v": 2}))
        assert doc["published_on"] and sum(d["n"] for d in db[store.INBOX].find({})) == 2
    finally:
        stop.set()
        thread.join(15)
        consumer.dead_letters.close()
