"""Outbox relay: publishes stored commits to Kafka, then marks them published.

Crash safety: a commit is marked published only after the broker acknowledged every event
in it, so a relay killed at any point re-publishes at most the batch in flight (duplicates
only after a crash; consumers ignore them). Key = stream id keeps per-stream order.

A commit the broker refuses (an event over the message size limit) is a poison commit: it
is parked with its reason (logged as an error, counted in relay_parked_commits), the later
commits of its stream are held back with it (never reordered, never skipped), every other
stream goes on, and ``python -m <service>.relay --release <commit id>`` lets it go once the
cause is fixed (``--parked`` lists them).

One active relay per service: several may run (a standby beside the active one), but only
the holder of the service's relay lease (shared.lease) publishes, and it checks its fencing
token before every mark; a standby takes over within seconds of the active one dying.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from confluent_kafka import KafkaError, KafkaException, Producer

from shared import heartbeat, kafka, metrics
from shared import lease as leases
from shared.config import Settings
from shared.eventstore import Commit, EventStore

log = logging.getLogger(__name__)


class DeliveryFailed(RuntimeError):
    """The broker did not acknowledge every event of a batch."""


IDLE_SLEEP, IDLE_MAX = 0.02, 0.2  # seconds between reads of an idle relay: first, most
# a message no retry will get through: the commit is parked, not retried
REFUSED = frozenset(getattr(KafkaError, name) for name in (
    "MSG_SIZE_TOO_LARGE", "_MSG_SIZE_TOO_LARGE", "RECORD_LIST_TOO_LARGE", "INVALID_RECORD")
    if hasattr(KafkaError, name))
# seconds a relay waits after a part-filled batch for more commits: as long as an idle relay's
# longest pause (IDLE_MAX), so a hop's worst wait is the same loaded or idle. Every produce of
# a part-filled batch makes its own record batch on each partition, and the embedded broker's
# cost per fetch grows with the record batches it stores: at 30 ms, 30,000 filings cost it
# 4.3 ms of CPU each, at 200 ms 1.3 (docs/bench.md)
LINGER = 0.2
LINGER_ENV = "RELAY_LINGER_MS"  # overrides LINGER for a relay process (milliseconds)
MARK_EVERY = 1.0  # seconds: at most this often a mark of the position published
HEARTBEAT = 5.0  # seconds between marks while idle
# a little below Kafka's default message.max.bytes (1 MiB) for the headers and batch overhead
DEFAULT_MAX_MESSAGE = 1_000_000


class Relay:
    """Follows the store's unpublished commits and produces them in position order.

    Invariants: a commit is marked published only after the broker acknowledged every event
    of the batch holding it; events of one stream go out in position order under one key, so
    they share a partition; a crash re-publishes at most the batch in flight.
    """

    def __init__(self, store: EventStore, topic: str,
                 producer_factory: Callable[[], Producer], batch: int = 2000,
                 check_broker: Callable[[], object] | None = None,
                 lease: leases.Lease | None = None,
                 max_message: int = DEFAULT_MAX_MESSAGE,
                 progress: Callable[[int | None], None] | None = None) -> None:
        """``progress(position)``: the relay's marks for health and the status page
        (shared.ops.record_relay), after each marked batch and every few seconds while
        idle (None)."""
        self.store, self.topic, self.batch = store, topic, batch
        self.progress = progress
        self._beat = 0.0
        self._unmarked: int | None = None  # the newest position published, not marked yet
        self.max_message = max_message
        self._factory = producer_factory
        self._check_broker = check_broker
        self._producer: Producer | None = None
        self.lease = lease
        self._token: int | None = None  # the lease token this relay publishes under

    def run_once(self) -> int:
        """Publish one batch and mark it; return how many events went out or were parked
        (refused by the broker). With a lease,
        LeaseLost if it is no longer ours."""
        if self.lease is not None and self.lease.hold() != self._token:
            raise leases.LeaseLost(f"{self.lease.name}: token {self._token} no longer held")
        commits = self._read()
        if not commits:
            return 0
        refused = self._publish(commits)
        set_aside = 0
        if refused:
            parked = self._park(commits, refused)
            set_aside = sum(len(c.events) for c in commits if c.commit_id in parked)
            commits = _before_refused(commits, refused)
        # parked events count as handled: draining goes on with the other streams
        return (self._mark(commits) if commits else 0) + set_aside

    def drain(self) -> int:
        """Publish batch after batch until nothing is unpublished; return the events sent.

        Deliberately sequential (read, produce, flush, mark): on the embedded store the server
        is the bottleneck, and marking one batch on a thread while reading the next (leaving
        out the ids being marked) measured no faster, so the simpler loop with a one-batch
        crash window stays.
        """
        total = 0
        while sent := self.run_once():
            heartbeat.beat()
            total += sent
        if total:
            self._mark_progress(None, now=True)
        return total

    def _read(self) -> list[Commit]:
        commits = self.store.unpublished(self.batch)
        metrics.OUTBOX_BACKLOG.labels(self.topic).set(len(commits))
        return commits

    def _park(self, commits: list[Commit], refused: dict[str, str]) -> set[str]:
        """Park the first refused commit of each stream; a later one of the same stream (both
        were sent in one batch) stays unpublished behind it, held back like the rest."""
        parked: set[str] = set()
        streams: set[str] = set()
        for c in commits:
            if c.commit_id in refused and c.stream_id not in streams:
                streams.add(c.stream_id)
                parked.add(c.commit_id)
                self.store.park(c.commit_id, c.stream_id, refused[c.commit_id])
                log.error("POISON commit %s parked (stream %s held back): %s; release with "
                          "--release %s once fixed", c.commit_id, c.stream_id,
                          refused[c.commit_id], c.commit_id)
        metrics.RELAY_PARKED.labels(self.topic).set(len(self.store.parked()))
        return parked

    def _mark(self, commits: list[Commit]) -> int:
        """Only ever called after the broker acknowledged every event of ``commits``; with a
        lease, only while its fencing token is still the current one."""
        if self.lease is not None:
            self.lease.check(self._token or 0)
        self.store.mark_published([c.commit_id for c in commits])
        n = sum(len(c.events) for c in commits)
        metrics.EVENTS_PUBLISHED.labels(self.topic).inc(n)
        metrics.RELAY_POSITION.labels(self.topic).set(commits[-1].position)
        self._mark_progress(commits[-1].position)
        return n

    def _mark_progress(self, position: int | None, now: bool = False) -> None:
        """Mark the newest position published at most every MARK_EVERY seconds (and when a
        drain ends, ``now``), and that the relay is alive every HEARTBEAT seconds while idle:
        a mark per batch cost the shared store as much as the batch's own marking."""
        if position is not None:
            self._unmarked = max(self._unmarked or 0, position)
        if self.progress is None:
            return
        since = time.monotonic() - self._beat
        if self._unmarked is None and since < HEARTBEAT:
            return
        if self._unmarked is not None and since < MARK_EVERY and not now:
            return
        self._beat = time.monotonic()
        marked, self._unmarked = self._unmarked, None
        try:
            self.progress(marked)
        except Exception:  # noqa: BLE001 - a mark is not worth stopping for
            log.warning("relay progress mark failed", exc_info=True)
            self._unmarked = marked  # marked with the next one

    def _publish(self, commits: list[Commit]) -> dict[str, str]:
        """Produce every event and wait for the broker: the commits it refused for good
        (commit id -> reason; their stream's later commits in the batch are not sent);
        DeliveryFailed if anything else was not acknowledged."""
        producer = self._producer or self._factory()
        self._producer = producer
        errors: list[KafkaError] = []
        refused: dict[str, str] = {}
        held: set[str] = set()

        def on_delivery_of(commit_id: str) -> Callable[[KafkaError | None, object], None]:
            def report(err: KafkaError | None, _msg: object) -> None:
                if err is None:
                    return
                if err.code() in REFUSED:
                    refused.setdefault(commit_id, f"broker refused: {err.str()}")
                else:
                    errors.append(err)
            return report

        try:
            for commit in commits:
                if commit.stream_id in held:
                    continue
                messages = [(env, env.value()) for env in commit.events]
                big = next(((e, v) for e, v in messages if len(v) > self.max_message), None)
                if big is not None:
                    refused[commit.commit_id] = (
                        f"event {big[0].id} ({big[0].name}) is {len(big[1])} bytes, over the "
                        f"{self.max_message}-byte message limit")
                    held.add(commit.stream_id)
                    continue
                report = on_delivery_of(commit.commit_id)
                try:
                    for env, value in messages:
                        _produce(producer, self.topic, env.subject.encode(), value,
                                 env.headers(), report)
                except KafkaException as exc:
                    if exc.args[0].code() not in REFUSED:
                        raise
                    refused[commit.commit_id] = f"producer refused: {exc.args[0].str()}"
                    held.add(commit.stream_id)
            remaining = producer.flush(20)
        except KafkaException as exc:
            remaining, errors = -1, [*errors, exc.args[0]]
        if remaining or errors:
            self._producer = None  # an idempotent producer never recovers from a broker restart
            raise DeliveryFailed(f"{remaining} undelivered, errors: {errors[:3]}")
        return refused

    def run_forever(self, stop: threading.Event, idle_sleep: float = IDLE_SLEEP,
                    check_every: float = 10.0, idle_max: float = IDLE_MAX,
                    linger: float = LINGER) -> None:
        """Relay until stopped; check now and then that the broker still has our topics.

        A full batch is followed by the next at once; after a part-filled one the relay
        waits ``linger`` seconds so that the commits arriving meanwhile go out together (a
        batch costs the store a read, a fencing check and a mark however small it is; under
        a steady stream of commands small batches cost more than the work). While nothing
        is unpublished the pause between reads doubles from ``idle_sleep`` up to
        ``idle_max`` and drops back after a read that found something: an idle relay costs
        the store a few reads a second, not fifty (ten services share one store).
        """
        next_check = time.monotonic() + check_every
        pause = idle_sleep
        while not stop.is_set():
            heartbeat.beat()
            if not self._active():
                stop.wait(self.lease.ttl / 3 if self.lease else idle_sleep)
                continue
            if self._check_broker and time.monotonic() >= next_check:
                self._safe_check()
                next_check = time.monotonic() + check_every
            try:
                sent = self.run_once()
            except DeliveryFailed as exc:
                log.warning("relay delivery failed, will retry: %s", exc)
                stop.wait(1.0)
                self._safe_check()
                continue
            except leases.LeaseLost as exc:
                log.warning("relay lease lost, standing by: %s", exc)
                self._token = None
                continue
            if sent:
                pause = idle_sleep
                if sent < self.batch:
                    stop.wait(linger)
            else:
                self._mark_progress(None, now=self._unmarked is not None)
                stop.wait(pause)
                pause = min(pause * 2, idle_max)
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


