"""Periodic overdue check: ``python -m fire_safety.scheduler [--once]``.

Seeds the default checklist template (through events) and then raises
RectificationOrderServiceOverdue, RectificationOverdue and ReinspectionOverdue. Several
schedulers may run at once: optimistic concurrency lets only one of them raise each event.
"""

from __future__ import annotations

import logging

from fire_safety.app.check_overdue import OverdueReport, check_overdue
from fire_safety.app.checklists import seed_default
from fire_safety.app.common import SERVICE
from fire_safety.app.inspections import Deps
from fire_safety.config import load_rules
from shared import scheduler
from shared.clock import SystemClock
from shared.workdays import WorkCalendar

log = logging.getLogger("fire_safety.scheduler")


def run_once(deps: Deps) -> OverdueReport:
    """One check with the deps' clock."""
    report = check_overdue(deps=deps, meta=scheduler.system_meta(SERVICE))
    log.info("overdue check as of %s: %d inspections, raised %s", report.as_of, report.checked,
             report.raised or "nothing")
    return report


def main(argv: list[str] | None = None) -> int:
    once = scheduler.parse_once("Raise overdue fire-safety rectification events.", argv)
    settings, store = scheduler.open_store(SERVICE)
    deps = Deps(store, SystemClock(), WorkCalendar(), load_rules(settings))
    seeded: list[bool] = []

    def check() -> None:
        if not seeded:  # the default checklist template, once per process
            seed_default(store=store, clock=deps.clock, meta=scheduler.system_meta(SERVICE))
            seeded.append(True)
        run_once(deps)

    return scheduler.run_periodically(check, deps.rules.check_seconds, once,
                                      lease=scheduler.lease_of(store))


if __name__ == "__main__":
    raise SystemExit(main())
