"""The InspectionTask aggregate (stream task-<task id>): assigned → inspected → recorded →
published (or cancelled before a result), and its two deadlines:

- publication: N working days from the day the inspection was done (inspected_on), not from
  when the result was typed in (谁检查、谁录入、谁公开; 20 working days, 企业信息公示暂行条例
  art. 6, ``ELDERCARE_INSPECTION_PUBLICATION_WORKDAYS``) → PublicationOverdue once;
- the plan's end date (``ends_on``, 年度计划 sets each batch's timing): a drawn task with no
  result recorded by then, and not cancelled by then → InspectionTaskOverdue once."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from inspection.domain.errors import Conflict, InvalidCommand, NotFound
from inspection.domain.events import (
    InspectionResultPublished,
    InspectionResultRecorded,
    InspectionTaskAssigned,
    InspectionTaskCancelled,
    InspectionTaskInspected,
    InspectionTaskOverdue,
    InspectionTaskReassigned,
    InspectorReplaced,
    ItemOutcome,
    PublicationOverdue,
    TaskEvent,
)
from inspection.domain.model import FOLLOW_UPS, OUTCOMES
from inspection.domain.ports import WorkCalendar
from inspection.domain.rules import Rules
from shared.domain import Event

RESULT_FIELDS = ("item_outcomes", "findings", "follow_up")


@dataclass(frozen=True)
class Task:
    """One drawn institution's inspection."""

    task_id: str = ""
    assignment: InspectionTaskAssigned | None = None  # its team after every replacement
    team_sequence: int = 0  # the last replacement (InspectorReplaced sequence) taken over
    status: str = ""
    inspected_on: date | None = None
    result: InspectionResultRecorded | None = None
    published_on: date | None = None
    overdue_on: date | None = None  # PublicationOverdue raised
    unfinished_on: date | None = None  # InspectionTaskOverdue raised (no result by plan end)
    cancelled: InspectionTaskCancelled | None = None

    @property
    def exists(self) -> bool:
        return bool(self.task_id)


def initial() -> Task:
    return Task()


def evolve(state: Task, event: Event) -> Task:
    """Apply one stored event; other types leave the state as it is."""
    match event:
        case InspectionTaskAssigned():
            return Task(task_id=event.task_id, assignment=event, status="assigned")
        case InspectionTaskReassigned():
            assert state.assignment is not None
            return replace(state, assignment=replace(state.assignment,
                                                     inspectors=event.inspectors),
                           team_sequence=event.sequence)
        case InspectionTaskInspected():
            return replace(state, status="inspected", inspected_on=event.inspected_on)
        case InspectionResultRecorded():
            return replace(state, status="recorded", result=event)
        case InspectionResultPublished():
            return replace(state, status="published", published_on=event.published_on)
        case PublicationOverdue():
            return replace(state, overdue_on=event.detected_on)
        case InspectionTaskOverdue():
            return replace(state, unfinished_on=event.detected_on)
        case InspectionTaskCancelled():
            return replace(state, status="cancelled", cancelled=event)
    return state


def _ids(state: Task) -> dict[str, Any]:
    assert state.assignment is not None
    a = state.assignment
    return {"task_id": a.task_id, "plan_id": a.plan_id, "uscc": a.uscc}


def decide_assign(state: Task, assignment: InspectionTaskAssigned) -> list[TaskEvent]:
    """Assign once (a repeated draw hand-off stores nothing)."""
    return [] if state.exists else [assignment]


def decide_reassign(state: Task, replaced: InspectorReplaced) -> list[TaskEvent]:
    """Take over a plan's InspectorReplaced once, in sequence order (a repeated hand-off, or
    one of an earlier replacement, stores nothing). A task not assigned yet takes nothing:
    the hand-off assigns it first, then hands it the replacements."""
    if not state.exists or state.assignment is None:
        return []
    if state.team_sequence >= replaced.sequence:
        return []
    return [InspectionTaskReassigned(
        **_ids(state), sequence=replaced.sequence, recused=replaced.recused,
        replacement=replaced.replacement, inspectors=replaced.inspectors,
        reassigned_on=replaced.replaced_on)]


def _existing(state: Task, task_id: str) -> Task:
    if not state.exists:
        raise NotFound(f"没有编号为 {task_id} 的检查任务")
    return state


def _not_cancelled(task: Task) -> None:
    if task.cancelled is not None:
        raise Conflict(f"任务 {task.task_id} 已于 {task.cancelled.cancelled_on} 撤销")


def decide_inspected(state: Task, task_id: str, on: date, today: date) -> list[TaskEvent]:
    """Mark the visit done; the same date again changes nothing."""
    task = _existing(state, task_id)
    _not_cancelled(task)
    if on > today:
        raise InvalidCommand({"inspected_on": ["检查日期不能晚于今天"]})
    if task.assignment and on < task.assignment.assigned_on:
        raise InvalidCommand({"inspected_on": [
            f"检查日期不能早于抽取分派日期 {task.assignment.assigned_on}"]})
    if task.status != "assigned":
        if task.inspected_on == on:
            return []
        raise Conflict(f"任务 {task_id} 已于 {task.inspected_on} 检查")
    return [InspectionTaskInspected(**_ids(task), inspected_on=on)]


