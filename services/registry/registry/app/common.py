"""The aggregate wiring shared by every handler: stream ids and domain-to-store events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from registry.domain import state as institution
from registry.domain.model import DomainEvent
from registry.domain.state import Institution
from shared.commands import Aggregate, execute
from shared.eventstore import CommitMeta, EventStore, NewEvent

SERVICE = "registry"
AGGREGATE: Aggregate[Institution] = Aggregate(initial=institution.initial,
                                              evolve=institution.evolve)
STREAM_PREFIX = "institution-"


def stream_id(uscc: str) -> str:
    return f"{STREAM_PREFIX}{uscc}"


def uscc_of(stream: str) -> str:
    return stream.removeprefix(STREAM_PREFIX)


@dataclass(frozen=True)
class Handled:
    """What a command did: the state and version after it and the events it stored."""

    state: Institution
    version: int
    events: tuple[DomainEvent, ...]


def run(store: EventStore, uscc: str, decide: Callable[[Institution], list[DomainEvent]],
        meta: CommitMeta, expected_version: int | None = None) -> Handled:
    """Load, decide and append on institution-<USCC>; ConcurrencyConflict if overtaken."""

    def decide_new(state: Institution) -> list[NewEvent]:
        return [NewEvent(e.name, e.data) for e in decide(state)]

    out = execute(store, AGGREGATE, stream_id(uscc), decide_new, meta,
                  expected_version=expected_version, service=SERVICE)
    events = tuple(DomainEvent(e.name, e.data) for e in out.events)
    return Handled(out.state, out.version, events)
