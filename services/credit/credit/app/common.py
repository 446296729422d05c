"""The wiring every handler shares: the aggregates, their stream ids and the Context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from credit.domain import credit_file, listing_state, penalty
from credit.domain.model import DomainEvent
from credit.domain.ports import WorkCalendar
from credit.domain.rules import LevelRules, ListingRules, PenaltyRules
from shared import commands
from shared.clock import Clock, china_today
from shared.commands import Aggregate, Handled, load_state
from shared.eventstore import CommitMeta, ConcurrencyConflict, EventStore, NewEvent

SERVICE = "credit"
S = TypeVar("S")
T = TypeVar("T")
PENALTY: Aggregate[penalty.Penalty] = Aggregate(penalty.initial, penalty.evolve)
CREDIT_FILE: Aggregate[credit_file.CreditFile] = Aggregate(credit_file.initial,
                                                             credit_file.evolve)
DISHONESTY: Aggregate[listing_state.Dishonesty] = Aggregate(listing_state.initial,
                                                              listing_state.evolve)
# Events stored in a schema version other than v1 (older versions are upcast on replay).
SCHEMA_VERSIONS: dict[str, int] = {**penalty.SCHEMA_VERSIONS, **credit_file.SCHEMA_VERSIONS}


def penalty_stream(penalty_id: str) -> str:
    return f"penalty-{penalty_id}"


def file_stream(uscc: str) -> str:
    return f"credit-{uscc}"


def dishonesty_stream(uscc: str) -> str:
    return f"dishonesty-{uscc}"


@dataclass(frozen=True)
class Context:
    """Everything a handler needs, built once by bootstrap (tests pass fakes)."""

    store: EventStore
    clock: Clock
    calendar: WorkCalendar
    penalty_rules: PenaltyRules
    level_rules: LevelRules
    listing_rules: ListingRules
    id_salt: str

    def today(self) -> date:
        return china_today(self.clock)


def run(ctx: Context, agg: Aggregate[S], stream: str, decide: Callable[[S], list[DomainEvent]],
        meta: CommitMeta, expected_version: int | None = None) -> Handled[S]:
    """Load, decide and append on one stream; ConcurrencyConflict if overtaken.

    Like shared.commands.run, but each event is stored in its current schema version."""

    def decide_new(state: S) -> list[NewEvent]:
        return [NewEvent(e.name, e.data, SCHEMA_VERSIONS.get(e.name, 1)) for e in decide(state)]

    out = commands.execute(ctx.store, agg, stream, decide_new, meta, expected_version, SERVICE)
    return Handled(out.state, out.version, tuple(DomainEvent(e.name, e.data) for e in out.events))


def retrying(fn: Callable[[], T], attempts: int = 5) -> T:
    """Re-run a command another writer overtook (it re-reads the stream each time)."""
    for _ in range(attempts - 1):
        try:
            return fn()
        except ConcurrencyConflict:
            continue
    return fn()


def load(ctx: Context, agg: Aggregate[S], stream: str) -> tuple[S, int]:
    state, version, _ = load_state(ctx.store, agg, stream)
    return state, version
