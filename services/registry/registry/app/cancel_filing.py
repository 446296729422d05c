"""Use case: cancel a filing (备案注销)."""

from __future__ import annotations

from registry.app.common import Handled, filing_scope, run
from registry.domain.filing import CancelFiling, decide_cancel
from shared.clock import Clock, china_today
from shared.eventstore import CommitMeta, EventStore


def cancel_filing(uscc: str, reason: str, *, store: EventStore, clock: Clock,
                  meta: CommitMeta) -> Handled:
    """Cancel once; the same request again changes nothing."""
    cmd = CancelFiling(uscc, reason, china_today(clock))
    return run(store, uscc, lambda state: decide_cancel(state, cmd), meta, scope=filing_scope)
