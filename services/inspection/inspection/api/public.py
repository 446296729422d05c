"""Public reads (no token): item list, plans, snapshots and the re-verification of draws."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_smorest import Blueprint

from inspection.api.common import deps
from inspection.api.plans import attempts_body, plan_body
from inspection.api.schemas import (
    ItemOutSchema,
    ObjectSchema,
    PlanSchema,
    VerificationSchema,
    VerifyArgsSchema,
)
from inspection.app.directories import all_items
from inspection.app.plans import all_plans, get_plan
from inspection.domain.canonical import canonical
from inspection.domain.draw import attempt_problems, beacon_of, is_legacy, verify
from inspection.domain.model import DEPARTMENTS
from shared.domain import uscc_district
from shared.http.auth import require_readable, roles_required
from shared.http.problems import Problem
from shared.http.schemas import problem_doc

blp = Blueprint("public", __name__, url_prefix="/api/v1",
                description="公开信息（无需令牌）：抽查事项清单、计划、名录快照、抽取核验")


@blp.route("/items", methods=["GET"])
@blp.response(200, ItemOutSchema(many=True))
def items() -> list[dict[str, Any]]:
    """The published inspection-item list of every department (抽查事项清单)."""
    return [{**i.__dict__, "ref": i.ref, "revision": rev} for i, rev in all_items(deps().store)]


@blp.route("/plans", methods=["GET"])
@blp.response(200, PlanSchema(many=True))
def plans() -> list[dict[str, Any]]:
    """Every plan with its commitment and, once drawn, its seed and result."""
    return [plan_body(p, 0) for p in all_plans(deps().store)]


@blp.route("/plans/<plan_id>", methods=["GET"])
@blp.response(200, PlanSchema)
@problem_doc(blp, 404, "没有该计划")
def plan(plan_id: str) -> dict[str, Any]:
    """One plan (the seed only after the draw)."""
    return plan_body(*get_plan(plan_id, deps().store))


@blp.route("/plans/<plan_id>/snapshot", methods=["GET"])
@blp.response(200, description="名录快照的规范 JSON；SHA-256(响应体) = snapshot_hash。"
              "抽取后才公开；执法人员的回避申报以每家机构一个加盐哈希（conflict_tag）密封")
@problem_doc(blp, 404, "没有该计划，或尚未抽取（抽取前只公布快照哈希）")
def snapshot(plan_id: str) -> Response:
    """The exact snapshot the plan drew from, as canonical JSON bytes, once drawn."""
    state, _ = get_plan(plan_id, deps().store)
    if not state.drawn:
        raise Problem(404, "Not Found", f"计划 {plan_id} 尚未抽取：抽取前只公布名录快照的哈希，"
                      "快照本身在抽取时公开")
    snap = deps().vault.snapshot(state.drawn.snapshot_hash)
    if snap is None:
        raise Problem(404, "Not Found", f"计划 {plan_id} 的名录快照缺失")
    if is_legacy(snap):
        raise Problem(404, "Not Found", f"计划 {plan_id} 的旧版（v1）快照含明文回避申报，不公开；"
                      "请使用在线核验")
    return Response(canonical(snap), mimetype="application/json")


@blp.route("/plans/<plan_id>/verification", methods=["GET"])
@blp.arguments(VerifyArgsSchema, location="query")
@blp.response(200, VerificationSchema)
@problem_doc(blp, 404, "没有该计划，或尚未抽取")
def verification(args: dict[str, Any], plan_id: str) -> dict[str, Any]:
    """Recompute the draw and every replacement from the revealed seed, the stored snapshot
    and the opened conflicts; say if it matches."""
    state, _ = get_plan(plan_id, deps().store)
    if not state.drawn:
        raise Problem(404, "Not Found", f"计划 {plan_id} 尚未抽取")
    drawn = state.drawn.to_data()
    snap = deps().vault.snapshot(drawn["snapshot_hash"])
    if snap is None:
        raise Problem(404, "Not Found", f"计划 {plan_id} 的名录快照缺失")
    seed = args.get("seed") or drawn["seed"]
    published = {k: drawn[k] for k in ("commitment", "snapshot_hash", "result_hash")}
    result = verify(seed, snap, **{f"published_{k}": v for k, v in published.items()},
                    openings=drawn.get("conflict_openings", []),
                    replacements=[r.to_data() for r in state.replacements],
                    beacon=beacon_of(drawn, plan_id))
    problems = attempt_problems(attempts_body(state))
    result["checks"]["attempts"] = not problems
    return {"plan_id": plan_id, **result, "matches": result["matches"] and not problems,
            "problems": [*result["problems"], *problems], "published": published}


@blp.route("/objects/<uscc>", methods=["GET"])
@roles_required(*DEPARTMENTS)
@blp.response(200, ObjectSchema)
@problem_doc(blp, 404, "检查对象名录中没有该机构")
def inspection_object(uscc: str) -> dict[str, Any]:
    """One institution as the object directory knows it (departments only, within their
    regions: 403 outside, before anything is looked up)."""
    require_readable(uscc_district(uscc))
    doc = deps().directory.get(uscc)
    if doc is None or "filing_status" not in doc:
        raise Problem(404, "Not Found", f"检查对象名录中没有 {uscc}")
    return {**doc, "uscc": uscc}
