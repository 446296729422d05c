"""The one command runner: load a stream, fold it, decide, append (optimistic), retry.

Every service's app layer runs its commands through run(); a service's own helpers only
bind an aggregate to its stream names. Idempotency stays where it was: a decide function
answers a repeated command with no events, and the HTTP layer replays Idempotency-Key
answers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from shared import metrics
from shared.authority import Scope
from shared.domain import Event, EventCatalog
from shared.envelope import Envelope, parse_ce_type
from shared.eventstore import CommitMeta, ConcurrencyConflict, EventStore, NewEvent, Stream

S = TypeVar("S")


@dataclass(frozen=True)
class Aggregate(Generic[S]):
    """A pure aggregate: its initial state, evolve(state, event) -> state, its event types.

    Stored events are upcast to their current version and typed (``events``) before evolve
    sees them; types the catalog does not list are skipped.
    """

    initial: Callable[[], S]
    evolve: Callable[[S, Any], S]
    events: EventCatalog

    def decode(self, env: Envelope) -> Event | None:
        _, name, version = parse_ce_type(env.type)
        return self.events.decode(name, version, env.data)

    def fold(self, state: S, envelopes: Sequence[Envelope]) -> S:
        for env in envelopes:
            event = self.decode(env)
            if event is not None:
                state = self.evolve(state, event)
        return state


@dataclass(frozen=True)
class Handled(Generic[S]):
    """What a command did: the state and version after it and the events it stored."""

    state: S
    version: int
    events: tuple[Event, ...]


@functools.lru_cache(maxsize=64)
def _appended(service: str) -> Any:
    """The service's appended-events counter (a labels() lookup per command cost as much as
    a tenth of deciding one)."""
    return metrics.EVENTS_APPENDED.labels(service)


def load_state(store: EventStore, agg: Aggregate[S], stream_id: str) -> tuple[S, int, int]:
    """Fold a stream into state; return (state, version, last position)."""
    stream = store.load(stream_id)
    return agg.fold(agg.initial(), stream.events), stream.version, stream.last_position


def to_new_event(event: Event) -> NewEvent:
    """What the store appends for one decided event (its current schema version)."""
    return NewEvent(event.event_name, event.to_data(), event.schema_version)


def run(store: EventStore, agg: Aggregate[S], stream_id: str,
        decide: Callable[[S], Sequence[Event]], meta: CommitMeta, service: str,
        expected_version: int | None = None, retries: int = 0,
        scope: Callable[[S], Scope] | None = None, absent: bool = False) -> Handled[S]:
    """Decide against the current state and append; ConcurrencyConflict if overtaken.

    ``absent``: the caller has just read that the stream has no event (a consumer asks
    once for a whole batch, EventStore.existing), so the first attempt decides on the
    initial state without reading it; if someone created the stream meanwhile the append
    conflicts and the command is decided again on the stream as read.

    ``scope(state)`` names what the command needs of its caller (owning department, the
    object's district, a duty); it is checked on the loaded state before anything is decided,
    so a caller out of scope learns nothing about the state (Forbidden, HTTP 403), and the
    region acted for is recorded in every stored event.

    With ``retries`` a command another writer overtook is decided again on the re-read
    stream (at most that many more times); never when the caller named the version it
    expects, since then the conflict is the caller's answer.
    """
    attempt = 0
    while True:
        try:
            return _run_once(store, agg, stream_id, decide, meta, service, expected_version,
                             scope, absent=absent and attempt == 0)
        except ConcurrencyConflict:
            attempt += 1
            if expected_version is not None or attempt > retries + int(absent):
                raise


def _run_once(store: EventStore, agg: Aggregate[S], stream_id: str,
              decide: Callable[[S], Sequence[Event]], meta: CommitMeta, service: str,
              expected_version: int | None,
              scope: Callable[[S], Scope] | None = None, absent: bool = False) -> Handled[S]:
    stream = Stream(stream_id) if absent else store.load(stream_id)
    state = agg.fold(agg.initial(), stream.events)
    if scope is not None:
        meta = meta.authorized(scope(state))
    version = stream.version
    if expected_version is not None and expected_version != version:
        raise ConcurrencyConflict(stream_id, expected_version, version)
    decided = tuple(decide(state))
    if not decided:
        return Handled(state, version, ())
    for event in decided:  # what a command stores, the aggregate must read back the same way
        if agg.events.types.get(event.event_name) is not type(event):
            raise TypeError(f"{type(event).__name__} is not in the aggregate's event catalog")
    store.append(stream_id, version, [to_new_event(e) for e in decided], meta,
                 last_position=stream.last_position)
    for event in decided:
        state = agg.evolve(state, event)
    _appended(service or "unknown").inc(len(decided))
    return Handled(state, version + len(decided), decided)

