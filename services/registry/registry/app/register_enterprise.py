"""Use case: market supervision pushes enterprise registrations (one stream per USCC)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from registry.app.common import Handled, run, stream_id
from registry.domain.events import EnterpriseRegistrationReceived
from registry.domain.model import EnterpriseRecord
from registry.domain.registration import RegisterEnterprise, decide_register
from shared.clock import Clock, china_today
from shared.eventstore import CommitMeta, ConcurrencyConflict, EventStore


@dataclass(frozen=True)
class PushResult:
    """Outcome of one record: created, changed, unchanged or conflict."""

    index: int
    uscc: str
    outcome: str
    version: int | None


def register_enterprise(record: EnterpriseRecord, *, store: EventStore, clock: Clock,
                        meta: CommitMeta, retries: int = 0, absent: bool = False) -> Handled:
    """Store one pushed record unless it is identical to the last one (``absent``: its
    stream is known to be new, so it is not read first)."""
    cmd = RegisterEnterprise(record, china_today(clock))
    return run(store, record.uscc, lambda state: decide_register(state, cmd), meta,
               retries=retries, absent=absent)


def push_one(index: int, record: EnterpriseRecord, *, store: EventStore, clock: Clock,
             meta: CommitMeta, absent: bool = False) -> PushResult:
    """One record; a concurrent writer is retried once, then reported as a conflict."""
    meta = dataclasses.replace(meta, command_id=f"{meta.command_id}#{index}")
    try:
        handled = register_enterprise(record, store=store, clock=clock, meta=meta, retries=1,
                                      absent=absent)
    except ConcurrencyConflict:
        return PushResult(index, record.uscc, "conflict", None)
    if not handled.events:
        outcome = "unchanged"
    elif isinstance(handled.events[0], EnterpriseRegistrationReceived):
        outcome = "created"
    else:
        outcome = "changed"
    return PushResult(index, record.uscc, outcome, handled.version)


def push_registrations(records: Sequence[tuple[int, EnterpriseRecord]], *, store: EventStore,
                       clock: Clock, meta: CommitMeta) -> list[PushResult]:
    """Each (index, record) on its own: one record's failure does not stop the others. One
    read tells which enterprises are new, so a new one's empty stream is not read."""
    known = store.existing([stream_id(rec.uscc) for _, rec in records])
    return [push_one(i, rec, store=store, clock=clock, meta=meta,
                     absent=stream_id(rec.uscc) not in known) for i, rec in records]
