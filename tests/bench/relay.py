"""(b) Events relayed/s: Relay.run_once over a filled store against raw produce of the same."""

from __future__ import annotations

from confluent_kafka import KafkaError, Producer

from shared import kafka
from shared.eventstore import MongoEventStore
from shared.relay import Relay
from tests.bench.common import BenchEnv, Pair, commit_documents, rate

FLUSH_TIMEOUT = 30.0
Record = tuple[bytes, bytes, list[tuple[str, bytes]]]  # key, value, headers


def bench_relay(env: BenchEnv, repeat: int) -> list[Pair]:
    """The relay reads, produces, flushes and marks; the baseline only produces and flushes."""
    n = env.sizes.relay
    store = env.store(f"relay_r{repeat}")
    store.commits.insert_many(commit_documents(store, f"relay-{repeat}", n, 1))
    messages = _messages(store, n)
    ours_topic, raw_topic = env.topic(f"relay_ours_r{repeat}"), env.topic(f"relay_raw_r{repeat}")
    ours_producer, raw_producer = _warm(env, ours_topic), _warm(env, raw_topic)
    relay = Relay(store, ours_topic, lambda: ours_producer)

    def ours() -> None:
        if relay.drain() != n:
            raise RuntimeError("relay did not publish every event exactly once")

    def raw() -> None:
        _produce_raw(raw_producer, raw_topic, messages)

    if repeat % 2:
        base, mine = rate(n, raw), rate(n, ours)
    else:
        mine, base = rate(n, ours), rate(n, raw)
    if store.unpublished(1):
        raise RuntimeError("relay left commits unpublished")
    return [Pair("relay run_once (read, produce, mark)", "confluent-kafka produce + flush",
                 mine, base)]


def _messages(store: MongoEventStore, n: int) -> list[Record]:
    """Key, value and headers exactly as the relay sends them, built before timing."""
    return [(env.subject.encode(), env.value(), env.headers())
            for commit in store.unpublished(limit=n) for env in commit.events]


def _warm(env: BenchEnv, topic: str) -> Producer:
    """The kernel's producer configuration, with the topic's metadata already fetched."""
    producer = kafka.producer(env.kafka)
    producer.list_topics(topic, timeout=10)
    return producer


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
