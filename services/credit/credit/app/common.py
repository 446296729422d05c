"""The wiring every handler shares: the aggregates, their stream ids and the Context."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from credit.domain import credit_file, listing_state, penalty
from credit.domain.events import FILE_EVENTS, LISTING_EVENTS, PENALTY_EVENTS
from credit.domain.ports import WorkCalendar
from credit.domain.rules import LevelRules, ListingRules, PenaltyRules
from shared import commands
from shared.authority import Scope
from shared.clock import Clock, china_today
from shared.commands import Aggregate, Handled, load_state
from shared.domain import Event, uscc_district
from shared.eventstore import CommitMeta, EventStore

SERVICE = "credit"
S = TypeVar("S")
PENALTY: Aggregate[penalty.Penalty] = Aggregate(penalty.initial, penalty.evolve, PENALTY_EVENTS)
CREDIT_FILE: Aggregate[credit_file.CreditFile] = Aggregate(credit_file.initial,
                                                             credit_file.evolve, FILE_EVENTS)
DISHONESTY: Aggregate[listing_state.Dishonesty] = Aggregate(listing_state.initial,
                                                              listing_state.evolve,
                                                              LISTING_EVENTS)
RETRIES = 4  # a command another writer overtook is decided again on the new state, 4 times


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


def run(ctx: Context, agg: Aggregate[S], stream: str, decide: Callable[[S], Sequence[Event]],
        meta: CommitMeta, expected_version: int | None = None,
        retries: int = 0, scope: Callable[[S], Scope] | None = None,
        absent: bool = False) -> Handled[S]:
    """Load, decide and append on one stream; ConcurrencyConflict if overtaken (after
    ``retries`` more attempts on the re-read stream); Forbidden unless the caller reaches
    ``scope(state)`` (checked before deciding); ``absent``: see shared.commands.run."""
    return commands.run(ctx.store, agg, stream, decide, meta, SERVICE, expected_version,
                        retries, scope=scope, absent=absent)


district_of = uscc_district  # characters 3–8 of the USCC (shared/domain.py)


def load(ctx: Context, agg: Aggregate[S], stream: str) -> tuple[S, int]:
    state, version, _ = load_state(ctx.store, agg, stream)
    return state, version
