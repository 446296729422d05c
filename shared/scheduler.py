"""The loop every service's scheduled checks run in: ``python -m <svc>.scheduler [--once]``.

Checks are idempotent decisions on event streams (optimistic concurrency lets only one of
several schedulers raise an event), so a failed or repeated run is harmless.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import uuid
from collections.abc import Callable

from shared import mongo
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


def run_periodically(check: Callable[[], object], interval: float, once: bool = False) -> int:
    """Run ``check`` now and then every ``interval`` seconds until SIGTERM/SIGINT."""
    if once:
        check()
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.is_set():
        try:
            check()
        except Exception:  # noqa: BLE001 - a failed run (e.g. MongoDB away) must not end the loop
            log.exception("scheduled check failed; retrying in %ss", interval)
        stop.wait(interval)
    return 0
