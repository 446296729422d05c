"""Use case: the scheduled check that raises overdue events (time from the injected clock)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from fire_safety.app.common import INSPECTION_PREFIX, run
from fire_safety.app.inspections import Deps
from fire_safety.domain.overdue import CheckOverdue, decide_check
from shared.authority import LEADER, Scope
from shared.clock import china_today
from shared.eventstore import CommitMeta, ConcurrencyConflict

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OverdueReport:
    """What one run looked at and which events it raised."""

    as_of: date
    checked: int
    raised: list[dict[str, str]]


def check_overdue(*, deps: Deps, meta: CommitMeta) -> OverdueReport:
    """Fold every inspection that found hazards and raise what became overdue, once. It
    runs over every district: a national fire-rescue leader's call (the scheduler passes)."""
    meta = meta.authorized(Scope(departments=("fire_rescue",), duties=(LEADER,),
                                 national=True))
    cmd = CheckOverdue(china_today(deps.clock))
    streams = deps.store.streams_with("FireHazardIdentified")
    raised: list[dict[str, str]] = []
    for stream in streams:
        inspection_id = stream.removeprefix(INSPECTION_PREFIX)
        try:
            handled = run(deps.store, inspection_id,
                          lambda s: decide_check(s, cmd, deps.calendar), meta)
        except ConcurrencyConflict:
            # someone wrote meanwhile; the next run decides on the new state
            log.info("overdue check skipped %s: stream changed meanwhile", inspection_id)
            continue
        raised += [{"event": e.event_name, "hazard_id": e.hazard_id} for e in handled.events]
    return OverdueReport(cmd.today, len(streams), raised)
