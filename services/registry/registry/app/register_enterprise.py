"""Use case: market supervision pushes enterprise registrations (one stream per USCC)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from registry.app.common import Handled, run
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
                        meta: CommitMeta, retries: int = 0) -> Handled:
    """Store one pushed record unless it is identical to the last one."""
    cmd = RegisterEnterprise(record, china_today(clock))
    return run(store, record.uscc, lambda state: decide_register(state, cmd), meta,
               retries=retries)


def push_one(index: int, record: EnterpriseRecord, *, store: EventStore, clock: Clock,
             meta: CommitMeta) -> PushResult:
    """One record; a concurrent writer is retried once, then reported as a conflict."""
    meta = dataclasses.replace(meta, command_id=f"{meta.command_id}#{index}")
    try:
        handled = register_enterprise(record, store=store, clock=clock, meta=meta, retries=1)
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
    """Each (index, record) on its own: one record's failure does not stop the others."""
    return [push_one(i, rec, store=store, clock=clock, meta=meta) for i, rec in records]
