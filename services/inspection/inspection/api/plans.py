"""Sampling plans: create, publish (commitment + snapshot hash), draw (seed revealed)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import g, url_for
from flask_smorest import Blueprint

from inspection.api.common import (
    deps,
    require_department,
)
from inspection.api.schemas import (
    PlanCreateSchema,
    PlanSchema,
    RecusalDecisionSchema,
    RecusalRequestSchema,
    RecusalSchema,
    TaskSchema,
    VoidSchema,
)
from inspection.app.plans import (
    create_plan,
    decide_recusal,
    draw_plan,
    get_plan,
    publish_plan,
    request_recusal,
    void_draw,
)
from inspection.app.tasks import get_task
from inspection.domain.events import DrawAttemptFailed, DrawCompleted
from inspection.domain.labels import DEPARTMENT_LABELS
from inspection.domain.model import DEPARTMENTS
from inspection.domain.plan import Plan, Recusal, recusal_of
from inspection.domain.task import Task
from shared.authority import LEADER, WRITE_DUTIES
from shared.domain import uscc_district
from shared.http.auth import readable, roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.problems import Problem
from shared.http.requests import commit_meta
from shared.http.schemas import problem_doc

blp = Blueprint("plans", __name__, url_prefix="/api/v1/plans",
                description="抽查计划：制定、公布（种子承诺与名录快照哈希）、抽取（公开种子）")


def plan_body(plan: Plan, version: int) -> dict[str, Any]:
    """A plan as the API shows it; the seed appears only once the draw revealed it."""
    verification = (url_for("public.verification", plan_id=plan.plan_id)
                    if plan.drawn else None)
    return {"plan_id": plan.plan_id, "version": version, "status": plan.status,
            **(plan.spec or {}), "created_on": plan.created_on,
            "published": plan.published.to_data() if plan.published else None,
            "draw": plan.drawn.to_data() if plan.drawn else None,
            "replacements": [r.to_data() for r in plan.replacements],
            "attempts": attempts_body(plan),
            "verification_url": verification}


def attempts_body(plan: Plan) -> list[dict[str, Any]]:
    """Every draw attempt of the plan, in order (docs/draw-algorithm.md)."""
    out: list[dict[str, Any]] = []
    for e in plan.attempts:
        if isinstance(e, DrawCompleted):
            out.append({"attempt": e.attempt or 1, "outcome": "drawn",
                        "on": e.drawn_on.isoformat(), "beacon_index": e.beacon_index,
                        "beacon_checkpoint": e.beacon_checkpoint, "seed": e.seed,
                        "result_hash": e.result_hash})
        elif isinstance(e, DrawAttemptFailed):
            out.append({"attempt": e.attempt, "outcome": "failed", "on": e.failed_on.isoformat(),
                        "reason": e.reason, "beacon_index": e.beacon_index,
                        "beacon_checkpoint": e.beacon_checkpoint})
        else:
            out.append({"attempt": e.attempt, "outcome": "voided", "on": e.voided_on.isoformat(),
                        "reason": e.reason, "department": e.department})
    return out


def recusal_body(plan: Plan, recusal: Recusal) -> dict[str, Any]:
    """A recusal with its decision and, once approved, the replacement drawn for it."""
    replaced = next((r.to_data() for r in plan.replacements
                     if r.recusal_id == recusal.request.recusal_id), None)
    return {**recusal.to_data(), "replacement": replaced}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def task_body(task: Task, version: int) -> dict[str, Any]:
    a = task.assignment.to_data() if task.assignment else {}
    if task.team_sequence:
        a["team_sequence"] = task.team_sequence
    c = task.cancelled
    return {**a, "version": version, "status": task.status,
            "inspected_on": _iso(task.inspected_on),
            "result": task.result.to_data() if task.result else None,
            "published_on": _iso(task.published_on), "overdue_on": _iso(task.overdue_on),
            "unfinished_on": _iso(task.unfinished_on),
            "cancelled": c and {"reason": c.reason, "department": c.department,
                                "cancelled_on": c.cancelled_on.isoformat()}}


@blp.route("", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=WRITE_DUTIES)
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
@roles_required(*DEPARTMENTS, duties=WRITE_DUTIES)
@blp.response(200, PlanSchema, description="已公布：种子承诺值与名录快照哈希")
@problem_doc(blp, 404, "没有该计划")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def publish(plan_id: str) -> dict[str, Any]:
    """Publish the plan: freeze the directory snapshot and commit to a secret seed."""
    _act(plan_id, "公布其他部门的计划")
    handled = publish_plan(plan_id, deps=deps().plan_deps, meta=commit_meta())
    return plan_body(handled.state, handled.version)


@blp.route("/<plan_id>/draw", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=WRITE_DUTIES)
@blp.response(200, PlanSchema, description="已抽取：公开种子、结果与核验链接")
@problem_doc(blp, 404, "没有该计划")
@problem_doc(blp, 409, "计划尚未公布；或本次尝试的公开随机数（透明日志检查点）尚未产生")
@problem_doc(blp, 422, "无法满足抽取约束（如可派检查人员不足）；该次尝试连同原因公开记录")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def draw(plan_id: str) -> dict[str, Any]:
    """Draw objects and inspectors; repeating it returns the same draw."""
    _act(plan_id, "抽取其他部门的计划")
    handled = draw_plan(plan_id, deps=deps().plan_deps, meta=commit_meta())
    return plan_body(handled.state, handled.version)


@blp.route("/<plan_id>/draw-voiding", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=(LEADER,))
@blp.arguments(VoidSchema)
@blp.response(200, PlanSchema, description="已作废：任务撤销，作废理由公开；重抽使用新的公开随机数")
@problem_doc(blp, 404, "没有该计划")
@problem_doc(blp, 409, "没有抽取结果；已开展检查；或计划早于公开随机数规则")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def void(body: dict[str, Any], plan_id: str) -> dict[str, Any]:
    """Void the standing draw before any inspection (a leader of a plan department, with a
    public reason). The next draw is a new attempt whose public value is the log's first
    checkpoint holding this voiding."""
    _act(plan_id, "作废其他部门计划的抽取")
    handled = void_draw(plan_id, body["reason"], g.principal.role, deps=deps().plan_deps,
                        meta=commit_meta())
    return plan_body(handled.state, handled.version)


@blp.route("/<plan_id>/tasks", methods=["GET"])
@roles_required(*DEPARTMENTS)
@blp.response(200, TaskSchema(many=True))
@problem_doc(blp, 404, "没有该计划")
def tasks(plan_id: str) -> list[dict[str, Any]]:
    """The plan's tasks with their status (departments only; those of institutions within
    the reader's regions)."""
    plan, _ = get_plan(plan_id, deps().store)
    drawn = plan.drawn.tasks if plan.drawn else ()
    return [task_body(*get_task(t.task_id, deps().store))
            for t in readable(drawn, lambda t: uscc_district(t.uscc))]


