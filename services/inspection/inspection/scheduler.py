"""Periodic publication-deadline check: ``python -m inspection.scheduler [--once]``.

Also hands out any task a crashed draw left unassigned. Several schedulers may run at once:
optimistic concurrency lets only one of them raise PublicationOverdue for a task.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import uuid

from inspection.app.common import SERVICE
from inspection.app.plans import all_plans, ensure_tasks
from inspection.app.tasks import OverdueReport, check_overdue
from inspection.config import check_interval_seconds
from shared import mongo
from shared.clock import SystemClock
from shared.config import Settings
from shared.eventstore import CommitMeta, MongoEventStore
from shared.workdays import WorkCalendar

log = logging.getLogger("inspection.scheduler")


def run_once(store: MongoEventStore) -> OverdueReport:
    """One pass with the system clock, acting as the scheduler (not a person)."""
    meta = CommitMeta(command_id=str(uuid.uuid4()), actor_dept="system",
                      actor="inspection.scheduler")
    repaired = sum(ensure_tasks(p, store=store, meta=meta) for p in all_plans(store) if p.drawn)
    report = check_overdue(store=store, clock=SystemClock(), calendar=WorkCalendar(), meta=meta)
    log.info("overdue check as of %s: %d recorded results, flagged %s; %d tasks repaired",
             report.as_of, report.checked, report.flagged or "none", repaired)
    return report


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Flag inspection results published too late.")
    p.add_argument("--once", action="store_true", help="run one check and exit")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s inspection-scheduler %(message)s")
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
            log.exception("overdue check failed; retrying in %ss", interval)
        stop.wait(interval)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
