"""Periodic overdue-refund check: ``python -m escrow.scheduler [--once]``.

Several schedulers may run at once: optimistic concurrency per institution stream lets only
one of them flag a contract, so RefundOverdue is raised once.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import uuid

from escrow.app.common import SERVICE
from escrow.app.refunds import OverdueReport, check_overdue
from escrow.config import check_interval_seconds
from shared import mongo
from shared.clock import Clock, SystemClock
from shared.config import Settings
from shared.eventstore import CommitMeta, EventStore, MongoEventStore

log = logging.getLogger("escrow.scheduler")


def run_once(store: EventStore, clock: Clock | None = None) -> OverdueReport:
    """One check (the clock is injectable for tests), acting as the scheduler, not a person."""
    meta = CommitMeta(command_id=str(uuid.uuid4()), actor_dept="system",
                      actor="escrow.scheduler")
    report = check_overdue(store=store, clock=clock or SystemClock(), meta=meta)
    log.info("overdue-refund check as of %s: %d institutions, flagged %s", report.as_of,
             report.checked, report.flagged or "none")
    return report


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Flag refunds not paid within the deadline.")
    p.add_argument("--once", action="store_true", help="run one check and exit")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s escrow-scheduler %(message)s")
    settings = Settings.from_env(SERVICE)
    interval = check_interval_seconds(settings)
    store = MongoEventStore(mongo.database(settings), SERVICE)
    store.ensure_indexes()
    if args.once:
        run_once(store)
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.is_set():
        try:
            run_once(store)
        except Exception:  # noqa: BLE001 - a failed run (e.g. MongoDB away) must not end the loop
            log.exception("overdue-refund check failed; retrying in %ss", interval)
        stop.wait(interval)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