def _before_refused(commits: list[Commit], refused: dict[str, str]) -> list[Commit]:
    """The commits that may be marked: all but the refused ones and, in each stream with a
    refused commit, the ones after it (they wait for it, in order)."""
    stopped: set[str] = set()
    out = []
    for c in commits:
        if c.commit_id in refused:
            stopped.add(c.stream_id)
        if c.stream_id not in stopped:
            out.append(c)
    return out


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


def main(service: str, argv: list[str] | None = None) -> int:
    """Entry point of one service's relay process (``--parked``, ``--release ID``: the
    operator's commands for poison commits)."""
    import argparse
    import json
    import signal

    from shared import ops
    from shared.eventstore import MongoEventStore
    from shared.mongo import database

    cli = argparse.ArgumentParser(prog=f"python -m {service}.relay",
                                  description=f"Outbox relay of {service}: event store -> Kafka")
    cli.add_argument("--parked", action="store_true", help="list the parked (poison) commits")
    cli.add_argument("--release", metavar="COMMIT_ID",
                     help="release a parked commit: it and its stream are published again")
    args = cli.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s {service}-relay %(message)s")
    settings = Settings.from_env(service)
    store = MongoEventStore(database(settings), service)
    if args.parked:
        for p in store.parked():
            print(json.dumps({k: p[k] for k in ("_id", "stream_id", "reason")},
                             ensure_ascii=False))
        return 0
    if args.release:
        if not store.release(args.release):
            print(f"no parked commit {args.release}")
            return 1
        print(f"released {args.release}: the active relay publishes it and its stream now")
        return 0
    store.ensure_indexes()
    metrics.serve_from_env()  # the broker check runs when this relay takes the lease
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    lease = leases.for_service(store.db[leases.COLLECTION], service, "relay")
    relay = Relay(store, settings.topic, lambda: kafka.producer(settings.kafka_bootstrap),
                  check_broker=lambda: resync_if_broker_forgot(settings, store), lease=lease,
                  progress=lambda position: ops.record_relay(store.db, service, position,
                                                             lease.holder))
    log.info("relaying %s to %s", settings.database, settings.topic)
    relay.run_forever(stop, linger=linger_from_env())
    return 0


def linger_from_env(env: dict[str, str] | None = None) -> float:
    """RELAY_LINGER_MS as seconds (LINGER when unset): a longer linger sends more records per
    broker batch at the cost of that much more latency per hop. ValueError names the
    variable when it is not a number from 0 to 5000."""
    raw = (os.environ if env is None else env).get(LINGER_ENV, "").strip()
    if not raw:
        return LINGER
    try:
        ms = float(raw)
    except ValueError:
        raise ValueError(f"{LINGER_ENV}={raw!r} is not a number of milliseconds") from None
    if not 0 <= ms <= 5000:
        raise ValueError(f"{LINGER_ENV}={raw!r} is outside 0..5000 milliseconds")
    return ms / 1000
