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
from inspection.domain.model import FOLLOW_UPS, OUTCOMES, DomainEvent
from inspection.domain.ports import WorkCalendar
from inspection.domain.rules import Rules

RESULT_FIELDS = ("item_outcomes", "findings", "follow_up")


@dataclass(frozen=True)
class Task:
    """One drawn institution's inspection."""

    task_id: str = ""
    assignment: dict[str, Any] | None = None
    status: str = ""
    inspected_on: str | None = None
    result: dict[str, Any] | None = None
    published_on: str | None = None
    overdue_on: str | None = None  # PublicationOverdue raised
    unfinished_on: str | None = None  # InspectionTaskOverdue raised (no result by plan end)
    cancelled: dict[str, Any] | None = None

    @property
    def exists(self) -> bool:
        return bool(self.task_id)


def initial() -> Task:
    return Task()


def evolve(state: Task, name: str, data: dict[str, Any]) -> Task:
    """Apply one stored event; unknown names leave the state as it is."""
    if name == "InspectionTaskAssigned":
        return Task(task_id=data["task_id"], assignment=dict(data), status="assigned")
    if name == "InspectionTaskReassigned":
        assert state.assignment is not None
        return replace(state, assignment={**state.assignment, "inspectors": data["inspectors"],
                                          "team_sequence": data["sequence"]})
    if name == "InspectionTaskInspected":
        return replace(state, status="inspected", inspected_on=data["inspected_on"])
    if name == "InspectionResultRecorded":
        return replace(state, status="recorded", result=dict(data))
    if name == "InspectionResultPublished":
        return replace(state, status="published", published_on=data["published_on"])
    if name == "PublicationOverdue":
        return replace(state, overdue_on=data["detected_on"])
    if name == "InspectionTaskOverdue":
        return replace(state, unfinished_on=data["detected_on"])
    if name == "InspectionTaskCancelled":
        return replace(state, status="cancelled", cancelled={
            k: data[k] for k in ("reason", "department", "cancelled_on")})
    return state


def _ids(state: Task) -> dict[str, Any]:
    assert state.assignment is not None
    return {k: state.assignment[k] for k in ("task_id", "plan_id", "uscc")}


def decide_assign(state: Task, assignment: dict[str, Any]) -> list[DomainEvent]:
    """Assign once (a repeated draw hand-off stores nothing)."""
    return [] if state.exists else [DomainEvent("InspectionTaskAssigned", assignment)]


def decide_reassign(state: Task, replaced: dict[str, Any]) -> list[DomainEvent]:
    """Take over a plan's InspectorReplaced once, in sequence order (a repeated hand-off, or
    one of an earlier replacement, stores nothing). A task not assigned yet takes nothing:
    the hand-off assigns it first, then hands it the replacements."""
    if not state.exists or state.assignment is None:
        return []
    if state.assignment.get("team_sequence", 0) >= replaced["sequence"]:
        return []
    return [DomainEvent("InspectionTaskReassigned", {
        **_ids(state), "sequence": replaced["sequence"], "recused": replaced["recused"],
        "replacement": replaced["replacement"], "inspectors": replaced["inspectors"],
        "reassigned_on": replaced["replaced_on"]})]


def _existing(state: Task, task_id: str) -> Task:
    if not state.exists:
        raise NotFound(f"没有编号为 {task_id} 的检查任务")
    return state


def _not_cancelled(task: Task) -> None:
    if task.cancelled is not None:
        raise Conflict(f"任务 {task.task_id} 已于 {task.cancelled['cancelled_on']} 撤销")


def decide_inspected(state: Task, task_id: str, on: date, today: date) -> list[DomainEvent]:
    """Mark the visit done; the same date again changes nothing."""
    task = _existing(state, task_id)
    _not_cancelled(task)
    if on > today:
        raise InvalidCommand({"inspected_on": ["检查日期不能晚于今天"]})
    if task.assignment and on.isoformat() < task.assignment["assigned_on"]:
        raise InvalidCommand({"inspected_on": [
            f"检查日期不能早于抽取分派日期 {task.assignment['assigned_on']}"]})
    if task.status != "assigned":
        if task.inspected_on == on.isoformat():
            return []
        raise Conflict(f"任务 {task_id} 已于 {task.inspected_on} 检查")
    return [DomainEvent("InspectionTaskInspected", {**_ids(task), "inspected_on": on.isoformat()})]


def check_outcomes(task: Task, result: dict[str, Any]) -> None:
    """Exactly one outcome per item of the task; follow-up only when a problem was found."""
    assert task.assignment is not None
    items = [o["item"] for o in result["item_outcomes"]]
    expected = sorted(task.assignment["items"])
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


