"""Each department manages its inspectors and its inspection-item list."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from inspection.api.common import (
    department_path,
    deps,
    require_department,
)
from inspection.api.schemas import (
    InspectorChangeSchema,
    InspectorOutSchema,
    InspectorSchema,
    ItemOutSchema,
    ItemSchema,
)
from inspection.app.directories import (
    change_inspector,
    publish_item,
    register_inspector,
    roster_of,
)
from inspection.domain.items import Item
from inspection.domain.model import DEPARTMENTS
from inspection.domain.roster import Inspector
from shared.authority import WRITE_DUTIES
from shared.http.auth import readable_regions, roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta
from shared.http.schemas import problem_doc

blp = Blueprint("directories", __name__, url_prefix="/api/v1/departments",
                description="执法检查人员名录库与抽查事项清单（各部门维护）")


def _inspector(i: Inspector) -> dict[str, Any]:
    return {**i.to_data(), "key": i.key}


@blp.route("/<department>/inspectors", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=WRITE_DUTIES)
@blp.arguments(InspectorSchema)
@blp.response(201, InspectorOutSchema, description="已登记")
@blp.alt_response(200, schema=InspectorOutSchema, description="相同信息已登记：不重复记录")
@problem_doc(blp, 409, "已登记且信息不同")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def add_inspector(body: dict[str, Any], department: str) -> tuple[dict[str, Any], int]:
    """Register an inspector in the department's roster (执法检查人员名录库)."""
    dept = department_path(department)
    require_department([dept], "维护其他部门的执法人员")
    inspector = Inspector(department=dept, **{**body, "conflicts": tuple(body["conflicts"])})
    handled = register_inspector(inspector, store=deps().store, meta=commit_meta())
    return _inspector(handled.state[inspector.inspector_id]), 201 if handled.events else 200


@blp.route("/<department>/inspectors/<inspector_id>", methods=["PATCH"])
@roles_required(*DEPARTMENTS, duties=WRITE_DUTIES)
@blp.arguments(InspectorChangeSchema)
@blp.response(200, InspectorOutSchema)
@problem_doc(blp, 404, "没有该执法人员")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def patch_inspector(body: dict[str, Any], department: str, inspector_id: str) -> dict[str, Any]:
    """Change status (active/inactive), region, certificate or declared conflicts."""
    dept = department_path(department)
    require_department([dept], "维护其他部门的执法人员")
    handled = change_inspector(dept, inspector_id, body, store=deps().store, meta=commit_meta())
    return _inspector(handled.state[inspector_id])


@blp.route("/<department>/inspectors", methods=["GET"])
@roles_required(*DEPARTMENTS)
@blp.response(200, InspectorOutSchema(many=True))
def list_inspectors(department: str) -> list[dict[str, Any]]:
    """The department's roster (department staff only; never public)."""
    dept = department_path(department)
    require_department([dept], "查看其他部门的执法人员")
    mine = readable_regions(roster_of(dept, deps().store).values(), lambda i: i.region)
    return [_inspector(i) for i in sorted(mine, key=lambda i: i.inspector_id)]


@blp.route("/<department>/items", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=WRITE_DUTIES)
@blp.arguments(ItemSchema)
@blp.response(201, ItemOutSchema, description="已公布（新事项或新版本）")
@blp.alt_response(200, schema=ItemOutSchema, description="内容相同：不重复记录")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def add_item(body: dict[str, Any], department: str) -> tuple[dict[str, Any], int]:
    """Publish an item of the department's inspection-item list (抽查事项清单)."""
    dept = department_path(department)
    require_department([dept], "维护其他部门的抽查事项")
    item = Item(department=dept, **body)
    handled = publish_item(item, store=deps().store, meta=commit_meta())
    stored, revision = handled.state[item.item_id]
    out = {**stored.__dict__, "ref": stored.ref, "revision": revision}
    return out, 201 if handled.events else 200
