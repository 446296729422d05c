"""Kafka entrypoint of a projection: consume a batch, validate, apply it, then store offsets.

Messages that are not valid events of their contract go to the dead-letter topic with the
reason (as shared.consumer does). The rest of the batch is applied in one go (apply.py); only
when that returned are the offsets stored, so a crash means a redelivery the cursors ignore.
If applying fails (the database away), every partition of the batch is sought back and the
batch retried, with a growing pause. An event the projection cannot fold is not retried:
apply.py quarantines it and holds its stream, and it goes to the dead-letter topic too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from confluent_kafka import Consumer, KafkaError, Message, Producer, TopicPartition

from shared import heartbeat, metrics
from shared.consumer import dead_letter, decode_batch, last_offsets, seek_to_first, take
from shared.readside.apply import Applier
from shared.readside.projector import Event, Projector, to_event
from shared.readside.store import ReadStore

log = logging.getLogger(__name__)
BATCH = 500
IDLE_TICK = 1.0  # seconds between pointer checks while no message arrives
POINTER_FRESH = 1.0  # seconds a batch reuses the generation pointer the last one read
HEARTBEAT = 5.0  # seconds between progress marks while idle
MARK_EVERY = 1.0  # at most this often a mark of positions applied


MAX_PAUSE = 30.0


def retry_pause(base: float, failures: int) -> float:
    """``base`` doubling with each failure in a row, at most MAX_PAUSE seconds."""
    return min(MAX_PAUSE, base * 2 ** max(0, failures - 1))


class ProjectionConsumer:
    """One projection's consumer group, in batches."""

    def __init__(self, consumer: Consumer, projector: Projector, store: ReadStore,
                 dead_letters: Producer, topics: Sequence[str] | None = None,
                 group: str | None = None, batch: int = BATCH,
                 retry_delay: float = 1.0,
                 progress: Callable[[dict[str, int], bool, str | None], None] | None = None
                 ) -> None:
        """``progress(positions by source, applied, broker error)``: the consumer's marks
        for health and the status page (shared.ops.record_consumer), after each batch and
        at least every HEARTBEAT seconds while idle."""
        self.consumer, self.projector, self.dead_letters = consumer, projector, dead_letters
        self.topics = list(topics or projector.topics)
        self.group = group or projector.group
        self.applier = Applier(store, projector, fresh_for=POINTER_FRESH)
        self.batch, self.retry_delay = batch, retry_delay
        self.progress = progress
        self._broker_error: str | None = None
        self._beat = 0.0
        self._pending: dict[str, int] = {}  # positions applied, not marked yet

    def run(self, stop: threading.Event, poll_timeout: float = 0.2) -> None:
        self.consumer.subscribe(self.topics)
        idle_since = time.monotonic()
        failures = 0
        try:
            while not stop.is_set():
                heartbeat.beat()
                msgs = take(self.consumer, self.batch, poll_timeout)
                if msgs:
                    idle_since = time.monotonic()
                    if self.handle(msgs):
                        failures = 0
                    else:  # the database away: a growing pause, then the batch again
                        failures += 1
                        stop.wait(retry_pause(self.retry_delay, failures))
                elif time.monotonic() - idle_since >= IDLE_TICK:
                    self.applier.tick()
                    idle_since = time.monotonic()
                self._heartbeat()
        finally:
            self.consumer.close()  # commits the stored offsets

    def handle(self, msgs: Sequence[Message]) -> bool:
        """Apply one batch; False when it must be retried (every partition was sought back)."""
        events, dead, last, origin = self._decode(msgs)
        try:
            outcome = self.applier.apply(events)
        except Exception:  # noqa: BLE001 - never skip an event: seek back and retry
            log.exception("%s: applying %d events failed; will retry", self.group, len(events))
            seek_to_first(self.consumer, msgs)
            return False
        for event, reason in outcome.poisoned:
            msg = origin.get(event.id)  # None: it came from the inbox (set aside before)
            if msg is not None:
                dead.append((msg, f"projection {self.projector.name} cannot fold it "
                                  f"(quarantined, stream {event.stream} waits): {reason}"))
        for msg, reason in dead:  # after the batch applied: a retried batch sets none aside twice
            dead_letter(self.dead_letters, msg, self.group, reason, flush=False)
        if dead and self.dead_letters.flush(15):
            raise RuntimeError("dead-letter topic unreachable")
        if last:
            self.consumer.store_offsets(offsets=[TopicPartition(t, p, o + 1)
                                                 for (t, p), o in last.items()])
        self._measure(events)
        return True

    def _decode(self, msgs: Sequence[Message]) -> tuple[
            list[Event], list[tuple[Message, str]], dict[tuple[str, int], int],
            dict[str, Message]]:
        """(events, messages to dead-letter with the reason, last offset per partition,
        the message of each event id)."""
        good, dead = decode_batch(msgs, self._on_error)
        events = [to_event(env, self.projector.stream_of(env)) for env, _ in good]
        return events, dead, last_offsets(msgs), {env.id: msg for env, msg in good}

    def _heartbeat(self, positions: dict[str, int] | None = None) -> None:
        """Positions of applied batches are gathered and marked at most every MARK_EVERY
        seconds (a mark is a read and a write of the shared store; per batch they cost the
        store more than the batch), and a heartbeat every HEARTBEAT seconds while idle."""
        if self.progress is None:
            return
        for source, position in (positions or {}).items():
            self._pending[source] = max(self._pending.get(source, 0), position)
        due = MARK_EVERY if self._pending else HEARTBEAT
        if time.monotonic() - self._beat < due:
            return
        self._beat = time.monotonic()
        pending, self._pending = self._pending, {}
        try:
            self.progress(pending, bool(pending), self._broker_error)
            self._broker_error = None
        except Exception:  # noqa: BLE001 - a mark is not worth stopping for
            log.warning("%s: progress mark failed", self.group, exc_info=True)
            for source, position in pending.items():  # marked with the next one
                self._pending[source] = max(self._pending.get(source, 0), position)

    def _measure(self, events: list[Event]) -> None:
        if not events:
            return
        by_source: dict[str, int] = {}
        for e in events:
            by_source[e.source] = max(by_source.get(e.source, 0), e.position)
        self._heartbeat(by_source)
        metrics.EVENTS_APPLIED.labels(self.group).inc(len(events))
        newest = events[-1]
        metrics.CONSUMER_POSITION.labels(self.group, newest.source).set(newest.position)
        metrics.CONSUMER_DELAY.labels(self.group).set(
            (datetime.now(UTC) - newest.time).total_seconds())

    def _on_error(self, err: KafkaError) -> None:
        if err.code() != KafkaError._PARTITION_EOF:
            log.warning("consumer %s: %s", self.group, err)
            self._broker_error = str(err)