def decide_record(state: Task, task_id: str, result: dict[str, Any], today: date,
                  calendar: WorkCalendar, rules: Rules) -> list[DomainEvent]:
    """Record the result once and start the publication deadline."""
    task = _existing(state, task_id)
    _not_cancelled(task)
    if task.status == "assigned":
        raise Conflict(f"任务 {task_id} 尚未登记检查，不能录入结果")
    if task.result is not None:
        if {k: task.result[k] for k in RESULT_FIELDS} == result:
            return []
        raise Conflict(f"任务 {task_id} 的结果已录入且内容不同")
    check_outcomes(task, result)
    deadline = publication_deadline(task, calendar, rules)
    problem = any(o["outcome"] == "problem_found" for o in result["item_outcomes"])
    return [DomainEvent("InspectionResultRecorded", {
        **_ids(task), "departments": task.assignment["departments"] if task.assignment else [],
        "inspected_on": task.inspected_on, **result, "problem_found": problem,
        "recorded_on": today.isoformat(), "publish_deadline": deadline.isoformat(),
        "deadline_provisional": calendar.is_provisional(deadline.year)})]


def decide_publish(state: Task, task_id: str, today: date) -> list[DomainEvent]:
    """Publish the recorded result; publishing again changes nothing."""
    task = _existing(state, task_id)
    if task.status == "published":
        return []
    if task.result is None:
        raise Conflict(f"任务 {task_id} 尚未录入结果，不能公开")
    r = task.result
    return [DomainEvent("InspectionResultPublished", {
        **_ids(task), "departments": r["departments"], "inspected_on": r["inspected_on"],
        **{k: r[k] for k in RESULT_FIELDS}, "problem_found": r["problem_found"],
        "recorded_on": r["recorded_on"], "publish_deadline": r["publish_deadline"],
        "published_on": today.isoformat(),
        "on_time": today.isoformat() <= r["publish_deadline"]})]


def publication_deadline(task: Task, calendar: WorkCalendar, rules: Rules) -> date:
    """The day by which the result must be public: inspected_on + N working days."""
    assert task.inspected_on is not None
    return calendar.add_workdays(date.fromisoformat(task.inspected_on),
                                 rules.publication_workdays)


def decide_overdue(state: Task, today: date, calendar: WorkCalendar,
                   rules: Rules) -> list[DomainEvent]:
    """PublicationOverdue once for an inspection whose result is not public by its deadline:
    recorded but unpublished, or inspected with no result typed in at all."""
    if state.overdue_on or state.status not in ("inspected", "recorded"):
        return []
    if state.result is not None:
        deadline = date.fromisoformat(state.result["publish_deadline"])
    else:
        deadline = publication_deadline(state, calendar, rules)
    if today <= deadline:
        return []
    return [DomainEvent("PublicationOverdue", {
        **_ids(state), "recorded_on": state.result["recorded_on"] if state.result else None,
        "inspected_on": state.inspected_on,
        "publish_deadline": deadline.isoformat(), "detected_on": today.isoformat(),
        "overdue_workdays": calendar.workdays_between(deadline, today),
        "publication_workdays": rules.publication_workdays})]


def decide_cancel(state: Task, task_id: str, reason: str, department: str,
                  today: date) -> list[DomainEvent]:
    """Cancel a drawn task that will not be carried out (e.g. the institution closed) while
    no result is recorded; cancelling again changes nothing. History stays: the draw and the
    task's earlier events are kept, and a cancellation after the plan's end does not undo
    an InspectionTaskOverdue already due."""
    task = _existing(state, task_id)
    if task.cancelled is not None:
        return []
    if task.result is not None:
        raise Conflict(f"任务 {task_id} 的检查结果已录入，不能撤销")
    return [DomainEvent("InspectionTaskCancelled", {
        **_ids(task), "reason": reason, "department": department,
        "inspected_on": task.inspected_on, "cancelled_on": today.isoformat()})]


def decide_unfinished(state: Task, ends_on: date, today: date,
                      calendar: WorkCalendar) -> list[DomainEvent]:
    """InspectionTaskOverdue once for a drawn task that had neither a recorded result nor a
    cancellation on or before its plan's end date, raised on any day after that date (a
    result or cancellation recorded later does not make it on time; it is reported)."""
    if not state.exists or state.unfinished_on or today <= ends_on:
        return []
    end = ends_on.isoformat()
    if state.result is not None and state.result["recorded_on"] <= end:
        return []
    if state.cancelled is not None and state.cancelled["cancelled_on"] <= end:
        return []
    return [DomainEvent("InspectionTaskOverdue", {
        **_ids(state), "plan_ends_on": end, "inspected_on": state.inspected_on,
        "recorded_on": state.result["recorded_on"] if state.result else None,
        "detected_on": today.isoformat(),
        "overdue_workdays": calendar.workdays_between(ends_on, today)})]
