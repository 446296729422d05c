"""The loop every service's scheduled checks run in: ``python -m <svc>.scheduler [--once]``.

Checks are idempotent decisions on event streams (optimistic concurrency lets only one of
several schedulers raise an event), so a failed or repeated run is harmless. Still, only one
scheduler of a service runs its checks at a time: the holder of the service's scheduler lease
(shared.lease); the others stand by and take over within seconds when it dies.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import time
import uuid
from collections.abc import Callable

from shared import heartbeat, mongo
from shared import lease as leases
from shared.config import Settings
from shared.eventstore import CommitMeta, MongoEventStore

log = logging.getLogger("scheduler")


def system_meta(service: str) -> CommitMeta:
    """A run of the service's scheduler acts as the system, not as a person."""
    return CommitMeta(command_id=str(uuid.uuid4()), actor_dept="system",
                      actor=f"{service}.scheduler")


def parse_once(description: str, argv: list[str] | None = None) -> bool:
    """The scheduler command line: only --once."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--once", action="store_true", help="run one check and exit")
    return bool(p.parse_args(argv).once)


def open_store(service: str) -> tuple[Settings, MongoEventStore]:
    """Settings from the environment and the service's own event store."""
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s {service}-scheduler %(message)s")
    settings = Settings.from_env(service)
    store = MongoEventStore(mongo.database(settings), service)
    store.ensure_indexes()
    return settings, store


def lease_of(store: MongoEventStore) -> leases.Lease:
    """The service's scheduler lease, in the service's own database."""
    return leases.for_service(store.db[leases.COLLECTION], store.service, "scheduler")


def run_periodically(check: Callable[[], object], interval: float, once: bool = False,
                     lease: leases.Lease | None = None) -> int:
    """Run ``check`` now and then every ``interval`` seconds until SIGTERM/SIGINT; with a
    ``lease``, only while holding it (a standby retries every third of the lease and, once
    it holds it, runs at once: a check run twice is harmless, one never run is not)."""
    if once:
        check()
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    loop = Periodic(check, interval, lease)
    while not stop.is_set():
        wait = loop.turn()
        heartbeat.beat()
        while wait > 0 and not stop.is_set():  # in slices: the health check sees us alive
            stop.wait(min(wait, 10.0))
            wait -= 10.0
            heartbeat.beat()
    if lease is not None:
        lease.release()
    return 0


class Periodic:
    """The scheduler's loop, one turn at a time (tests drive it without signals)."""

    def __init__(self, check: Callable[[], object], interval: float,
                 lease: leases.Lease | None = None, clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self.check, self.interval, self.lease, self.clock = check, interval, lease, clock
        self.due = 0.0
        self.runs = 0

    def turn(self) -> float:
        """Run the check if it is due and the lease (if any) is ours; the seconds to wait."""
        beat = self.lease.ttl / 3 if self.lease is not None else self.interval
        if self.lease is not None and self.lease.hold() is None:
            self.due = 0.0  # standby: run at once on taking over
            return beat
        if self.clock() >= self.due:
            try:
                if self.lease is not None:
                    self.lease.check(self.lease.token or 0)  # fencing, right before acting
                self.runs += 1
                self.check()
            except leases.LeaseLost as exc:
                log.warning("scheduler lease lost, standing by: %s", exc)
                return 0.0
            except Exception:  # noqa: BLE001 - a failed run (MongoDB away) must not end the loop
                log.exception("scheduled check failed; retrying in %ss", self.interval)
            self.due = self.clock() + self.interval
        return max(0.0, min(self.due - self.clock(), beat))