@blp.route("/<plan_id>/recusals", methods=["POST"])
@roles_required(*DEPARTMENTS)
@blp.arguments(RecusalRequestSchema)
@blp.response(201, RecusalSchema, description="已登记回避申请（待本部门决定）")
@blp.alt_response(200, schema=RecusalSchema, description="相同的申请已登记且待决定")
@problem_doc(blp, 403, "非计划部门；或执法人员自行申报须由其所在部门登记")
@problem_doc(blp, 404, "没有该计划")
@problem_doc(blp, 409, "尚未抽取；结果已录入；或该人员已有不同的待决定申请")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def request_recusal_view(body: dict[str, Any],
                         plan_id: str) -> tuple[dict[str, Any], int]:
    """Record a recusal request after the draw (行政处罚法第四十三条): the institution's
    application, recorded by a plan department on its behalf, or an inspector's declaration
    of a conflict, recorded by the inspector's own department. The reason is not public."""
    _act(plan_id, "为其他部门的计划登记回避申请")
    role = g.principal.role
    dept = body["inspector"].split("/", 1)[0]
    if body["requested_by"] == "inspector" and role != dept:
        raise Problem(403, "Forbidden", f"执法人员自行申报回避须由其所在部门"
                      f"（{DEPARTMENT_LABELS.get(dept, dept)}）登记")
    handled = request_recusal(plan_id, body, role, deps=deps().plan_deps, meta=commit_meta())
    plan = handled.state
    if handled.events:
        rec = plan.recusals[handled.events[0].recusal_id]
    else:
        rec = next(r for r in plan.recusals.values() if r.status == "pending"
                   and r.request.task_id == body["task_id"]
                   and r.request.inspector == body["inspector"])
    return recusal_body(plan, rec), 201 if handled.events else 200


@blp.route("/<plan_id>/recusals/<recusal_id>/decision", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=(LEADER,))
@blp.arguments(RecusalDecisionSchema)
@blp.response(200, RecusalSchema, description="已决定；决定回避时同时按公布的规则抽取替换人员")
@problem_doc(blp, 403, "只有该执法人员所在部门（计划部门之一）可以决定")
@problem_doc(blp, 404, "没有该计划或该申请")
@problem_doc(blp, 409, "已作出不同的决定；或结果已录入")
@problem_doc(blp, 422, "不予回避未说明理由；或没有符合条件的替换人员（未作任何记录）")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def decide_recusal_view(body: dict[str, Any], plan_id: str,
                        recusal_id: str) -> dict[str, Any]:
    """Decide a recusal. Only the recused inspector's own department decides (its head, art.
    43); an approval draws the replacement from the revealed seed by the published rule."""
    plan, _ = get_plan(plan_id, deps().store)
    rec = recusal_of(plan, plan_id, recusal_id)
    dept = rec.request.inspector.split("/", 1)[0]
    role = g.principal.role
    if role != dept or dept not in (plan.spec or {}).get("departments", []):
        raise Problem(403, "Forbidden", f"角色 {role} 不能决定该回避申请"
                      f"（限执法人员所在部门：{DEPARTMENT_LABELS.get(dept, dept)}）")
    handled = decide_recusal(plan_id, recusal_id, body["approved"], body["reason"], role,
                             deps=deps().plan_deps, meta=commit_meta())
    return recusal_body(handled.state, handled.state.recusals[recusal_id])


@blp.route("/<plan_id>/recusals", methods=["GET"])
@roles_required(*DEPARTMENTS)
@blp.response(200, RecusalSchema(many=True))
@problem_doc(blp, 404, "没有该计划")
def recusals(plan_id: str) -> list[dict[str, Any]]:
    """The plan's recusal requests with reasons and decisions (plan departments only; those
    of institutions within the reader's regions)."""
    _act(plan_id, "查看其他部门计划的回避申请")
    plan, _ = get_plan(plan_id, deps().store)
    mine = readable(plan.recusals.values(), lambda r: uscc_district(r.request.uscc))
    return [recusal_body(plan, r) for r in sorted(mine,
                                                  key=lambda r: int(r.request.recusal_id[1:]))]
