"""Consumers: a kill before the offset commit applies nothing twice; bad events go to the DLQ."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC

from shared import kafka
from shared.config import DEAD_LETTER_TOPIC
from shared.consumer import EventConsumer
from shared.envelope import Envelope, ce_type
from shared.readmodel import apply_once
from tests.integration.kernel.helpers import new_topic, wait_for

STREAMS, PER_STREAM = 10, 30


def _envelope(stream: str, version: int, data: dict | None = None) -> Envelope:
    from datetime import datetime

    return Envelope(id=str(uuid.uuid4()), source="/test", type=ce_type("kerneltest",
                                                                      "ThingHappened"),
                    subject=stream, time=datetime.now(UTC),
                    data={"n": version} if data is None else data, stream_version=version)


def _publish(bootstrap: str, topic: str, envs: list[Envelope]) -> None:
    p = kafka.producer(bootstrap)
    for e in envs:
        p.produce(topic, key=e.subject.encode(), value=e.value(), headers=e.headers())
        p.poll(0)
    assert p.flush(20) == 0


def test_consumer_killed_repeatedly_applies_each_event_once(infra, mongo_client, unique):
    topic, group, db = new_topic(infra), f"g-{unique}", f"t_{unique}"
    envs = [_envelope(f"s-{s}", v) for v in range(1, PER_STREAM + 1) for s in range(STREAMS)]
    _publish(infra.kafka, topic, envs)
    cmd = [sys.executable, "-m", "tests.integration.kernel.procs", "consume", infra.mongo_uri,
           db, infra.kafka, topic, group, DEAD_LETTER_TOPIC]
    coll = mongo_client[db]["rm_things"]
    rng = random.Random(3)
    for _ in range(4):  # kill -9 mid-stream: effects stored, offsets maybe not committed
        p = subprocess.Popen(cmd, env=os.environ.copy())
        time.sleep(rng.uniform(1.5, 3.0))
        p.kill()
        p.wait()
    p = subprocess.Popen(cmd, env=os.environ.copy())
    try:
        wait_for(lambda: sum(len(d.get("history", [])) for d in coll.find({})) >= len(envs)
                 or p.poll() is not None, timeout=120)
        time.sleep(1.5)  # let a redelivery, if any, arrive before asserting none was applied
    finally:
        p.kill()
        p.wait()
    docs = {d["_id"]: d for d in coll.find({})}
    assert len(docs) == STREAMS
    for d in docs.values():
        assert d["history"] == list(range(1, PER_STREAM + 1))
        assert d["_v"] == PER_STREAM


def test_invalid_events_are_dead_lettered_with_reason_and_valid_ones_applied(infra,
                                                                           mongo_client,
                                                                           unique):
    topic, group = new_topic(infra), f"g-{unique}"
    kafka.ensure_topics(infra.kafka, [DEAD_LETTER_TOPIC], 3)
    coll = mongo_client[f"t_{unique}"]["rm_things"]
    bad_schema = _envelope(f"bad-{unique}", 1, {"n": "not a number"})
    good = _envelope(f"good-{unique}", 1)
    p = kafka.producer(infra.kafka)
    p.produce(topic, key=f"raw-{unique}".encode(), value=b"{not json", headers=[("x", b"1")])
    p.produce(topic, key=bad_schema.subject.encode(), value=bad_schema.value(),
              headers=bad_schema.headers())
    p.produce(topic, key=good.subject.encode(), value=good.value(), headers=good.headers())
    assert p.flush(10) == 0

    def handler(env: Envelope) -> None:
        apply_once(coll, env.subject, env.stream_version, {"$set": {"n": env.data["n"]}})

    stop = threading.Event()
    consumer = EventConsumer(kafka.consumer(infra.kafka, group, fast=True), [topic], group,
                             handler, kafka.producer(infra.kafka))
    t = threading.Thread(target=consumer.run, args=(stop,))
    t.start()
    try:  # the three keys may sit on different partitions: keep consuming until all are done
        wait_for(lambda: coll.find_one({"_id": good.subject}) is not None, timeout=30)
        reasons = _dead_letter_reasons(infra.kafka, unique)
    finally:
        stop.set()
        t.join(10)
    assert "missing CloudEvents headers" in reasons[f"raw-{unique}"]
    assert "n: 'not a number' is not of type 'integer'" in reasons[bad_schema.subject]
    assert coll.find_one({"_id": bad_schema.subject}) is None


def _dead_letter_reasons(bootstrap: str, unique: str) -> dict[str, str]:
    c = kafka.consumer(bootstrap, f"dlq-{uuid.uuid4().hex[:6]}", fast=True)
    c.subscribe([DEAD_LETTER_TOPIC])
    found: dict[str, str] = {}
    deadline = time.monotonic() + 60
    while len(found) < 2 and time.monotonic() < deadline:
        for m in c.consume(100, 0.5):
            key = (m.key() or b"").decode()
            if m.error() is None and unique in key:
                found[key] = dict(m.headers() or [])["dlq_reason"].decode()
    c.close()
    return found




def test_a_handler_asking_to_retry_later_gets_the_same_event_again(infra, unique):
    from shared.consumer import RetryLater

    topic, group = new_topic(infra), f"g-{unique}"
    envs = [_envelope(f"s-{unique}", v) for v in (1, 2, 3)]
    _publish(infra.kafka, topic, envs)
    seen: list[int] = []
    refusals = [2]  # refuse version 2 once

    def handler(env: Envelope) -> None:
        if env.stream_version in refusals:
            refusals.remove(env.stream_version)
            raise RetryLater("not now")
        seen.append(env.stream_version)

    stop = threading.Event()
    consumer = EventConsumer(kafka.consumer(infra.kafka, group, fast=True), [topic], group,
                             handler, kafka.producer(infra.kafka), retry_delay=0.2)
    t = threading.Thread(target=consumer.run, args=(stop,))
    t.start()
    try:
        wait_for(lambda: len(seen) >= 3, timeout=30)
    finally:
        stop.set()
        t.join(10)
    assert seen == [1, 2, 3]  # nothing skipped, nothing reordered
