"""Inspection tasks: visit done, result recorded, result published."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_smorest import Blueprint

from inspection.api.common import deps, require_department
from inspection.api.plans import task_body
from inspection.api.schemas import InspectedSchema, ResultSchema, TaskCancelSchema, TaskSchema
from inspection.app.tasks import (
    cancel_task,
    get_task,
    mark_inspected,
    publish_result,
    record_result,
)
from inspection.domain.model import DEPARTMENTS
from shared.authority import INSPECTOR, LEADER, WRITE_DUTIES
from shared.domain import uscc_district
from shared.http.auth import require_readable, roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta
from shared.http.schemas import problem_doc

blp = Blueprint("tasks", __name__, url_prefix="/api/v1/tasks",
                description="检查任务：已派发 → 已检查 → 已录入结果 → 已公开（或录入结果前撤销）")


def _act(task_id: str, what: str) -> None:
    task, _ = get_task(task_id, deps().store)
    require_department(task.assignment.departments if task.assignment else (), what)


@blp.route("/<task_id>", methods=["GET"])
@roles_required(*DEPARTMENTS)
@blp.response(200, TaskSchema)
@problem_doc(blp, 404, "没有该任务")
def get_one(task_id: str) -> dict[str, Any]:
    """One task with its status and result (403 outside the reader's regions)."""
    task, version = get_task(task_id, deps().store)
    if task.assignment is not None:
        require_readable(uscc_district(task.assignment.uscc))
    return task_body(task, version)


@blp.route("/<task_id>/inspection", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=(INSPECTOR,))
@blp.arguments(InspectedSchema)
@blp.response(200, TaskSchema)
@problem_doc(blp, 404, "没有该任务")
@problem_doc(blp, 409, "已以其他日期登记检查")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def inspected(body: dict[str, Any], task_id: str) -> dict[str, Any]:
    """Record that the visit took place."""
    _act(task_id, "登记其他部门的任务")
    d = deps()
    h = mark_inspected(task_id, body["inspected_on"], store=d.store, clock=d.clock,
                       meta=commit_meta())
    return task_body(h.state, h.version)


@blp.route("/<task_id>/result", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=(INSPECTOR,))
@blp.arguments(ResultSchema)
@blp.response(200, TaskSchema,
              description="已录入；公示期限为检查之日起 20 个工作日（可配置），与录入日期无关")
@problem_doc(blp, 404, "没有该任务")
@problem_doc(blp, 409, "尚未检查，或结果已录入且内容不同")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def result(body: dict[str, Any], task_id: str) -> dict[str, Any]:
    """Record per-item outcomes, findings and follow-up."""
    _act(task_id, "录入其他部门的任务结果")
    d = deps()
    h = record_result(task_id, body, store=d.store, clock=d.clock, calendar=d.calendar,
                      rules=d.rules, meta=commit_meta())
    return task_body(h.state, h.version)


@blp.route("/<task_id>/publication", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=WRITE_DUTIES)
@blp.response(200, TaskSchema)
@problem_doc(blp, 404, "没有该任务")
@problem_doc(blp, 409, "尚未录入结果")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def publish(task_id: str) -> dict[str, Any]:
    """Publish the recorded result (一公开)."""
    _act(task_id, "公开其他部门的任务结果")
    d = deps()
    h = publish_result(task_id, store=d.store, clock=d.clock, meta=commit_meta())
    return task_body(h.state, h.version)


@blp.route("/<task_id>/cancellation", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=(LEADER,))
@blp.arguments(TaskCancelSchema)
@blp.response(200, TaskSchema, description="已撤销；再次撤销不改变任何内容")
@problem_doc(blp, 404, "没有该任务")
@problem_doc(blp, 409, "检查结果已录入，不能撤销")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def cancel(body: dict[str, Any], task_id: str) -> dict[str, Any]:
    """Cancel a drawn task that will not be carried out (e.g. the institution closed), before
    its result is recorded. A plan department decides; the reason is not public. A task not
    cancelled (nor given a result) by its plan's end date is flagged InspectionTaskOverdue."""
    _act(task_id, "撤销其他部门的任务")
    d = deps()
    h = cancel_task(task_id, body["reason"], g.principal.role, store=d.store, clock=d.clock,
                    meta=commit_meta())
    return task_body(h.state, h.version)
