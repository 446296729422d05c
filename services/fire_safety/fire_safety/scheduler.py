"""Periodic overdue check: ``python -m fire_safety.scheduler [--once]``.

Seeds the default checklist template (through events) and then raises
RectificationOrderServiceOverdue, RectificationOverdue and ReinspectionOverdue. Several
schedulers may run at once: optimistic concurrency lets only one of them raise each event.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import uuid

from fire_safety.app.check_overdue import OverdueReport, check_overdue
from fire_safety.app.checklists import seed_default
from fire_safety.app.common import SERVICE
from fire_safety.app.inspections import Deps
from fire_safety.config import check_interval_seconds, load_rules
from shared import mongo
from shared.clock import SystemClock
from shared.config import Settings
from shared.eventstore import CommitMeta, MongoEventStore
from shared.workdays import WorkCalendar

log = logging.getLogger("fire_safety.scheduler")


def system_meta() -> CommitMeta:
    """The scheduler acts as the system, not as a person."""
    return CommitMeta(command_id=str(uuid.uuid4()), actor_dept="system",
                      actor="fire_safety.scheduler")


def run_once(deps: Deps) -> OverdueReport:
    """One check with the deps' clock."""
    report = check_overdue(deps=deps, meta=system_meta())
    log.info("overdue check as of %s: %d inspections, raised %s", report.as_of, report.checked,
             report.raised or "nothing")
    return report


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Raise overdue fire-safety rectification events.")
    p.add_argument("--once", action="store_true", help="run one check and exit")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s fire-safety-scheduler %(message)s")
    settings = Settings.from_env(SERVICE)
    store = MongoEventStore(mongo.database(settings), SERVICE)
    store.ensure_indexes()
    deps = Deps(store, SystemClock(), WorkCalendar(), load_rules(settings))
    interval = check_interval_seconds(settings)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    seeded = False
    while not stop.is_set():
        try:
            if not seeded:
                seed_default(store=store, clock=deps.clock, meta=system_meta())
                seeded = True
            run_once(deps)
        except Exception:  # noqa: BLE001 - a failed run (e.g. MongoDB away) must not end the loop
            log.exception("overdue check failed; retrying in %ss", interval)
        if args.once:
            break
        stop.wait(interval)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
