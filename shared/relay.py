"""Outbox relay: publishes stored commits to Kafka, then marks them published.

Crash safety: a commit is marked published only after the broker acknowledged every event
in it, so a relay killed at any point re-publishes at most the batch in flight (duplicates
only after a crash; consumers ignore them). Key = stream id keeps per-stream order.

One active relay per service: several may run (a standby beside the active one), but only
the holder of the service's relay lease (shared.lease) publishes, and it checks its fencing
token before every mark; a standby takes over within seconds of the active one dying.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from confluent_kafka import KafkaError, KafkaException, Producer

from shared import kafka, metrics
from shared import lease as leases
from shared.config import Settings
from shared.eventstore import Commit, EventStore

log = logging.getLogger(__name__)


class DeliveryFailed(RuntimeError):
    """The broker did not acknowledge every event of a batch."""


class Relay:
    """Follows the store's unpublished commits and produces them in position order.

    Invariants: a commit is marked published only after the broker acknowledged every event
    of the batch holding it; events of one stream go out in position order under one key, so
    they share a partition; a crash re-publishes at most the batch in flight.
    """

    def __init__(self, store: EventStore, topic: str,
                 producer_factory: Callable[[], Producer], batch: int = 2000,
                 check_broker: Callable[[], object] | None = None,
                 lease: leases.Lease | None = None) -> None:
        self.store, self.topic, self.batch = store, topic, batch
        self._factory = producer_factory
        self._check_broker = check_broker
        self._producer: Producer | None = None
        self.lease = lease
        self._token: int | None = None  # the lease token this relay publishes under

    def run_once(self) -> int:
        """Publish one batch and mark it; return how many events went out. With a lease,
        LeaseLost if it is no longer ours."""
        if self.lease is not None and self.lease.hold() != self._token:
            raise leases.LeaseLost(f"{self.lease.name}: token {self._token} no longer held")
        commits = self._read()
        if not commits:
            return 0
        self._publish(commits)
        return self._mark(commits)

    def drain(self) -> int:
        """Publish batch after batch until nothing is unpublished; return the events sent.

        Deliberately sequential (read, produce, flush, mark): on the embedded store the server
        is the bottleneck, and marking one batch on a thread while reading the next (leaving
        out the ids being marked) measured no faster, so the simpler loop with a one-batch
        crash window stays.
        """
        total = 0
        while sent := self.run_once():
            total += sent
        return total

    def _read(self) -> list[Commit]:
        commits = self.store.unpublished(self.batch)
        metrics.OUTBOX_BACKLOG.labels(self.topic).set(len(commits))
        return commits

    def _mark(self, commits: list[Commit]) -> int:
        """Only ever called after the broker acknowledged every event of ``commits``; with a
        lease, only while its fencing token is still the current one."""
        if self.lease is not None:
            self.lease.check(self._token or 0)
        self.store.mark_published([c.commit_id for c in commits])
        n = sum(len(c.events) for c in commits)
        metrics.EVENTS_PUBLISHED.labels(self.topic).inc(n)
        metrics.RELAY_POSITION.labels(self.topic).set(commits[-1].position)
        return n

    def _publish(self, commits: list[Commit]) -> None:
        """Produce every event and wait for the broker; DeliveryFailed if any was not acked."""
        producer = self._producer or self._factory()
        self._producer = producer
        errors: list[KafkaError] = []

        def on_delivery(err: KafkaError | None, _msg: object) -> None:
            if err is not None:
                errors.append(err)

        try:
            for commit in commits:
                for env in commit.events:
                    _produce(producer, self.topic, env.subject.encode(), env.value(),
                             env.headers(), on_delivery)
            remaining = producer.flush(20)
        except KafkaException as exc:
            remaining, errors = -1, [*errors, exc.args[0]]
        if remaining or errors:
            self._producer = None  # an idempotent producer never recovers from a broker restart
            raise DeliveryFailed(f"{remaining} undelivered, errors: {errors[:3]}")

    def run_forever(self, stop: threading.Event, idle_sleep: float = 0.02,
                    check_every: float = 10.0) -> None:
        """Relay until stopped; check now and then that the broker still has our topics."""
        next_check = time.monotonic() + check_every
        while not stop.is_set():
            if not self._active():
                stop.wait(self.lease.ttl / 3 if self.lease else idle_sleep)
                continue
            if self._check_broker and time.monotonic() >= next_check:
                self._safe_check()
                next_check = time.monotonic() + check_every
            try:
                sent = self.drain()
            except DeliveryFailed as exc:
                log.warning("relay delivery failed, will retry: %s", exc)
                stop.wait(1.0)
                self._safe_check()
                continue
            except leases.LeaseLost as exc:
                log.warning("relay lease lost, standing by: %s", exc)
                self._token = None
                continue
            if not sent:
                stop.wait(idle_sleep)
        if self.lease is not None:
            self.lease.release()

    def _active(self) -> bool:
        """Without a lease: always. With one: while we hold it; on taking it over, first
        make sure the broker still has what the last holder sent."""
        if self.lease is None:
            return True
        token = self.lease.hold()
        if token is None:
            self._token = None
            metrics.RELAY_ACTIVE.labels(self.topic).set(0)
            return False
        if token != self._token:
            self._token = token
            metrics.RELAY_ACTIVE.labels(self.topic).set(1)
            self._safe_check()
        return True

    def _safe_check(self) -> None:
        if self._check_broker is None:
            return
        try:
            self._check_broker()
        except Exception as exc:  # noqa: BLE001 - broker down: keep trying
            log.warning("broker check failed: %s", exc)


def _produce(producer: Producer, topic: str, key: bytes, value: bytes,
             headers: list[tuple[str, str | bytes | None]],
             on_delivery: Callable[[KafkaError | None, object], None]) -> None:
    """Queue one message; serve delivery reports only when the local queue is full."""
    while True:
        try:
            producer.produce(topic, key=key, value=value, headers=headers,
                             on_delivery=on_delivery)
            return
        except BufferError:
            producer.poll(0.05)


def marker_topic(service: str) -> str:
    """A topic only this service's relay creates; its absence means the broker forgot."""
    return f"eldercare.{service}.relay-epoch"


