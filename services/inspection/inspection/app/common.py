"""Aggregate wiring shared by the handlers: stream ids and domain-to-store events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from inspection.domain import items, plan, roster, task
from inspection.domain.model import DomainEvent
from shared import commands
from shared.commands import Aggregate, Handled, by_name, load_state
from shared.eventstore import CommitMeta, EventStore

SERVICE = "inspection"
S = TypeVar("S")
PLAN: Aggregate[Any] = Aggregate(initial=plan.initial, evolve=by_name(plan.evolve))
TASK: Aggregate[Any] = Aggregate(initial=task.initial, evolve=by_name(task.evolve))
ROSTER: Aggregate[Any] = Aggregate(initial=roster.initial, evolve=by_name(roster.evolve))
ITEMS: Aggregate[Any] = Aggregate(initial=items.initial, evolve=by_name(items.evolve))


def plan_stream(plan_id: str) -> str:
    return f"plan-{plan_id}"


def task_stream(task_id: str) -> str:
    return f"task-{task_id}"


def roster_stream(department: str) -> str:
    return f"roster-{department}"


def items_stream(department: str) -> str:
    return f"items-{department}"


def run(store: EventStore, agg: Aggregate[S], stream: str,
        decide: Callable[[S], list[DomainEvent]], meta: CommitMeta,
        expected_version: int | None = None) -> Handled[S]:
    """Load, decide and append; ConcurrencyConflict if another writer was faster."""
    return commands.run(store, agg, stream, decide, meta, SERVICE, expected_version)


def current(store: EventStore, agg: Aggregate[S], stream: str) -> tuple[S, int]:
    """The folded state of a stream and its version (0: never written)."""
    state, version, _ = load_state(store, agg, stream)
    return state, version
