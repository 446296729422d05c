"""An institution's credit file and level with its reasons (for regulators; never public)."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from credit.api.common import ctx
from credit.app.common import CREDIT_FILE, district_of, file_stream, load
from credit.domain.credit_file import assess_file
from credit.domain.errors import NotFound
from credit.domain.model import iso
from shared.authority import Scope, check
from shared.http.auth import ROLES, roles_required
from shared.http.fields import Bool
from shared.http.requests import path_uscc
from shared.http.schemas import problem_doc

blp = Blueprint("credit_files", __name__, url_prefix="/api/v1/credit-files",
                description="机构信用档案与信用等级（仅监管部门可见）")
REGULATORS = ROLES


class NeutralSchema(Schema):
    applies = Bool(metadata={"description": "中性期内：等级不高于 level"})
    level = fields.String()
    months = fields.Integer()
    until = fields.String(allow_none=True, metadata={
        "format": "date", "description": "中性期结束日（未备案为 null：始终适用）"})


class CountedRecordSchema(Schema):
    record_id = fields.String()
    category = fields.String()
    points = fields.Integer(metadata={"description": "记入时的分值"})
    occurred_on = fields.String(metadata={"format": "date"})
    withdrawn = Bool()
    fade = fields.Float(metadata={"description": "今日衰减系数 0–1（撤销的记录为 0）"})
    weight = fields.Float(metadata={"description": "今日扣分 = points × fade"})
    demotes = Bool(metadata={"description": "降一级（全权重期内的降级类记录）"})
    forces_d = Bool(metadata={"description": "直接定为 D（未撤销的强制 D 类记录）"})


class CreditFileOutSchema(Schema):
    uscc = fields.String()
    version = fields.Integer()
    as_of = fields.String(metadata={"format": "date"})
    filed_on = fields.String(allow_none=True, metadata={"format": "date"})
    level = fields.String()
    score = fields.Integer()
    score_level = fields.String(metadata={"description": "仅按分数的等级"})
    determined_by = fields.String(metadata={
        "description": "决定等级的最后一步：score / neutral_period / demotion / force_d"})
    thresholds = fields.Dict(keys=fields.String(), values=fields.Integer())
    neutral = fields.Nested(NeutralSchema)
    demoted_by = fields.List(fields.String())
    forced_by = fields.List(fields.String())
    records = fields.List(fields.Nested(CountedRecordSchema))


@blp.route("/<uscc>", methods=["GET"])
@roles_required(*REGULATORS)
@blp.response(200, CreditFileOutSchema)
@problem_doc(blp, 404, "该机构没有信用档案（未备案且无信用记录）")
def get_one(uscc: str) -> dict[str, Any]:
    """Level as of today with its reasons: score, each record's weight after decay, and which
    rule (neutral period, demotion, force D) capped or set the level."""
    uscc, c = path_uscc(uscc), ctx()
    check(g.principal, Scope(district=district_of(uscc)))  # a regulator's own regions only
    state, version = load(c, CREDIT_FILE, file_stream(uscc))
    if version == 0:
        raise NotFound(f"机构 {uscc} 没有信用档案")
    today, rules = c.today(), c.level_rules
    a = assess_file(state, today, rules)
    counted = {x.record_id: x for x in a.counted}
    rows = []
    for rid, r in sorted(state.records.items(), key=lambda kv: (kv[1].occurred_on, kv[0])):
        x = counted.get(rid)
        rows.append({"record_id": rid, "category": r.category, "points": r.points,
                     "occurred_on": r.occurred_on.isoformat(), "withdrawn": r.withdrawn,
                     "fade": round(x.fade, 4) if x else 0.0,
                     "weight": round(x.weight, 2) if x else 0.0,
                     "demotes": bool(x and x.demotes), "forces_d": bool(x and x.forces_d)})
    return {"uscc": uscc, "version": version, "as_of": today.isoformat(),
            "filed_on": iso(state.filed_on), "level": a.level, "score": a.score,
            "score_level": a.score_level, "determined_by": a.determined_by,
            "thresholds": dict(rules.thresholds),
            "neutral": {"applies": a.neutral_applies, "level": rules.neutral_level,
                        "months": rules.neutral_months, "until": iso(a.neutral_until)},
            "demoted_by": list(a.demoted_by), "forced_by": list(a.forced_by), "records": rows}
