"""Hazards: expert panel, rectification order, extension, re-inspection, sealing."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_smorest import Blueprint

from fire_safety.api.common import (
    HAZARD_ID,
    deps,
    hazard_view,
    path_id,
    problems,
    today,
)
from fire_safety.api.schemas import (
    ExpertSchema,
    ExtensionSchema,
    HazardResultSchema,
    HazardSchema,
    LiftSchema,
    OrderSchema,
    ReinspectionSchema,
    SealingConfirmSchema,
    SealingSchema,
    VoteSchema,
)
from fire_safety.app.common import Handled
from fire_safety.app.hazards import HazardCommand, handle, inspection_of
from fire_safety.app.inspections import get_inspection
from fire_safety.domain import hazards as hz
from fire_safety.domain import rectification as rc
from fire_safety.domain.errors import NotFound
from fire_safety.domain.state import Inspection
from shared.authority import BUSINESS_DUTIES, INSPECTOR, LEADER, WRITE_DUTIES
from shared.http.auth import ROLES, roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta

blp = Blueprint("hazards", __name__, url_prefix="/api/v1/hazards",
                description="火灾隐患：专家组判定、责令限期改正、延期、复查、临时查封")


def _dept() -> str:
    """The acting principal's department (token role)."""
    return str(g.principal.role)


def _run(hazard_id: str, build: Any) -> dict[str, Any]:
    hazard_id = path_id(hazard_id, HAZARD_ID, "hazard_id")
    cmd: HazardCommand = build(hazard_id)
    handled: Handled[Inspection] = handle(cmd, deps=deps(), meta=commit_meta())
    return {"inspection_id": handled.state.inspection_id, "version": handled.version,
            "hazard": hazard_view(handled.state.hazards[hazard_id]),
            "events": [e.event_name for e in handled.events]}


def _route(path: str, schema: Any, summary: str,
           duties: tuple[str, ...] = WRITE_DUTIES) -> Any:
    def deco(fn: Any) -> Any:
        fn.__doc__ = summary
        fn = blp.doc(parameters=[IDEMPOTENCY_KEY])(fn)
        fn = problems(blp, 403, 404, 409, 422)(fn)
        fn = blp.response(200, HazardResultSchema)(fn)
        fn = blp.arguments(schema)(fn)
        fn = roles_required("fire_rescue", duties=duties)(fn)  # the brigade decides
        return blp.route(path, methods=["POST"])(fn)

    return deco


@_route("/<hazard_id>/expert-determination", ExpertSchema,
        "Convene an expert panel (>= 7 named members) on a hard case; it decides once >= 2/3 "
        "of them have agreed, each from their own account (POST .../votes).",
        (LEADER,))
def expert(body: dict[str, Any], hazard_id: str) -> dict[str, Any]:
    return _run(hazard_id, lambda h: hz.ConvenePanel(
        h, tuple(body["members"]), body["result"], today(), _dept()))


@_route("/<hazard_id>/expert-determination/votes", VoteSchema,
        "A panel member's own confirmation or dissent (the member is the signed-in account); "
        "the vote that reaches 2/3 makes the determination take effect.",
        BUSINESS_DUTIES)
def vote(body: dict[str, Any], hazard_id: str) -> dict[str, Any]:
    return _run(hazard_id, lambda h: hz.PanelVote(
        h, str(g.principal.sub), body["agree"], today(), _dept()))


@_route("/<hazard_id>/rectification-order", OrderSchema,
        "Serve a rectification order; service after 3 working days is flagged late.")
def order(body: dict[str, Any], hazard_id: str) -> dict[str, Any]:
    return _run(hazard_id, lambda h: rc.OrderRectification(
        h, body["deadline_workdays"], body["served_on"] or today(), body["measures"], today()))


@_route("/<hazard_id>/extension", ExtensionSchema,
        "Extend the deadline once, with a reason, before it has passed.",
        (LEADER,))
def extend(body: dict[str, Any], hazard_id: str) -> dict[str, Any]:
    return _run(hazard_id, lambda h: rc.ExtendRectification(
        h, body["extra_workdays"], body["reason"], today()))


@_route("/<hazard_id>/reinspections", ReinspectionSchema,
        "Record a re-inspection: fixed (verified) or not fixed (overdue once past deadline).",
        (INSPECTOR,))
def reinspect(body: dict[str, Any], hazard_id: str) -> dict[str, Any]:
    return _run(hazard_id, lambda h: rc.RecordReinspection(
        h, body["outcome"], tuple(body["inspectors"]), body["evidence"],
        body["reinspected_on"] or today(), today()))


@_route("/<hazard_id>/sealing", SealingSchema,
        "Temporary sealing of a major hazard: emergency (sealed at once, to be confirmed "
        "collectively), or collective (>= 3 named members; sealed when each has agreed from "
        "their own account, POST .../sealing/votes).",
        (LEADER,))
def seal(body: dict[str, Any], hazard_id: str) -> dict[str, Any]:
    return _run(hazard_id, lambda h: hz.OrderSealing(
        h, body["scope"], body["reason"], body["decision"], tuple(body["decided_by"]),
        today(), _dept()))


@_route("/<hazard_id>/sealing/confirmation", SealingConfirmSchema,
        "Put the collective confirmation of an emergency sealing to >= 3 named members; it "
        "takes effect when each has agreed from their own account (POST .../sealing/votes).",
        (LEADER,))
def confirm_seal(body: dict[str, Any], hazard_id: str) -> dict[str, Any]:
    return _run(hazard_id, lambda h: hz.ConfirmSealing(h, tuple(body["decided_by"]), today(),
                                                       _dept()))


@_route("/<hazard_id>/sealing/votes", VoteSchema,
        "A member named in the pending collective sealing decision agrees or dissents (the "
        "member is the signed-in account); the last agreement makes it take effect, a dissent "
        "ends the proposal.",
        BUSINESS_DUTIES)
def sealing_vote(body: dict[str, Any], hazard_id: str) -> dict[str, Any]:
    return _run(hazard_id, lambda h: hz.SealingVote(h, str(g.principal.sub), body["agree"],
                                                    today()))


@_route("/<hazard_id>/sealing/lifting", LiftSchema, "Lift a sealing in force.",
        (LEADER,))
def lift_seal(body: dict[str, Any], hazard_id: str) -> dict[str, Any]:
    return _run(hazard_id, lambda h: hz.LiftSealing(h, body["reason"], today()))


@blp.route("/<hazard_id>", methods=["GET"])
@roles_required(*ROLES)
@blp.response(200, HazardSchema)
@problems(blp, 404)
def get_one(hazard_id: str) -> dict[str, Any]:
    """One hazard and its rectification order (any department within whose regions the
    institution lies; 403 outside)."""
    hazard_id = path_id(hazard_id, HAZARD_ID, "hazard_id")
    state, _ = get_inspection(inspection_of(hazard_id), store=deps().store,
                              reader=g.principal)
    if hazard_id not in state.hazards:
        raise NotFound(f"隐患 {hazard_id} 不存在")
    return hazard_view(state.hazards[hazard_id])