def check_outcomes(task: Task, result: dict[str, Any]) -> None:
    """Exactly one outcome per item of the task; follow-up only when a problem was found."""
    assert task.assignment is not None
    items = [o["item"] for o in result["item_outcomes"]]
    expected = sorted(task.assignment.items)
    errors: dict[str, list[str]] = {}
    if sorted(items) != expected:
        errors["item_outcomes"] = [f"须对每个抽查事项各给出一个结论：{', '.join(expected)}"]
    if any(o["outcome"] not in OUTCOMES for o in result["item_outcomes"]):
        errors.setdefault("item_outcomes", []).append(f"结论须为 {', '.join(OUTCOMES)}")
    problem = any(o["outcome"] == "problem_found" for o in result["item_outcomes"])
    if result["follow_up"] not in FOLLOW_UPS:
        errors["follow_up"] = [f"须为 {', '.join(FOLLOW_UPS)}"]
    elif result["follow_up"] != "none" and not problem:
        errors["follow_up"] = ["未发现问题时后续处理只能为 none"]
    if errors:
        raise InvalidCommand(errors)


def result_of(recorded: InspectionResultRecorded) -> dict[str, Any]:
    """The result as it was entered (item outcomes, findings, follow-up)."""
    data = recorded.to_data()
    return {k: data[k] for k in RESULT_FIELDS}


def decide_record(state: Task, task_id: str, result: dict[str, Any], today: date,
                  calendar: WorkCalendar, rules: Rules) -> list[TaskEvent]:
    """Record the result once and start the publication deadline."""
    task = _existing(state, task_id)
    _not_cancelled(task)
    if task.status == "assigned":
        raise Conflict(f"任务 {task_id} 尚未登记检查，不能录入结果")
    if task.result is not None:
        if result_of(task.result) == result:
            return []
        raise Conflict(f"任务 {task_id} 的结果已录入且内容不同")
    check_outcomes(task, result)
    assert task.inspected_on is not None
    deadline = publication_deadline(task, calendar, rules)
    outcomes = tuple(ItemOutcome(o["item"], o["outcome"]) for o in result["item_outcomes"])
    return [InspectionResultRecorded(
        **_ids(task), departments=task.assignment.departments if task.assignment else (),
        inspected_on=task.inspected_on, item_outcomes=outcomes, findings=result["findings"],
        follow_up=result["follow_up"],
        problem_found=any(o.outcome == "problem_found" for o in outcomes),
        recorded_on=today, publish_deadline=deadline,
        deadline_provisional=calendar.is_provisional(deadline.year))]


def decide_publish(state: Task, task_id: str, today: date) -> list[TaskEvent]:
    """Publish the recorded result; publishing again changes nothing."""
    task = _existing(state, task_id)
    if task.status == "published":
        return []
    if task.result is None:
        raise Conflict(f"任务 {task_id} 尚未录入结果，不能公开")
    r = task.result
    return [InspectionResultPublished(
        **_ids(task), departments=r.departments, inspected_on=r.inspected_on,
        item_outcomes=r.item_outcomes, findings=r.findings, follow_up=r.follow_up,
        problem_found=r.problem_found, recorded_on=r.recorded_on,
        publish_deadline=r.publish_deadline, published_on=today,
        on_time=today <= r.publish_deadline)]


def publication_deadline(task: Task, calendar: WorkCalendar, rules: Rules) -> date:
    """The day by which the result must be public: inspected_on + N working days."""
    assert task.inspected_on is not None
    return calendar.add_workdays(task.inspected_on, rules.publication_workdays)


def decide_overdue(state: Task, today: date, calendar: WorkCalendar,
                   rules: Rules) -> list[TaskEvent]:
    """PublicationOverdue once for an inspection whose result is not public by its deadline:
    recorded but unpublished, or inspected with no result typed in at all."""
    if state.overdue_on or state.status not in ("inspected", "recorded"):
        return []
    if state.result is not None:
        deadline = state.result.publish_deadline
    else:
        deadline = publication_deadline(state, calendar, rules)
    if today <= deadline:
        return []
    return [PublicationOverdue(
        **_ids(state), recorded_on=state.result.recorded_on if state.result else None,
        inspected_on=state.inspected_on, publish_deadline=deadline, detected_on=today,
        overdue_workdays=calendar.workdays_between(deadline, today),
        publication_workdays=rules.publication_workdays)]


def decide_cancel(state: Task, task_id: str, reason: str, department: str,
                  today: date) -> list[TaskEvent]:
    """Cancel a drawn task that will not be carried out (e.g. the institution closed) while
    no result is recorded; cancelling again changes nothing. History stays: the draw and the
    task's earlier events are kept, and a cancellation after the plan's end does not undo
    an InspectionTaskOverdue already due."""
    task = _existing(state, task_id)
    if task.cancelled is not None:
        return []
    if task.result is not None:
        raise Conflict(f"任务 {task_id} 的检查结果已录入，不能撤销")
    return [InspectionTaskCancelled(
        **_ids(task), reason=reason, department=department, inspected_on=task.inspected_on,
        cancelled_on=today)]


def decide_unfinished(state: Task, ends_on: date, today: date,
                      calendar: WorkCalendar) -> list[TaskEvent]:
    """InspectionTaskOverdue once for a drawn task that had neither a recorded result nor a
    cancellation on or before its plan's end date, raised on any day after that date (a
    result or cancellation recorded later does not make it on time; it is reported)."""
    if not state.exists or state.unfinished_on or today <= ends_on:
        return []
    if state.result is not None and state.result.recorded_on <= ends_on:
        return []
    if state.cancelled is not None and state.cancelled.cancelled_on <= ends_on:
        return []
    return [InspectionTaskOverdue(
        **_ids(state), plan_ends_on=ends_on, inspected_on=state.inspected_on,
        recorded_on=state.result.recorded_on if state.result else None, detected_on=today,
        overdue_workdays=calendar.workdays_between(ends_on, today))]
