"""Jurisdiction policies: publish a version (civil affairs), list versions (any department)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from escrow.api.common import deps
from escrow.api.schemas import PolicyListSchema, PolicyRequestSchema, PublishResultSchema
from escrow.app.policies import publish_policy
from escrow.domain.errors import InvalidCommand, NotFound
from escrow.domain.policy import JURISDICTION, Terms
from shared.authority import WRITE_DUTIES
from shared.clock import china_today
from shared.http.auth import ROLES, roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta
from shared.http.schemas import problem_doc

blp = Blueprint("policies", __name__, url_prefix="/api/v1/policies",
                description="辖区预收费监管规则（按生效日期分版本；只适用于此后开始的合同）")


def _jurisdiction(raw: str) -> str:
    if not JURISDICTION.match(raw):
        raise InvalidCommand({"jurisdiction": ["须为 2–40 位小写字母、数字或下划线"]})
    return raw


@blp.route("/<jurisdiction>", methods=["POST"])
@roles_required("civil_affairs", duties=WRITE_DUTIES)
@blp.arguments(PolicyRequestSchema)
@blp.response(201, PublishResultSchema, description="新版本已发布")
@blp.alt_response(200, schema=PublishResultSchema, description="相同内容已发布：不重复记录")
@problem_doc(blp, 409, "同一生效日期已有不同内容，或早于最新版本")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def publish(body: dict[str, Any], jurisdiction: str) -> tuple[dict[str, Any], int]:
    """Publish a policy version (预收费监管规则)."""
    d, effective_from = deps(), body.pop("effective_from")
    out = publish_policy(_jurisdiction(jurisdiction), effective_from, Terms(**body),
                         store=d.store, clock=d.clock, meta=commit_meta(),
                         ceiling=d.policies.ceiling)
    version = next(v for v in out.state.versions if v.effective_from == effective_from)
    outcome = "published" if out.created else "unchanged"
    return ({"jurisdiction": jurisdiction, "outcome": outcome, "version": version},
            201 if out.created else 200)


@blp.route("/<jurisdiction>", methods=["GET"])
@roles_required(*ROLES)
@blp.response(200, PolicyListSchema)
@problem_doc(blp, 404, "该辖区没有任何规则")
def versions(jurisdiction: str) -> dict[str, Any]:
    """All versions of a jurisdiction's policy, the shipped default first."""
    d = deps()
    found = d.policies.versions(_jurisdiction(jurisdiction))
    if not found:
        raise NotFound(f"辖区 {jurisdiction} 没有预收费监管规则")
    try:
        today = d.policies.in_force(jurisdiction, china_today(d.clock))
    except NotFound:
        today = None
    return {"jurisdiction": jurisdiction, "versions": found, "in_force_today": today}
