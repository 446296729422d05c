"""Kafka consumer entrypoint: validate against the contract, apply, then store the offset.

The handler must store its effect idempotently (see readmodel.apply_once); the offset is
stored only after it returns, so a crash before that means a redelivery the handler ignores.
Events that fail validation go to the dead-letter topic with the reason.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Protocol, TypeVar

from confluent_kafka import Consumer, KafkaError, Message, Producer, TopicPartition

from shared import contracts, heartbeat, metrics
from shared.config import DEAD_LETTER_TOPIC
from shared.envelope import Envelope, MalformedEnvelope, from_kafka

T = TypeVar("T")

log = logging.getLogger(__name__)
Handler = Callable[[Envelope], None]
BatchHandler = Callable[[Sequence[Envelope]], None]
BATCH = 500
LINGER = 0.01  # seconds a batch waits after its first message for the messages behind it


class RetryLater(Exception):
    """Raised by a handler that cannot apply now (e.g. a rebuild is running): retry, quietly."""


class EventConsumer:
    """One consumer group reading some topics into one handler."""

    def __init__(self, consumer: Consumer, topics: Sequence[str], group: str, handler: Handler,
                 dead_letters: Producer, retry_delay: float = 1.0,
                 batch_handler: BatchHandler | None = None, batch: int = BATCH) -> None:
        """With ``batch_handler`` the group reads up to ``batch`` messages at a time and
        hands their events over together (one write per batch, not per event); the handler
        must then apply them all or raise, and the batch is read again."""
        self.consumer, self.topics, self.group = consumer, list(topics), group
        self.handler, self.dead_letters, self.retry_delay = handler, dead_letters, retry_delay
        self.batch_handler, self.batch = batch_handler, batch

    def run(self, stop: threading.Event, poll_timeout: float = 0.2) -> None:
        self.consumer.subscribe(self.topics)
        try:
            while not stop.is_set():
                heartbeat.beat()
                if self.batch_handler is not None:
                    msgs = take(self.consumer, self.batch, poll_timeout)
                    if msgs and not self.handle_batch(msgs):
                        stop.wait(self.retry_delay)
                    continue
                msg = self.consumer.poll(poll_timeout)
                if msg is None:
                    continue
                err = msg.error()
                if err is not None:
                    self._on_error(err)
                    continue
                if self.handle(msg):
                    self.consumer.store_offsets(msg)
                else:
                    stop.wait(self.retry_delay)
        finally:
            self.consumer.close()  # commits the stored offsets

    def handle(self, msg: Message) -> bool:
        """Apply one message; False means it must be retried (the consumer seeks back)."""
        try:
            env = from_kafka(header_list(msg), msg.value())
            contracts.validate(env)
        except (MalformedEnvelope, contracts.ContractViolation) as exc:
            self._dead_letter(msg, str(exc))
            return True
        try:
            self.handler(env)
        except RetryLater as exc:
            log.info("%s: %s; will retry %s", self.group, exc, env.id)
            self._seek_back(msg)
            return False
        except Exception:  # noqa: BLE001 - never skip an event: seek back and retry
            log.exception("handler failed on %s %s; will retry", env.type, env.id)
            self._seek_back(msg)
            return False
        metrics.EVENTS_APPLIED.labels(self.group).inc()
        metrics.CONSUMER_POSITION.labels(self.group, env.service).set(env.position)
        metrics.CONSUMER_DELAY.labels(self.group).set(
            (datetime.now(UTC) - env.time).total_seconds())
        return True

    def handle_batch(self, msgs: Sequence[Message]) -> bool:
        """Apply a batch with the batch handler; False means every partition was sought back
        to its first message of the batch, to be read again. Invalid events are set aside
        only after the batch applied, so a retried batch sets none aside twice."""
        assert self.batch_handler is not None
        good, dead = decode_batch(msgs, self._on_error)
        envs = [env for env, _ in good]
        try:
            if envs:
                self.batch_handler(envs)
        except Exception:  # noqa: BLE001 - never skip an event: seek back and retry
            log.exception("%s: applying %d events failed; will retry", self.group, len(envs))
            seek_to_first(self.consumer, msgs)
            return False
        for msg, reason in dead:
            dead_letter(self.dead_letters, msg, self.group, reason, flush=False)
        if dead and self.dead_letters.flush(15):
            raise RuntimeError("dead-letter topic unreachable")
        last = last_offsets(msgs)
        if last:
            self.consumer.store_offsets(offsets=[TopicPartition(t, p, o + 1)
                                                 for (t, p), o in last.items()])
        if envs:
            metrics.EVENTS_APPLIED.labels(self.group).inc(len(envs))
            newest = envs[-1]
            metrics.CONSUMER_POSITION.labels(self.group, newest.service).set(newest.position)
            metrics.CONSUMER_DELAY.labels(self.group).set(
                (datetime.now(UTC) - newest.time).total_seconds())
        return True

    def _seek_back(self, msg: Message) -> None:
        self.consumer.seek(TopicPartition(str(msg.topic()), int(msg.partition() or 0),
                                          int(msg.offset() or 0)))

    def _dead_letter(self, msg: Message, reason: str) -> None:
        dead_letter(self.dead_letters, msg, self.group, reason)

    def _on_error(self, err: KafkaError) -> None:
        if err.code() == KafkaError._PARTITION_EOF:
            return
        log.warning("consumer %s: %s", self.group, err)


def take(consumer: Consumer, batch: int, timeout: float, linger: float = LINGER
         ) -> list[Message]:
    """Up to ``batch`` messages, returned as soon as there are any: what is already fetched,
    else the first to arrive within ``timeout`` and what arrives in the ``linger`` after it
    (a relay's batch reaches the partitions a little apart).

    ``Consumer.consume(n, timeout)`` alone waits the whole timeout unless ``n`` messages
    arrive (measured on this broker: 451 ms for one message with a 0.5 s timeout), which put
    up to a poll timeout of delay on every event at low load. Under load the messages that
    arrived while a batch was being applied are already there: the batches stay full."""
    msgs = consumer.consume(batch, 0)
    if msgs:
        return msgs
    first = consumer.poll(timeout)
    if first is None:
        return []
    return [first, *consumer.consume(batch - 1, linger)] if batch > 1 else [first]


def dead_letter(producer: Producer, msg: Message, group: str, reason: str,
                flush: bool = True) -> None:
    """Set ``msg`` aside on the dead-letter topic with the reason and where it came from."""
    log.warning("dead-lettering message at %s[%s]@%s: %s", msg.topic(), msg.partition(),
                msg.offset(), reason)
    headers: list[tuple[str, str | bytes | None]] = [*header_list(msg),
        ("dlq_reason", reason.encode()), ("dlq_group", group.encode()),
        ("dlq_source", f"{msg.topic()}/{msg.partition()}/{msg.offset()}".encode()),
    ]
    producer.produce(DEAD_LETTER_TOPIC, key=msg.key(), value=msg.value(), headers=headers)
    if flush and producer.flush(15):
        raise RuntimeError("dead-letter topic unreachable")
    metrics.EVENTS_DEAD.labels(group).inc()


def decode_batch(msgs: Sequence[Message], on_error: Callable[[KafkaError], None]
                 ) -> tuple[list[tuple[Envelope, Message]], list[tuple[Message, str]]]:
    """The valid events of a polled batch with their messages, and the messages to set
    aside with the reason (undecodable, or not matching their contract); broker errors go
    to ``on_error``."""
    good: list[tuple[Envelope, Message]] = []
    dead: list[tuple[Message, str]] = []
    for msg in msgs:
        err = msg.error()
        if err is not None:
            on_error(err)
            continue
        try:
            env = from_kafka(header_list(msg), msg.value())
            contracts.validate(env)
        except (MalformedEnvelope, contracts.ContractViolation) as exc:
            dead.append((msg, str(exc)))
            continue
        good.append((env, msg))
    return good, dead


def last_offsets(msgs: Sequence[Message]) -> dict[tuple[str, int], int]:
    """The last offset read of each (topic, partition) in a batch."""
    return {(str(m.topic()), int(m.partition() or 0)): int(m.offset() or 0)
            for m in msgs if m.error() is None}


def seek_to_first(consumer: Consumer, msgs: Sequence[Message]) -> None:
    """Seek every partition of a batch back to its first message: the batch is read again."""
    first: dict[tuple[str, int], int] = {}
    for msg in msgs:
        if msg.error() is None:
            first.setdefault((str(msg.topic()), int(msg.partition() or 0)),
                             int(msg.offset() or 0))
    for (topic, partition), offset in first.items():
        consumer.seek(TopicPartition(topic, partition, offset))


def header_list(msg: Message) -> list[tuple[str, bytes]]:
    raw = msg.headers() or []
    items = raw.items() if isinstance(raw, dict) else raw
    return [(str(k), v if isinstance(v, bytes) else str(v or "").encode()) for k, v in items]


class Group(Protocol):
    """What run_groups needs of a consumer (EventConsumer, ProjectionConsumer)."""

    topics: list[str]
    group: str
    dead_letters: Producer

    def run(self, stop: threading.Event) -> None: ...


def until_ready(what: str, step: Callable[[], T], patience: float = 120.0) -> T:
    """Run a start-up step (indexes, topics) again while the database or the broker is still
    coming back (after a restart of either), 1 s doubling to 8 s between tries, each failure
    logged; after ``patience`` seconds the last error is raised and the supervisor takes
    over."""
    deadline, delay = time.monotonic() + patience, 1.0
    while True:
        try:
            return step()
        except Exception as exc:  # noqa: BLE001 - retried, then raised
            if time.monotonic() + delay > deadline:
                raise
            log.warning("%s not ready (%s: %s); trying again in %.0f s", what,
                        type(exc).__name__, exc, delay)
            time.sleep(delay)
            delay = min(8.0, delay * 2)


def run_groups(consumers: Sequence[Group]) -> int:
    """A consumer process: each group in its own thread until SIGTERM/SIGINT; a crashed
    group stops the whole process (the supervisor restarts it)."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    threads = [threading.Thread(target=_run_group, args=(c, stop), name=c.group, daemon=True)
               for c in consumers]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads) and not stop.wait(0.5):
        pass
    stop.set()
    for t in threads:
        t.join(15)
    return 0


def _run_group(consumer: Group, stop: threading.Event) -> None:
    log.info("consuming %s as %s", consumer.topics, consumer.group)
    try:
        consumer.run(stop)
    except Exception:  # noqa: BLE001 - let the supervisor restart the process
        log.exception("consumer %s crashed", consumer.group)
        stop.set()
    finally:
        consumer.dead_letters.flush(10)  # any dead letter still in flight
