"""Use case: change filed items (备案变更)."""

from __future__ import annotations

from typing import Any

from registry.app.common import Handled, filing_scope, run
from registry.domain.filing import ChangeFiling, decide_change
from registry.domain.state import Institution
from shared.authority import check
from shared.clock import Clock, china_today
from shared.eventstore import CommitMeta, EventStore


def change_filing(uscc: str, changes: dict[str, Any], *, store: EventStore, clock: Clock,
                  meta: CommitMeta, expected_version: int | None = None) -> Handled:
    """Apply a partial change; expected_version (If-Match) guards against lost updates."""
    cmd = ChangeFiling(uscc, dict(changes), china_today(clock))
    moved_to = changes.get("district_code")
    if moved_to and meta.authority is not None:
        # moving an institution needs both districts: the stored one (below) and this one
        check(meta.authority, filing_scope(Institution(), str(moved_to)))
    return run(store, uscc, lambda state: decide_change(state, cmd), meta,
               expected_version=expected_version, scope=filing_scope)
