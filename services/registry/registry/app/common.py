"""The aggregate wiring shared by every handler: stream ids and domain-to-store events."""

from __future__ import annotations

from collections.abc import Callable

from registry.domain import state as institution
from registry.domain.events import EVENTS, RegistryEvent
from registry.domain.state import Institution
from shared import commands
from shared.authority import WRITE_DUTIES, Scope
from shared.commands import Aggregate, Handled
from shared.eventstore import CommitMeta, EventStore

SERVICE = "registry"
AGGREGATE: Aggregate[Institution] = Aggregate(institution.initial, institution.evolve,
                                              EVENTS)
STREAM_PREFIX = "institution-"


def stream_id(uscc: str) -> str:
    return f"{STREAM_PREFIX}{uscc}"


def uscc_of(stream: str) -> str:
    return stream.removeprefix(STREAM_PREFIX)


# Filing, change and cancellation: civil affairs, by the clerk who prepares it or the leader
# who answers for it, for an institution in one of the account's regions.
FILING_SCOPE = Scope(departments=("civil_affairs",), duties=WRITE_DUTIES)


def filing_scope(state: Institution, district: str | None = None) -> Scope:
    """FILING_SCOPE for the institution's stored district (``district``, the command's, only
    where nothing is stored yet: a first filing)."""
    return Scope(departments=FILING_SCOPE.departments, duties=FILING_SCOPE.duties,
                 district=state.district_code or district)


def run(store: EventStore, uscc: str, decide: Callable[[Institution], list[RegistryEvent]],
        meta: CommitMeta, expected_version: int | None = None,
        retries: int = 0,
        scope: Callable[[Institution], Scope] | None = None,
        absent: bool = False) -> Handled[Institution]:
    """Load, decide and append on institution-<USCC>; ConcurrencyConflict if overtaken;
    Forbidden when the caller does not reach ``scope(state)``; ``absent``: the stream is
    known to have no event (shared.commands.run)."""
    return commands.run(store, AGGREGATE, stream_id(uscc), decide, meta, SERVICE,
                        expected_version, retries, scope=scope, absent=absent)
