"""Use case: the scheduled check for enterprises operating in elderly care without filing."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from registry.app.common import run, uscc_of
from registry.domain.ports import WorkCalendar
from registry.domain.registration import CheckUnfiled, decide_check_unfiled
from registry.domain.rules import Rules
from shared.authority import LEADER, Scope
from shared.clock import Clock, china_today
from shared.eventstore import CommitMeta, ConcurrencyConflict, EventStore

log = logging.getLogger(__name__)
CHECK_SCOPE = Scope(departments=("civil_affairs",), duties=(LEADER,), national=True)


@dataclass(frozen=True)
class UnfiledReport:
    """What one run looked at and which USCCs it flagged."""

    as_of: date
    checked: int
    flagged: list[str]


def check_unfiled(*, store: EventStore, clock: Clock, calendar: WorkCalendar, rules: Rules,
                  meta: CommitMeta) -> UnfiledReport:
    """Fold every pushed enterprise's stream and flag those past the grace period, once."""
    # the check flags enterprises in every district: a national civil-affairs leader's call
    # (the scheduler runs as the service itself and passes)
    meta = meta.authorized(CHECK_SCOPE)
    cmd = CheckUnfiled(china_today(clock), rules.unfiled_grace_workdays)
    streams = store.streams_with("EnterpriseRegistrationReceived")
    flagged = []
    for stream in streams:
        uscc = uscc_of(stream)
        try:
            handled = run(store, uscc, lambda s: decide_check_unfiled(s, cmd, calendar), meta)
        except ConcurrencyConflict:
            # another writer (or checker) was faster; the next run decides on the new state
            log.info("unfiled check skipped %s: stream changed meanwhile", uscc)
            continue
        if handled.events:
            flagged.append(uscc)
    return UnfiledReport(cmd.today, len(streams), flagged)