def resync_if_broker_forgot(settings: Settings, store: EventStore) -> int:
    """If the broker lost our marker topic, re-create topics and queue every commit again.

    The embedded broker keeps nothing on disk, so after its restart the event store is the
    only truth. The service topic itself is no evidence (a consumer or an auto-create may have
    made it again); the marker is created by nobody else. Consumers drop what they applied.
    """
    existing = kafka.existing_topics(settings.kafka_bootstrap)
    if marker_topic(settings.service) in existing:
        return 0
    kafka.ensure_topics(settings.kafka_bootstrap, [settings.topic], settings.topic_partitions)
    n = store.mark_all_unpublished()
    kafka.ensure_topics(settings.kafka_bootstrap, [marker_topic(settings.service)], 1)
    log.info("broker had no %s: %d commits queued for re-publishing", settings.topic, n)
    return n


def main(service: str) -> None:
    """Entry point of one service's relay process."""
    import signal

    from shared.eventstore import MongoEventStore
    from shared.mongo import database

    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s {service}-relay %(message)s")
    settings = Settings.from_env(service)
    store = MongoEventStore(database(settings), service)
    store.ensure_indexes()
    metrics.serve_from_env()  # the broker check runs when this relay takes the lease
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    lease = leases.for_service(store.db[leases.COLLECTION], service, "relay")
    relay = Relay(store, settings.topic, lambda: kafka.producer(settings.kafka_bootstrap),
                  check_broker=lambda: resync_if_broker_forgot(settings, store), lease=lease)
    log.info("relaying %s to %s", settings.database, settings.topic)
    relay.run_forever(stop)
