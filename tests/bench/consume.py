"""(c) Events applied/s: the read-side projection consumer against raw consume loops.

Ours: ProjectionConsumer (consume a batch, validate each event against its contract, keep it
in the inbox, fold per stream in memory, one bulk write per collection, cursors, offsets).
Baselines, read from the same topic: raw consume(num_messages) decoding headers and JSON;
the same plus one pymongo bulk_write per batch of the same documents. Every consumer joins
its own group first; the clock starts at its first message, so the group join (about
session.timeout/2 on the embedded broker) is left out on both sides.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from typing import Any

from confluent_kafka import Consumer, Message
from pymongo import UpdateOne
from pymongo.collection import Collection

from shared import kafka
from shared.readside.consumer import BATCH, ProjectionConsumer
from shared.readside.mongo import MongoReadStore
from shared.readside.projector import Event, Projection
from shared.readside.store import physical
from tests.bench.common import BenchEnv, Pair, envelopes

EVENTS_PER_STREAM = 5
TIMEOUT = 120.0
THINGS = "rm_things"
THING = "eldercare.kerneltest.ThingHappened.v1"


def _fold(docs: Any, e: Event) -> dict:
    return {(THINGS, e.stream): {"n": e.data["n"]}}


BENCH_PROJECTOR = Projection(
    name="bench", group="bench", topics=(), event_types=frozenset({THING}), inbox="rm_inbox",
    collections={THINGS: ()}, targets=lambda e: [(THINGS, e.stream)], fold=_fold,
    versioned=frozenset({THINGS}))


class FirstMessageClock:
    """A Consumer proxy that notes when the first message arrived."""

    def __init__(self, consumer: Consumer) -> None:
        self._consumer, self.first_at = consumer, 0.0

    def consume(self, num_messages: int, timeout: float) -> list[Message]:
        msgs = self._consumer.consume(num_messages, timeout)
        if msgs and not self.first_at:
            self.first_at = time.perf_counter()
        return msgs

    def __getattr__(self, name: str) -> Any:
        return getattr(self._consumer, name)


def bench_consume(env: BenchEnv, repeat: int) -> list[Pair]:
    """Fill one topic, then read it with our consumer and with two raw loops."""
    n = env.sizes.consume
    topic = env.topic(f"consume_r{repeat}")
    _fill(env, topic, n, repeat)
    raw_coll = env.database(f"consume_raw_r{repeat}")[THINGS]
    runs = {
        "ours": lambda: _ours(env, topic, n, repeat),
        "decode": lambda: _raw(env, topic, n, f"raw_r{repeat}", None),
        "bulk": lambda: _raw(env, topic, n, f"rawdb_r{repeat}", raw_coll),
    }
    order = list(runs) if repeat % 2 == 0 else list(reversed(runs))
    rates = {name: runs[name]() for name in order}
    operation = "projection apply (inbox, fold, bulk)"
    return [Pair(operation, "raw consume, decode only", rates["ours"], rates["decode"]),
            Pair(operation, "raw consume + bulk_write, same docs",
                 rates["ours"], rates["bulk"])]


def _fill(env: BenchEnv, topic: str, n: int, repeat: int) -> None:
    producer = kafka.producer(env.kafka)
    for s in range(0, n, EVENTS_PER_STREAM):
        stream = f"consume-{repeat}-{s}"
        for e in envelopes(stream, min(EVENTS_PER_STREAM, n - s), time.time_ns()):
            producer.produce(topic, key=e.subject.encode(), value=e.value(), headers=e.headers())
            producer.poll(0)
    if producer.flush(30):
        raise RuntimeError("could not fill the consume topic")


class Counting:
    """Wraps the consumer's applier: signals once ``n`` events were applied."""

    def __init__(self, consumer: ProjectionConsumer, n: int) -> None:
        self.apply, self.n = consumer.applier.apply, n
        self.applied, self.finished_at, self.done = 0, 0.0, threading.Event()
        consumer.applier.apply = self  # type: ignore[method-assign]

    def __call__(self, events: Sequence[Event]) -> Any:
        outcome = self.apply(events)
        self.applied += len(events)
        if self.applied >= self.n and not self.done.is_set():
            self.finished_at = time.perf_counter()
            self.done.set()
        return outcome


def _ours(env: BenchEnv, topic: str, n: int, repeat: int) -> float:
    group = f"bench-{env.run_id}-ours-{repeat}"
    store = MongoReadStore(env.database(f"consume_ours_r{repeat}"))
    store.prepare(BENCH_PROJECTOR, 1)
    clock = FirstMessageClock(kafka.consumer(env.kafka, group, fast=True))
    consumer = ProjectionConsumer(clock, BENCH_PROJECTOR, store,  # type: ignore[arg-type]
                                  kafka.producer(env.kafka), topics=[topic], group=group)
    counting = Counting(consumer, n)
    stop = threading.Event()
    worker = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    worker.start()
    finished = counting.done.wait(TIMEOUT)
    stop.set()
    worker.join(30)
    if not finished:
        raise RuntimeError(f"our consumer applied {counting.applied} of {n} in {TIMEOUT}s")
    things = store.db[physical(THINGS, 1)]
    if things.count_documents({"_v": EVENTS_PER_STREAM}) != n // EVENTS_PER_STREAM:
        raise RuntimeError("the read model does not hold every stream at its last version")
    return n / (counting.finished_at - clock.first_at)


def _raw(env: BenchEnv, topic: str, n: int, name: str, coll: Collection | None) -> float:
    """Subscribe, consume batches, decode headers and JSON; with ``coll`` also upsert the
    batch's documents in one bulk write."""
    consumer = kafka.consumer(env.kafka, f"bench-{env.run_id}-{name}", fast=True)
    consumer.subscribe([topic])
    got, first_at, deadline = 0, 0.0, time.monotonic() + TIMEOUT
    try:
        while got < n and time.monotonic() < deadline:
            msgs = [m for m in consumer.consume(BATCH, 0.2) if m.error() is None]
            if not msgs:
                continue
            first_at = first_at or time.perf_counter()
            ops = []
            for msg in msgs:
                headers = {k: v.decode() for k, v in msg.headers() or []}
                data = json.loads(msg.value())
                ops.append(UpdateOne({"_id": headers["ce_subject"]}, {"$set": {
                    "n": data["n"], "_v": int(headers["ce_streamversion"])}}, upsert=True))
            if coll is not None:
                coll.bulk_write(ops, ordered=False)
            got += len(msgs)
        finished_at = time.perf_counter()
    finally:
        consumer.close()
    if got < n:
        raise RuntimeError(f"raw consumer {name} read {got} of {n} in {TIMEOUT}s")
    return n / (finished_at - first_at)
