"""GET /api/v1/desk: the signed-in official's open work items, most urgent first.

Items of the official's department whose districts lie within the official's regions (items
for the whole country: national accounts only), and, where an item names duties, only for an
official holding one; an item that names members (a collective determination awaiting
answers) only for those accounts. Overdue items (due before today, China time) come first,
then by due date, items without a date last. A rectification whose deadline has passed is
shown as a re-inspection due (its kind is a matter of today's date, not of an event).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import current_app, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from projection.features import active
from projection.features.desk.fold import ITEMS
from projection.features.desk.projector import PROJECTOR
from shared.authority import NATIONAL, Authority
from shared.clock import SystemClock, china_today
from shared.http.auth import ROLES, roles_required

CLOCK = "desk.clock"  # tests put a FixedClock here
blp = Blueprint("desk", __name__, url_prefix="/api/v1/desk",
                description="工作台：本人部门、辖区内待办事项（需令牌）")


class ItemSchema(Schema):
    id = fields.String(metadata={"description": "待办事项编号"})
    kind = fields.String(metadata={
        "description": "事项类别，如 order_to_serve、penalty_to_disclose"})
    uscc = fields.String()
    name = fields.String(metadata={"description": "机构或计划名称（不含个人信息）"})
    ref = fields.String(metadata={"description": "对象在其服务中的编号"})
    departments = fields.List(fields.String())
    districts = fields.List(fields.String())
    params = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "办理该事项的表单的其他路径参数（如检查项编号）"})
    due = fields.String(allow_none=True, metadata={"description": "期限（年-月-日）"})
    since = fields.String()
    overdue = fields.Boolean()
    level = fields.String(allow_none=True, metadata={
        "description": "风险预警与重点检查：预警等级 red、orange、yellow"})
    reasons = fields.List(fields.String(), metadata={"description": "预警依据（规则名称）"})
    category = fields.String(allow_none=True, metadata={"description": "投诉类别"})


class DeskSchema(Schema):
    as_of = fields.String()
    items = fields.List(fields.Nested(ItemSchema))
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    overdue_counts = fields.Dict(keys=fields.String(), values=fields.Integer(),
                                 metadata={"description": "各类逾期事项数量"})
    overdue = fields.Integer()


def visible(item: dict[str, Any], me: Authority) -> bool:
    """The official's department, a district within their regions, a duty they hold."""
    if me.department not in item.get("departments", []):
        return False
    if item.get("duties") and not me.has_any_duty(tuple(item["duties"])):
        return False
    if item.get("members") and me.sub not in item["members"]:
        return False
    districts = item.get("districts") or []
    if not districts:
        return NATIONAL in me.regions
    return any(me.covers(d) for d in districts)


def urgency(item: dict[str, Any], today: str) -> tuple[int, str]:
    due = item.get("due")
    if due is None:
        return (2, item.get("since") or "")
    return (0 if due < today else 1, due)


def shown(item: dict[str, Any], me: Authority, today: str) -> dict[str, Any]:
    """The item as this official sees it on ``today``."""
    out = {k: item.get(k) for k in ("kind", "uscc", "name", "ref", "departments",
                                    "districts", "due", "since", "level", "category")}
    out["reasons"] = list(item.get("reasons") or [])
    out["params"] = dict(item.get("params") or {})
    if item.get("kind") == "rectification_due" and item.get("due") and item["due"] < today:
        out["kind"] = "reinspection_due"
    if item.get("kind") == "determination_to_confirm":  # the first item awaiting *my* answer
        mine = [c for c, ms in sorted((item.get("pending") or {}).items()) if me.sub in ms]
        out["params"]["item_code"] = mine[0] if mine else out["params"].get("item_code", "")
    return {**out, "id": item["_id"], "overdue": bool(item.get("due") and item["due"] < today)}


@blp.route("", methods=["GET"])
@roles_required(*ROLES)
@blp.response(200, DeskSchema)
def desk() -> dict[str, Any]:
    """本人待办事项：逾期在前，其余按期限排序；含各类数量"""
    today = china_today(current_app.extensions.get(CLOCK) or SystemClock()).isoformat()
    me: Authority = g.principal
    db = current_app.extensions["projection.db"]()
    found = [doc for doc in active(db, PROJECTOR, ITEMS).find(
        {"open": True, "departments": {"$in": [me.department]}}) if visible(doc, me)]
    found.sort(key=lambda d: urgency(d, today))
    items = [shown(d, me, today) for d in found]
    _name_from_directory(items)
    return {"as_of": today, "items": items, "counts": dict(Counter(i["kind"] for i in items)),
            "overdue_counts": dict(Counter(i["kind"] for i in items if i["overdue"])),
            "overdue": sum(i["overdue"] for i in items)}


def _name_from_directory(items: list[dict[str, Any]]) -> None:
    """Items from events that name no institution (risk alerts, targeted inspections) take
    the name the public directory has for their USCC."""
    from projection.web import reads

    names: dict[str, str] = {}
    for item in items:
        uscc = item.get("uscc") or ""
        if item.get("name") or not uscc:
            continue
        if uscc not in names:
            names[uscc] = str((reads.find_institution(uscc) or {}).get("name") or "")
        item["name"] = names[uscc]
