"""(c) Events applied/s: EventConsumer + apply_once against raw consume loops of the same.

Every consumer joins its own group first; the clock starts at its first message, so the
group join (about session.timeout/2 on the embedded broker) is left out on both sides.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from confluent_kafka import Consumer, Message
from pymongo.collection import Collection

from shared import kafka
from shared.consumer import EventConsumer
from shared.envelope import Envelope
from shared.readmodel import apply_once
from tests.bench.common import BenchEnv, Pair, envelopes

EVENTS_PER_STREAM = 5
TIMEOUT = 120.0


class FirstMessageClock:
    """A Consumer proxy that notes when the first message arrived."""

    def __init__(self, consumer: Consumer) -> None:
        self._consumer, self.first_at = consumer, 0.0

    def poll(self, timeout: float) -> Message | None:
        msg = self._consumer.poll(timeout)
        if msg is not None and not self.first_at:
            self.first_at = time.perf_counter()
        return msg

    def __getattr__(self, name: str) -> Any:
        return getattr(self._consumer, name)


def bench_consume(env: BenchEnv, repeat: int) -> list[Pair]:
    """Fill one topic, then read it with our consumer and with two raw loops."""
    n = env.sizes.consume
    topic = env.topic(f"consume_r{repeat}")
    _fill(env, topic, n, repeat)
    raw_coll = env.database(f"consume_raw_r{repeat}")["rm_things"]
    runs = {
        "ours": lambda: _ours(env, topic, n, repeat),
        "decode": lambda: _raw(env, topic, n, f"raw_r{repeat}", None),
        "write": lambda: _raw(env, topic, n, f"rawdb_r{repeat}", raw_coll),
    }
    order = list(runs) if repeat % 2 == 0 else list(reversed(runs))
    rates = {name: runs[name]() for name in order}
    ours, decode_only, with_write = rates["ours"], rates["decode"], rates["write"]
    operation = "EventConsumer + apply_once (validate, read, write)"
    return [Pair(operation, "raw consume, decode only", ours, decode_only),
            Pair(operation, "raw consume + pymongo update_one", ours, with_write)]


def _fill(env: BenchEnv, topic: str, n: int, repeat: int) -> None:
    producer = kafka.producer(env.kafka)
    for s in range(0, n, EVENTS_PER_STREAM):
        stream = f"consume-{repeat}-{s}"
        for e in envelopes(stream, min(EVENTS_PER_STREAM, n - s), time.time_ns()):
            producer.produce(topic, key=e.subject.encode(), value=e.value(), headers=e.headers())
            producer.poll(0)
    if producer.flush(30):
        raise RuntimeError("could not fill the consume topic")


class ReadModelHandler:
    """The consumer's handler: apply_once into one collection; signals after ``n`` events."""

    def __init__(self, coll: Collection, group: str, n: int) -> None:
        self.coll, self.group, self.n = coll, group, n
        self.applied, self.finished_at, self.done = 0, 0.0, threading.Event()

    def __call__(self, e: Envelope) -> None:
        apply_once(self.coll, e.subject, e.stream_version, {"$set": {"n": e.data["n"]}},
                   self.group)
        self.applied += 1
        if self.applied == self.n:
            self.finished_at = time.perf_counter()
            self.done.set()


def _ours(env: BenchEnv, topic: str, n: int, repeat: int) -> float:
    group = f"bench-{env.run_id}-ours-{repeat}"
    handler = ReadModelHandler(env.database(f"consume_ours_r{repeat}")["rm_things"], group, n)
    clock = FirstMessageClock(kafka.consumer(env.kafka, group, fast=True))
    consumer = EventConsumer(clock, [topic], group, handler,  # type: ignore[arg-type]
                             dead_letters=kafka.producer(env.kafka))
    stop = threading.Event()
    worker = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    worker.start()
    finished = handler.done.wait(TIMEOUT)
    stop.set()
    worker.join(30)
    if not finished:
        raise RuntimeError(f"our consumer applied {handler.applied} of {n} in {TIMEOUT}s")
    if handler.coll.count_documents({"_v": EVENTS_PER_STREAM}) != n // EVENTS_PER_STREAM:
        raise RuntimeError("the read model does not hold every stream at its last version")
    return n / (handler.finished_at - clock.first_at)


def _raw(env: BenchEnv, topic: str, n: int, name: str, coll: Collection | None) -> float:
    """Subscribe, decode headers and JSON; with ``coll`` also upsert one document each."""
    consumer = kafka.consumer(env.kafka, f"bench-{env.run_id}-{name}", fast=True)
    consumer.subscribe([topic])
    got, first_at, deadline = 0, 0.0, time.monotonic() + TIMEOUT
    try:
        while got < n and time.monotonic() < deadline:
            msg = consumer.poll(0.2)
            if msg is None or msg.error():
                continue
            first_at = first_at or time.perf_counter()
            headers = {k: v.decode() for k, v in msg.headers() or []}
            data = json.loads(msg.value())
            if coll is not None:
                coll.update_one({"_id": headers["ce_subject"]}, {"$set": {
                    "n": data["n"], "_v": int(headers["ce_streamversion"])}}, upsert=True)
            got += 1
        finished_at = time.perf_counter()
    finally:
        consumer.close()
    if got < n:
        raise RuntimeError(f"raw consumer {name} read {got} of {n} in {TIMEOUT}s")
    return n / (finished_at - first_at)
