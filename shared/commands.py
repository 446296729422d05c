"""Run one command against one stream: load, fold, decide, append (optimistic)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from shared import metrics
from shared.domain import DomainEvent
from shared.envelope import Envelope
from shared.eventstore import CommitMeta, ConcurrencyConflict, EventStore, NewEvent

S = TypeVar("S")


@dataclass(frozen=True)
class Aggregate(Generic[S]):
    """A pure aggregate: an initial state and evolve(state, event name, data) -> state."""

    initial: Callable[[], S]
    evolve: Callable[[S, str, dict[str, Any]], S]


@dataclass(frozen=True)
class Outcome(Generic[S]):
    stream_id: str
    version: int
    state: S
    events: list[Envelope]


def load_state(store: EventStore, agg: Aggregate[S], stream_id: str) -> tuple[S, int, int]:
    """Fold a stream into state; return (state, version, last position)."""
    stream = store.load(stream_id)
    state = agg.initial()
    for env in stream.events:
        state = agg.evolve(state, env.name, env.data)
    return state, stream.version, stream.last_position


def execute(store: EventStore, agg: Aggregate[S], stream_id: str,
            decide: Callable[[S], Sequence[NewEvent]], meta: CommitMeta,
            expected_version: int | None = None, service: str = "") -> Outcome[S]:
    """Decide against current state and append; ConcurrencyConflict if someone was faster."""
    state, version, last_position = load_state(store, agg, stream_id)
    if expected_version is not None and expected_version != version:
        raise ConcurrencyConflict(stream_id, expected_version, version)
    new = list(decide(state))
    envs = store.append(stream_id, version, new, meta, last_position=last_position)
    for env in envs:
        state = agg.evolve(state, env.name, env.data)
    metrics.EVENTS_APPENDED.labels(service or "unknown").inc(len(envs))
    return Outcome(stream_id, version + len(envs), state, envs)


@dataclass(frozen=True)
class Handled(Generic[S]):
    """What a command did: the state and version after it and the events it stored."""

    state: S
    version: int
    events: tuple[DomainEvent, ...]


def run(store: EventStore, agg: Aggregate[S], stream_id: str,
        decide: Callable[[S], Sequence[DomainEvent]], meta: CommitMeta, service: str,
        expected_version: int | None = None) -> Handled[S]:
    """execute() for domains that decide DomainEvents (the usual case)."""

    def decide_new(state: S) -> list[NewEvent]:
        return [NewEvent(e.name, e.data) for e in decide(state)]

    out = execute(store, agg, stream_id, decide_new, meta, expected_version, service)
    return Handled(out.state, out.version, tuple(DomainEvent(e.name, e.data) for e in out.events))
