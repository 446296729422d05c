"""Small helpers for kernel integration tests: topics, draining, polling."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from confluent_kafka import Consumer

from shared import kafka
from shared.envelope import Envelope, from_kafka


def new_topic(infra, prefix: str = "t", partitions: int = 3) -> str:
    name = f"{prefix}.{uuid.uuid4().hex[:10]}"
    kafka.ensure_topics(infra.kafka, [name], partitions)
    return name


def drain(bootstrap: str, topic: str, expect: int, timeout: float = 60.0) -> list[Envelope]:
    """Read a topic from the start until `expect` distinct events arrived (or time runs out)."""
    c: Consumer = kafka.consumer(bootstrap, f"drain-{uuid.uuid4().hex[:8]}", fast=True)
    c.subscribe([topic])
    out: list[Envelope] = []
    deadline = time.monotonic() + timeout
    try:
        while len({e.id for e in out}) < expect and time.monotonic() < deadline:
            for msg in c.consume(500, 0.5):
                if msg.error() is None:
                    out.append(from_kafka(msg.headers(), msg.value()))  # type: ignore[arg-type]
    finally:
        c.close()
    return out


def wait_for(cond: Callable[[], bool], timeout: float = 60.0, every: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(every)
    raise AssertionError("condition not met before the deadline")
