"""Aggregate wiring shared by the handlers: stream ids and domain-to-store events."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from inspection.domain import items, plan, roster, task
from inspection.domain.events import ITEM_EVENTS, PLAN_EVENTS, ROSTER_EVENTS, TASK_EVENTS
from shared import commands
from shared.commands import Aggregate, Handled, load_state
from shared.domain import Event
from shared.eventstore import CommitMeta, EventStore

SERVICE = "inspection"
S = TypeVar("S")
PLAN: Aggregate[plan.Plan] = Aggregate(plan.initial, plan.evolve, PLAN_EVENTS)
TASK: Aggregate[task.Task] = Aggregate(task.initial, task.evolve, TASK_EVENTS)
ROSTER: Aggregate[roster.Roster] = Aggregate(roster.initial, roster.evolve, ROSTER_EVENTS)
ITEMS: Aggregate[items.ItemList] = Aggregate(items.initial, items.evolve, ITEM_EVENTS)


def plan_stream(plan_id: str) -> str:
    return f"plan-{plan_id}"


def task_stream(task_id: str) -> str:
    return f"task-{task_id}"


def roster_stream(department: str) -> str:
    return f"roster-{department}"


def items_stream(department: str) -> str:
    return f"items-{department}"


def run(store: EventStore, agg: Aggregate[S], stream: str,
        decide: Callable[[S], Sequence[Event]], meta: CommitMeta,
        expected_version: int | None = None) -> Handled[S]:
    """Load, decide and append; ConcurrencyConflict if another writer was faster."""
    return commands.run(store, agg, stream, decide, meta, SERVICE, expected_version)


def current(store: EventStore, agg: Aggregate[S], stream: str) -> tuple[S, int]:
    """The folded state of a stream and its version (0: never written)."""
    state, version, _ = load_state(store, agg, stream)
    return state, version
