"""Outbox relay: publishes stored commits to Kafka, then marks them published.

Crash safety: a commit is marked published only after the broker acknowledged every event
in it, so a relay killed at any point re-publishes at most the batch in flight (duplicates
only after a crash; consumers ignore them). Key = stream id keeps per-stream order.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from confluent_kafka import KafkaError, Producer

from shared import kafka, metrics
from shared.config import Settings
from shared.eventstore import Commit, EventStore

log = logging.getLogger(__name__)


class DeliveryFailed(RuntimeError):
    """The broker did not acknowledge every event of a batch."""


class Relay:
    """Follows the store's unpublished commits and produces them in position order."""

    def __init__(self, store: EventStore, topic: str,
                 producer_factory: Callable[[], Producer], batch: int = 500) -> None:
        self.store, self.topic, self.batch = store, topic, batch
        self._factory = producer_factory
        self._producer: Producer | None = None

    def run_once(self) -> int:
        """Publish one batch; return how many events went out."""
        commits = self.store.unpublished(self.batch)
        if not commits:
            return 0
        try:
            self._publish(commits)
        except DeliveryFailed:
            self._producer = None  # an idempotent producer never recovers from a broker restart
            raise
        self.store.mark_published([c.commit_id for c in commits])
        n = sum(len(c.events) for c in commits)
        metrics.EVENTS_PUBLISHED.labels(self.topic).inc(n)
        return n

    def _publish(self, commits: list[Commit]) -> None:
        producer = self._producer or self._factory()
        self._producer = producer
        errors: list[KafkaError] = []

        def on_delivery(err: KafkaError | None, _msg: object) -> None:
            if err is not None:
                errors.append(err)

        for commit in commits:
            for env in commit.events:
                producer.produce(self.topic, key=env.subject.encode(), value=env.value(),
                                 headers=env.headers(), on_delivery=on_delivery)
                producer.poll(0)
        remaining = producer.flush(20)
        if remaining or errors:
            raise DeliveryFailed(f"{remaining} undelivered, errors: {errors[:3]}")

    def run_forever(self, stop: threading.Event, idle_sleep: float = 0.02) -> None:
        while not stop.is_set():
            try:
                sent = self.run_once()
            except DeliveryFailed as exc:
                log.warning("relay delivery failed, will retry: %s", exc)
                stop.wait(1.0)
                continue
            if not sent:
                stop.wait(idle_sleep)


def resync_if_broker_forgot(settings: Settings, store: EventStore) -> int:
    """Create the topic if missing; if it had to be created, re-publish everything.

    The embedded broker keeps nothing on disk, so after its restart the event store is the
    only truth: every commit is queued again (consumers drop what they have applied).
    """
    created = kafka.ensure_topics(settings.kafka_bootstrap, [settings.topic],
                                  settings.topic_partitions)
    if settings.topic in created:
        n = store.mark_all_unpublished()
        log.info("topic %s was new: %d commits queued for re-publishing", settings.topic, n)
        return n
    return 0


def main(service: str) -> None:
    """Entry point of one service's relay process."""
    import signal

    from shared.eventstore import MongoEventStore
    from shared.mongo import database

    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s {service}-relay %(message)s")
    settings = Settings.from_env(service)
    store = MongoEventStore(database(settings), service)
    store.ensure_indexes()
    resync_if_broker_forgot(settings, store)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    relay = Relay(store, settings.topic, lambda: kafka.producer(settings.kafka_bootstrap))
    log.info("relaying %s to %s", settings.database, settings.topic)
    relay.run_forever(stop)
