"""GET /api/v1/dashboard: per metric, district and month, the counts within the caller's
regions (the leaders' dashboard of the console)."""

from __future__ import annotations

from typing import Any

from flask import current_app, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from projection.features import active
from projection.features.dashboard.fold import COUNTS, METRICS
from projection.features.dashboard.projector import PROJECTOR
from shared.authority import Authority
from shared.http.auth import ROLES, roles_required

blp = Blueprint("dashboard", __name__, url_prefix="/api/v1/dashboard",
                description="领导驾驶舱：按区县、月份统计（需令牌，限本人辖区）")


class RowSchema(Schema):
    metric = fields.String()
    district = fields.String()
    month = fields.String(metadata={"description": "YYYY-MM；负债为 now（当前）"})
    n = fields.Integer()


class DashboardSchema(Schema):
    metrics = fields.Dict(keys=fields.String(), values=fields.String())
    rows = fields.List(fields.Nested(RowSchema))


@blp.route("", methods=["GET"])
@roles_required(*ROLES)
@blp.response(200, DashboardSchema)
def dashboard() -> dict[str, Any]:
    """各项统计（按指标、区县、月份），仅本人辖区内的区县"""
    me: Authority = g.principal
    db = current_app.extensions["projection.db"]()
    rows = []
    for doc in active(db, PROJECTOR, COUNTS).find():
        metric, district, month = str(doc["_id"]).split("|")
        if me.covers(district) and doc.get("n"):
            rows.append({"metric": metric, "district": district, "month": month,
                         "n": int(doc["n"])})
    rows.sort(key=lambda r: (r["metric"], r["month"], r["district"]))
    return {"metrics": METRICS, "rows": rows}
