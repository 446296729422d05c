"""(b) Events relayed/s: Relay.drain over a filled store against raw drivers.

Two baselines, both measured in the same repeat: raw idempotent produce of the very messages
(what the issue's target is set against), and a raw outbox loop doing the relay's whole job
with pymongo and confluent-kafka (find a batch, produce it, flush, update_many to mark) on a
twin store, which shows how much of the gap is the store's own per-document cost. A third
row reports the store's read ceiling against the same produce baseline: merely reading the
commit ids back from the server bounds any relay that reads a filled store.
"""

from __future__ import annotations

from confluent_kafka import KafkaError, Producer

from shared import kafka
from shared.eventstore import MongoEventStore
from shared.relay import Relay
from tests.bench.common import BenchEnv, Pair, commit_documents, rate

FLUSH_TIMEOUT = 30.0
Record = tuple[bytes, bytes, list[tuple[str, bytes]]]  # key, value, headers


def bench_relay(env: BenchEnv, repeat: int) -> list[Pair]:
    """The relay reads, produces, flushes and marks; the baselines as in the module text."""
    n = env.sizes.relay
    store, twin = env.store(f"relay_r{repeat}"), env.store(f"relay_twin_r{repeat}")
    documents = commit_documents(store, f"relay-{repeat}", n, 1)
    store.commits.insert_many([dict(d) for d in documents])
    twin.commits.insert_many([dict(d) for d in documents])
    messages = _messages(store, n)
    ours_topic, raw_topic = env.topic(f"relay_ours_r{repeat}"), env.topic(f"relay_raw_r{repeat}")
    outbox_topic = env.topic(f"relay_outbox_r{repeat}")
    ours_producer, raw_producer = _warm(env, ours_topic), _warm(env, raw_topic)
    outbox_producer = _warm(env, outbox_topic)
    relay = Relay(store, ours_topic, lambda: ours_producer)

    def ours() -> None:
        if relay.drain() != n:
            raise RuntimeError("relay did not publish every event exactly once")

    def raw() -> None:
        _produce_raw(raw_producer, raw_topic, messages)

    def outbox() -> None:
        by_commit = {d["_id"]: m for d, m in zip(documents, messages, strict=True)}
        _raw_outbox(twin, outbox_producer, outbox_topic, by_commit, relay.batch)

    def read_only() -> None:  # the store's ceiling: reading the commits, nothing else
        if len(list(twin.commits.find({}, {"_id": 1}).batch_size(relay.batch))) != n:
            raise RuntimeError("twin store lost commits")

    if repeat % 2:
        base, loop, mine = rate(n, raw), rate(n, outbox), rate(n, ours)
        ceiling = rate(n, read_only)
    else:
        ceiling = rate(n, read_only)
        mine, loop, base = rate(n, ours), rate(n, outbox), rate(n, raw)
    if store.unpublished(1) or twin.unpublished(1):
        raise RuntimeError("relay left commits unpublished")
    operation = "relay drain (read, produce, mark)"
    return [Pair(operation, "confluent-kafka idempotent produce + flush", mine, base),
            Pair(operation, "pymongo find + produce + update_many", mine, loop),
            Pair("store read ceiling: pymongo find of the commit ids only",
                 "confluent-kafka idempotent produce + flush", ceiling, base)]


def _messages(store: MongoEventStore, n: int) -> list[Record]:
    """Key, value and headers exactly as the relay sends them, built before timing."""
    return [(env.subject.encode(), env.value(), env.headers())
            for commit in store.unpublished(limit=n) for env in commit.events]


def _warm(env: BenchEnv, topic: str) -> Producer:
    """The kernel's producer configuration, its idempotent session set up and every partition
    of the fresh topic written once, so neither side pays the broker's first-write costs."""
    producer = kafka.producer(env.kafka)
    partitions = producer.list_topics(topic, timeout=10).topics[topic].partitions
    for p in partitions:
        producer.produce(topic, value=b"warm-up", partition=p)
    if producer.flush(FLUSH_TIMEOUT):
        raise RuntimeError("warm-up messages not delivered")
    return producer


def _raw_outbox(store: MongoEventStore, producer: Producer, topic: str,
                by_commit: dict[str, Record], batch: int) -> None:
    """The relay's job with the raw drivers: messages are prebuilt, so no envelope work."""
    while True:
        ids = [d["_id"] for d in store.commits.find({"published": False})
               .sort("position", 1).limit(batch)]
        if not ids:
            return
        _produce_raw(producer, topic, [by_commit[i] for i in ids])
        store.commits.update_many({"_id": {"$in": ids}}, {"$set": {"published": True}})


def _produce_raw(producer: Producer, topic: str, messages: list[Record]) -> None:
    errors: list[KafkaError] = []

    def on_delivery(err: KafkaError | None, _msg: object) -> None:
        if err is not None:
            errors.append(err)

    for key, value, headers in messages:
        producer.produce(topic, key=key, value=value, headers=headers, on_delivery=on_delivery)
        producer.poll(0)
    if producer.flush(FLUSH_TIMEOUT) or errors:
        raise RuntimeError(f"raw produce failed: {errors[:3]}")
