"""Periodic checks: ``python -m credit.scheduler [--once]``.

Several schedulers may run at once: optimistic concurrency lets only one of them write each
flag, so every overdue or expiry event is raised once.
"""

from __future__ import annotations

import logging
from typing import Any

from credit.app.checks import run_checks
from credit.app.common import SERVICE
from credit.bootstrap import build_context
from credit.config import load_rules
from shared import scheduler
from shared.config import Settings
from shared.eventstore import MongoEventStore

log = logging.getLogger("credit.scheduler")


def run_once(settings: Settings, store: MongoEventStore) -> dict[str, Any]:
    """One run with the system clock, acting as the scheduler (not a person)."""
    meta = scheduler.system_meta(SERVICE)
    report = run_checks(build_context(settings, store), meta)
    log.info("credit checks: %s", report)
    return report


def main(argv: list[str] | None = None) -> int:
    once = scheduler.parse_once("Credit checks: disclosures, listings, measures.", argv)
    settings, store = scheduler.open_store(SERVICE)
    interval = load_rules(settings).check_seconds
    return scheduler.run_periodically(lambda: run_once(settings, store), interval, once,
                                      lease=scheduler.lease_of(store))


if __name__ == "__main__":
    raise SystemExit(main())
