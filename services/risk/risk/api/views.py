"""Officials read an institution's risk and the rules in force; the scheduled re-assessment
can also be run by hand (a national civil-affairs leader)."""

from __future__ import annotations

from typing import Any

from flask import current_app, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from risk.app.common import Deps, reassess_all
from shared.authority import LEADER, Scope
from shared.http.auth import ROLES, roles_required
from shared.http.requests import commit_meta, path_uscc
from shared.http.schemas import problem_doc

EXTENSION = "risk"
blp = Blueprint("risk", __name__, url_prefix="/api/v1",
                description="机构风险等级与预警（红/橙/黄），及其依据的规则")


def deps() -> Deps:
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]


class ReasonSchema(Schema):
    rule = fields.String()
    label = fields.String()
    count = fields.Integer()
    weight = fields.Integer()
    refs = fields.List(fields.String(), metadata={"description": "依据的事项编号"})
    department = fields.String()


class AlertSchema(Schema):
    alert_id = fields.String()
    level = fields.String()
    level_label = fields.String()
    raised_on = fields.Date()
    awaiting_inspection = fields.Boolean()
    reasons = fields.List(fields.Nested(ReasonSchema))


class RiskSchema(Schema):
    uscc = fields.String()
    version = fields.Integer()
    risk_class = fields.String()
    risk_class_label = fields.String()
    score = fields.Integer()
    reasons = fields.List(fields.Nested(ReasonSchema))
    alert = fields.Nested(AlertSchema, allow_none=True)
    alerts = fields.List(fields.String())


class RuleSchema(Schema):
    code = fields.String()
    label = fields.String()
    signal = fields.String()
    window_days = fields.Integer()
    threshold = fields.Integer()
    weight = fields.Integer()
    department = fields.String()


class RulesSchema(Schema):
    rules = fields.List(fields.Nested(RuleSchema))
    yellow_at = fields.Integer()
    orange_at = fields.Integer()
    red_at = fields.Integer()


class ReportSchema(Schema):
    as_of = fields.Date()
    checked = fields.Integer()
    changed = fields.List(fields.String())


class EmptySchema(Schema):
    pass


@blp.route("/institutions/<uscc>/risk", methods=["GET"])
@roles_required(*ROLES)
@blp.response(200, RiskSchema)
@problem_doc(blp, 403, "不在本账号辖区")
@problem_doc(blp, 404, "没有风险记录")
def institution_risk(uscc: str) -> dict[str, Any]:
    """The institution's risk class, score, the rules firing today and the open alert."""
    from risk.app.common import view

    return view(deps(), path_uscc(uscc), g.principal)


@blp.route("/rules", methods=["GET"])
@roles_required(*ROLES)
@blp.response(200, RulesSchema)
def rules() -> dict[str, Any]:
    """The rules in force (configured with ELDERCARE_RISK_*)."""
    r = deps().rules
    return {"rules": [x.to_data() for x in r.risk_rules], "yellow_at": r.yellow_at,
            "orange_at": r.orange_at, "red_at": r.red_at}


@blp.route("/checks/reassessment", methods=["POST"])
@roles_required("civil_affairs", duties=(LEADER,))
@blp.arguments(EmptySchema)
@blp.response(200, ReportSchema)
@problem_doc(blp, 403, "须全国范围的民政负责人")
def reassess(_: dict[str, Any]) -> dict[str, Any]:
    """Re-assess every institution now (the scheduler does it every hour)."""
    meta = commit_meta().authorized(Scope(departments=("civil_affairs",), duties=(LEADER,),
                                          national=True))
    report = reassess_all(deps(), meta)
    return {"as_of": report.as_of, "checked": report.checked, "changed": report.changed}
