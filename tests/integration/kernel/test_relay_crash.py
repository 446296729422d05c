"""The outbox relay loses nothing when killed at any point, and keeps per-stream order."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections import defaultdict

import pytest

from shared import kafka
from shared.eventstore import CommitMeta, NewEvent
from shared.relay import Relay
from tests.integration.kernel.helpers import drain, new_topic

STREAMS, PER_STREAM = 20, 15


def _fill(store) -> None:
    for v in range(PER_STREAM):
        for s in range(STREAMS):
            store.append(f"s-{s}", v, [NewEvent("ThingHappened", {"n": v})], CommitMeta())


def _assert_complete_and_ordered(store, received) -> None:
    stored_ids = {e.id for s in range(STREAMS) for e in store.load(f"s-{s}").events}
    assert {e.id for e in received} == stored_ids  # nothing lost, nothing invented
    first_seen: dict[str, list[int]] = defaultdict(list)
    seen: set[str] = set()
    for e in received:
        if e.id not in seen:
            seen.add(e.id)
            first_seen[e.subject].append(e.stream_version)
    assert all(vs == list(range(1, PER_STREAM + 1)) for vs in first_seen.values())


class CrashAfterProduce:
    """Store wrapper: the relay dies after the broker acked but before marking published."""

    def __init__(self, inner) -> None:
        self.inner, self.crashes = inner, 2

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self.inner, name)

    def mark_published(self, ids) -> None:
        if self.crashes:
            self.crashes -= 1
            raise SystemExit("simulated crash between produce and mark")
        self.inner.mark_published(ids)


def test_crash_between_produce_and_mark_republishes_instead_of_losing(infra, mongo_store):
    _fill(mongo_store)
    topic = new_topic(infra)
    relay = Relay(CrashAfterProduce(mongo_store), topic, lambda: kafka.producer(infra.kafka),
                  batch=50)
    for _ in range(2):
        with pytest.raises(SystemExit):
            relay.run_once()
    while relay.run_once():
        pass
    received = drain(infra.kafka, topic, STREAMS * PER_STREAM, timeout=15)
    _assert_complete_and_ordered(mongo_store, received)
    assert len(received) > STREAMS * PER_STREAM  # the crashed batches were sent again


def test_relay_process_killed_repeatedly_loses_nothing(infra, mongo_store, unique):
    _fill(mongo_store)
    topic = new_topic(infra)
    env = {**os.environ, "MONGODB_URI": infra.mongo_uri, "KAFKA_BOOTSTRAP_SERVERS": infra.kafka}
    code = ("import sys, threading; from shared import kafka; "
            "from shared.relay import Relay; from shared.eventstore import MongoEventStore; "
            "from pymongo import MongoClient; "
            f"s = MongoEventStore(MongoClient('{infra.mongo_uri}')['{mongo_store.db.name}'], "
            "'kerneltest'); "
            f"Relay(s, '{topic}', lambda: kafka.producer('{infra.kafka}'), batch=20)"
            ".run_forever(threading.Event())")
    rng = random.Random(7)
    for _ in range(6):  # kill -9 at random moments, then let a fresh relay go on
        p = subprocess.Popen([sys.executable, "-c", code], env=env)
        time.sleep(rng.uniform(0.3, 1.2))
        p.kill()
        p.wait()
    p = subprocess.Popen([sys.executable, "-c", code], env=env)
    try:
        deadline = time.monotonic() + 120
        while mongo_store.unpublished(1) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not mongo_store.unpublished(1)
    finally:
        p.kill()
        p.wait()
    received = drain(infra.kafka, topic, STREAMS * PER_STREAM, timeout=20)
    _assert_complete_and_ordered(mongo_store, received)


def test_broker_that_forgot_our_marker_gets_every_commit_again(infra, mongo_store, unique):
    from shared.config import Settings
    from shared.relay import resync_if_broker_forgot

    settings = Settings(f"kt{unique}", mongodb_uri=infra.mongo_uri, kafka_bootstrap=infra.kafka)
    _fill(mongo_store)
    mongo_store.mark_published([c.commit_id for c in mongo_store.unpublished(1000)])
    kafka.ensure_topics(infra.kafka, [settings.topic], 3)  # e.g. re-made by a consumer
    assert resync_if_broker_forgot(settings, mongo_store) == STREAMS * PER_STREAM
    assert len(mongo_store.unpublished(1000)) == STREAMS * PER_STREAM
    mongo_store.mark_published([c.commit_id for c in mongo_store.unpublished(1000)])
    assert resync_if_broker_forgot(settings, mongo_store) == 0  # marker now present


class PartlyFailingProducer:
    """A real producer, except that a few chosen messages are reported undelivered.

    Records the ce_id of every event the broker acknowledged, so the test can check that
    nothing was marked published without its acknowledgement.
    """

    def __init__(self, inner, fail: range, acked: set[str]) -> None:
        self.inner, self.fail, self.acked, self.sent = inner, fail, acked, 0
        self.failed: list = []

    def produce(self, topic, key, value, headers, on_delivery):  # type: ignore[no-untyped-def]
        index, self.sent = self.sent, self.sent + 1
        event_id = dict(headers)["ce_id"].decode()
        if index in self.fail:
            self.failed.append(on_delivery)
            return

        def report(err, msg):  # type: ignore[no-untyped-def]
            if err is None:
                self.acked.add(event_id)
            on_delivery(err, msg)

        self.inner.produce(topic, key=key, value=value, headers=headers, on_delivery=report)

    def poll(self, timeout: float = 0) -> int:
        return self.inner.poll(timeout)

    def flush(self, timeout: float = 20) -> int:
        from confluent_kafka import KafkaError

        remaining = self.inner.flush(timeout)
        for on_delivery in self.failed:
            on_delivery(KafkaError(KafkaError._MSG_TIMED_OUT), None)
        self.failed.clear()
        return remaining


def test_delivery_failing_for_part_of_a_batch_marks_only_acknowledged_commits(infra, mongo_store):
    _fill(mongo_store)  # 300 one-event commits, 20 streams interleaved
    topic = new_topic(infra)
    acked: set[str] = set()
    made: list[PartlyFailingProducer] = []

    def flaky():  # type: ignore[no-untyped-def]
        made.append(PartlyFailingProducer(kafka.producer(infra.kafka), range(130, 134), acked))
        return made[-1]

    relay = Relay(mongo_store, topic, flaky, batch=20)
    from shared.relay import DeliveryFailed

    with pytest.raises(DeliveryFailed):
        relay.drain()  # batch 7 (messages 120..139) fails while batch 6 may still be marking
    assert relay._producer is None  # the next attempt builds a fresh producer
    stored = {c.commit_id: c for c in mongo_store.unpublished(1000)}
    every = [e for s in range(STREAMS) for e in mongo_store.load(f"s-{s}").events]
    unpublished_ids = {e.id for c in stored.values() for e in c.events}
    marked = {e.id for e in every} - unpublished_ids
    assert marked <= acked  # nothing marked without the broker's acknowledgement
    assert len(marked) == 120  # the six batches before the failing one are done
    assert len(acked - marked) == 16  # acknowledged in the failed batch: sent again, not lost

    relay = Relay(mongo_store, topic, lambda: kafka.producer(infra.kafka), batch=20)
    assert relay.drain() == len(unpublished_ids)  # the restarted relay sends the rest
    assert not mongo_store.unpublished(1)
    received = drain(infra.kafka, topic, STREAMS * PER_STREAM, timeout=20)
    _assert_complete_and_ordered(mongo_store, received)


def test_a_refused_event_is_parked_listed_and_released_by_the_operator(
        infra, mongo_client, unique, monkeypatch, capsys):
    """Through the real broker: an event over the relay's message limit parks its commit
    (the stream's later commits wait), other streams flow; ``--parked`` lists it with its
    reason; after the limit is raised ``--release`` lets it go and the stream arrives whole,
    in order."""
    from shared.config import Settings
    from shared.eventstore import MongoEventStore
    from shared.relay import main

    settings = Settings("kerneltest", mongodb_uri=infra.mongo_uri, kafka_bootstrap=infra.kafka,
                        db_prefix=f"t_{unique}_")
    store = MongoEventStore(mongo_client[settings.database], "kerneltest")
    store.ensure_indexes()
    for v, pad in enumerate((10, 5000, 10)):
        store.append("big", v, [NewEvent("ThingHappened", {"n": v, "pad": "x" * pad})],
                     CommitMeta())
    for v in range(3):
        store.append("small", v, [NewEvent("ThingHappened", {"n": v})], CommitMeta())
    topic = new_topic(infra)
    relay = Relay(store, topic, lambda: kafka.producer(infra.kafka), max_message=4000)
    relay.drain()
    assert [p["_id"] for p in store.parked()] == ["big@2"]
    assert [c.commit_id for c in store.unpublished(10)] == []  # big@2 and big@3 held back
    monkeypatch.setenv("MONGODB_URI", infra.mongo_uri)
    monkeypatch.setenv("DB_PREFIX", settings.db_prefix)
    assert main("kerneltest", ["--parked"]) == 0
    listed = capsys.readouterr().out
    assert "big@2" in listed and "message limit" in listed
    relay.max_message = 10**6  # the cause fixed
    assert main("kerneltest", ["--release", "big@2"]) == 0
    assert main("kerneltest", ["--release", "big@2"]) == 1  # once
    relay.drain()
    assert not store.parked() and not store.unpublished(10)
    received = drain(infra.kafka, topic, 6, timeout=15)
    order = defaultdict(list)
    for e in received:
        order[e.subject].append(e.stream_version)
    assert order == {"big": [1, 2, 3], "small": [1, 2, 3]}
