"""Periodic re-assessment as rule windows pass: ``python -m risk.scheduler [--once]``."""

from __future__ import annotations

import logging

from risk.app.common import SERVICE, Deps, Report, reassess_all
from risk.bootstrap import build_deps
from shared import scheduler

log = logging.getLogger("risk.scheduler")


def run_once(d: Deps) -> Report:
    report = reassess_all(d, scheduler.system_meta(SERVICE))
    log.info("risk re-assessment as of %s: %d institutions, changed %s", report.as_of,
             report.checked, report.changed or "none")
    return report


def main(argv: list[str] | None = None) -> int:
    once = scheduler.parse_once("Re-assess institutions' risk as rule windows pass.", argv)
    settings, store = scheduler.open_store(SERVICE)
    d = build_deps(settings, store)
    return scheduler.run_periodically(lambda: run_once(d), d.rules.check_seconds, once,
                                      lease=scheduler.lease_of(store))


if __name__ == "__main__":
    raise SystemExit(main())
