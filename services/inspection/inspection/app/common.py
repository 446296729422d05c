"""Aggregate wiring shared by the handlers: stream ids and domain-to-store events."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from inspection.domain import items, plan, roster, task
from inspection.domain.events import ITEM_EVENTS, PLAN_EVENTS, ROSTER_EVENTS, TASK_EVENTS
from shared import commands
from shared.authority import Forbidden, Scope, check
from shared.commands import Aggregate, Handled, load_state
from shared.domain import Event, uscc_district
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
        expected_version: int | None = None,
        scope: Callable[[S], Scope] | None = None) -> Handled[S]:
    """Load, decide and append; ConcurrencyConflict if another writer was faster; Forbidden
    unless the caller reaches ``scope(state)`` (checked before deciding)."""
    return commands.run(store, agg, stream, decide, meta, SERVICE, expected_version,
                        scope=scope)


district_of = uscc_district  # characters 3–8 of the USCC (shared/domain.py)


def plan_meta(meta: CommitMeta, departments: Sequence[str], districts: Sequence[str],
              duties: tuple[str, ...]) -> CommitMeta:
    """``meta`` authorized for a plan: a department of the plan, one of ``duties``, and
    regions covering every district the plan samples (none named: the whole country).
    Checked before anything is read for the command or written."""
    if meta.authority is not None:
        check(meta.authority, Scope(departments=tuple(departments), duties=duties))
        for district in districts[1:]:
            check(meta.authority, Scope(district=district))
    return meta.authorized(Scope(departments=tuple(departments), duties=duties,
                                 district=districts[0] if districts else None,
                                 national=not districts))


def drawn_inspector(meta: CommitMeta, inspectors: Sequence[str]) -> None:
    """Only an inspector drawn for the task (roster key <department>/<account>) records it."""
    if meta.authority is None:
        return
    key = f"{meta.authority.department}/{meta.authority.sub}"
    if key not in inspectors:
        raise Forbidden(f"只有抽中的检查人员可以办理此任务（本账号 {key} 不在检查组中）")


def current(store: EventStore, agg: Aggregate[S], stream: str) -> tuple[S, int]:
    """The folded state of a stream and its version (0: never written)."""
    state, version, _ = load_state(store, agg, stream)
    return state, version
