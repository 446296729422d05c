"""Periodic overdue-refund check: ``python -m escrow.scheduler [--once]``.

Several schedulers may run at once: optimistic concurrency per institution stream lets only
one of them flag a contract, so RefundOverdue is raised once.
"""

from __future__ import annotations

import logging

from escrow.app.common import SERVICE
from escrow.app.refunds import OverdueReport, check_overdue
from escrow.config import load_rules
from shared import scheduler
from shared.clock import Clock, SystemClock
from shared.eventstore import EventStore

log = logging.getLogger("escrow.scheduler")


def run_once(store: EventStore, clock: Clock | None = None) -> OverdueReport:
    """One check (the clock is injectable for tests), acting as the scheduler, not a person."""
    meta = scheduler.system_meta(SERVICE)
    report = check_overdue(store=store, clock=clock or SystemClock(), meta=meta)
    log.info("overdue-refund check as of %s: %d institutions, flagged %s", report.as_of,
             report.checked, report.flagged or "none")
    return report


def main(argv: list[str] | None = None) -> int:
    once = scheduler.parse_once("Flag refunds not paid within the deadline.", argv)
    settings, store = scheduler.open_store(SERVICE)
    interval = load_rules(settings).check_seconds
    return scheduler.run_periodically(lambda: run_once(store), interval, once,
                                      lease=scheduler.lease_of(store))


if __name__ == "__main__":
    raise SystemExit(main())
