"""Periodic publication-deadline check: ``python -m inspection.scheduler [--once]``.

Also hands out any task a crashed draw left unassigned. Several schedulers may run at once:
optimistic concurrency lets only one of them raise PublicationOverdue for a task.
"""

from __future__ import annotations

import logging

from inspection.app.common import SERVICE
from inspection.app.plans import all_plans, ensure_tasks
from inspection.app.tasks import OverdueReport, check_overdue
from inspection.config import load_rules
from inspection.domain.rules import Rules
from shared import scheduler
from shared.clock import SystemClock
from shared.eventstore import MongoEventStore
from shared.workdays import WorkCalendar

log = logging.getLogger("inspection.scheduler")


def run_once(store: MongoEventStore, rules: Rules | None = None) -> OverdueReport:
    """One pass with the system clock, acting as the scheduler (not a person)."""
    meta = scheduler.system_meta(SERVICE)
    repaired = sum(ensure_tasks(p, store=store, meta=meta) for p in all_plans(store) if p.drawn)
    report = check_overdue(store=store, clock=SystemClock(), calendar=WorkCalendar(), meta=meta,
                           rules=rules)
    log.info("overdue check as of %s: %d inspections, flagged %s; %d ended plans, unfinished "
             "%s; %d tasks repaired", report.as_of, report.checked, report.flagged or "none",
             report.plans_ended, report.unfinished or "none", repaired)
    return report


def main(argv: list[str] | None = None) -> int:
    once = scheduler.parse_once("Flag inspection results published too late and drawn "
                                "tasks left undone by the plan's end date.", argv)
    settings, store = scheduler.open_store(SERVICE)
    rules = load_rules(settings)
    return scheduler.run_periodically(lambda: run_once(store, rules), rules.check_seconds, once,
                                      lease=scheduler.lease_of(store))


if __name__ == "__main__":
    raise SystemExit(main())
