"""The serious-dishonesty list: proposal, decision, measures, removal and credit repair."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask_smorest import Blueprint

from credit.api.common import DEPARTMENTS, ctx
from credit.api.schemas import (
    CorrectionSchema,
    DecisionSchema,
    DishonestyOutSchema,
    ExecutionSchema,
    ProposalSchema,
    RemovalSchema,
    RepairSchema,
)
from credit.app import listings
from credit.app.common import DISHONESTY, Handled, dishonesty_stream, load
from credit.domain.errors import NotFound
from credit.domain.events import ResponsiblePerson
from credit.domain.listing import Decide, Propose
from credit.domain.listing_state import Dishonesty
from credit.domain.masking import masked_person
from shared.authority import LEADER, WRITE_DUTIES
from shared.http.auth import ROLES, roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta, path_uscc
from shared.http.schemas import problem_doc

blp = Blueprint("dishonesty", __name__, url_prefix="/api/v1/dishonesty",
                description="严重失信主体名单与联合惩戒")


def _out(uscc: str, state: Dishonesty, version: int) -> dict[str, Any]:
    cur = state.current
    listing = None
    if cur is not None:
        listing = dataclasses.asdict(cur)
        listing["repair_decisions"] = sorted(cur.repair_decisions)
        listing["measures"] = [{"measure_id": mid, **dataclasses.asdict(m)}
                               for mid, m in sorted(cur.measures.items())]
    return {"uscc": uscc, "version": version, "listing": _jsonable(listing)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def _handled(uscc: str, h: Handled[Dishonesty]) -> dict[str, Any]:
    return _out(uscc, h.state, h.version)


def _persons(raw: list[dict[str, Any]]) -> tuple[ResponsiblePerson, ...]:
    """Masked on input: only masked names and ID numbers and a salted hash are kept."""
    return tuple(ResponsiblePerson.from_data(masked_person(
        p["name"], p.get("id_number"), ctx().id_salt, p.get("role", ""))) for p in raw)


@blp.route("/<uscc>/proposal", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=WRITE_DUTIES)
@blp.arguments(ProposalSchema)
@blp.response(201, DishonestyOutSchema, description="已提出列入提议（第一步）")
@problem_doc(blp, 409, "已有待决定的提议或正在名单中")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def propose(body: dict[str, Any], uscc: str) -> tuple[dict[str, Any], int]:
    """Propose listing an institution (列入提议)."""
    uscc, c = path_uscc(uscc), ctx()
    cmd = Propose(uscc=uscc, institution_name=body["institution_name"], ground=body["ground"],
                  ground_detail=body["ground_detail"],
                  responsible_persons=_persons(body["responsible_persons"]),
                  proposed_by=commit_meta().actor_dept, today=c.today())
    return _handled(uscc, listings.propose(c, commit_meta(), cmd)), 201


@blp.route("/<uscc>/decision", methods=["POST"])
@roles_required("civil_affairs", duties=(LEADER,))
@blp.arguments(DecisionSchema)
@blp.response(200, DishonestyOutSchema, description="已决定列入（并下达联合惩戒措施）或不予列入")
@problem_doc(blp, 404, "没有提议")
@problem_doc(blp, 409, "没有待决定的提议")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def decide(body: dict[str, Any], uscc: str) -> dict[str, Any]:
    """Civil affairs decides on the proposal (列入决定，第二步)."""
    uscc, c = path_uscc(uscc), ctx()
    cmd = Decide(approve=body["approve"], decision_no=body["decision_no"],
                 reason=body["reason"], today=c.today())
    return _handled(uscc, listings.decide(c, commit_meta(), uscc, cmd))


@blp.route("/<uscc>/measures/<measure_id>/execution", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=WRITE_DUTIES)
@blp.arguments(ExecutionSchema)
@blp.response(200, DishonestyOutSchema, description="已报告执行（逾期报告记为 late）")
@problem_doc(blp, 403, "该措施不由本部门执行")
@problem_doc(blp, 404, "没有该措施")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def execute(body: dict[str, Any], uscc: str, measure_id: str) -> dict[str, Any]:
    """The department reports its measure executed (履职报告)."""
    uscc = path_uscc(uscc)
    handled = listings.execute_measure(ctx(), commit_meta(), uscc, measure_id, body["note"])
    return _handled(uscc, handled)


@blp.route("/<uscc>/removal", methods=["POST"])
@roles_required("civil_affairs", duties=(LEADER,))
@blp.arguments(RemovalSchema)
@blp.response(200, DishonestyOutSchema, description="已移出名单并解除措施")
@problem_doc(blp, 409, "列入未满最短期限（默认 2 年）或不在名单中")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def remove(body: dict[str, Any], uscc: str) -> dict[str, Any]:
    """Removal on application after the minimum period (申请移出)."""
    uscc = path_uscc(uscc)
    handled = listings.remove_on_application(
        ctx(), commit_meta(), uscc, body["no_new_serious_dishonesty"],
        body["obligations_fulfilled"], body["decision_no"])
    return _handled(uscc, handled)


@blp.route("/<uscc>/repair", methods=["POST"])
@roles_required("civil_affairs", duties=(LEADER,))
@blp.arguments(RepairSchema)
@blp.response(200, DishonestyOutSchema, description="信用修复决定（准予则移出名单）")
@problem_doc(blp, 409, "不在名单中，或准予修复时列入未满最短期限（默认 2 年）")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def repair(body: dict[str, Any], uscc: str) -> dict[str, Any]:
    """Decide a credit-repair application (信用修复决定).

    管理办法 art. 11: an approval delists, so it is refused (409) before the minimum period
    (``removal_allowed_from``); a refusal may be recorded at any time. A wrong listing is
    corrected instead (``/correction``)."""
    uscc = path_uscc(uscc)
    handled = listings.decide_repair(ctx(), commit_meta(), uscc, body["approved"],
                                     body["decision_no"], body["reason"])
    return _handled(uscc, handled)


@blp.route("/<uscc>/correction", methods=["POST"])
@roles_required("civil_affairs", duties=(LEADER,))
@blp.arguments(CorrectionSchema)
@blp.response(200, DishonestyOutSchema, description="已更正：不再公示，信用记录撤回，措施解除")
@problem_doc(blp, 403, "仅作出列入决定的部门（民政）可以更正")
@problem_doc(blp, 404, "没有列入记录")
@problem_doc(blp, 409, "没有可更正的列入决定，或已以其他文号更正")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def correct(body: dict[str, Any], uscc: str) -> dict[str, Any]:
    """Correct a wrong listing (列入有误的更正决定) — not a removal; allowed at any time."""
    uscc = path_uscc(uscc)
    handled = listings.correct_listing(ctx(), commit_meta(), uscc, body["decision_no"],
                                       body["reason"])
    return _handled(uscc, handled)


@blp.route("/<uscc>", methods=["GET"])
@roles_required(*ROLES)
@blp.response(200, DishonestyOutSchema)
@problem_doc(blp, 404, "没有记录")
def get_one(uscc: str) -> dict[str, Any]:
    """The latest listing cycle of an institution with its measures (any department)."""
    uscc = path_uscc(uscc)
    state, version = load(ctx(), DISHONESTY, dishonesty_stream(uscc))
    if version == 0:
        raise NotFound(f"机构 {uscc} 没有列入提议或记录")
    return _out(uscc, state, version)
