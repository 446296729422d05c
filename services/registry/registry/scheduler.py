"""Periodic unfiled check: ``python -m registry.scheduler [--once]``.

Several schedulers may run at once: the event store's optimistic concurrency lets only one
of them flag an institution, so UnfiledOperationSuspected is still raised once.
"""

from __future__ import annotations

import logging

from registry.app.check_unfiled import UnfiledReport, check_unfiled
from registry.app.common import SERVICE
from registry.config import load_rules
from shared import scheduler
from shared.clock import SystemClock
from shared.config import Settings
from shared.eventstore import MongoEventStore
from shared.workdays import WorkCalendar

log = logging.getLogger("registry.scheduler")


def run_once(settings: Settings, store: MongoEventStore) -> UnfiledReport:
    """One check with the system clock, acting as the scheduler (not a person)."""
    meta = scheduler.system_meta(SERVICE)
    report = check_unfiled(store=store, clock=SystemClock(), calendar=WorkCalendar(),
                           rules=load_rules(settings), meta=meta)
    log.info("unfiled check as of %s: %d checked, flagged %s", report.as_of, report.checked,
             report.flagged or "none")
    return report


def main(argv: list[str] | None = None) -> int:
    once = scheduler.parse_once("Flag enterprises operating in elderly care unfiled.", argv)
    settings, store = scheduler.open_store(SERVICE)
    interval = load_rules(settings).check_seconds
    return scheduler.run_periodically(lambda: run_once(settings, store), interval, once,
                                      lease=scheduler.lease_of(store))


if __name__ == "__main__":
    raise SystemExit(main())
