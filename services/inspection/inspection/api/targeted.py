"""Targeted inspections (重点检查) opened by orange or red risk alerts: read, record the
result, publish it. Only the departments the alert named, in the institution's district."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from inspection.api.common import deps
from inspection.app import targeted as uc
from inspection.domain.model import DEPARTMENTS, FOLLOW_UPS
from inspection.domain.targeted import RecordResult, Targeted
from shared.authority import INSPECTOR, LEADER, WRITE_DUTIES
from shared.http.auth import roles_required
from shared.http.fields import Bool, text
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta, version_headers
from shared.http.schemas import problem_doc

blp = Blueprint("targeted", __name__, url_prefix="/api/v1/targeted-inspections",
                description="重点检查：风险预警（橙色、红色）引起，不经随机抽取；录入并公开结果")


class TargetedResultSchema(Schema):
    inspected_on = fields.Date(required=True)
    inspectors = fields.List(text(100), required=True, validate=validate.Length(min=2, max=20),
                             metadata={"description": "执法人员（至少两名）"})
    findings = fields.String(required=True, validate=validate.Length(max=4000))
    problem_found = Bool(required=True)
    follow_up = fields.String(required=True, validate=validate.OneOf(FOLLOW_UPS))


class EmptySchema(Schema):
    pass


class TargetedSchema(Schema):
    inspection_id = fields.String()
    alert_id = fields.String()
    uscc = fields.String()
    level = fields.String()
    reasons = fields.List(fields.String())
    departments = fields.List(fields.String())
    opened_on = fields.Date()
    due = fields.Date()
    status = fields.String()
    version = fields.Integer()
    result = fields.Dict(allow_none=True)
    published_on = fields.Date(allow_none=True)


def body_of(s: Targeted, version: int) -> dict[str, Any]:
    o = s.opened
    assert o is not None
    return {**vars(o), "status": s.status, "version": version,
            "result": s.result.to_data() if s.result else None,
            "published_on": s.published_on}


@blp.route("/<inspection_id>", methods=["GET"])
@roles_required(*DEPARTMENTS)
@blp.response(200, TargetedSchema)
@problem_doc(blp, 403, "不在本账号辖区")
@problem_doc(blp, 404, "没有该重点检查")
def get_one(inspection_id: str) -> tuple[dict[str, Any], dict[str, str]]:
    """One targeted inspection with its reasons, deadline and result."""
    state, version = uc.get(inspection_id, deps().store, g.principal)
    return body_of(state, version), version_headers(version)


@blp.route("/<inspection_id>/result", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=(INSPECTOR, LEADER))
@blp.arguments(TargetedResultSchema)
@blp.response(200, TargetedSchema)
@problem_doc(blp, 403, "不是预警指定的部门，或辖区不符")
@problem_doc(blp, 404, "没有该重点检查")
@problem_doc(blp, 409, "结果已公开")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def record(body: dict[str, Any], inspection_id: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Record what the targeted inspection found (again, until it is published)."""
    d = deps()
    cmd = RecordResult(body["inspected_on"], tuple(i.strip() for i in body["inspectors"]),
                       body["findings"].strip(), body["problem_found"], body["follow_up"],
                       uc.today_of(d.clock))
    h = uc.record_result(inspection_id, cmd, (INSPECTOR, LEADER), store=d.store,
                         meta=commit_meta())
    return body_of(h.state, h.version), version_headers(h.version)


@blp.route("/<inspection_id>/publication", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=WRITE_DUTIES)
@blp.arguments(EmptySchema)
@blp.response(200, TargetedSchema)
@problem_doc(blp, 403, "不是预警指定的部门，或辖区不符")
@problem_doc(blp, 404, "没有该重点检查")
@problem_doc(blp, 409, "尚未录入结果")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def publish(_: dict[str, Any], inspection_id: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Publish the result (marked as a targeted inspection, with its reasons)."""
    d = deps()
    h = uc.publish(inspection_id, WRITE_DUTIES, store=d.store, clock=d.clock,
                   meta=commit_meta())
    return body_of(h.state, h.version), version_headers(h.version)
