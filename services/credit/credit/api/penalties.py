"""Administrative penalties: record, read, publish, withdraw, end display early."""

from __future__ import annotations

from typing import Any

from flask import g, url_for
from flask_smorest import Blueprint

from credit.api.common import DEPARTMENTS, ctx, region
from credit.api.schemas import EarlyEndSchema, PenaltyOutSchema, PenaltySchema, WithdrawalSchema
from credit.app import penalties as app
from credit.app.common import PENALTY, Handled, load, penalty_stream
from credit.domain import penalty as domain
from credit.domain.errors import NotFound
from credit.domain.events import Party
from credit.domain.masking import masked_person
from credit.domain.penalty import Penalty, RecordPenalty, Sanction
from shared.authority import WRITE_DUTIES, Scope, check
from shared.http.auth import ROLES, roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta
from shared.http.schemas import problem_doc

blp = Blueprint("penalties", __name__, url_prefix="/api/v1/penalties",
                description="行政处罚及其公示（总局令第45号）")


def _out(penalty_id: str, handled: Handled[Penalty] | tuple[Penalty, int],
         outcome: str = "") -> dict[str, Any]:
    state, version = ((handled.state, handled.version) if isinstance(handled, Handled)
                      else handled)
    if isinstance(handled, Handled) and not handled.events:
        outcome = "unchanged"
    return {"penalty_id": penalty_id, "version": version, "outcome": outcome,
            "decided": state.decided.to_data() if state.decided else None,
            "published_on": state.published_on,
            "display_until": state.display_until, "overdue_flagged": state.overdue_flagged,
            "withdrawn_on": state.withdrawn_on, "ended_early_on": state.ended_early_on,
            "on_display": domain.on_display(state, ctx().today())}


def _party(raw: dict[str, Any]) -> Party:
    """Mask a natural person on input; the full ID number goes no further than here."""
    if raw["kind"] == "organisation":
        return Party("organisation", raw["uscc"], raw["name"].strip(), None, None)
    p = masked_person(raw["name"], raw.get("id_number"), ctx().id_salt)
    return Party("person", None, p["name_masked"], p["id_masked"], p["id_hash"])


def _command(body: dict[str, Any]) -> RecordPenalty:
    return RecordPenalty(
        penalty_id=app.penalty_id_for(body["decision_no"]), decision_no=body["decision_no"],
        party=_party(body["party"]), violation_type=body["violation_type"],
        legal_basis=body["legal_basis"], sanctions=tuple(Sanction(**s) for s in body["sanctions"]),
        authority=body["authority"], district_code=body["district_code"],
        decided_on=body["decided_on"], summary=body["summary"], today=ctx().today())


@blp.route("", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=WRITE_DUTIES)
@blp.arguments(PenaltySchema)
@blp.response(201, PenaltyOutSchema, description="已录入；计算公示期限与展示期")
@blp.alt_response(200, schema=PenaltyOutSchema, description="同一决定书已以相同内容录入")
@problem_doc(blp, 403, "决定机关所在地不在本账号辖区内，或非作出处罚的部门")
@problem_doc(blp, 409, "同一决定书文号已录入不同内容")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def record(body: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Record an administrative penalty decision (行政处罚决定录入).

    谁办案、谁录入、谁负责: the deciding department is the caller's (from the token);
    ``district_code`` is where the deciding authority sits and must lie in the caller's region.
    """
    cmd = _command(body)
    handled = app.record_penalty(ctx(), commit_meta(), cmd, region())
    location = url_for("penalties.get_one", penalty_id=cmd.penalty_id)
    return (_out(cmd.penalty_id, handled, "recorded"), 201 if handled.events else 200,
            {"Location": location})


@blp.route("/<penalty_id>", methods=["GET"])
@roles_required(*ROLES)
@blp.response(200, PenaltyOutSchema)
@problem_doc(blp, 404, "没有该处罚")
def get_one(penalty_id: str) -> dict[str, Any]:
    """One penalty with its disclosure state (any department)."""
    state, version = load(ctx(), PENALTY, penalty_stream(penalty_id))
    if state.decided is None:
        raise NotFound("没有该行政处罚记录")
    check(g.principal, Scope(district=state.decided.district_code))  # within its regions
    return _out(penalty_id, (state, version))


@blp.route("/<penalty_id>/publication", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=WRITE_DUTIES)
@blp.response(200, PenaltyOutSchema, description="已公示（重复提交不再记录）")
@problem_doc(blp, 403, "仅作出处罚的部门（在其辖区内）可以公示")
@problem_doc(blp, 404, "没有该处罚")
@problem_doc(blp, 409, "仅警告不予公示，或决定已撤销")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def publish(penalty_id: str) -> dict[str, Any]:
    """Publish a penalty today (公示); the display period starts today."""
    return _out(penalty_id, app.publish_penalty(ctx(), commit_meta(), penalty_id, region()),
                "published")


@blp.route("/<penalty_id>/withdrawal", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=WRITE_DUTIES)
@blp.arguments(WithdrawalSchema)
@blp.response(200, PenaltyOutSchema, description="已撤下（超过 3 个工作日记为逾期）")
@problem_doc(blp, 403, "仅作出处罚的部门（在其辖区内）可以撤下")
@problem_doc(blp, 404, "没有该处罚")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def withdraw(body: dict[str, Any], penalty_id: str) -> dict[str, Any]:
    """The decision was changed, revoked or voided: withdraw its disclosure (撤下)."""
    handled = app.withdraw_penalty(ctx(), commit_meta(), penalty_id, body["change"],
                                   body["reason"], body["revoked_on"], region())
    return _out(penalty_id, handled, "withdrawn")


@blp.route("/<penalty_id>/early-end", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=WRITE_DUTIES)
@blp.arguments(EarlyEndSchema)
@blp.response(200, PenaltyOutSchema, description="已提前停止公示")
@problem_doc(blp, 403, "仅作出处罚的部门（在其辖区内）可以提前停止公示")
@problem_doc(blp, 404, "没有该处罚")
@problem_doc(blp, 409, "较重处罚不得提前停止，未满最短公示期，或四项条件未全部满足")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def end_early(body: dict[str, Any], penalty_id: str) -> dict[str, Any]:
    """End the display early on application (提前停止公示, art. 14)."""
    handled = app.end_display_early(ctx(), commit_meta(), penalty_id, body["obligations_met"],
                                    body["harm_removed"], region())
    return _out(penalty_id, handled, "ended_early")
