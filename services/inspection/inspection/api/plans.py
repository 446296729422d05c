"""Sampling plans: create, publish (commitment + snapshot hash), draw (seed revealed)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_smorest import Blueprint

from inspection.api.common import (
    deps,
    require_department,
)
from inspection.api.schemas import PlanCreateSchema, PlanSchema, TaskSchema
from inspection.app.plans import create_plan, draw_plan, get_plan, publish_plan
from inspection.app.tasks import get_task
from inspection.domain.model import DEPARTMENTS
from inspection.domain.plan import Plan
from inspection.domain.task import Task
from shared.http.auth import roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta
from shared.http.schemas import problem_doc

blp = Blueprint("plans", __name__, url_prefix="/api/v1/plans",
                description="抽查计划：制定、公布（种子承诺与名录快照哈希）、抽取（公开种子）")


def plan_body(plan: Plan, version: int) -> dict[str, Any]:
    """A plan as the API shows it; the seed appears only once the draw revealed it."""
    verification = (url_for("public.verification", plan_id=plan.plan_id)
                    if plan.drawn else None)
    return {"plan_id": plan.plan_id, "version": version, "status": plan.status,
            **(plan.spec or {}), "created_on": plan.created_on, "published": plan.published,
            "draw": plan.drawn, "verification_url": verification}


def task_body(task: Task, version: int) -> dict[str, Any]:
    a = task.assignment or {}
    return {**a, "version": version, "status": task.status, "inspected_on": task.inspected_on,
            "result": task.result, "published_on": task.published_on,
            "overdue_on": task.overdue_on}


@blp.route("", methods=["POST"])
@roles_required(*DEPARTMENTS)
@blp.arguments(PlanCreateSchema)
@blp.response(201, PlanSchema, description="计划已制定（草案）")
@blp.alt_response(200, schema=PlanSchema, description="同一计划已以相同内容制定")
@problem_doc(blp, 409, "同编号计划已存在且内容不同")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def create(body: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Create a plan <year>-<series>-<batch> (one department, or a joint plan)."""
    require_department(body["departments"], "制定不含本部门的计划")
    d = deps()
    body["ratios_bp"] = body["ratios_bp"] or dict(d.rules.default_ratios_bp)
    body["team_size"] = body["team_size"] or d.rules.default_team_size
    handled = create_plan(body, store=d.store, clock=d.clock, meta=commit_meta())
    plan = handled.state
    location = url_for("public.plan", plan_id=plan.plan_id)
    return plan_body(plan, handled.version), 201 if handled.events else 200, {
        "Location": location}


def _act(plan_id: str, what: str) -> None:
    plan, _ = get_plan(plan_id, deps().store)
    require_department((plan.spec or {}).get("departments", []), what)


@blp.route("/<plan_id>/publication", methods=["POST"])
@roles_required(*DEPARTMENTS)
@blp.response(200, PlanSchema, description="已公布：种子承诺值与名录快照哈希")
@problem_doc(blp, 404, "没有该计划")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def publish(plan_id: str) -> dict[str, Any]:
    """Publish the plan: freeze the directory snapshot and commit to a secret seed."""
    _act(plan_id, "公布其他部门的计划")
    handled = publish_plan(plan_id, deps=deps().plan_deps, meta=commit_meta())
    return plan_body(handled.state, handled.version)


@blp.route("/<plan_id>/draw", methods=["POST"])
@roles_required(*DEPARTMENTS)
@blp.response(200, PlanSchema, description="已抽取：公开种子、结果与核验链接")
@problem_doc(blp, 404, "没有该计划")
@problem_doc(blp, 409, "计划尚未公布")
@problem_doc(blp, 422, "无法满足抽取约束（如可派检查人员不足）；未作任何记录")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def draw(plan_id: str) -> dict[str, Any]:
    """Draw objects and inspectors; repeating it returns the same draw."""
    _act(plan_id, "抽取其他部门的计划")
    handled = draw_plan(plan_id, deps=deps().plan_deps, meta=commit_meta())
    return plan_body(handled.state, handled.version)


@blp.route("/<plan_id>/tasks", methods=["GET"])
@roles_required(*DEPARTMENTS)
@blp.response(200, TaskSchema(many=True))
@problem_doc(blp, 404, "没有该计划")
def tasks(plan_id: str) -> list[dict[str, Any]]:
    """The plan's tasks with their status (departments only)."""
    plan, _ = get_plan(plan_id, deps().store)
    out = []
    for t in (plan.drawn or {}).get("tasks", []):
        out.append(task_body(*get_task(t["task_id"], deps().store)))
    return out
