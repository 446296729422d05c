"""Periodic checks: ``python -m credit.scheduler [--once]``.

Several schedulers may run at once: optimistic concurrency lets only one of them write each
flag, so every overdue or expiry event is raised once.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import uuid
from typing import Any

from credit.app.checks import run_checks
from credit.app.common import SERVICE
from credit.bootstrap import build_context
from credit.config import check_interval_seconds
from shared import mongo
from shared.config import Settings
from shared.eventstore import CommitMeta, MongoEventStore

log = logging.getLogger("credit.scheduler")


def run_once(settings: Settings, store: MongoEventStore) -> dict[str, Any]:
    """One run with the system clock, acting as the scheduler (not a person)."""
    meta = CommitMeta(command_id=str(uuid.uuid4()), actor_dept="system",
                      actor="credit.scheduler")
    report = run_checks(build_context(settings, store), meta)
    log.info("credit checks: %s", report)
    return report


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Credit checks: disclosures, listings, measures.")
    p.add_argument("--once", action="store_true", help="run once and exit")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s credit-scheduler %(message)s")
    settings = Settings.from_env(SERVICE)
    store = MongoEventStore(mongo.database(settings), SERVICE)
    store.ensure_indexes()
    if args.once:
        run_once(settings, store)
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    interval = check_interval_seconds(settings)
    while not stop.is_set():
        try:
            run_once(settings, store)
        except Exception:  # noqa: BLE001 - a failed run (e.g. MongoDB away) must not end the loop
            log.exception("credit checks failed; retrying in %ss", interval)
        stop.wait(interval)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
