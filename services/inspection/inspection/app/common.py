"""Aggregate wiring shared by the handlers: stream ids and domain-to-store events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from inspection.domain import items, plan, roster, task
from inspection.domain.model import DomainEvent
from shared.commands import Aggregate, execute, load_state
from shared.eventstore import CommitMeta, EventStore, NewEvent

SERVICE = "inspection"
S = TypeVar("S")
PLAN: Aggregate[Any] = Aggregate(initial=plan.initial, evolve=plan.evolve)
TASK: Aggregate[Any] = Aggregate(initial=task.initial, evolve=task.evolve)
ROSTER: Aggregate[Any] = Aggregate(initial=roster.initial, evolve=roster.evolve)
ITEMS: Aggregate[Any] = Aggregate(initial=items.initial, evolve=items.evolve)


def plan_stream(plan_id: str) -> str:
    return f"plan-{plan_id}"


def task_stream(task_id: str) -> str:
    return f"task-{task_id}"


def roster_stream(department: str) -> str:
    return f"roster-{department}"


def items_stream(department: str) -> str:
    return f"items-{department}"


@dataclass(frozen=True)
class Handled(Generic[S]):
    """What a command did: the state and version after it and the events it stored."""

    state: S
    version: int
    events: tuple[DomainEvent, ...]


def run(store: EventStore, agg: Aggregate[S], stream: str,
        decide: Callable[[S], list[DomainEvent]], meta: CommitMeta,
        expected_version: int | None = None) -> Handled[S]:
    """Load, decide and append; ConcurrencyConflict if another writer was faster."""

    def decide_new(state: S) -> list[NewEvent]:
        return [NewEvent(e.name, e.data) for e in decide(state)]

    out = execute(store, agg, stream, decide_new, meta, expected_version=expected_version,
                  service=SERVICE)
    return Handled(out.state, out.version, tuple(DomainEvent(e.name, e.data)
                                                 for e in out.events))


def current(store: EventStore, agg: Aggregate[S], stream: str) -> tuple[S, int]:
    """The folded state of a stream and its version (0: never written)."""
    state, version, _ = load_state(store, agg, stream)
    return state, version
