"""Periodic deadline check: ``python -m complaints.scheduler [--once]``.

Flags every department's acceptance or reply deadline that has passed (ComplaintOverdue, once
per track and stage); optimistic concurrency per complaint keeps a second scheduler from
flagging twice, and the lease keeps one of them active at a time.
"""

from __future__ import annotations

import logging

from complaints.app.common import SERVICE, Deps
from complaints.app.complaints import OverdueReport, check_overdue
from complaints.bootstrap import build_deps
from shared import scheduler

log = logging.getLogger("complaints.scheduler")


def run_once(d: Deps) -> OverdueReport:
    report = check_overdue(d, scheduler.system_meta(SERVICE))
    log.info("complaint deadline check as of %s: %d complaints, flagged %s", report.as_of,
             report.checked, report.flagged or "none")
    return report


def main(argv: list[str] | None = None) -> int:
    once = scheduler.parse_once("Flag complaint deadlines that have passed.", argv)
    settings, store = scheduler.open_store(SERVICE)
    d = build_deps(settings, store)
    return scheduler.run_periodically(lambda: run_once(d), d.rules.check_seconds, once,
                                      lease=scheduler.lease_of(store))


if __name__ == "__main__":
    raise SystemExit(main())
