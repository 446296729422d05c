"""Use cases of inspection tasks: visit, result, publication and the overdue check."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from inspection.app.common import (
    TASK,
    Handled,
    current,
    district_of,
    drawn_inspector,
    run,
    task_stream,
)
from inspection.app.plans import all_plans
from inspection.domain import task as tasks
from inspection.domain.errors import NotFound
from inspection.domain.ports import WorkCalendar
from inspection.domain.rules import Rules
from inspection.domain.task import Task
from shared.authority import INSPECTOR, LEADER, WRITE_DUTIES, Scope
from shared.clock import Clock, china_today
from shared.eventstore import CommitMeta, ConcurrencyConflict, EventStore

log = logging.getLogger(__name__)


def get_task(task_id: str, store: EventStore) -> tuple[Task, int]:
    state, version = current(store, TASK, task_stream(task_id))
    if version == 0:
        raise NotFound(f"没有编号为 {task_id} 的检查任务")
    return state, version


def task_scope(state: Task, duties: tuple[str, ...]) -> Scope:
    """A task's departments, the institution's district and one of ``duties``."""
    a = state.assignment
    return Scope(departments=a.departments if a else None,
                 district=district_of(a.uscc) if a else None, duties=duties)


def _by_drawn(meta: CommitMeta, decide: Callable[[Task], list[Any]]) -> Callable[[Task], list[Any]]:
    def checked(state: Task) -> list[Any]:
        if state.assignment is not None:
            drawn_inspector(meta, state.assignment.inspectors)
        return decide(state)

    return checked


def mark_inspected(task_id: str, on: date, *, store: EventStore, clock: Clock,
                   meta: CommitMeta) -> Handled[Task]:
    """The visit took place: recorded by an inspector drawn for the task."""
    return run(store, TASK, task_stream(task_id), _by_drawn(
        meta, lambda s: tasks.decide_inspected(s, task_id, on, china_today(clock))), meta,
        scope=lambda s: task_scope(s, (INSPECTOR,)))


def record_result(task_id: str, result: dict[str, Any], *, store: EventStore, clock: Clock,
                  calendar: WorkCalendar, rules: Rules, meta: CommitMeta) -> Handled[Task]:
    """Record per-item outcomes, findings and follow-up; the publication deadline is
    inspected_on + N working days, whatever day this is."""
    return run(store, TASK, task_stream(task_id), _by_drawn(meta, lambda s: tasks.decide_record(
        s, task_id, result, china_today(clock), calendar, rules)), meta,
        scope=lambda s: task_scope(s, (INSPECTOR,)))


def publish_result(task_id: str, *, store: EventStore, clock: Clock,
                   meta: CommitMeta) -> Handled[Task]:
    return run(store, TASK, task_stream(task_id),
               lambda s: tasks.decide_publish(s, task_id, china_today(clock)), meta,
               scope=lambda s: task_scope(s, WRITE_DUTIES))


def cancel_task(task_id: str, reason: str, department: str, *, store: EventStore,
                clock: Clock, meta: CommitMeta) -> Handled[Task]:
    return run(store, TASK, task_stream(task_id), lambda s: tasks.decide_cancel(
        s, task_id, reason, department, china_today(clock)), meta,
        scope=lambda s: task_scope(s, (LEADER,)))


@dataclass(frozen=True)
class OverdueReport:
    """What one check looked at and which tasks it flagged."""

    as_of: date
    checked: int
    flagged: list[str]  # PublicationOverdue raised now
    plans_ended: int = 0
    unfinished: list[str] = field(default_factory=list)  # InspectionTaskOverdue raised now


def check_overdue(*, store: EventStore, clock: Clock, calendar: WorkCalendar,
                  meta: CommitMeta, rules: Rules | None = None) -> OverdueReport:
    """PublicationOverdue once for every inspection not public by its deadline
    (inspected_on + N working days), whether or not its result was typed in; then
    InspectionTaskOverdue for drawn tasks with no result by their plan's end date."""
    rules = rules or Rules()
    # it runs over every district and department: a national leader's call (the scheduler
    # passes)
    meta = meta.authorized(Scope(duties=(LEADER,), national=True))
    today = china_today(clock)
    streams = sorted(set(store.streams_with("InspectionTaskInspected"))
                     | set(store.streams_with("InspectionResultRecorded")))
    flagged = []
    for stream in streams:
        try:
            handled = run(store, TASK, stream,
                          lambda s: tasks.decide_overdue(s, today, calendar, rules), meta)
        except ConcurrencyConflict:
            log.info("overdue check skipped %s: changed meanwhile", stream)
            continue
        if handled.events:
            flagged.append(handled.state.task_id)
    ended, unfinished = check_unfinished(store=store, today=today, calendar=calendar, meta=meta)
    return OverdueReport(today, len(streams), flagged, ended, unfinished)


def check_unfinished(*, store: EventStore, today: date, calendar: WorkCalendar,
                     meta: CommitMeta) -> tuple[int, list[str]]:
    """InspectionTaskOverdue once for every drawn task of a plan past its end date with no
    result (nor cancellation) recorded by then. Safe to repeat and to run concurrently: the
    task's own stream says whether it was raised, and optimistic concurrency lets one win."""
    ended = [(p.drawn, p.ends_on) for p in all_plans(store)
             if p.drawn is not None and p.ends_on is not None and today > p.ends_on]
    unfinished = []
    for drawn, ends_on in ended:
        for t in drawn.tasks:
            try:
                handled = run(store, TASK, task_stream(t.task_id),
                              lambda s, e=ends_on: tasks.decide_unfinished(s, e, today, calendar),
                              meta)
            except ConcurrencyConflict:
                log.info("plan-end check skipped %s: changed meanwhile", t.task_id)
                continue
            if handled.events:
                unfinished.append(t.task_id)
    return len(ended), unfinished
