"""Inspections: start (with items and completion in one go), record items, complete, correct."""

from __future__ import annotations

import uuid
from typing import Any

from flask import g, url_for
from flask_smorest import Blueprint

from fire_safety.api.common import (
    INSPECTION_ID,
    ITEM_CODE,
    deps,
    inspection_view,
    path_id,
    problems,
    today,
)
from fire_safety.api.schemas import (
    CorrectionSchema,
    InspectionCreateSchema,
    InspectionSchema,
    VoteSchema,
)
from fire_safety.api.schemas import ItemsSchema as ItemsBody
from fire_safety.app.inspections import (
    CORRECTION,
    FIELD_WORK,
    NewInspection,
    confirm_determination,
    correct_inspection,
    get_inspection,
    record_items,
    start_inspection,
)
from fire_safety.domain.checklist import Template
from fire_safety.domain.inspection import RecordItem, StartInspection
from fire_safety.domain.model import Inspector
from shared.authority import BUSINESS_DUTIES
from shared.http.auth import ROLES, roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta

blp = Blueprint("inspections", __name__, url_prefix="/api/v1/inspections",
                description="消防检查：检查表逐项记录、完成后不可更改（更正另记）")
INSPECTORS = ("fire_rescue", "civil_affairs")


def _items(raw: list[dict[str, Any]], inspection_id: str) -> list[RecordItem]:
    return [RecordItem(inspection_id, i["item_code"], i["outcome"], i["evidence"], i["level"],
                       tuple(i["determined_by"])) for i in raw]


def _new(body: dict[str, Any], inspection_id: str, actor_dept: str) -> NewInspection:
    start = StartInspection(
        inspection_id, body["institution_uscc"], body["institution_name"], body["kind"],
        body["inspection_date"], tuple(Inspector(**i) for i in body["inspectors"]),
        body["task_id"], Template("", 0, "", ()), actor_dept, today())
    return NewInspection(start, body["template_id"], body["template_version"])


@blp.route("", methods=["POST"])
@roles_required(*INSPECTORS, duties=FIELD_WORK)
@blp.arguments(InspectionCreateSchema)
@blp.response(201, InspectionSchema, description="检查已登记（complete=true 时同时完成并形成隐患）")
@problems(blp, 403, 409, 422)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def create(body: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Start an inspection; items and completion may come in the same request."""
    inspection_id = body["inspection_id"] or f"FI-{today():%Y%m%d}-{uuid.uuid4().hex[:8]}"
    meta = commit_meta()
    handled = start_inspection(_new(body, inspection_id, meta.actor_dept),
                               _items(body["items"], inspection_id), body["complete"],
                               deps=deps(), meta=meta)
    location = url_for("inspections.get_one", inspection_id=inspection_id)
    return inspection_view(handled.state, handled.version), 201, {"Location": location}


@blp.route("/<inspection_id>/items", methods=["POST"])
@roles_required(*INSPECTORS, duties=FIELD_WORK)
@blp.arguments(ItemsBody)
@blp.response(200, InspectionSchema)
@problems(blp, 403, 404, 409, 422)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def record(body: dict[str, Any], inspection_id: str) -> dict[str, Any]:
    """Record item outcomes on an open inspection (complete=true also completes it)."""
    inspection_id = path_id(inspection_id, INSPECTION_ID, "inspection_id")
    handled = record_items(inspection_id, _items(body["items"], inspection_id),
                           body["complete"], deps=deps(), meta=commit_meta())
    return inspection_view(handled.state, handled.version)


@blp.route("/<inspection_id>/items/<item_code>/determination-votes", methods=["POST"])
@roles_required(*INSPECTORS, duties=BUSINESS_DUTIES)
@blp.arguments(VoteSchema)
@blp.response(200, InspectionSchema)
@problems(blp, 403, 404, 409, 422)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def determination_vote(body: dict[str, Any], inspection_id: str,
                       item_code: str) -> dict[str, Any]:
    """A member named for a major item's collective determination agrees or dissents, from
    their own account (the member is the signed-in account). The inspection completes only
    when every named member of every major item has agreed."""
    inspection_id = path_id(inspection_id, INSPECTION_ID, "inspection_id")
    item_code = path_id(item_code, ITEM_CODE, "item_code")
    handled = confirm_determination(inspection_id, item_code, body["agree"], deps=deps(),
                                    meta=commit_meta())
    return inspection_view(handled.state, handled.version)


@blp.route("/<inspection_id>/completion", methods=["POST"])
@roles_required(*INSPECTORS, duties=FIELD_WORK)
@blp.response(200, InspectionSchema, description="已完成；再次提交不重复记录")
@problems(blp, 403, 404, 422)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def complete(inspection_id: str) -> dict[str, Any]:
    """Complete an inspection: every item must be recorded; failed items become hazards."""
    inspection_id = path_id(inspection_id, INSPECTION_ID, "inspection_id")
    handled = record_items(inspection_id, [], True, deps=deps(), meta=commit_meta())
    return inspection_view(handled.state, handled.version)


@blp.route("/<inspection_id>/corrections", methods=["POST"])
@roles_required(*INSPECTORS, duties=CORRECTION)
@blp.arguments(CorrectionSchema)
@blp.response(201, InspectionSchema, description="更正说明已记录（原记录不变）")
@problems(blp, 403, 404, 409, 422)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def correct(body: dict[str, Any], inspection_id: str) -> tuple[dict[str, Any], int]:
    """Add a correction to a completed inspection."""
    inspection_id = path_id(inspection_id, INSPECTION_ID, "inspection_id")
    handled = correct_inspection(inspection_id, body["item_code"], body["note"],
                                 body["reason"], deps=deps(), meta=commit_meta())
    return inspection_view(handled.state, handled.version), 201


@blp.route("/<inspection_id>", methods=["GET"])
@roles_required(*ROLES)
@blp.response(200, InspectionSchema)
@problems(blp, 404)
def get_one(inspection_id: str) -> dict[str, Any]:
    """One inspection with its results and hazards (any department)."""
    inspection_id = path_id(inspection_id, INSPECTION_ID, "inspection_id")
    state, version = get_inspection(inspection_id, store=deps().store, reader=g.principal)
    return inspection_view(state, version)
