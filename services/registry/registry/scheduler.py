"""Periodic unfiled check: ``python -m registry.scheduler [--once]``.

Several schedulers may run at once: the event store's optimistic concurrency lets only one
of them flag an institution, so UnfiledOperationSuspected is still raised once.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import uuid

from registry.app.check_unfiled import UnfiledReport, check_unfiled
from registry.app.common import SERVICE
from registry.config import check_interval_seconds, load_rules
from shared import mongo
from shared.clock import SystemClock
from shared.config import Settings
from shared.eventstore import CommitMeta, MongoEventStore
from shared.workdays import WorkCalendar

log = logging.getLogger("registry.scheduler")


def run_once(settings: Settings, store: MongoEventStore) -> UnfiledReport:
    """One check with the system clock, acting as the scheduler (not a person)."""
    meta = CommitMeta(command_id=str(uuid.uuid4()), actor_dept="system",
                      actor="registry.scheduler")
    report = check_unfiled(store=store, clock=SystemClock(), calendar=WorkCalendar(),
                           rules=load_rules(settings), meta=meta)
    log.info("unfiled check as of %s: %d checked, flagged %s", report.as_of, report.checked,
             report.flagged or "none")
    return report


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Flag enterprises operating in elderly care unfiled.")
    p.add_argument("--once", action="store_true", help="run one check and exit")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s registry-scheduler %(message)s")
    settings = Settings.from_env(SERVICE)
    interval = check_interval_seconds(settings)
    store = MongoEventStore(mongo.database(settings), SERVICE)
    store.ensure_indexes()
    if args.once:
        run_once(settings, store)
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.is_set():
        try:
            run_once(settings, store)
        except Exception:  # noqa: BLE001 - a failed run (e.g. MongoDB away) must not end the loop
            log.exception("unfiled check failed; retrying in %ss", interval)
        stop.wait(interval)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
